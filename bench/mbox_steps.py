"""The measured steps of the mbox suite, and its seeded mailbox generator.

Every step runs in its own subprocess (see :mod:`bench._child`): it imports what it needs
first, records the process's peak memory after those imports (``ready_mb``), then times only
the work with :func:`time.perf_counter` and returns a JSON-able dict with at least ``seconds``.
Imports stay inside the functions so each child loads only its own libraries.

The generator (:func:`generate` and the ``_gen_*`` helpers) writes a realistic mailbox: the
owner :data:`OWNER` and a few hundred contacts with accented names (some RFC 2047 encoded in
UTF-8 base64, some in ISO-8859-1 quoted-printable), From/To/Cc/Date/Subject/Message-ID
headers (plus In-Reply-To, MIME headers), about 5% mailing-list (``List-Id``) or no-reply
mail, and bodies of varying size: plain text, text + HTML alternatives, and a few multipart
messages with a large base64 attachment. Body lines that start with ``From `` are escaped as
``>From `` (mboxrd), so both netgraph and :mod:`mailbox` split messages at the same places.
Messages are written until the file reaches the target size. :func:`strip_bodies` makes a
twin with the same messages and headers but no bodies.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["GENERATOR", "OWNER", "floor_read", "generate", "generator_source", "netgraph_import",
           "netgraph_parse", "stdlib_mailbox", "strip_bodies"]

#: The mailbox owner's address, passed to the parser as ``my_emails``.
OWNER = "me@example.com"


def _ready_mb() -> float:
    from bench._child import peak_rss_mb

    return peak_rss_mb()


# --- measured steps -------------------------------------------------------------------------

def netgraph_parse(path: str, owner: str = OWNER) -> dict[str, Any]:
    """``netgraph.sources.mbox.parse(path, my_emails=[owner])``: the streamed parser alone."""
    from netgraph.sources import mbox

    ready = _ready_mb()
    start = time.perf_counter()
    pf = mbox.parse(path, my_emails=[owner])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "ready_mb": ready, "rows": len(pf.rows), "parts": len(pf.parts),
            "rejects": len(pf.rejects), "rows_in": pf.rows_in, "notes": list(pf.notes),
            "introductions": len(pf.candidate_introductions)}  # type: ignore[attr-defined]


def netgraph_import(db: str, path: str, owner: str = OWNER, promises: bool = True) -> dict[str, Any]:
    """``open_store(db)`` + ``import_files(store, [path])`` + close, timed together.

    Before the import, ``set_me(store, "Owner", email=owner)`` records the owner (so
    ``import_files`` passes the owner's address to the parser, as a real user's store would);
    that call is timed on its own (``set_me_s``) and left out of ``seconds``. ``promises=False``
    is the baseline of promise detection: this process's mbox reader keeps no body and the
    ingest reads no text for promises (the rest of the import is the same).
    """
    from netgraph import import_files, open_store, set_me  # loaded before the clock starts

    if not promises:
        from netgraph.ingest import interactions
        from netgraph.sources import mbox

        mbox.may_promise = lambda msg, body: False  # no body is read
        interactions.write_promises = lambda *args, **kwargs: 0

    ready = _ready_mb()
    start = time.perf_counter()
    store = open_store(db)
    opened = time.perf_counter()
    set_me(store, "Owner", email=owner)
    me_done = time.perf_counter()
    results = import_files(store, [path])
    imported = time.perf_counter()
    store.close()
    end = time.perf_counter()
    set_me_s = me_done - opened
    return {
        "seconds": end - start - set_me_s, "open_s": opened - start, "set_me_s": set_me_s,
        "import_files_s": imported - me_done, "close_s": end - imported, "ready_mb": ready,
        "files": [{k: getattr(r, k) for k in ("kind", "rows_in", "loaded", "duplicates",
                                              "rejected", "people_created", "notes")}
                  for r in results],
        "promises": _count_promises(db),
    }


def _count_promises(db: str) -> int:
    from netgraph import open_store

    with open_store(db, read_only=True) as store:
        return int(store.scalar("SELECT count(*) FROM follow_ups WHERE source = 'detected'"))


def stdlib_mailbox(path: str) -> dict[str, Any]:
    """The naive standard-library way: ``mailbox.mbox(path)``, read From/To/Cc/Date of each.

    ``box.keys()`` builds the table of contents (a scan of the whole file for ``From `` lines,
    timed as ``toc_s``); ``box[key]`` then reads each message whole and parses it with
    :mod:`email` (bodies and MIME parts included), which is what iterating the mailbox does.
    """
    import mailbox

    ready = _ready_mb()
    start = time.perf_counter()
    box = mailbox.mbox(path, create=False)
    keys = box.keys()
    toc = time.perf_counter()
    messages, recipients = 0, 0
    for key in keys:
        msg = box[key]
        _sender, _date = msg["From"], msg["Date"]
        recipients += len(msg.get_all("To", [])) + len(msg.get_all("Cc", []))
        messages += 1
    box.close()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "toc_s": toc - start, "ready_mb": ready, "messages": messages,
            "recipient_headers": recipients}


def floor_read(path: str) -> dict[str, Any]:
    """The floor for any line-by-line reader: ``for line in fh: pass`` in binary mode."""
    ready = _ready_mb()
    start = time.perf_counter()
    with open(path, "rb") as fh:
        for _line in fh:
            pass
    return {"seconds": time.perf_counter() - start, "ready_mb": ready}


# --- generator ------------------------------------------------------------------------------

_FIRST = ("Ana", "Jürgen", "Zoë", "José", "Søren", "Łukasz", "Björn", "François", "Chloé",
          "Małgorzata", "Ngozi", "Wei", "Priya", "Sven", "Olga", "Mateus", "Inês", "Tomás",
          "Émile", "Yuki", "Fatima", "Omar", "Grace", "Liam", "Noah", "Emma", "Sofia", "Lucas",
          "Mia", "Elif", "Hannah", "David", "Sarah", "Kofi", "Aisha", "Mei", "Raj", "Ingrid")
_LAST = ("Lima", "Müller", "Dvořák", "García", "Nørgaard", "Kowalski", "Öberg", "Lefèvre",
         "Smith", "Okafor", "Zhang", "Patel", "Johansson", "Ivanova", "Souza", "Costa",
         "Tanaka", "Haddad", "Brown", "Wilson", "Rossi", "Nguyen", "Schäfer", "Yılmaz", "Kim",
         "Mensah", "Chen", "Singh", "Berg", "O'Neill", "Martín", "Dupont")
_DOMAINS = ("acme.io", "globex.com", "initech.net", "umbrella.org", "example.de", "hooli.com",
            "vandelay.co", "gmail.com", "outlook.com", "fastmail.fm", "uni-example.edu")
_WORDS = ("the", "project", "meeting", "next", "week", "proposal", "budget", "thanks", "team",
          "intro", "contract", "review", "draft", "call", "update", "deadline", "launch",
          "customer", "feedback", "hiring", "quarter", "numbers", "slides", "travel", "coffee",
          "lunch", "friday", "happy", "to", "and", "of", "a", "we", "you", "could", "would",
          "please", "let", "me", "know", "if", "that", "works", "for", "great", "idea", "über",
          "café", "naïve", "résumé", "schedule", "agenda", "notes", "attached", "see", "below")
_SUBJECTS = ("Quick question", "Intro: {a} <> {b}", "Re: Budget {y}", "Lunch next week?",
             "Follow-up on our call", "Draft proposal v{n}", "Réunion de lundi", "Grüße aus Berlin",
             "Fwd: slides", "Re: Re: hiring plan", "Coffee?", "Contract review", "Olá, tudo bem?",
             "Notes from today", "Offsite agenda – {y}", "Re: launch checklist")
_TEXT_HEAD = ("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n")


def _gen_people(rng: Any, n: int) -> list[tuple[str, str]]:
    """``n`` distinct (display name, address) contacts."""
    import unicodedata

    people, seen = [], set()
    while len(people) < n:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        local = ascii_name.lower().replace(" ", ".").replace("'", "")
        addr = f"{local}@{rng.choice(_DOMAINS)}"
        if addr in seen:
            addr = f"{local}{len(people)}@{rng.choice(_DOMAINS)}"
        seen.add(addr)
        people.append((name, addr))
    return people


def _gen_address(rng: Any, name: str, addr: str) -> str:
    """A header address; non-ASCII names RFC 2047 encoded (UTF-8 base64 or Latin-1 QP)."""
    from email.header import Header
    from email.utils import formataddr

    if name.isascii():
        return formataddr((name, addr))
    charset = "utf-8"
    if rng.random() < 0.4:
        try:
            name.encode("iso-8859-1")
            charset = "iso-8859-1"
        except UnicodeEncodeError:
            pass
    return f"{Header(name, charset).encode()} <{addr}>"


#: Sentences that promise something, and a quoted one that does not count: one paragraph in
#: five starts with one, so that reading mail for promises has real work to do.
_PROMISING = ("Let's grab coffee next Tuesday.", "I'll send you the deck by Friday.",
              "Happy to introduce you to Sam.", "Let me check and get back to you next week.",
              "I will follow up in two weeks.", "> I'll send it tomorrow.")


def _gen_paragraphs(rng: Any, n: int) -> list[str]:
    """A pool of text paragraphs, wrapped at about 72 characters; some lines start "From "."""
    pool = []
    for i in range(n):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(20, 160))]
        if i % 17 == 0:
            words[:2] = ["From", "the"]  # a line the mbox format must escape
        elif i % 5 == 0:
            words = [*rng.choice(_PROMISING).split(), *words]
        lines, line = [], ""
        for w in words:
            if len(line) + len(w) + 1 > 72:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        lines.append(line)
        pool.append("\n".join(lines))
    return pool


def _gen_text(rng: Any, pool: list[str], target: int) -> str:
    parts, size = [], 0
    while size < target:
        p = rng.choice(pool)
        parts.append(p)
        size += len(p) + 2
    return "\n\n".join(parts)


def _gen_escape(body: str) -> str:
    """mboxrd quoting: a ``>`` before every line that matches ``^>*From ``."""
    import re

    return re.sub(r"(?m)^(>*From )", r">\1", body)


def _gen_body(rng: Any, pool: list[str], attachment: int) -> tuple[str, str]:
    """(MIME headers, body) of one message; ``attachment`` bytes of base64 file if > 0."""
    import base64

    text = _gen_text(rng, pool, int(min(rng.lognormvariate(7.2, 0.9), 40_000)))
    if attachment:
        boundary = f"==b{rng.getrandbits(48):012x}"
        data = base64.encodebytes(rng.randbytes(attachment * 3 // 4)).decode("ascii")
        name = rng.choice(("deck.pdf", "photo.jpg", "contract.docx", "numbers.xlsx"))
        return (f'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="{boundary}"\n',
                f"--{boundary}\n{_TEXT_HEAD}\n{text}\n\n--{boundary}\n"
                f'Content-Type: application/octet-stream; name="{name}"\n'
                f"Content-Transfer-Encoding: base64\n"
                f'Content-Disposition: attachment; filename="{name}"\n\n{data}\n'
                f"--{boundary}--\n")
    if rng.random() < 0.25:
        boundary = f"==a{rng.getrandbits(48):012x}"
        html = "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n\n")) + "</body></html>"
        return (f'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="{boundary}"\n',
                f"--{boundary}\n{_TEXT_HEAD}\n{text}\n\n--{boundary}\n"
                f"Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                f"{html}\n\n--{boundary}--\n")
    return f"MIME-Version: 1.0\n{_TEXT_HEAD}", text + "\n"


def _gen_message(rng: Any, n: int, when: Any, people: list[tuple[str, str]], pool: list[str],
                 ids: list[str], attachment: int) -> tuple[str, str]:
    """(kind, message text) with kind "mail", "list" or "noreply"."""
    from email.header import Header
    from email.utils import format_datetime

    roll = rng.random()
    kind = "list" if roll < 0.03 else "noreply" if roll < 0.05 else "mail"
    others = rng.sample(people, rng.randint(1, 5))
    if kind == "list":
        sender = others[0]
        to, cc = [("Dev list", "dev@lists.example.org")], []
    elif kind == "noreply":
        sender = ("Service Notifications", f"no-reply@{rng.choice(('billing', 'alerts'))}.example.com")
        to, cc = [("Owner", OWNER)], []
    elif rng.random() < 0.45:  # from me
        sender = ("Owner", OWNER)
        split = rng.randint(1, len(others))
        to, cc = others[:split], others[split:]
    else:  # to me, maybe with others
        sender = others[0]
        rest = others[1:]
        split = rng.randint(0, len(rest))
        to, cc = [("Owner", OWNER), *rest[:split]], rest[split:]
    a, b = rng.choice(people)[0].split()[0], rng.choice(people)[0].split()[0]
    subject = rng.choice(_SUBJECTS).format(a=a, b=b, y=when.year, n=rng.randint(2, 9))
    if not subject.isascii():
        subject = Header(subject, "utf-8").encode()
    mid = f"<{rng.getrandbits(64):016x}.{n}@{sender[1].split('@')[1]}>"
    head = [f"From {sender[1]} {when.strftime('%a %b %d %H:%M:%S %Y')}",
            f"From: {_gen_address(rng, *sender)}",
            f"To: {', '.join(_gen_address(rng, *p) for p in to)}"]
    if cc:
        head.append(f"Cc: {', '.join(_gen_address(rng, *p) for p in cc)}")
    head += [f"Date: {format_datetime(when)}", f"Subject: {subject}", f"Message-ID: {mid}"]
    if ids and rng.random() < 0.3:
        head.append(f"In-Reply-To: {rng.choice(ids)}")
    if kind == "list":
        head += ["List-Id: Dev discussion <dev.lists.example.org>", "Precedence: list"]
    ids.append(mid)
    if len(ids) > 200:
        del ids[:100]
    mime, body = _gen_body(rng, pool, attachment)
    return kind, "\n".join(head) + "\n" + mime + "\n" + _gen_escape(body) + "\n"


def generate(out: str, target_bytes: int, seed: int) -> dict[str, Any]:
    """Subprocess step: write a seeded mailbox of about ``target_bytes`` to ``out``.

    Returns the counts the suite checks the parsers against: ``messages`` (all), ``list`` and
    ``noreply`` (the bulk mail netgraph skips), ``attachments``, ``encoded_words`` (RFC 2047
    encoded words in headers) and ``bytes``.
    """
    import os
    import random
    from datetime import datetime, timedelta, timezone

    start = time.perf_counter()
    rng = random.Random(seed)
    people = _gen_people(rng, 400)
    pool = _gen_paragraphs(rng, 300)
    zones = [timezone(timedelta(hours=h)) for h in (-8, -5, 0, 1, 2, 5.5, 9)]
    when = datetime(2023, 1, 2, 9, 0, tzinfo=zones[0])
    counts = {"messages": 0, "list": 0, "noreply": 0, "attachments": 0, "encoded_words": 0}
    ids: list[str] = []
    written = 0
    tmp = f"{out}.tmp"
    with open(tmp, "wb") as fh:
        while written < target_bytes:
            when = (when + timedelta(minutes=rng.randint(5, 600))).astimezone(rng.choice(zones))
            attachment = 0
            if rng.random() < 0.03:
                size = int(min(rng.lognormvariate(12.0, 1.0), 4_000_000))
                attachment = max(4096, min(size, target_bytes - written))
            kind, text = _gen_message(rng, counts["messages"], when, people, pool, ids, attachment)
            data = text.encode("utf-8")
            fh.write(data)
            written += len(data)
            counts["messages"] += 1
            counts["attachments"] += bool(attachment)
            counts["encoded_words"] += text.split("\n\n", 1)[0].count("=?")
            if kind != "mail":
                counts[kind] += 1
    os.replace(tmp, out)
    return {**counts, "bytes": written, "seconds": time.perf_counter() - start}


def strip_bodies(src: str, out: str) -> dict[str, Any]:
    """Subprocess step: copy ``src`` with every body replaced by one short line.

    The copy has the very same messages and header blocks, so parsing it shows what a mailbox
    costs without its body bytes. Every line that starts with ``From `` is a message's first
    line (the generator escapes body lines), and a header block ends at the first blank line.
    """
    import os

    start = time.perf_counter()
    written, in_head = 0, False
    tmp = f"{out}.tmp"
    with open(src, "rb") as fh, open(tmp, "wb") as dst:
        for line in fh:
            if line.startswith(b"From "):
                in_head = True
            if in_head:
                if not line.strip():
                    line, in_head = b"\n(body removed)\n\n", False
                dst.write(line)
                written += len(line)
    os.replace(tmp, out)
    return {"bytes": written, "seconds": time.perf_counter() - start}


#: The functions whose source makes up the generator (their hash keys the cached files).
GENERATOR = (_gen_people, _gen_address, _gen_paragraphs, _gen_text, _gen_escape, _gen_body,
             _gen_message, generate, strip_bodies)


def generator_source() -> str:
    """The generator's code and word lists: a change to them regenerates cached mailboxes."""
    import inspect

    data = repr((OWNER, _FIRST, _LAST, _DOMAINS, _WORDS, _SUBJECTS, _TEXT_HEAD))
    return data + "".join(inspect.getsource(f) for f in GENERATOR)
