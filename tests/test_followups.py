"""Promises found in mail, notes and events, tracked until they are kept or broken.

End to end through the CLI, on real store files:

- a promise to meet, followed by a call 5 days later, is kept; a promise with no contact for 45
  days is broken; an email does not keep a promise to meet;
- "you promised" and "they promised" are told apart: mine are my debts, theirs are shown but are
  not (``--mine``, ``--theirs``, ``neglected``);
- ``followups done`` and ``drop`` close one by hand; a bad id or status is a one-line error;
- importing the same file again finds no promise again; an unmerge gives a promise back with its
  mail;
- the promises of mail I sent (bodies, without quoted replies or signatures), also in a Gmail
  export shaped as emailnetwork's test mailbox, and of calendar descriptions;
- on the sample: the planted kept and broken promises.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _cli(db: Path, *args: str, code: int = 0) -> str:
    res = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert res.exit_code == code, res.output
    return res.output


def _json(db: Path, *args: str) -> list[dict]:
    return json.loads(_cli(db, *args, "--format", "json"))


@pytest.fixture
def promised(tmp_path: Path) -> Path:
    """Me, Dana and Bo; my promises to both, Bo's to me; a call from Dana 5 days later."""
    db = tmp_path / "s.duckdb"
    (tmp_path / "contacts.csv").write_text(
        "name,email\nMe Myself,me@x.io\nDana Lee,dana@x.io\nBo Chen,bo@y.org\nSam Roe,sam@z.io\n",
        encoding="utf-8")
    (tmp_path / "inter.csv").write_text(
        "date,from,to,kind,note\n"
        "2026-03-04 10:00,me@x.io,dana@x.io,email,\"Great to meet. Let's grab coffee next Tuesday.\"\n"
        "2026-03-04 11:00,me@x.io,bo@y.org,email,\"Thanks! I'll send you the deck.\"\n"
        "2026-03-05 09:00,bo@y.org,me@x.io,email,\"Happy to introduce you to Sam next week.\"\n"
        "2026-03-06 09:00,me@x.io,sam@z.io,email,\"Let's do lunch on 20 March.\"\n"
        "2026-03-09 12:00,dana@x.io,me@x.io,call,Coffee\n"
        "2026-03-10 12:00,sam@z.io,me@x.io,email,Re: lunch\n", encoding="utf-8")
    _cli(db, "import", str(tmp_path / "contacts.csv"))
    _cli(db, "init", "--me", "me@x.io")
    _cli(db, "import", str(tmp_path / "inter.csv"))
    return db


def _by_name(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["name"], []).append(r)
    return out


def test_a_promise_is_kept_by_a_later_call_and_broken_by_silence(promised: Path) -> None:
    early = _by_name(_json(promised, "followups", "--status", "all", "--as-of", "2026-03-20"))
    dana, = early["Dana Lee"]
    assert (dana["state"], dana["kept_on"], dana["due_on"], dana["kind"], dana["promised_by"]) == (
        "kept", "2026-03-09", "2026-03-10", "meeting", "you")
    assert dana["source"] == "detected" and dana["note"] == "Let's grab coffee next Tuesday."
    mine_to_bo = next(r for r in early["Bo Chen"] if r["promised_by"] == "you")
    # any later contact keeps a promise to deliver: Bo wrote to me the next day
    assert (mine_to_bo["state"], mine_to_bo["kept_on"], mine_to_bo["due_on"]) == (
        "kept", "2026-03-05", "2026-03-18")
    # Sam answered by email only: a promise of lunch is kept by a meeting or a call, not a mail
    sam, = early["Sam Roe"]
    assert (sam["state"], sam["due_on"], sam["kind"]) == ("open", "2026-03-20", "meeting")
    theirs = next(r for r in early["Bo Chen"] if r["promised_by"] == "they")
    assert (theirs["state"], theirs["due_on"]) == ("open", "2026-03-13")  # next week: Friday
    # 45 days without contact (more than 30 days past due): broken; the kept ones stay kept
    late = _by_name(_json(promised, "followups", "--status", "all", "--as-of", "2026-04-21"))
    assert late["Sam Roe"][0]["state"] == "broken"
    assert next(r for r in late["Bo Chen"] if r["promised_by"] == "they")["state"] == "broken"
    assert late["Dana Lee"][0]["state"] == "kept"
    broken = _json(promised, "followups", "--status", "broken", "--as-of", "2026-04-21")
    assert {r["name"] for r in broken} == {"Sam Roe", "Bo Chen"}


