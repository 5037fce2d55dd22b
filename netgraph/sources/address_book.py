"""Address-book CSV exports: Google Contacts (current and legacy header) and Outlook.

Public API: :func:`parse` (``path -> ParsedFile`` of kind ``contacts``), :func:`looks_like`
and :func:`which` (``"google"``, ``"google_legacy"``, ``"outlook"`` or None) for detection.

* Google: every ``E-mail N - Value`` and ``Phone N - Value`` column is read and multi-value
  cells are split on `` ::: ``; ``Labels`` (current) or ``Group Membership`` (legacy) become
  tags, without ``* myContacts`` and with the ``* `` of system groups (``* starred``) removed;
  a ``Website`` value on linkedin.com becomes the LinkedIn URL.
* Outlook: ``E-mail Address``, ``E-mail 2 Address``, ``E-mail 3 Address``, the phone columns,
  ``Company``, ``Job Title`` (Outlook's ``Title`` is Mr/Ms and is ignored), ``Categories``
  (split on ``;``) as tags, business then home city and country.

A UTF-8 byte-order mark is accepted. A row with neither a name nor an email address is
rejected; a row with an address but no name is named after the address.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from netgraph.sources.base import ParsedFile
from netgraph.sources.csv_table import csv_records
from netgraph.sources.export_csv import (
    clean_emails,
    clean_name,
    contacts_file,
    header_key,
    profile_url,
    read_table,
)

__all__ = ["looks_like", "parse", "which"]

MULTI = " ::: "


def _kind(cols: set[str]) -> str | None:
    if "e-mail 1 - value" in cols or "phone 1 - value" in cols:
        if "first name" in cols:
            return "google"
        if "name" in cols or "given name" in cols:
            return "google_legacy"
    if {"first name", "last name", "e-mail address"} <= cols:
        return "outlook"
    return None


def which(text_head: str) -> str | None:
    """Which address-book export the first lines are from, or None."""
    recs = csv_records(text_head.lstrip("\ufeff"))
    return _kind({header_key(f) for f in recs[0].fields}) if recs else None


def looks_like(text_head: str) -> bool:
    """True when the first line is a Google Contacts or Outlook CSV header."""
    return which(text_head) is not None


def _multi(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(":::") if v.strip()]


def _numbered(cells: dict[str, str], pattern: str) -> list[str]:
    rx = re.compile(pattern)
    cols = sorted((int(m.group(1)), k) for k in cells if (m := rx.fullmatch(k)))
    return [v for _, k in cols for v in _multi(cells[k])]


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _tags(values: list[str]) -> list[str]:
    out = []
    for v in values:
        if v.lower() in ("* mycontacts", "mycontacts"):
            continue
        out.append(v[2:].strip() if v.startswith("* ") else v)
    return _dedupe(out)


def _google(c: dict[str, str], legacy: bool) -> dict[str, Any]:
    if legacy:
        name = clean_name(c.get("name")) or clean_name(
            c.get("given name"), c.get("additional name"), c.get("family name"))
        company, title = c.get("organization 1 - name"), c.get("organization 1 - title")
        tags = _tags(_multi(c.get("group membership")))
    else:
        name = clean_name(c.get("first name"), c.get("middle name"), c.get("last name"))
        company, title = c.get("organization name"), c.get("organization title")
        tags = _tags(_multi(c.get("labels")))
    name = name or clean_name(c.get("nickname")) or clean_name(c.get("file as"))
    sites = _numbered(c, r"website (\d+) - value")
    linkedin = next((u for u in map(profile_url, sites) if u), None)
    return {
        "name": name,
        "emails": clean_emails(_numbered(c, r"e-mail (\d+) - value")),
        "phones": _dedupe(_numbered(c, r"phone (\d+) - value")),
        "company": _first(company), "title": _first(title),
        "city": _first(c.get("address 1 - city")), "country": _first(c.get("address 1 - country")),
        "tags": tags, "linkedin_url": linkedin, "notes": c.get("notes") or None,
    }


_OUTLOOK_PHONES = ("mobile phone", "business phone", "business phone 2", "home phone",
                   "home phone 2", "primary phone", "other phone", "car phone",
                   "company main phone")


def _outlook(c: dict[str, str]) -> dict[str, Any]:
    emails = [c.get("e-mail address"), c.get("e-mail 2 address"), c.get("e-mail 3 address")]
    return {
        "name": clean_name(c.get("first name"), c.get("middle name"), c.get("last name"))
        or clean_name(c.get("nickname")),
        "emails": clean_emails(emails),
        "phones": _dedupe([(c.get(k) or "").strip() for k in _OUTLOOK_PHONES]),
        "company": c.get("company") or None, "title": c.get("job title") or None,
        "city": c.get("business city") or c.get("home city") or None,
        "country": c.get("business country/region") or c.get("home country/region") or None,
        "tags": _dedupe([t.strip() for t in (c.get("categories") or "").split(";")]),
        "notes": c.get("notes") or None,
    }


def _first(value: str | None) -> str | None:
    values = _multi(value)
    return values[0] if values else None


def parse(path: str | Path) -> ParsedFile:
    """Parse a Google Contacts or Outlook CSV export into contacts."""
    found: dict[str, str] = {}

    def is_header(cols: set[str]) -> bool:
        kind = _kind(cols)
        if kind:
            found["kind"] = kind
        return kind is not None

    table = read_table(path, is_header, "Google Contacts or Outlook CSV", max_preamble=1)
    kind = found["kind"]
    raw = table.source.raw
    damage = table.tf.damage  # bytes that are not text: the record is damaged, whatever else it has
    rows, bad = [], [(line, text, damage(line, text) or why) for line, text, why in table.bad]
    for line, cells in table.rows:
        rec = _outlook(cells) if kind == "outlook" else _google(cells, kind == "google_legacy")
        if why := damage(line, raw[line]):
            bad.append((line, raw[line], why))
            continue
        if rec["name"] is None and not rec["emails"]:
            bad.append((line, raw[line], "no name and no email address"))
            continue
        rec["name"] = rec["name"] or rec["emails"][0]
        rows.append({"line": line, **rec})
    label = {"google": "Google Contacts CSV", "google_legacy": "Google Contacts CSV (legacy)",
             "outlook": "Outlook CSV"}[kind]
    return contacts_file(table, rows, bad, [f"read as {label}"])

