"""vCard files (2.1, 3.0, 4.0) -> contacts.

The file is split into cards here, so that each card keeps the line its ``BEGIN:VCARD`` is on and
a corrupt card is rejected on its own while the others load. A card cut off (no ``END:VCARD``),
one with bytes that are not text, and text outside any card (a damaged ``BEGIN:VCARD`` line,
the tail of a cut file) are rejected with their line and reason. Each card is then unfolded
(continuation lines, quoted-printable soft line breaks of vCard 2.1), stripped of binary
properties (PHOTO, LOGO, SOUND, KEY: never used, often corrupt) and handed to ``vobject``.

Grouped properties (``item1.EMAIL`` with ``item1.X-ABLabel:Investor Club``) turn their label
into a tag; Apple's built-in labels (``_$!<Other>!$_``) are unwrapped to ``Other``.
"""

from __future__ import annotations

import quopri
import re
from pathlib import Path

import pandas as pd

from netgraph.sources.base import ParsedFile, rejects_frame
from netgraph.sources.bounds import clean_name
from netgraph.sources.reading import read_text

__all__ = ["looks_like", "parse"]

_EOL = re.compile(r"\r\n|\r|\n")
_BINARY = {"PHOTO", "LOGO", "SOUND", "KEY"}
_FREE_TEXT = {"FN", "NOTE", "TITLE", "ROLE"}
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_COLUMNS = ["line", "ext_id", "name", "emails", "phones", "company", "title", "city", "country",
            "tags", "category", "linkedin_url", "cadence_days", "closeness", "notes", "needs", "offers"]
#: A NOTE line that says what the person needs or offers: ``needs: seed funding; a CTO``.
_NEEDS_OFFERS = re.compile(r"^\s*(needs|offers)\s*:\s*(.*?)\s*$", re.IGNORECASE | re.MULTILINE)