def test_mine_and_theirs_are_told_apart(promised: Path) -> None:
    mine = _json(promised, "followups", "--mine", "--as-of", "2026-03-20")
    theirs = _json(promised, "followups", "--theirs", "--as-of", "2026-03-20")
    assert [(r["name"], r["promised_by"]) for r in mine] == [("Sam Roe", "you")]
    assert [(r["name"], r["promised_by"]) for r in theirs] == [("Bo Chen", "they")]
    # the agenda lists my debts only; a brief shows both, each with who promised
    with ng.open_store(promised) as store:
        agenda = ng.agenda(store, as_of="2026-03-20", days=14, as_frame=False).records()
        brief = ng.brief(store, "bo@y.org", as_of="2026-03-20", as_frame=False).records()
    assert [a["name"] for a in agenda if a["kind"] == "follow-up"] == ["Sam Roe"]
    promises = next(r for r in brief if r["section"] == "open promises")
    assert any(line.startswith("they promised") for line in promises["details"])


def test_done_and_drop_close_a_promise_by_hand(promised: Path) -> None:
    rows = _json(promised, "followups", "--status", "all", "--as-of", "2026-03-20")
    sam = next(r["follow_up_id"] for r in rows if r["name"] == "Sam Roe")
    bo = next(r["follow_up_id"] for r in rows if r["promised_by"] == "they")
    assert "done" in _cli(promised, "followups", "done", str(sam))
    assert "dropped" in _cli(promised, "followups", "drop", str(bo))
    after = {r["follow_up_id"]: r["state"]
             for r in _json(promised, "followups", "--status", "all", "--as-of", "2026-04-30")}
    assert (after[sam], after[bo]) == ("kept", "dropped")
    assert _json(promised, "followups", "--as-of", "2026-04-30") == []  # nothing open
    out = _cli(promised, "followups", "done", "999", code=2)
    assert "there is no follow-up 999" in out and len(out.strip().splitlines()) == 1
    out = _cli(promised, "followups", "--status", "maybe", code=2)
    assert len(out.strip().splitlines()) == 1 and "unknown status 'maybe'" in out
    assert "open, kept, broken, dropped, all" in out


def test_importing_again_finds_no_promise_again(promised: Path, tmp_path: Path) -> None:
    before = _json(promised, "followups", "--status", "all")
    _cli(promised, "import", str(tmp_path / "inter.csv"))
    copy = tmp_path / "again.csv"  # the same rows in another file: each a duplicate
    copy.write_text((tmp_path / "inter.csv").read_text(encoding="utf-8"), encoding="utf-8")
    _cli(promised, "import", str(copy))
    assert _json(promised, "followups", "--status", "all") == before
    assert len(before) == 4


