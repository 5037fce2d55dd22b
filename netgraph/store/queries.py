"""Read queries the later stages ask of the store, so that graph, report, api and cli run no SQL.

Each takes a :class:`~netgraph.store.database.Store` and plain values (dates already bounded by
the caller) and returns a DataFrame or plain Python values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netgraph.rows import Rows
from netgraph.store.database import Store

if TYPE_CHECKING:  # DuckDB hands out the frames; the counts and spans need no pandas
    import pandas as pd

__all__ = [
    "BROKEN_AFTER_DAYS",
    "FOLLOW_UP_STATE_COLUMNS",
    "NODE_COLUMNS",
    "community_links",
    "contact_span",
    "follow_up_states",
    "followups_due",
    "group_members",
    "introduction_count",
    "introduction_pairs",
    "introductions_before",
    "introductions_between",
    "last_contact",
    "monthly_activity",
    "my_last_contacts",
    "open_followups",
    "our_interactions",
    "people_created_by",
    "people_for_market",
    "people_node_rows",
    "people_nodes",
    "person_cards",
    "person_ids",
    "private_texts",
    "thanks_owed",
    "tie_count",
]


#: The attributes of a person's node in a graph, in order.
NODE_COLUMNS = ("name", "company", "title", "city", "country", "tags", "category")
_NODES_SQL = f"SELECT person_id, {', '.join(NODE_COLUMNS)} FROM people"
_TAGS_JSON = "CASE WHEN len(tags) > 0 THEN CAST(to_json(tags) AS VARCHAR) END AS tags"


def people_nodes(store: Store, ids: Iterable[int] | None = None) -> pd.DataFrame:
    """Everyone (or the people ``ids``) with the attributes a graph node carries, by ``person_id``."""
    if ids is None:
        return store.sql(_NODES_SQL + " ORDER BY person_id")
    import numpy as np

    wanted = {"person_id": np.array(sorted(ids), dtype=np.int32)}
    with store.registered("_wanted_people", wanted):
        return store.sql(_NODES_SQL + " WHERE person_id IN (SELECT person_id FROM _wanted_people) "
                         "ORDER BY person_id")


def people_node_rows(store: Store, ids: Iterable[int] | None = None,
                     columns: Iterable[str] | None = None) -> list[tuple]:
    """:func:`people_nodes` as plain rows (tuples of Python values), no frame built.

    The ids travel as a query parameter, so neither numpy nor pandas loads. ``columns`` reads
    only these of the node columns (``person_id`` always comes first). Tags come as JSON text
    (None for none), which DuckDB hands out several times faster than a list per row; the graph
    projection decodes it.
    """
    wanted = NODE_COLUMNS if columns is None else tuple(columns)
    sql = (f"SELECT person_id, {', '.join(_TAGS_JSON if c == 'tags' else c for c in wanted)} "
           "FROM people")
    if ids is None:
        return store.con.execute(sql + " ORDER BY person_id").fetchall()
    return store.con.execute(
        sql + " WHERE person_id IN (SELECT unnest($ids::INTEGER[])) ORDER BY person_id",
        {"ids": sorted({int(i) for i in ids})}).fetchall()


def group_members(store: Store, attr: str, value: str) -> list[int]:
    """The people whose ``attr`` (``company``, ``city``, or one of their ``tags``) is ``value``.

    Matched ignoring case and surrounding spaces, as a group target is.
    """
    if attr == "tags":
        # the `lambda x:` form: DuckDB now refuses the older `x -> ...` arrow by default
        where = "list_contains(list_transform(tags, lambda x: lower(trim(x))), lower(trim($v)))"
    elif attr in ("company", "city"):
        where = f"lower(trim({attr})) = lower(trim($v))"
    else:
        msg = f"no group attribute {attr!r}"
        raise ValueError(msg)
    rows = store.con.execute(f"SELECT person_id FROM people WHERE {where} ORDER BY person_id",
                             {"v": value}).fetchall()
    return [int(r[0]) for r in rows]


def person_ids(store: Store) -> list[int]:
    """Every person id, in order."""
    return [int(r[0]) for r in store.con.execute(
        "SELECT person_id FROM people ORDER BY person_id").fetchall()]


def contact_span(store: Store, before: datetime) -> tuple[datetime | None, datetime | None, int]:
    """The first and last interaction before ``before``, and how many there are."""
    first, last, n = store.con.execute(
        "SELECT min(occurred_at), max(occurred_at), count(*) FROM interactions WHERE occurred_at < ?",
        [before],
    ).fetchall()[0]
    return first, last, int(n)


def last_contact(store: Store) -> datetime | None:
    """When the latest interaction in the store happened."""
    return store.scalar("SELECT max(occurred_at) FROM interactions")


def introduction_count(store: Store, before: date) -> int:
    """How many introductions happened before ``before``."""
    return int(store.scalar("SELECT count(*) FROM introductions WHERE occurred_on < ?", [before]))


def introductions_before(store: Store, before: date) -> pd.DataFrame:
    """Introductions before ``before``: ``introducer_id, a_id, b_id, status``."""
    return store.con.execute(
        "SELECT introducer_id, a_id, b_id, status FROM introductions WHERE occurred_on < ?",
        [before],
    ).df()


#: What a person's card holds: who they are, and what they need and offer.
_CARD = ("name", "title", "company", "city", "tags", "needs", "offers")


def person_cards(store: Store, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The people ``ids`` by id, each a card of who they are and what they need and offer.

    A card holds ``name``, ``title``, ``company``, ``city``, and ``tags``, ``needs`` and
    ``offers`` as lists (empty for none). People not stored are left out.
    """
    rows = store.con.execute(
        f"SELECT person_id, {', '.join(_CARD)} FROM people "
        "WHERE person_id IN (SELECT unnest($ids::INTEGER[]))", {"ids": sorted(set(ids))}).fetchall()
    cards = {pid: dict(zip(_CARD, values, strict=True)) for pid, *values in rows}
    for card in cards.values():
        for key in ("tags", "needs", "offers"):
            card[key] = card[key] or []
    return cards


