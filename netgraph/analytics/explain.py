"""Why a tie is as strong as it is: each factor's contribution and the facts behind it.

Plain Python in and out (one tie's features, a :class:`~netgraph.rows.Rows` of factors), so
``explain-tie`` loads no pandas; the API hands the answer out as a DataFrame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from netgraph.rows import Rows
from netgraph.ties.model import BASELINE, FACTORS, factor_values

__all__ = ["COLUMNS", "explain_features"]

#: The columns of an explanation.
COLUMNS = ("factor", "contribution", "share", "facts")


def _missing(value: Any) -> bool:
    """None, or a float NaN (a feature with no value)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fmt_day(value: date | datetime | None) -> str:
    return "never" if _missing(value) else value.strftime("%Y-%m-%d")


def _facts(f: Mapping[str, Any]) -> dict[str, str]:
    quieter = min(f["n_from_u"], f["n_from_v"])
    started = f"{f['n_from_u']} and {f['n_from_v']} contacts started by each side"
    return {
        "recency": (f"last contact {_fmt_day(f['last_contact'])} ({f['recency_days']:.0f} days before)"
                    if not _missing(f["recency_days"]) else "no contact on record"),
        "intensity": (f"{f['weighted_12m']:.1f} weighted contacts in the last 12 months "
                      f"({f['n_one_to_one']} of {f['n_interactions']} contacts ever were one-to-one)"),
        "duration": (f"first contact {_fmt_day(f['first_contact'])} "
                     f"({f['duration_days'] / 365.25:.1f} years)" if not _missing(f["duration_days"])
                     else "no contact on record"),
        "reciprocity": f"{started}; the quieter side started {quieter}",
        "multiplexity": f"{f['n_channels']} channel(s): {f['kinds'] or 'none'}",
        "referrals": (f"{f['n_intros']} introduction link(s), {f['n_converted']} converted "
                      f"(score {f['intro_score']:.2f})"),
        "closeness": ("declared closeness " + (f"{f['closeness']:.2f}" if not _missing(f["closeness"])
                                               else "not given")),
    }


def explain_features(features: Mapping[str, Any]) -> Rows:
    """One row per factor, then the total: contribution in logits, share, and the raw facts.

    Parameters
    ----------
    features : mapping of str to a plain value
        One tie of :func:`netgraph.ties.table.tie_frame`, its values plain Python (None where
        missing; dates as ``date`` or ``datetime``).

    Returns
    -------
    Rows
        The columns :data:`COLUMNS`: the baseline, each factor of
        :data:`~netgraph.ties.model.FACTORS`, then the strength.
    """
    contrib = {name: float(values[0])
               for name, values in factor_values({k: [v] for k, v in features.items()}).items()}
    total = sum(contrib.values())
    z = BASELINE + total
    strength = 1 / (1 + math.exp(-z))
    facts = _facts(features)
    share_of = total or 1.0
    rows: list[tuple[Any, ...]] = [("baseline", BASELINE, None, "a tie with no evidence at all")]
    rows += [(name, contrib[name], contrib[name] / share_of, facts[name]) for name in FACTORS]
    rows.append(("strength", z, None, f"strength {strength:.3f} = logistic({z:.2f}); distance "
                                      f"{-math.log(strength):.3f}"))
    return Rows(COLUMNS, rows)
