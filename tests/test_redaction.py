"""--redact: no real name, email, phone, note or profile URL anywhere in the file."""

from __future__ import annotations

import re

import pytest

import netgraph as ng
from netgraph._errors import NetgraphError
from netgraph.report import html as report
from netgraph.report.redact import find_leaks, pseudonyms, secrets
from tests.test_report_tables import report_json

AS_OF = "2025-06-30"
PEOPLE = {
    # id: name, email, phone, company, city, linkedin, notes, cadence
    "me": ("Ottoline Featherstonehaugh", "ottoline@featherstone-secret.example", "+44 7700 900461",
           "Quillfeather Holdings", "Valparaiso Norte", "", "Prefers mornings before nine", ""),
    "zeb": ("Zebulon Quartermaine", "Zebulon.Q@Quartermaine.example", "+1 415 555 0199",
            "Brightwater Salvage", "Oxenhope", "https://www.linkedin.com/in/zebulon-quartermaine-x",
            "Allergic to peanuts; daughter Imogen", "7"),
    "xio": ("Xiomara Blackwood-Ng", "xiomara@blackwood.example", "+49 30 98765432",
            "Brightwater Salvage", "Oxenhope", "", "", ""),
    "tad": ("Thaddeus Okonkwo-Lindqvist", "thaddeus@marrowfield.example", "+33 6 12 34 56 78",
            "Marrowfield Labs", "Pontardawe", "", "Met at the Wexcombe retreat", ""),
    "pip": ("Philippa Grimsditch", "pip@quillfeather.example", "+44 161 496 0772",
            "Quillfeather Holdings", "Valparaiso Norte", "", "", ""),
}
NAMES = [p[0] for p in PEOPLE.values()]
EMAILS = [p[1] for p in PEOPLE.values()]
PHONES = [p[2] for p in PEOPLE.values()]
ORGS = sorted({p[3] for p in PEOPLE.values()} | {p[4] for p in PEOPLE.values()})
NOTES = ["Allergic to peanuts; daughter Imogen", "Met at the Wexcombe retreat",
         "Prefers mornings before nine", "Discuss the Hawthorne acquisition",
         "Secret merger talk about Hawthorne", "https://www.linkedin.com/in/zebulon-quartermaine-x"]


@pytest.fixture
def secret_store(store, write_csv):
    rows = "".join(f'{pid},{n},{e},{ph},{co},{ci},{li},"{no}",{cad}\n'
                   for pid, (n, e, ph, co, ci, li, no, cad) in PEOPLE.items())
    ng.import_file(store, write_csv(
        "contacts.csv", "id,name,email,phone,company,city,linkedin_url,notes,cadence_days\n" + rows))
    ng.set_me(store, "me")
    lines = ["date,from,to,kind,note"]
    for day in range(1, 29, 3):  # Zebulon: every few days until March, then silence
        for month in ("01", "02", "03"):
            lines.append(f"2025-{month}-{day:02d},me,zeb,call,")
    for month in ("01", "02", "03", "04", "05", "06"):
        for day in ("03", "10", "17", "24"):
            lines += [f"2025-{month}-{day},me,xio,meeting,", f"2025-{month}-{day},me,pip,call,",
                      f"2025-{month}-{day},zeb,tad,meeting,", f"2025-{month}-{day},pip,tad,email,"]
    ng.import_file(store, write_csv("interactions.csv", "\n".join(lines) + "\n"))
    ng.import_file(store, write_csv(
        "introductions.csv", "date,introducer,a,b,status,value,note\n"
        "2025-02-10,me,zeb,xio,made,,Secret merger talk about Hawthorne\n"))
    ng.import_file(store, write_csv(
        "followups.csv", "due,person,note,status\n2025-06-01,zeb,Discuss the Hawthorne acquisition,open\n"))
    return store


TARGETS = ["thaddeus@marrowfield.example", "company:Marrowfield Labs", "city:Oxenhope"]