def introduction_pairs(store: Store, before: date) -> list[tuple[int, int, str]]:
    """Every introduction before ``before`` as (a, b, status): who was introduced, and how it went."""
    return store.con.execute("SELECT a_id, b_id, status FROM introductions WHERE occurred_on < ?",
                             [before]).fetchall()


_OURS = """
SELECT i.occurred_at, i.kind, i.note FROM interactions i
WHERE i.interaction_id IN (SELECT interaction_id FROM interaction_participants WHERE person_id = $me)
  AND i.interaction_id IN (SELECT interaction_id FROM interaction_participants WHERE person_id = $them)
  AND i.occurred_at < $bound
ORDER BY i.occurred_at DESC, i.interaction_id DESC
"""


def our_interactions(store: Store, me: int, them: int, bound: datetime) -> list[dict[str, Any]]:
    """Every interaction ``me`` and ``them`` were both part of before ``bound``, the latest first."""
    rows = store.con.execute(_OURS, {"me": me, "them": them, "bound": bound}).fetchall()
    return [{"occurred_at": at, "kind": kind, "note": note} for at, kind, note in rows]


def open_followups(store: Store, pid: int, me: int | None, day: date,
                   bound: datetime) -> list[dict[str, Any]]:
    """The follow-ups and promises about one person not kept yet on ``day``, by due date.

    Each: ``due_on``, ``note``, ``owner`` (me or them) and ``state`` (open or broken).
    """
    return [{k: r[k] for k in ("due_on", "note", "owner", "state")}
            for r in follow_up_states(store, me, day, bound).records()
            if r["person_id"] == pid and r["state"] in ("open", "broken")]


def introductions_between(store: Store, me: int, them: int, before: date) -> list[dict[str, Any]]:
    """Introductions I made for ``them`` and they made for me, before ``before``, oldest first.

    ``given`` is True for mine; ``other`` names the third person.
    """
    rows = store.con.execute("""
        SELECT n.occurred_on, n.introducer_id = $me AS given,
               (SELECT name FROM people WHERE person_id = CASE
                    WHEN n.introducer_id = $me THEN (CASE WHEN n.a_id = $them THEN n.b_id ELSE n.a_id END)
                    ELSE (CASE WHEN n.a_id = $me THEN n.b_id ELSE n.a_id END) END) AS other,
               n.status
        FROM introductions n
        WHERE n.occurred_on < $before
          AND ((n.introducer_id = $me AND $them IN (n.a_id, n.b_id))
               OR (n.introducer_id = $them AND $me IN (n.a_id, n.b_id)))
        ORDER BY n.occurred_on, n.intro_id""", {"me": me, "them": them, "before": before}).fetchall()
    return [{"occurred_on": d, "given": g, "other": o, "status": s} for d, g, o, s in rows]