def looks_like(head: bytes) -> bool:
    """True if the start of a file looks like a vCard file."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text[:11].upper() == b"BEGIN:VCARD"


def parse(path: str | Path) -> ParsedFile:
    """Parse a vCard file into contacts; a corrupt card is rejected with its line and reason.

    Raises :class:`netgraph.InputFileError` when the file cannot be read at all.
    """
    tf = read_text(path)
    lines = _EOL.split(tf.text)
    rows: list[dict] = []
    rejects: list[tuple[int, str, str]] = []
    for start, block, status in _cards(lines):
        raw = "\n".join(block)
        if status == "open":
            rejects.append((start, raw, "truncated vCard: BEGIN:VCARD without END:VCARD"))
            continue
        if status == "stray":
            rejects.append((start, raw, "text outside any vCard: no BEGIN:VCARD before it "
                            "(a damaged BEGIN line, or the file is cut or corrupt here)"))
            continue
        damage = tf.damage(start, raw)
        if damage:
            rejects.append((start, raw, f"unreadable vCard: {damage}"))
            continue
        try:
            row = _card(block)
        except Exception as exc:  # vobject raises many kinds of errors
            msg = re.sub(r"^At line \d+: ", "", str(exc)).strip() or type(exc).__name__
            rejects.append((start, raw, f"unreadable vCard: {msg}"))
            continue
        if not row["name"]:
            rejects.append((start, raw, "vCard has no name (no FN or N property)"))
            continue
        row["line"] = start
        rows.append(row)
    notes = [note] if (note := tf.encoding_note()) else []
    if not rows and not rejects:
        notes.append("no BEGIN:VCARD found: no contacts in this file")
    frame = pd.DataFrame(rows, columns=_COLUMNS).astype(object)
    frame = frame.where(frame.notna(), None)
    frame["line"] = frame["line"].astype("int64")
    frame["cadence_days"] = pd.array([None] * len(frame), dtype="Int64")
    frame["closeness"] = pd.Series([float("nan")] * len(frame), index=frame.index, dtype="float64")
    return ParsedFile(path=tf.path, kind="contacts", sha256=tf.sha256, rows=frame,
                      rejects=rejects_frame(rejects), rows_in=len(rows) + len(rejects), notes=notes)


def _cards(lines: list[str]):
    """Yield (first line, physical lines, status) for each card and each run of text outside any card.

    A BEGIN:VCARD ... END:VCARD has status ``closed``, a card cut off by the next BEGIN or the end of
    the file ``open``, and a run of text outside any card ``stray``.
    """
    start, block, status = 0, None, ""
    for i, line in enumerate(lines, 1):
        key = line.strip().upper()
        if key == "BEGIN:VCARD":
            if block is not None:
                yield start, _trimmed(block), status
            start, block, status = i, [line], "open"
        elif block is not None:
            block.append(line)
            if key == "END:VCARD":
                yield start, block, "closed" if status == "open" else status
                block = None
        elif line.strip(_BLANK):
            start, block, status = i, [line], "stray"
    if block is not None:
        yield start, _trimmed(block), status


_BLANK = " \t\x1a\ufeff"  # and Ctrl-Z, the end-of-file mark of old exports


def _trimmed(block: list[str]) -> list[str]:
    while len(block) > 1 and not block[-1].strip(_BLANK):
        block.pop()
    return block


def _logical(block: list[str]) -> list[str]:
    """Unfold continuation lines and quoted-printable soft line breaks; drop binary properties."""
    out: list[str] = []
    qp_open = False
    for line in block:
        if out and qp_open:
            out[-1] = out[-1][:-1] + line  # a soft line break: "=" then the line break
        elif out and line[:1] in (" ", "\t"):
            out[-1] += line[1:]
        elif line.strip():
            out.append(line)
        else:
            continue
        head, _, value = out[-1].partition(":")
        qp_open = "QUOTED-PRINTABLE" in head.upper() and value.endswith("=")
    v21 = any(re.fullmatch(r"VERSION:\s*2\.1\s*", ln.strip(), re.IGNORECASE) for ln in out)
    keep = []
    for line in out:
        head, sep, value = line.partition(":")
        if not sep:
            keep.append(line)  # vobject will say what is wrong with it
            continue
        name = re.split(r";", head, maxsplit=1)[0].rsplit(".", 1)[-1].upper()
        if name in _BINARY:
            continue
        params = head.split(";")
        if any(p.upper() in ("ENCODING=QUOTED-PRINTABLE", "QUOTED-PRINTABLE") for p in params):
            charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")),
                           "utf-8")
            try:
                value = quopri.decodestring(value.encode("utf-8")).decode(
                    charset, "replace")
            except LookupError:
                value = quopri.decodestring(value.encode("utf-8")).decode(
                    "utf-8", "replace")
            params = [p for p in params if p.upper() not in ("ENCODING=QUOTED-PRINTABLE",
                                                               "QUOTED-PRINTABLE")
                      and not p.upper().startswith("CHARSET=")]
            value = value.replace("\\", "\\\\").replace("\r\n", "\n").replace("\n", "\\n")
            v21 = True  # decoded text is never escaped: escape its commas below
        if name in _FREE_TEXT or (v21 and name != "CATEGORIES"):
            # commas are not separators in these values, yet vobject cuts at the first one
            value = re.sub(r"(?<!\\),", r"\\,", value)
        keep.append(";".join(params) + ":" + value)
    return keep


def _text(value) -> str | None:
    if isinstance(value, list):
        value = ";".join(str(v) for v in value if v)
    value = str(value).strip() if value is not None else ""
    return value or None


def _label(value: str) -> str | None:
    value = value.strip()
    m = _APPLE_LABEL.match(value)
    return (m.group(1) if m else value).strip() or None


def _card(block: list[str]) -> dict:
    import vobject  # imported here: only vCard imports need it

    card = vobject.readOne("\r\n".join(_logical(block)) + "\r\n", ignoreUnreadable=False)
    children = list(card.getChildren())
    labels: dict[str, str] = {}
    for ch in children:
        if ch.group and ch.name.upper() == "X-ABLABEL":
            lab = _label(str(ch.value))
            if lab:
                labels[ch.group.lower()] = lab
    emails: list[str] = []
    phones: list[str] = []
    tags: list[str] = []
    row: dict = dict.fromkeys(_COLUMNS)
    fn = n = None
    notes: list[str] = []
    for ch in children:
        name = ch.name.upper()
        value = ch.value
        if name == "FN":
            fn = _text(value)
        elif name == "N":
            n = " ".join(p for p in (_join(value.prefix), _join(value.given),
                                     _join(value.additional), _join(value.family),
                                     _join(value.suffix)) if p) or None
        elif name == "EMAIL":
            email = _text(value)
            if email and email.lower().startswith("mailto:"):
                email = email[7:]
            if email and email not in emails:
                emails.append(email)
        elif name == "TEL":
            tel = _text(value)
            if tel and tel.lower().startswith("tel:"):
                tel = tel[4:]
            if tel and tel not in phones:
                phones.append(tel)
        elif name == "ORG":
            parts = value if isinstance(value, list) else [value]
            row["company"] = _text(parts[0]) if parts else None
        elif name == "TITLE":
            row["title"] = _text(value)
        elif name == "ADR" and row["city"] is None and row["country"] is None:
            row["city"] = _text(getattr(value, "city", None))
            row["country"] = _text(getattr(value, "country", None))
        elif name == "CATEGORIES":
            items = value if isinstance(value, list) else str(value).split(",")
            tags.extend(t.strip() for t in items if t and t.strip())
        elif name in ("URL", "X-SOCIALPROFILE") and "linkedin.com" in str(value).lower():
            row["linkedin_url"] = row["linkedin_url"] or _text(value)
        elif name == "NOTE":
            note = _text(value)
            if note:
                notes.append(note)
        elif name == "UID":
            row["ext_id"] = _text(value)
        if ch.group and name in ("EMAIL", "TEL", "URL", "ADR", "X-SOCIALPROFILE"):
            lab = labels.get(ch.group.lower())
            if lab:
                tags.append(lab)
    row["name"] = clean_name(fn) or clean_name(n)  # an invisible FN falls back to N
    row["emails"] = emails
    row["phones"] = phones
    row["tags"] = list(dict.fromkeys(tags))
    row["notes"] = "\n".join(notes) or None
    for field in ("needs", "offers"):
        row[field] = []
    for m in _NEEDS_OFFERS.finditer(row["notes"] or ""):
        items = row[m.group(1).lower()]
        items.extend(i.strip() for i in m.group(2).split(";") if i.strip() and i.strip() not in items)
    return row


def _join(part) -> str:
    if isinstance(part, list):
        return " ".join(p for p in part if p)
    return part or ""
