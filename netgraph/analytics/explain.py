"""Why a tie is as strong as it is: each factor's contribution and the facts behind it."""

from __future__ import annotations

import math

import pandas as pd

from netgraph.ties.model import BASELINE, FACTORS, contributions

__all__ = ["explain_features"]


def _fmt_day(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d") if not pd.isna(value) else "never"


def _facts(f: pd.Series) -> dict[str, str]:
    quieter = min(f["n_from_u"], f["n_from_v"])
    started = f"{f['n_from_u']} and {f['n_from_v']} contacts started by each side"
    return {
        "recency": (f"last contact {_fmt_day(f['last_contact'])} ({f['recency_days']:.0f} days before)"
                    if not pd.isna(f["recency_days"]) else "no contact on record"),
        "intensity": (f"{f['weighted_12m']:.1f} weighted contacts in the last 12 months "
                      f"({f['n_one_to_one']} of {f['n_interactions']} contacts ever were one-to-one)"),
        "duration": (f"first contact {_fmt_day(f['first_contact'])} "
                     f"({f['duration_days'] / 365.25:.1f} years)" if not pd.isna(f["duration_days"])
                     else "no contact on record"),
        "reciprocity": f"{started}; the quieter side started {quieter}",
        "multiplexity": f"{f['n_channels']} channel(s): {f['kinds'] or 'none'}",
        "referrals": (f"{f['n_intros']} introduction link(s), {f['n_converted']} converted "
                      f"(score {f['intro_score']:.2f})"),
        "closeness": ("declared closeness " + (f"{f['closeness']:.2f}" if not pd.isna(f["closeness"])
                                               else "not given")),
    }


def explain_features(features: pd.Series) -> pd.DataFrame:
    """One row per factor, then the total: contribution in logits, share, and the raw facts.

    ``features`` is one row of :func:`netgraph.ties.features.pair_features`.
    """
    frame = features.to_frame().T
    contrib = contributions(frame).iloc[0]
    z = BASELINE + float(contrib.sum())
    strength = 1 / (1 + math.exp(-z))
    facts = _facts(features)
    total = float(contrib.sum()) or 1.0
    rows = [
        {"factor": name, "contribution": float(contrib[name]),
         "share": float(contrib[name]) / total, "facts": facts[name]}
        for name in FACTORS
    ]
    rows.insert(0, {"factor": "baseline", "contribution": BASELINE, "share": None,
                    "facts": "a tie with no evidence at all"})
    rows.append({"factor": "strength", "contribution": z, "share": None,
                 "facts": f"strength {strength:.3f} = logistic({z:.2f}); distance "
                          f"{-math.log(strength):.3f}"})
    return pd.DataFrame(rows)