def followups_due(store: Store, by: date, me: int | None, day: date,
                  bound: datetime) -> list[dict[str, Any]]:
    """My follow-ups and promises not kept yet, due on or before ``by`` (overdue ones too).

    The earliest first; a promise made to me is not mine to keep, and is left out.
    """
    return [{k: r[k] for k in ("person_id", "name", "due_on", "note")}
            for r in follow_up_states(store, me, day, bound).records()
            if r["owner"] == "me" and r["state"] in ("open", "broken") and r["due_on"] <= by]


# The introductions made for me, then the last time I was in contact with each introducer: one
# read of my interactions for them all (a test per introduction would read the participants once
# for each). An introduction is owed a thank-you while that last contact is before its day.
_THANKS = """
WITH intros AS (
    SELECT n.intro_id, n.introducer_id, CASE WHEN n.a_id = $me THEN n.b_id ELSE n.a_id END AS other_id,
           n.occurred_on, n.status
    FROM introductions n
    WHERE n.status IN ('made', 'converted') AND $me IN (n.a_id, n.b_id) AND n.introducer_id <> $me
      AND n.occurred_on >= $since AND n.occurred_on < $before
),
mine AS (SELECT interaction_id FROM interaction_participants WHERE person_id = $me),
last_met AS (
    SELECT p.person_id, max(i.occurred_at) AS "at"
    FROM interaction_participants p JOIN mine USING (interaction_id)
    JOIN interactions i USING (interaction_id)
    WHERE p.person_id IN (SELECT introducer_id FROM intros) AND i.occurred_at < $bound
    GROUP BY p.person_id
)
SELECT n.introducer_id, (SELECT name FROM people WHERE person_id = n.introducer_id) AS introducer,
       (SELECT name FROM people WHERE person_id = n.other_id) AS other, n.occurred_on, n.status
FROM intros n LEFT JOIN last_met l ON l.person_id = n.introducer_id
WHERE l."at" IS NULL OR l."at" < n.occurred_on
ORDER BY n.occurred_on DESC, n.intro_id
"""


def thanks_owed(store: Store, me: int, since: date, bound: datetime) -> list[dict[str, Any]]:
    """Introductions made for me from ``since`` on whose introducer I have not contacted since.

    The most recent first: ``introducer_id``, ``introducer``, ``other`` (whom I met), the day and
    the status.
    """
    rows = store.con.execute(_THANKS, {"me": me, "since": since, "before": bound.date(),
                                       "bound": bound}).fetchall()
    return [{"introducer_id": i, "introducer": name, "other": other, "occurred_on": day,
             "status": status} for i, name, other, day, status in rows]


_LAST_CONTACTS = """
WITH mine AS (SELECT interaction_id FROM interaction_participants WHERE person_id = $me)
SELECT p.person_id, max(i.occurred_at), arg_max(i.kind, i.occurred_at), arg_max(i.note, i.occurred_at)
FROM interaction_participants p JOIN mine USING (interaction_id) JOIN interactions i USING (interaction_id)
WHERE p.person_id IN (SELECT unnest($ids::INTEGER[])) AND i.occurred_at < $bound
GROUP BY p.person_id
"""


def my_last_contacts(store: Store, me: int, ids: Iterable[int],
                     bound: datetime) -> dict[int, tuple[datetime, str, str | None]]:
    """My last interaction with each of ``ids`` before ``bound``: (when, kind, note)."""
    rows = store.con.execute(_LAST_CONTACTS, {"me": me, "ids": sorted(set(ids)),
                                              "bound": bound}).fetchall()
    return {pid: (at, kind, note) for pid, at, kind, note in rows}


