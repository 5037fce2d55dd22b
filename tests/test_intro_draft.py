"""intro --draft: a message to the first hop of each warm path, never to a cold one.

It asks whether they are comfortable making the introduction (double opt-in), says why the
target is relevant, carries a two-line note about me to forward, and opens with our last contact.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main


def _cli(db: Path, *args: str) -> str:
    res = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.output


def test_each_warm_path_gets_a_draft_to_its_first_hop(sample_db):
    db, planted = sample_db
    target = planted["hard_to_reach"][0]
    rows = json.loads(_cli(db, "intro", target["id"], "--draft", "--format", "json",
                           "--as-of", planted["end"]))
    warm = [r for r in rows if r["warm"]]
    assert warm and all(r["draft"] for r in warm)
    assert all(r["draft"] is None for r in rows if not r["warm"])  # never a cold ask
    with ng.open_store(db, read_only=True) as store:
        me = store.name_of(store.me_id)
        title = store.scalar("SELECT title FROM people WHERE person_id = ?", [warm[0]["target_id"]])
    text = warm[0]["draft"]
    assert text.startswith(f"Hi {warm[0]['ask'].split()[0]},")
    assert "comfortable introducing me to " + target["name"] in text
    assert title in text  # why the target is relevant
    assert f"  {me}, " in text  # the note about me, to forward
    assert "on 20" in text  # our last contact, cited with its day
    table = _cli(db, "intro", target["id"], "--draft", "--as-of", planted["end"])
    assert f"To {warm[0]['ask']} (warm 1):" in table and text.splitlines()[0] in table


def test_draft_is_for_my_own_asks(sample_db):
    db, planted = sample_db
    res = CliRunner().invoke(main, ["intro", planted["hard_to_reach"][0]["id"], "--draft",
                                    "--team", "--db", str(db)])
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and "--draft" in res.output
