"""Hostile mail and dates (issue 11): one mail to many people costs O(N), and a date outside the
accepted window rejects its record instead of aborting the file (mbox, LinkedIn, vCard names)."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
from click.testing import CliRunner

from netgraph.cli.main import main
from netgraph.sources import linkedin, mbox, vcard
from netgraph.sources.mbox import INTRO_MAX_RECIPIENTS

ME = "me@example.com"


def _mail(frm: str, to: str, date: str, subject: str, *, name: str = "Me") -> str:
    return (f"From {frm} Mon Mar 03 09:00:00 2025\nFrom: {name} <{frm}>\nTo: {to}\n"
            f"Date: {date}\nSubject: {subject}\n\nbody\n\n")


def _mailbox(path: Path, recipients: int) -> Path:
    """A few normal mails, then one mail from me to ``recipients`` people."""
    crowd = ", ".join(f"R {k} <r{k}@example.net>" for k in range(recipients))
    path.write_text("".join([
        _mail(ME, "a@example.org, b@example.org", "Mon, 03 Mar 2025 09:00:00 +0000", "intro"),
        _mail("a@example.org", ME, "Tue, 04 Mar 2025 09:00:00 +0000", "thanks", name="A"),
        _mail(ME, "c@example.org", "Wed, 05 Mar 2025 09:00:00 +0000", "hi"),
        _mail(ME, crowd, "Thu, 06 Mar 2025 09:00:00 +0000", "all hands"),
    ]), encoding="utf-8")
    return path


def _run(*args: str) -> str:
    out = CliRunner().invoke(main, list(args))
    assert "unexpected error" not in out.output, out.output
    assert out.exit_code == 0, out.output
    return out.output


def _init(db: Path) -> None:
    _run("--db", str(db), "init", "--me", "Me", "--email", ME)


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


# -- one mail, many recipients -------------------------------------------------------------------


def test_mail_to_20000_people_is_linear(tmp_path):
    """Before: 2,000 recipients took 4.9 s and 354 MB, 20,000 never finished (every pair of
    recipients became a candidate introduction)."""
    box = _mailbox(tmp_path / "crowd.mbox", 20_000)
    db = tmp_path / "crowd.duckdb"
    _init(db)
    start = time.monotonic()
    pf = mbox.parse(box, [ME])
    intros = pf.candidate_introductions
    assert intros[["a", "b"]].values.tolist() == [["a@example.org", "b@example.org"]]
    assert len(pf.parts) == 2 + 1 + 1 + 20_000  # participants stay O(N)
    out = _run("--db", str(db), "import", str(box))
    assert time.monotonic() - start < 30
    assert "4 loaded" in out and "1 introductions inferred" in out
    assert _query(db, "SELECT max(n_participants), count(*) FROM interactions") == [(20_001, 4)]
    assert _query(db, "SELECT count(*) FROM introductions") == [(1,)]


def test_intro_limit_in_one_mailbox(tmp_path):
    """A mail to at most INTRO_MAX_RECIPIENTS people marks them as having met; a larger one
    does not, so a later mail from me to two of them is still a candidate introduction."""
    def box(n: int) -> Path:
        to = ", ".join(f"r{k}@example.net" for k in range(n))
        path = tmp_path / f"limit{n}.mbox"
        path.write_text(_mail(ME, to, "Mon, 03 Mar 2025 09:00:00 +0000", "group")
                        + _mail(ME, "r0@example.net, r1@example.net",
                                "Mon, 10 Mar 2025 09:00:00 +0000", "you two"), encoding="utf-8")
        return path

    assert mbox.candidate_introductions(box(INTRO_MAX_RECIPIENTS), [ME]).empty
    big = mbox.candidate_introductions(box(INTRO_MAX_RECIPIENTS + 1), [ME])
    assert big[["a", "b"]].values.tolist() == [["r0@example.net", "r1@example.net"]]
    # a mail from me to three people is a group mail, never a candidate itself
    assert mbox.candidate_introductions(box(3), [ME]).empty


def test_intro_limit_against_the_store(tmp_path):
    """A large mail already stored does not count as the two having met; a small one does."""
    db = tmp_path / "store.duckdb"
    _init(db)
    _run("--db", str(db), "import", str(_mailbox(tmp_path / "crowd.mbox", 500)))
    later = tmp_path / "later.mbox"
    later.write_text(_mail(ME, "r1@example.net, r2@example.net", "Mon, 10 Mar 2025 09:00:00 +0000",
                           "you two should talk"), encoding="utf-8")
    assert "1 introductions inferred" in _run("--db", str(db), "import", str(later))

    small = tmp_path / "small.mbox"  # r3 and r4 were on a small mail first: they have met
    small.write_text(_mail("r3@example.net", f"r4@example.net, {ME}",
                           "Mon, 03 Mar 2025 09:00:00 +0000", "lunch", name="R3"), encoding="utf-8")
    _run("--db", str(db), "import", str(small))
    again = tmp_path / "again.mbox"
    again.write_text(_mail(ME, "r3@example.net, r4@example.net", "Tue, 11 Mar 2025 09:00:00 +0000",
                           "meet again"), encoding="utf-8")
    assert "introductions inferred" not in _run("--db", str(db), "import", str(again))
    assert _query(db, "SELECT count(*) FROM introductions WHERE inferred") == [(2,)]


# -- dates outside the window --------------------------------------------------------------------

_BAD_MAIL_DATES = {
    "Fri, 31 Dec 9999 23:00:00 -1200": "outside the accepted range",  # past year 9999 in UTC
    "Fri, 01 Jan 0100 00:30:00 +1400": "outside the accepted range",  # (0001 would read as 2001)
    "Fri, 31 Dec 9999 10:00:00 +0000": "outside the accepted range",
    "Mon, 01 Jan 1850 10:00:00 +0000": "outside the accepted range",
    "now": "missing or unreadable Date",
    "today": "missing or unreadable Date",
}


def test_mbox_out_of_range_dates_reject_one_message(tmp_path):
    box = tmp_path / "dates.mbox"
    mails = [_mail(ME, "a@example.org", "Mon, 03 Mar 2025 09:00:00 +0000", "good one")]
    mails += [_mail(ME, "a@example.org", d, f"bad {i}") for i, d in enumerate(_BAD_MAIL_DATES)]
    mails.append(_mail(ME, "b@example.org", "Tue, 04 Mar 2025 09:00:00 +0000", "good two"))
    box.write_text("".join(mails), encoding="utf-8")
    pf = mbox.parse(box, [ME])
    assert pf.rows["note"].tolist() == ["good one", "good two"]
    assert pf.rows["occurred_at"].dtype == "datetime64[us]"
    reasons = pf.rejects["reason"].tolist()
    assert len(reasons) == len(_BAD_MAIL_DATES)
    for reason, (date, why) in zip(reasons, _BAD_MAIL_DATES.items(), strict=True):
        assert why in reason and repr(date) in reason
    assert pf.rows_in == len(pf.rows) + len(pf.rejects)

    db = tmp_path / "dates.duckdb"
    out = _run("--db", str(db), "import", str(box))
    assert "2 loaded" in out and f"{len(_BAD_MAIL_DATES)} rejected" in out


def _connections(path: Path, dates: list[str]) -> Path:
    rows = [f"P{k},Q,p{k}@example.org,,Co,Role,{d}" for k, d in enumerate(dates)]
    path.write_text("First Name,Last Name,Email Address,URL,Company,Position,Connected On\n"
                    + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_linkedin_connections_out_of_range_dates(tmp_path):
    """Before: ``31 Dec 9999`` raised OutOfBoundsDatetime and the whole file was refused."""
    dates = ["03 Mar 2024", "31 Dec 9999", "now", "01 Jan 1850", "today", "12 Dec 2025"]
    contacts, events = linkedin.parse_all(_connections(tmp_path / "Connections.csv", dates))
    assert len(contacts.rows) == 6  # every contact loads; only the event of a bad date is rejected
    assert events.rows["line"].tolist() == [2, 7]
    assert events.rows["occurred_at"].dtype == "datetime64[us]"
    reasons = dict(zip(events.rejects["line"], events.rejects["reason"], strict=True))
    assert reasons[3].startswith("'Connected On': date 9999-12-31 is outside the accepted range")
    assert reasons[4] == "unparseable date in 'Connected On': 'now'"
    assert reasons[5].startswith("'Connected On': date 1850-01-01 is outside the accepted range")
    assert reasons[6] == "unparseable date in 'Connected On': 'today'"
    assert events.rows_in == len(events.rows) + len(events.rejects) == 6

    db = tmp_path / "li.duckdb"
    _run("--db", str(db), "import", str(tmp_path / "Connections.csv"))
    assert _query(db, "SELECT count(*) FROM interactions") == [(2,)]
    assert _query(db, "SELECT count(*) FROM rejected_rows") == [(4,)]


def test_linkedin_messages_and_invitations_out_of_range(tmp_path):
    msgs = tmp_path / "messages.csv"
    msgs.write_text(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
        "c1,,Me,https://www.linkedin.com/in/me,Ann,https://www.linkedin.com/in/ann,"
        "2025-03-01 10:00:00 UTC,hello,x,SENT\n"
        "c1,,Me,https://www.linkedin.com/in/me,Ann,https://www.linkedin.com/in/ann,"
        "9999-12-31 23:59:59 UTC,far,x,SENT\n"
        "c1,,Me,https://www.linkedin.com/in/me,Ann,https://www.linkedin.com/in/ann,now,now,x,SENT\n",
        encoding="utf-8")
    pf = linkedin.parse_messages(msgs)
    assert pf.rows["note"].tolist() == ["hello"]
    far, now = pf.rejects["reason"].tolist()
    assert far.startswith("'DATE': date 9999-12-31 is outside the accepted range")
    assert now == "unparseable date in 'DATE': 'now'"
    assert pf.rows_in == 3

    inv = tmp_path / "Invitations.csv"
    inv.write_text(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
        "Me,Bo,\"1/1/1899, 10:00 AM\",,OUTGOING,,https://www.linkedin.com/in/bo\n"
        "Me,Cy,\"3/1/2025, 10:00 AM\",,OUTGOING,,https://www.linkedin.com/in/cy\n", encoding="utf-8")
    pf = linkedin.parse_invitations(inv)
    assert pf.parts["ref"].tolist() == ["https://www.linkedin.com/in/cy"]
    assert pf.rejects["line"].tolist() == [2]
    assert pf.rejects["reason"][0].startswith("'Sent At': date 1899-01-01 is outside the accepted")
    assert pf.rows_in == 2
    db = tmp_path / "li.duckdb"
    for path in (msgs, inv):
        _run("--db", str(db), "import", str(path))
    assert _query(db, "SELECT count(*) FROM interactions") == [(2,)]


# -- invisible names -----------------------------------------------------------------------------


def test_invisible_names_are_no_names(tmp_path):
    conn = tmp_path / "Connections.csv"
    conn.write_text(
        "First Name,Last Name,Email Address,URL,Company,Position,Connected On\n"
        "\u200b\ufeff,\u200d,zw@example.org,,Co,,03 Mar 2024\n"  # invisible: named after the email
        "\u200b,\ufeff,,,Co,,03 Mar 2024\n"  # invisible and no email: rejected
        "Dana\u202e,Lee,dl@example.org,,Co,,03 Mar 2024\n", encoding="utf-8")
    contacts = linkedin.parse_connections(conn)
    assert contacts.rows["name"].tolist() == ["zw@example.org", "Dana Lee"]
    assert contacts.rejects["reason"].tolist() == ["no name and no email address"]

    box = tmp_path / "names.mbox"
    box.write_text(_mail("x@example.org", f"\u200b <{ME}>", "Mon, 03 Mar 2025 09:00:00 +0000", "hi",
                         name="\u200b\ufeff"), encoding="utf-8")
    pf = mbox.parse(box, [ME])
    assert pf.rows["from_name"].tolist() == [None]
    assert pf.parts["name"].tolist() == [None]

    card = tmp_path / "c.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\u200b\ufeff\r\nN:Lee;Dana;;;\r\n"
                    "EMAIL:dana@example.org\r\nEND:VCARD\r\n", encoding="utf-8")
    assert vcard.parse(card).rows["name"].tolist() == ["Dana Lee"]