def _found(html: str, values: list[str]) -> list[str]:
    folded = html.casefold()
    return [v for v in values if v.casefold() in folded]


def _digits_found(html: str) -> list[str]:
    digits = re.sub(r"\D", "", html)
    return [p for p in PHONES if re.sub(r"\D", "", p) in digits]


def test_unredacted_report_shows_what_redaction_must_hide(secret_store, tmp_path):
    """The leaks the redacted test looks for are real: without --redact they are there."""
    out = report.build_report(secret_store, as_of=AS_OF, out=tmp_path / "plain.html",
                              targets=TARGETS)
    html = out.read_text()
    assert _found(html, NAMES) == NAMES
    assert "you introduced them to Xiomara Blackwood-Ng" in html  # a name inside a reason
    assert "Discuss the Hawthorne acquisition" in html             # a follow-up note
    assert _found(html, ORGS) == ORGS


@pytest.mark.parametrize("keep_org", [False, True])
def test_redacted_report_leaks_nothing(secret_store, tmp_path, keep_org):
    out = report.build_report(secret_store, as_of=AS_OF, out=tmp_path / "red.html",
                              targets=TARGETS, redact=True, keep_org=keep_org)
    html = out.read_text()
    assert _found(html, NAMES) == []
    assert _found(html, [n.split()[0] for n in NAMES]) == []  # not even first names
    assert _found(html, EMAILS) == []
    assert _found(html, PHONES) == [] and _digits_found(html) == []
    assert _found(html, NOTES) == []
    assert "Hawthorne" not in html and "Imogen" not in html
    assert _found(html, ORGS) == (ORGS if keep_org else [])
    data = report_json(out)
    # the sections are still there, told with pseudonyms
    neglected = next(t for t in data["tables"] if t["id"] == "neglected")
    assert any("you introduced them to Contact " in r["reason"] for r in neglected["rows"])
    assert {t["label"] for t in data["paths"]["targets"]} >= {"Contact 4"}
    assert all(t["rows"] or t["advice"] for t in data["paths"]["targets"])
    assert data["nodes"] and all(re.fullmatch(r"Contact \d+", n["name"]) for n in data["nodes"])
    assert "Names hidden" in " ".join(data["footer"])


def test_pseudonyms_are_stable_and_follow_person_id_order(secret_store, tmp_path):
    names = pseudonyms(secret_store)
    ids = sorted(names)
    assert [names[i] for i in ids] == [f"Contact {k}" for k in range(1, len(ids) + 1)]
    first = report_json(report.build_report(secret_store, as_of=AS_OF, out=tmp_path / "a.html",
                                            redact=True))
    second = report_json(report.build_report(secret_store, as_of=AS_OF, out=tmp_path / "b.html",
                                             redact=True))
    assert {n["id"]: n["name"] for n in first["nodes"]} == {n["id"]: n["name"] for n in second["nodes"]}
    assert all(n["name"] == names[int(n["id"][1:])] for n in first["nodes"])


def test_the_page_checks_itself_before_writing(secret_store, tmp_path):
    """A real name that slips in (here through the title) stops the report; nothing is written."""
    out = tmp_path / "leak.html"
    with pytest.raises(NetgraphError, match="real names"):
        report.build_report(secret_store, as_of=AS_OF, out=out, redact=True,
                            title="For Zebulon Quartermaine")
    assert not out.exists()


def test_find_leaks_knows_every_kind_of_secret(secret_store):
    found = secrets(secret_store)
    assert set(NAMES) <= set(found.names)
    assert {e.lower() for e in EMAILS} <= {e.lower() for e in found.emails}
    assert set(PHONES) <= set(found.phones)
    text = "ring +1 415 555 0199 or mail zebulon.q@quartermaine.example about peanuts"
    kinds = {k for k, _ in find_leaks(text, found)}
    assert kinds == {"phones", "emails"}
    assert find_leaks("Contact 2 and Contact 3", found) == []
