"""Headless Chromium (Debian's package) driven by Playwright, for tests of real report pages.

The tests skip, saying why, when chromium is not installed (``make test`` installs it with apt
where it can). Playwright never downloads a browser here: it is pointed at /usr/bin/chromium.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (make test installs it with apt where "
                    "apt is available); browser tests skipped")
    return path


@dataclass
class PageLog:
    """What a page did while open: requests beyond the file itself, console errors, dialogs."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def open_page(path: Path, *, width: int = 1400, height: int = 900) -> Iterator[tuple[object, PageLog]]:
    """Open a local HTML file in headless chromium; yield (page, log)."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    log = PageLog()
    url = path.resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("request", lambda r: log.requests.append(r.url) if r.url != url else None)
            page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: log.page_errors.append(str(e)))

            def on_dialog(d):
                log.dialogs.append(d.message)
                d.dismiss()

            page.on("dialog", on_dialog)
            page.goto(url)
            page.wait_for_selector("body[data-drawn='1']", timeout=30_000)
            yield page, log
        finally:
            browser.close()


CANVAS_INK = """
() => {
  const c = document.querySelector('#network canvas');
  const ctx = c.getContext('2d');
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 0 && (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235)) { ink++; }
  }
  return ink;
}
"""


def hover_node(page, node_id) -> str:
    """Zoom onto a node, move the mouse over it and return the tooltip's text."""
    page.evaluate("id => window.netgraphNetwork.focus(id, {scale: 4, animation: false})", node_id)
    page.wait_for_timeout(100)
    box = page.eval_on_selector(
        "#network", "e => { const r = e.getBoundingClientRect(); return [r.x, r.y]; }"
    )
    xy = page.evaluate(
        "id => { const n = window.netgraphNetwork; const p = n.getPositions([id])[id];"
        " const d = n.canvasToDOM(p); return [d.x, d.y]; }",
        node_id,
    )
    page.mouse.move(box[0] + xy[0] + 20, box[1] + xy[1] + 20)
    page.mouse.move(box[0] + xy[0], box[1] + xy[1], steps=5)
    tip = page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10_000)
    return tip.inner_text()
