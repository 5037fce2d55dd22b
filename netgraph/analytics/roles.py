"""Suggested contact roles: target, connector or general (networking practice's three roles).

- **target**: with market rules (``netgraph init --market``, :mod:`netgraph.market`), someone who
  matches one of them, whatever else they are: the market is the user's own statement. Without
  rules, someone I sought to reach: the far side of an introduction that was requested or made
  for me, or the subject of a converted introduction, without being a connector.
- **connector**: someone who links people: made at least :data:`MIN_INTROS_MADE` introductions,
  or has strong ties into at least :data:`MIN_COMMUNITIES` communities (Leiden on strength,
  fixed seed; :mod:`netgraph.analytics.communities`), the brokerage position of Burt (1992).
- **general**: everyone else.

The suggestion sits beside the user's own ``category`` and never replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from netgraph.analytics.communities import communities
from netgraph.market import MarketRule, match

if TYPE_CHECKING:  # pandas loads when roles are suggested, not for the constants
    import pandas as pd

__all__ = ["MIN_COMMUNITIES", "MIN_INTROS_MADE", "STRONG_TIE", "suggest_roles"]

MIN_INTROS_MADE = 2
MIN_COMMUNITIES = 3
#: A tie this strong counts when reckoning how many communities a person reaches.
STRONG_TIE = 0.5


def suggest_roles(G: nx.Graph, introductions: pd.DataFrame,
                  market: Iterable[MarketRule] = ()) -> pd.DataFrame:
    """One row per person: their own category, the suggested role and why.

    ``introductions`` has columns ``introducer_id, a_id, b_id, status``. ``G`` is the projected
    graph (its graph attribute ``me`` is used when set; nodes carry ``title``, ``company``,
    ``city`` and ``tags``). ``market``: my market's rules; when there are any, the targets are
    the people who match one (see the module notes).
    """
    market = list(market)
    import pandas as pd

    me = G.graph.get("me")
    community = communities(G) if G.number_of_edges() else {}
    made = introductions[introductions["status"] != "requested"]
    n_made = made.groupby("introducer_id").size()
    sought = set()
    if me is not None:
        for_me = introductions[(introductions["a_id"] == me) & (introductions["status"] != "declined")]
        sought |= set(for_me["b_id"])
        for_me_b = introductions[(introductions["b_id"] == me) & (introductions["status"] != "declined")]
        sought |= set(for_me_b["a_id"])
    converted = introductions[introductions["status"] == "converted"]
    deal_sides = set(converted["a_id"]) | set(converted["b_id"])
    rows = []
    for n, d in G.nodes(data=True):
        reached = {community.get(m) for m in G[n] if G[n][m].get("strength", 0) >= STRONG_TIE}
        reached.discard(None)
        intros = int(n_made.get(n, 0))
        bits = []
        if intros >= MIN_INTROS_MADE:
            bits.append(f"made {intros} introductions")
        if len(reached) >= MIN_COMMUNITIES:
            bits.append(f"strong ties into {len(reached)} communities")
        in_market = match(d, market) if market and n != me else None
        if n == me:
            role, why = "me", "you"
        elif in_market is not None:
            role = "target"
            why = f"in your market ({in_market})" + (f"; also a connector: {'; '.join(bits)}"
                                                     if bits else "")
        elif bits:
            role, why = "connector", "; ".join(bits)
        elif market:
            role, why = "general", "matches none of your market rules; not a connector"
        elif n in sought:
            role, why = "target", "someone you asked to be introduced to"
        elif n in deal_sides:
            role, why = "target", "side of a converted introduction"
        else:
            role, why = "general", "not a connector, and no introduction to them was sought"
        rows.append({
            "person_id": n,
            "name": d.get("name"),
            "company": d.get("company"),
            "category": d.get("category"),
            "suggested_role": role,
            "agrees": None if not d.get("category") or role == "me" else d.get("category") == role,
            "reason": why,
            "introductions_made": intros,
            "communities_reached": len(reached),
        })
    order = {"target": 0, "connector": 1, "general": 2, "me": 3} if market else \
        {"connector": 0, "target": 1, "general": 2, "me": 3}
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["_o"] = frame["suggested_role"].map(order)
    return frame.sort_values(["_o", "introductions_made", "communities_reached", "name"],
                             ascending=[True, False, False, True], kind="stable") \
        .drop(columns="_o").reset_index(drop=True)