def test_an_unmerge_gives_a_promise_back_with_its_mail(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    (tmp_path / "c.csv").write_text("name,email\nMe Myself,me@x.io\nDana Lee,dana@x.io\n"
                                    "Dee Lee,dee@y.org\n", encoding="utf-8")
    _cli(db, "import", str(tmp_path / "c.csv"))
    _cli(db, "init", "--me", "me@x.io")
    _cli(db, "merge", "dana@x.io", "dee@y.org")  # a mistake, as it turns out
    (tmp_path / "m.csv").write_text(
        "date,from,to,kind,note\n2026-03-04,me@x.io,dee@y.org,email,I'll send you the terms.\n",
        encoding="utf-8")
    _cli(db, "import", str(tmp_path / "m.csv"))
    assert [r["name"] for r in _json(db, "followups", "--as-of", "2026-03-05")] == ["Dana Lee"]
    _cli(db, "unmerge", "dana@x.io")
    assert [r["name"] for r in _json(db, "followups", "--as-of", "2026-03-05")] == ["Dee Lee"]


MBOX = """\
From me@x.io Wed Mar  4 10:00:00 2026
From: Me Myself <me@x.io>
To: Dana Lee <dana@x.io>
Subject: Re: plans
Date: Wed, 04 Mar 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Let's grab coffee next Tuesday.

On Tue, 3 Mar 2026, Dana Lee <dana@x.io> wrote:
> I'll send it tomorrow.

--
Me Myself
Let's do lunch sometime!

From dana@x.io Thu Mar  5 10:00:00 2026
From: Dana Lee <dana@x.io>
To: Me Myself <me@x.io>
Subject: deck
Date: Thu, 05 Mar 2026 10:00:00 +0000

I'll send you the deck on Friday.

From me@x.io Thu Mar  5 11:00:00 2026
From: Me Myself <me@x.io>
To: Bo Chen <bo@y.org>
Subject: intro
Date: Thu, 05 Mar 2026 11:00:00 +0000
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Happy to introduce you to Sam.=20
Best,
Me

--b1
Content-Type: text/html; charset=utf-8

<p>Happy to introduce you to Sam.</p>
--b1--
"""


def _mail_followups(tmp_path: Path, mailbox: str, as_of: str, *me: str,
                    import_first: bool = False) -> list[dict]:
    """Every follow-up as of ``as_of`` after ``init --me ME...`` and the import of ``mailbox``."""
    db = tmp_path / "s.duckdb"
    (tmp_path / "mail.mbox").write_text(mailbox, encoding="utf-8")
    steps = [("init", "--me", *me), ("import", str(tmp_path / "mail.mbox"))]
    for step in reversed(steps) if import_first else steps:
        _cli(db, *step)
    return _json(db, "followups", "--status", "all", "--as-of", as_of)


def test_mail_i_sent_yields_its_promises_without_quotes_or_signatures(tmp_path: Path) -> None:
    rows = _mail_followups(tmp_path, MBOX, "2026-03-06", "Me Myself", "--email", "me@x.io")
    got = sorted((r["name"], r["promised_by"], r["due_on"], r["note"]) for r in rows)
    assert got == [
        ("Bo Chen", "you", "2026-03-19", "Happy to introduce you to Sam."),  # 14 days: no date
        ("Dana Lee", "you", "2026-03-10", "Let's grab coffee next Tuesday."),
    ]  # not the quoted reply, not the signature, not mail Dana sent


#: A Gmail export in the shape of emailnetwork's test mailbox (``From <thread id>@xxx`` lines,
#: X-GM-THRID, Received chains, multipart/mixed with a 7bit us-ascii part): who I am is learned
#: from Delivered-To, not given.
GMAIL = """\
From 1537866361256992303@xxx Wed Jun 22 19:27:30 +0000 2016
X-GM-THRID: 1537866361256992303
X-Gmail-Labels: Inbox,Important
Delivered-To: samuelchan@gmail.com
Received: by 10.103.129.209 with SMTP id c200csp75416vsd;
        Wed, 22 Jun 2016 12:27:42 -0700 (PDT)
Return-Path: <sendi@algorit.ma>
Message-ID: <576ae6a2.c3c3370a.3ddd5.4d09@mx.google.com>
Date: Wed, 22 Jun 2016 12:27:30 -0700 (PDT)
Content-Type: multipart/mixed; boundary="===============4088974095002475436=="
MIME-Version: 1.0
From: sendi@algorit.ma
To: samuelchan@gmail.com
Subject: Augue massa risus est odio.

--===============4088974095002475436==
Content-Type: text/plain; charset="us-ascii"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit

Metus fusce varius at urna condimentum. I'll send you the figures tomorrow.
--===============4088974095002475436==--

From 1537866361256992304@xxx Wed Jun 22 20:00:00 +0000 2016
X-GM-THRID: 1537866361256992303
X-Gmail-Labels: Sent
Message-ID: <CAE1oEuJ6Yz75GTEaC3jPeYtafEk@mail.gmail.com>
Date: Wed, 22 Jun 2016 13:00:00 -0700 (PDT)
Content-Type: multipart/mixed; boundary="===============5088974095002475436=="
MIME-Version: 1.0
From: Samuel Chan <samuelchan@gmail.com>
To: sendi@algorit.ma
Subject: Re: Augue massa risus est odio.

--===============5088974095002475436==
Content-Type: text/plain; charset="us-ascii"
MIME-Version: 1.0
Content-Transfer-Encoding: 7bit

Thanks Sendi. Lorem etiam nonummy facilisi montes nascetur porttitor.

Let's grab coffee next Tuesday.

On Wed, Jun 22, 2016 at 12:27 PM, <sendi@algorit.ma> wrote:
> I'll send you the figures tomorrow.

--
Samuel Chan
Happy to introduce you to anyone at Algoritma
--===============5088974095002475436==--

From 1537866361256992305@xxx Thu Jun 23 09:00:00 +0000 2016
X-GM-THRID: 1537866361256992305
X-Gmail-Labels: Sent
Date: Thu, 23 Jun 2016 09:00:00 +0000
Content-Type: multipart/alternative; boundary=047d7b5da41fa751f4051d32393e
MIME-Version: 1.0
From: Samuel Chan <samuelchan@gmail.com>
To: Bo Chen <bo@y.org>
Subject: intro

--047d7b5da41fa751f4051d32393e
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Happy to introduce you to Sam, our data lead at Algoritma=
.

Best,
Samuel

--047d7b5da41fa751f4051d32393e
Content-Type: text/html; charset=UTF-8

<p>Happy to introduce you to Sam.</p>
--047d7b5da41fa751f4051d32393e--
"""


def test_a_gmail_export_yields_the_promises_of_mail_i_sent(tmp_path: Path) -> None:
    rows = _mail_followups(tmp_path, GMAIL, "2016-06-24", "samuelchan@gmail.com", import_first=True)
    got = sorted((r["promised_by"], r["due_on"], r["note"]) for r in rows)
    assert got == [
        ("you", "2016-06-28", "Let's grab coffee next Tuesday."),  # Wed 22 June: the Tuesday after
        ("you", "2016-07-07", "Happy to introduce you to Sam, our data lead at Algoritma."),  # +14 days
    ]  # not the quoted reply, not the signature, not the mail Sendi sent


def _b64(text: str) -> str:
    import base64

    return base64.encodebytes(text.encode("utf-8")).decode("ascii")


#: Mail whose text is base64, as many clients send non-ASCII text: its words show only decoded.
BASE64_MAIL = f"""\
From me@x.io Wed Mar  4 10:00:00 2026
From: Me Myself <me@x.io>
To: José Ruiz <jose@x.io>
Subject: café
Date: Wed, 04 Mar 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{_b64("Gracias José! Let’s grab coffee next Tuesday at the café.")}
From me@x.io Wed Mar  4 11:00:00 2026
From: Me Myself <me@x.io>
To: Bo Chen <bo@y.org>
Subject: deck
Date: Wed, 04 Mar 2026 11:00:00 +0000
Content-Type: multipart/alternative; boundary="apple"

--apple
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{_b64("Merci Bo — I’ll send you the deck by Friday.")}
--apple
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

{_b64("<p>I’ll send you the deck by Friday.</p>")}
--apple--
"""


def test_base64_mail_i_sent_is_read_for_promises(tmp_path: Path) -> None:
    rows = _mail_followups(tmp_path, BASE64_MAIL, "2026-03-05", "Me Myself", "--email", "me@x.io")
    got = sorted((r["name"], r["due_on"], r["note"]) for r in rows)
    assert got == [
        ("Bo Chen", "2026-03-06", "Merci Bo — I’ll send you the deck by Friday."),
        ("José Ruiz", "2026-03-10", "Let’s grab coffee next Tuesday at the café."),
    ]


ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1@test
DTSTART:20260304T100000Z
DTEND:20260304T110000Z
SUMMARY:Pilot kickoff
DESCRIPTION:Agenda: the pilot.\\nI'll send the pilot plan by Friday.
ORGANIZER;CN=Me Myself:mailto:me@x.io
ATTENDEE;CN=Dana Lee:mailto:dana@x.io
END:VEVENT
END:VCALENDAR
"""


def test_a_calendar_description_holds_the_organiser_s_promise(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    (tmp_path / "cal.ics").write_text(ICS, encoding="utf-8")
    _cli(db, "init", "--me", "Me Myself", "--email", "me@x.io")
    _cli(db, "import", str(tmp_path / "cal.ics"))
    rows = _json(db, "followups", "--as-of", "2026-03-05")
    assert [(r["name"], r["promised_by"], r["due_on"]) for r in rows] == [
        ("Dana Lee", "you", "2026-03-06")]
    assert "Agenda" not in json.dumps(_json(db, "rejects"))  # a description is read, not kept


def test_the_sample_s_planted_promises_are_kept_and_broken(sample_db) -> None:
    db, planted = sample_db
    rows = _json(db, "followups", "--status", "all", "--as-of", planted["end"])
    state = {(r["person_id"], r["note"]): r["state"] for r in rows if r["source"] == "detected"}
    with ng.open_store(db, read_only=True) as store:
        want = {(ng.resolve_person(store, p["id"]), p["note"]): p["state"]
                for p in planted["promises"]}
    assert state == want and sorted(want.values()) == ["broken", "kept"]
