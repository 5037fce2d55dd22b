"""The mbox parser streams: its memory follows the headers it keeps, not the file's bytes."""

from __future__ import annotations

import base64
import random
import re
import tracemalloc
from pathlib import Path

from netgraph.sources import mbox

ME = "me@example.com"
TARGET_BYTES = 30 * 2**20


def _write_mailbox(path: Path, seed: int = 5) -> tuple[int, int]:
    """A ~30 MB mailbox with most bytes in bodies and base64 attachments.

    Returns (regular messages, mailing-list messages). Body lines that start with ``From `` are
    escaped as ``>From `` (mboxrd), as a mail client would write them.
    """
    rng = random.Random(seed)
    blob = base64.encodebytes(rng.randbytes(3 * 2**20)).decode("ascii")  # 76-char lines
    para = ("From the notes of our call: the budget, the launch and the hiring plan.\n"
            + "lorem ipsum dolor sit amet, café naïve über " * 6 + "\n")
    text = re.sub(r"(?m)^From ", ">From ", "\n".join([para] * 40))
    regular = bulk = 0
    written = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        while written < TARGET_BYTES:
            n = regular + bulk
            day = 1 + n % 28
            sender, to = (ME, f"p{n % 97}@example.org") if n % 2 else (f"p{n % 89}@example.net", ME)
            head = [f"From {sender} Mon Mar {day:02d} 09:00:00 2025",
                    f"From: =?utf-8?q?J=C3=BCrgen_{n}?= <{sender}>", f"To: {to}",
                    f"Cc: Ana <ana{n % 13}@example.com>",
                    f"Date: Mon, {day:02d} Mar 2025 09:{n % 60:02d}:00 +0100",
                    f"Subject: message {n}", f"Message-ID: <{n}@example.net>"]
            if n % 20 == 7:
                head.append("List-Id: <dev.lists.example.org>")
                bulk += 1
            else:
                regular += 1
            if n % 4 == 0:  # a large base64 attachment
                size = rng.randrange(20_000, 400_000)
                start = rng.randrange(0, len(blob) - size)
                start -= start % 77  # whole lines
                body = (f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n'
                        f"Content-Type: text/plain\n\n{text}\n--b{n}\n"
                        f"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\n"
                        f"{blob[start:start + size]}\n--b{n}--\n")
            else:
                body = f"Content-Type: text/plain; charset=utf-8\n\n{text}\n"
            message = "\n".join(head) + "\n" + body + "\n"
            fh.write(message)
            written += len(message.encode("utf-8"))
    return regular, bulk


def test_parse_memory_does_not_follow_file_size(tmp_path):
    path = tmp_path / "big.mbox"
    regular, bulk = _write_mailbox(path)
    size = path.stat().st_size
    assert size >= TARGET_BYTES

    tracemalloc.start()
    try:
        pf = mbox.parse(path, my_emails=[ME])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert len(pf.rows) == regular
    assert len(pf.rejects) == 0
    assert pf.notes[0].startswith(f"skipped {bulk} mailing-list or bulk message(s)")
    assert set(pf.rows["from_name"].dropna()) >= {"Jürgen 0"}
    assert peak < 20 * 2**20, f"parse peak {peak / 2**20:.1f} MB for a {size / 2**20:.0f} MB file"
    assert peak < size / 3
