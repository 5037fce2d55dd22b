"""The report in a real headless Chromium: offline, drawn, tooltips, and names that are code."""

from __future__ import annotations

import pytest

import netgraph as ng
from tests.browser import CANVAS_INK, hover_node, open_page

pytestmark = pytest.mark.browser

EVIL = [
    "<img src=x onerror=\"window.__pwned=1\">",
    "</script><script>window.__pwned=2</script>",
    "Dana <a href='javascript:window.__pwned=3'>href</a>",
    "{{ title }} $data ${vis_js}",
]


@pytest.fixture
def evil_report(store, tmp_path, write_csv):
    contacts = "name,company,title\n" + "".join(
        f'"{n.replace(chr(34), chr(34) * 2)}",Evil Corp,"<b>boss</b> href"\n' for n in EVIL
    ) + "Plain Person,Good Co,CEO\n"
    ng.import_file(store, write_csv("c.csv", contacts))
    lines = ["date,from,to,kind,note"]
    everyone = [*EVIL, "Plain Person"]
    for i, a in enumerate(everyone):
        for b in everyone[i + 1:]:
            qa, qb = (x.replace('"', '""') for x in (a, b))
            lines.append(f'2025-01-0{1 + i},"{qa}","{qb}",meeting,')
    ng.import_file(store, write_csv("i.csv", "\n".join(lines) + "\n"))
    G = ng.load_graph(store, as_of="2025-12-31")
    out = ng.write_report(G, tmp_path / "evil.html", summary=ng.summary(store, G))
    return out, G


def test_names_that_look_like_code_stay_text(evil_report):
    path, G = evil_report
    html = path.read_text()
    for name in EVIL[:3]:
        assert name not in html  # never written raw into the page
    with open_page(path) as (page, log):
        assert page.evaluate("window.__pwned") is None
        assert log.dialogs == []
        assert log.page_errors == []
        node = next(n for n, d in G.nodes(data=True) if d["name"] == EVIL[0])
        tip = hover_node(page, f"p{node}")
        assert EVIL[0] in tip  # shown literally, as text
        assert page.evaluate("window.__pwned") is None


def test_report_is_offline_and_drawn(evil_report):
    path, _ = evil_report
    with open_page(path) as (page, log):
        page.wait_for_timeout(300)
        assert log.requests == []
        assert log.console_errors == []
        assert page.evaluate(CANVAS_INK) > 500
        assert page.locator(".figure").count() >= 4