def people_for_market(store: Store, *, category: str | None = None) -> list[dict[str, Any]]:
    """Everyone (or everyone of one ``category``), with what a market rule reads.

    Each: ``person_id``, ``name``, ``title``, ``company``, ``city``, ``tags`` and ``category``.
    """
    where = "" if category is None else "WHERE category = $category"
    rows = store.con.execute("SELECT person_id, name, title, company, city, tags, category "
                             f"FROM people {where} ORDER BY person_id",
                             None if category is None else {"category": category}).fetchall()
    keys = ("person_id", "name", "title", "company", "city", "tags", "category")
    return [dict(zip(keys, r, strict=True)) for r in rows]


_ACTIVITY_SQL = """
WITH mine AS (
    SELECT DISTINCT interaction_id FROM interaction_participants WHERE person_id = $me
)
SELECT CAST(date_trunc('month', i.occurred_at) AS DATE) AS month,
       count(*) AS interactions,
       count(m.interaction_id) AS with_me
FROM interactions i LEFT JOIN mine m USING (interaction_id)
WHERE i.occurred_at < $bound AND i.kind <> 'connected'
GROUP BY 1 ORDER BY 1
"""


def monthly_activity(store: Store, before: datetime) -> pd.DataFrame:
    """Interactions per month before ``before`` (LinkedIn "connected" rows left out), and how many with me.

    Columns: ``month, interactions, with_me``.
    """
    me = store.me_id
    frame = store.con.execute(_ACTIVITY_SQL, {"me": -1 if me is None else me, "bound": before}).df()
    return frame.astype({"interactions": int, "with_me": int})


def private_texts(store: Store) -> dict[str, list]:
    """Every text that names or describes a person, for redaction to check against.

    Names, identities by kind (``email``, ``phone``, ``linkedin``, ``alias``...) and notes.
    """
    ident = store.sql("SELECT kind, raw FROM identities")
    out: dict[str, list] = {k: ident.loc[ident["kind"] == k, "raw"].tolist() for k in set(ident["kind"])}
    people = store.sql("SELECT name, notes FROM people")
    out["name"] = people["name"].tolist()
    out["note"] = [*people["notes"].tolist(),
                   *store.sql("SELECT note FROM follow_ups")["note"].tolist(),
                   *store.sql("SELECT note FROM introductions")["note"].tolist()]
    return out


# The sums run in a fixed order (by tie): summed as the threads of a parallel aggregation meet,
# floating-point sums differ in their last bits from run to run, and so would the map's layout.
_COMMUNITY_LINKS_SQL = """
WITH links AS (
    SELECT least(a.community, b.community) AS a, greatest(a.community, b.community) AS b,
           sum(t.strength ORDER BY t.u, t.v) AS strength, count(*) AS ties
    FROM _link_ties t
    JOIN _link_members a ON a.person_id = t.u
    JOIN _link_members b ON b.person_id = t.v
    WHERE a.community <> b.community
    GROUP BY 1, 2
), ends AS (
    SELECT a AS c, b AS other, strength FROM links
    UNION ALL SELECT b AS c, a AS other, strength FROM links
), top AS (
    SELECT DISTINCT least(c, other) AS a, greatest(c, other) AS b FROM (
        SELECT c, other, row_number() OVER (PARTITION BY c ORDER BY strength DESC, other) AS r
        FROM ends)
    WHERE r <= $k
)
SELECT l.a, l.b, l.strength, l.ties FROM links l JOIN top USING (a, b)
ORDER BY l.strength DESC, l.a, l.b
"""


def community_links(store: Store, ties: pd.DataFrame, members: pd.DataFrame,
                    per_community: int) -> pd.DataFrame:
    """The strongest links between communities: the ties between them, summed in DuckDB.

    ``ties`` has ``u, v, strength`` (one row per tie), ``members`` has ``person_id, community``.
    A link is kept when it is among the ``per_community`` strongest of either of its two
    communities. Columns: ``a, b`` (community indexes, ``a < b``), ``strength`` (the summed
    strength of the ties between them) and ``ties`` (how many), strongest first.
    """
    with store.registered("_link_ties", ties[["u", "v", "strength"]]), \
            store.registered("_link_members", members[["person_id", "community"]]):
        frame = store.con.execute(_COMMUNITY_LINKS_SQL, {"k": int(per_community)}).df()
    return frame.astype({"a": int, "b": int, "strength": float, "ties": int})


