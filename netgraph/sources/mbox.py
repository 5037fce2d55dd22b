"""mbox mailboxes -> email interactions, streamed message by message.

The file is read line by line and only each message's header block is kept (bodies are
skipped, but for the promises of mail I sent, below), so memory stays flat whatever the mailbox
size. Headers are parsed with :mod:`email`; RFC 2047 encoded words are decoded. Each message
becomes an ``email`` interaction from its sender to its To/Cc recipients (``from_ref`` None when
the sender is me: one of ``my_emails``, or an address the mail was delivered to, from
``Delivered-To``/``X-Original-To``; those are ``my_refs``). Mailing-list and bulk mail
(``List-Id``, ``Precedence: bulk|list|junk``, no-reply senders) is skipped and counted in
``notes``. A message from me to exactly two other people who had not appeared together in an
earlier message is a candidate introduction (:func:`candidate_introductions`). Only mail with at
most :data:`INTRO_MAX_RECIPIENTS` recipients counts for that: a larger mail (an announcement to
the whole team) neither makes candidates nor marks its recipients as having met, so a mail with
N recipients costs O(N), not one pair per two recipients.

Mail I sent is also read for promises ("let's grab coffee next week", "I'll send you the deck":
:mod:`netgraph.promises`, by :mod:`netgraph.sources.mail_promises`, beside the scan in a second
process for a large mailbox): the start of its body (:data:`BODY_BYTES`), its first text/plain
part, without quoted replies or the signature. Only the sentences that promise are kept, in the
row's ``body`` (never stored: ingest makes follow-ups of them), so memory stays flat. Mail is
known to be mine when its sender is one of ``my_emails`` (``netgraph init --email``) or an
address earlier mail in the file was delivered to.

A ``Date`` that cannot be read, or lies outside the accepted window
(:mod:`netgraph.sources.bounds`), rejects that message with the reason; the rest load.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.errors import MissingHeaderBodySeparatorDefect
from email.header import decode_header, make_header
from email.parser import Parser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from itertools import combinations
from pathlib import Path

import pandas as pd

from netgraph._errors import InputFileError
from netgraph.normalise import normalise_email
from netgraph.sources.base import ParsedFile, rejects_frame
from netgraph.sources.bounds import clean_name, when_problem
from netgraph.sources.mail_promises import BODY_BYTES, PromiseReader, header_text, may_promise
from netgraph.sources.reading import check_file

__all__ = ["INTRO_MAX_RECIPIENTS", "candidate_introductions", "looks_like", "parse"]

#: A mail with more recipients (To and Cc, me left out) than this is no sign that they met, and
#: makes no candidate introduction.
INTRO_MAX_RECIPIENTS = 10

_BULK_SENDER = re.compile(r"^(no-?reply|do-?not-?reply|mailer-daemon)([+.\-_].*)?@", re.IGNORECASE)
_FROM_LINE = re.compile(rb"^From \S")
_RAW_LIMIT = 2000
_KEPT_RAW = 400  # raw text kept per message until the whole file is read (flat memory)


def looks_like(head: bytes) -> bool:
    """True if the start of a file looks like an mbox mailbox."""
    lines = head.lstrip(b"\r\n").split(b"\n", 2)
    return len(lines) > 1 and lines[0].startswith(b"From ") and b":" in lines[1]


def _decode(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        text = str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words: keep the text as it is
        text = str(value)
    return re.sub(r"\s+", " ", text).strip() or None


def _addresses(values: list[str]) -> list[tuple[str | None, str]]:
    out = []
    for name, addr in getaddresses([str(v) for v in values]):
        addr = addr.strip().strip("<>").lower()
        if "@" in addr:
            out.append((clean_name(_decode(name)), addr))
    return out


_PROGRESS_EVERY = 1 << 20  # bytes between progress calls


def _messages(path: Path, progress: Callable[[int], None] | None = None):
    """Yield (first line, header bytes, ended, body start) per message; then the file's sha256.

    The body start is the first :data:`BODY_BYTES` bytes of the body, where promises are read.
    """
    digest = hashlib.sha256()
    start, head, in_head, prev_blank, body = 0, None, False, True, bytearray()
    done = reported = 0
    with path.open("rb") as fh:
        for n, line in enumerate(fh, 1):
            digest.update(line)
            done += len(line)
            if progress is not None and done - reported >= _PROGRESS_EVERY:
                progress(done)
                reported = done
            if (prev_blank and _FROM_LINE.match(line)) or (n == 1 and line.startswith(b"From ")):
                if head is not None:
                    yield start, bytes(head), not in_head, bytes(body)
                start, head, in_head, body = n, bytearray(line), True, bytearray()
            elif head is not None and in_head:
                if line.strip():
                    head += line
                else:
                    in_head = False
            elif head is not None and len(body) < BODY_BYTES:
                body += line
            prev_blank = not line.strip()
    if head is not None:
        yield start, bytes(head), not in_head, bytes(body)
    if progress is not None:
        progress(done)
    yield None, digest.hexdigest(), True, b""


def _scan(path: str | Path, my_emails: Iterable[str], progress: Callable[[int], None] | None = None):
    p = Path(path)
    head = check_file(p, head_bytes=4096)
    if not head.lstrip(b"\r\n").startswith(b"From "):
        msg = f"{p}: not an mbox mailbox (it does not start with a 'From ' line)"
        raise InputFileError(msg)
    mine = {normalise_email(e) for e in my_emails if e.strip()}
    delivered: set[str] = set()
    parser = Parser(policy=compat32)
    msgs: list[tuple[int, datetime, str, str | None, str | None, list[tuple[str | None, str]], str]] = []
    rejects: list[tuple[int, str, str]] = []
    skipped: dict[str, int] = {}
    sha = ""
    mine_now = set(mine)  # my addresses as known so far: given, and delivered to up to here
    with PromiseReader(p.stat().st_size) as reader:  # mail I sent, read for promises
        for line, head_bytes, ended, body_start in _messages(p, progress):
            if line is None:
                sha = head_bytes
                break
            raw = head_bytes[:_RAW_LIMIT].decode("utf-8", "replace").rstrip("\r\n")
            if not ended:
                rejects.append((line, raw, "truncated message: the headers never end"))
                continue
            if b"\x00" in head_bytes:
                at = line + head_bytes[:head_bytes.index(b"\x00")].count(b"\n")
                rejects.append((line, raw, f"damaged header on line {at}: a NUL byte (binary data)"))
                continue
            msg = parser.parsestr(header_text(head_bytes), headersonly=True)
            if any(isinstance(d, MissingHeaderBodySeparatorDefect) for d in msg.defects):
                rejects.append((line, raw, "damaged header block: a line in it is not a header"))
                continue
            here = [a for _, a in _addresses(msg.get_all("Delivered-To", [])
                                             + msg.get_all("X-Original-To", []))]
            delivered.update(here)
            mine_now.update(normalise_email(a) for a in here)
            senders = _addresses(msg.get_all("From", []))
            if not senders:
                rejects.append((line, raw, "message has no sender address (From)"))
                continue
            sender_name, sender = senders[0]
            reason = _bulk(msg, sender)
            if reason:
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            when, why = _when(msg.get("Date"))
            if why:
                rejects.append((line, raw, why))
                continue
            recipients = _addresses(msg.get_all("To", []) + msg.get_all("Cc", []))
            if normalise_email(sender) in mine_now and may_promise(msg, body_start):
                reader.add(len(msgs), msg, head_bytes, body_start, when)  # only its promises are kept
            msgs.append((line, when, sender, sender_name, _decode(msg.get("Subject")), recipients,
                         raw[:_KEPT_RAW]))
        promised = reader.results()
    # who I am is known once the whole file is read: my addresses, and where mail was delivered
    mine |= {normalise_email(a) for a in delivered}
    rows: list[dict] = []
    parts: list[tuple[int, str, str | None]] = []
    meetings: list[tuple] = []  # (when, line, sender, from me, recipients) for introductions
    for i, (line, when, sender, sender_name, subject, recipients, raw) in enumerate(msgs):
        from_me = normalise_email(sender) in mine
        to: dict[str, str | None] = {}
        for name, addr in recipients:
            if addr != sender and not (from_me and normalise_email(addr) in mine):
                to.setdefault(addr, name)
        if not to:
            rejects.append((line, raw, "message has no To or Cc recipient other than the sender"))
            continue
        row = len(rows)
        rows.append({"line": line, "occurred_at": when, "from_ref": None if from_me else sender,
                     "kind": "email", "note": subject, "from_name": sender_name,
                     "body": promised.get(i) if from_me else None})
        parts.extend((row, addr, name) for addr, name in to.items())
        if len(to) <= INTRO_MAX_RECIPIENTS:  # a larger mail says nothing of who met whom
            meetings.append((when, line, sender, from_me, tuple(to)))
    my_refs = delivered | {s for _, _, s, *_ in msgs if normalise_email(s) in mine}
    return p, sha, rows, parts, rejects, skipped, meetings, my_refs


def _when(header: str | None) -> tuple[datetime | None, str | None]:
    """A Date header as naive UTC, or why it cannot be used."""
    try:
        when = parsedate_to_datetime(str(header or ""))
    except (TypeError, ValueError, IndexError, OverflowError):
        when = None
    if when is None:
        return None, f"missing or unreadable Date: {header!r}"
    if when.tzinfo is not None:
        try:
            when = when.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # 9999-12-31 at -1200 is past year 9999 in UTC: out of range anyway
            when = when.replace(tzinfo=None)
    problem = when_problem(when)
    if problem:
        return None, f"{problem} (Date: {header!r})"
    return when, None


def _bulk(msg, sender: str) -> str | None:
    if msg.get("List-Id") is not None:
        return "mailing list (List-Id)"
    prec = str(msg.get("Precedence", "")).strip().lower()
    if prec in ("bulk", "list", "junk"):
        return f"Precedence: {prec}"
    if _BULK_SENDER.match(sender):
        return "no-reply sender"
    return None


def _introductions(meetings: list[tuple]) -> pd.DataFrame:
    seen: set[tuple[str, str]] = set()
    out = []
    for when, _line, sender, from_me, recipients in sorted(meetings, key=lambda m: (m[0], m[1])):
        if len(recipients) > INTRO_MAX_RECIPIENTS:  # at most INTRO_MAX_RECIPIENTS + 1 people
            continue
        people = sorted({sender, *recipients})
        if from_me:
            others = sorted(set(recipients) - {sender})
            if len(others) == 2 and tuple(others) not in seen:
                out.append({"date": when, "line": _line, "introducer": sender, "a": others[0],
                            "b": others[1], "inferred": True})
        seen.update(combinations(people, 2))
    frame = pd.DataFrame(out, columns=["date", "line", "introducer", "a", "b", "inferred"])
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[us]")
    frame["inferred"] = frame["inferred"].astype(bool)
    return frame


def parse(path: str | Path, my_emails: Iterable[str] = frozenset(), *,
          progress: Callable[[int], None] | None = None) -> ParsedFile:
    """Parse an mbox file into email interactions, streamed message by message.

    ``rows`` also has ``from_name`` and ``parts`` a ``name`` column: decoded display names, as
    hints. Skipped bulk mail is counted in ``notes``; the candidate introductions are attached
    as the ``candidate_introductions`` attribute. ``progress`` is called with the bytes read so
    far, about every megabyte. Raises :class:`netgraph.InputFileError` when
    the file cannot be read at all.
    """
    p, sha, rows, parts, rejects, skipped, meetings, my_refs = _scan(path, my_emails, progress)
    frame = pd.DataFrame(rows, columns=["line", "occurred_at", "from_ref", "kind", "note",
                                        "from_name", "body"])
    frame["line"] = frame["line"].astype("int64")
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"]).astype("datetime64[us]")
    frame["from_ref"] = frame["from_ref"].astype(object)
    parts_frame = pd.DataFrame(parts, columns=["row", "ref", "name"])
    parts_frame["row"] = parts_frame["row"].astype("int64")
    notes = []
    if skipped:
        detail = ", ".join(f"{n} {why}" for why, n in sorted(skipped.items()))
        notes.append(f"skipped {sum(skipped.values())} mailing-list or bulk message(s): {detail}")
    intros = _introductions(meetings)
    return ParsedFile(path=p, kind="interactions", sha256=sha, rows=frame,
                      rejects=rejects_frame(rejects), rows_in=len(rows) + len(rejects), notes=notes,
                      parts=parts_frame, skipped=sum(skipped.values()), my_refs=my_refs,
                      candidate_introductions=intros)


def candidate_introductions(path: str | Path, my_emails: Iterable[str]) -> pd.DataFrame:
    """Messages from me to exactly two people who had not appeared together before.

    Only mail with at most :data:`INTRO_MAX_RECIPIENTS` recipients counts, both for a candidate and
    for having appeared together.

    Columns ``date`` (naive UTC), ``introducer`` (my address), ``a``, ``b``, ``inferred`` (True).
    """
    return _introductions(_scan(path, my_emails)[6])