#: Days past its due date after which a promise that no contact has kept is broken.
BROKEN_AFTER_DAYS = 30
#: The kinds of contact that keep a promise to meet ("let's do lunch"): any contact keeps the rest.
MEETING_KINDS = ("meeting", "call", "event")
#: What :func:`follow_up_states` gives for each follow-up.
FOLLOW_UP_STATE_COLUMNS = ("follow_up_id", "person_id", "name", "owner", "source", "promise_kind",
                           "made_at", "due_on", "note", "state", "kept_at")

# A follow-up's state on a day. A row closed by hand is kept (done) or dropped; a promise (it has
# the moment it was made) is kept by my first later contact with the person, on any channel and
# in any thread (a meeting, call or event, when it was a promise to meet), and broken once it is
# BROKEN_AFTER_DAYS past due without one. A row from a follow-ups file stays open until closed;
# an open file row with a done twin (same person, due day and note) counts as done.
_FOLLOW_UP_STATES = f"""
WITH waiting AS (
    SELECT follow_up_id, person_id, made_at, promise_kind FROM follow_ups
    WHERE status = 'open' AND made_at IS NOT NULL AND made_at < $bound
),
mine AS (SELECT interaction_id FROM interaction_participants WHERE person_id = $me),
contact AS (
    SELECT b.person_id, i.occurred_at, i.kind
    FROM mine JOIN interaction_participants b USING (interaction_id)
    JOIN interactions i USING (interaction_id)
    WHERE b.person_id IN (SELECT person_id FROM waiting) AND b.person_id <> $me
      AND i.occurred_at < $bound
),
kept AS (
    SELECT w.follow_up_id, min(c.occurred_at) AS kept_at
    FROM waiting w JOIN contact c ON c.person_id = w.person_id AND c.occurred_at > w.made_at
    WHERE w.promise_kind IS DISTINCT FROM 'meeting' OR c.kind IN {MEETING_KINDS}
    GROUP BY w.follow_up_id
)
SELECT f.follow_up_id, f.person_id, p.name, coalesce(f.owner, 'me') AS owner,
       coalesce(f.source, 'file') AS source, f.promise_kind, f.made_at, f.due_on, f.note,
       CASE WHEN f.status = 'done' THEN 'kept'
            WHEN f.status = 'dropped' THEN 'dropped'
            WHEN k.kept_at IS NOT NULL THEN 'kept'
            WHEN f.made_at IS NULL AND EXISTS (
                SELECT 1 FROM follow_ups d
                WHERE d.status = 'done' AND d.person_id = f.person_id AND d.due_on = f.due_on
                  AND d.note IS NOT DISTINCT FROM f.note) THEN 'kept'
            WHEN f.made_at IS NOT NULL AND $day > f.due_on + {BROKEN_AFTER_DAYS} THEN 'broken'
            ELSE 'open' END AS state,
       k.kept_at
FROM follow_ups f JOIN people p USING (person_id) LEFT JOIN kept k USING (follow_up_id)
WHERE f.made_at IS NULL OR f.made_at < $bound
ORDER BY f.due_on, f.follow_up_id
"""


def follow_up_states(store: Store, me: int | None, day: date, bound: datetime) -> Rows:
    """Every follow-up and promise made before ``bound``, with its state on ``day``.

    ``state`` is open, kept, broken or dropped (:data:`FOLLOW_UP_STATE_COLUMNS`); ``kept_at`` is
    the contact that kept it, if one did. Without "me" (``me`` None) no contact keeps a promise.
    """
    result = store.con.execute(_FOLLOW_UP_STATES, {"me": -1 if me is None else me, "day": day,
                                                   "bound": bound})
    return Rows(FOLLOW_UP_STATE_COLUMNS, result.fetchall())


def people_created_by(store: Store, sha256: str, kind: str) -> set[int]:
    """The people created by the batches that imported the file ``sha256`` as ``kind``."""
    rows = store.con.execute(
        "SELECT person_id FROM people WHERE batch_id IN (SELECT batch_id FROM import_batches "
        "WHERE sha256 = ? AND kind = ?)", [sha256, kind]).fetchall()
    return {int(p) for (p,) in rows}


def tie_count(store: Store) -> int:
    """How many ties the store's tie table holds."""
    return int(store.scalar("SELECT count(*) FROM ties"))
