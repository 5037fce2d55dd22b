"""Sent mail read for promises beside the scan, in a worker process: the same promises, always.

A large mailbox has its sent mail read in a second process (``netgraph.sources.mail_promises``).
What it finds must equal reading it in the scan, also when the worker dies or cannot start,
and a user's script that imports mail must not run twice (as it would under multiprocessing's
'spawn', which imports the caller's main module again).
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import ClassVar

import pytest

from netgraph.sources import mail_promises, mbox

ME = "me@x.io"
_SAYINGS = ["Let's grab coffee next Tuesday.", "I'll send you the deck by Friday.",
            "Happy to introduce you to Sam.", "See the notes below.", "We should do lunch soon.",
            "Thanks for the chat yesterday."]


def _mail(i: int) -> str:
    """Mail number ``i``: mostly from me, plain, quoted-printable or base64, some promising."""
    saying = _SAYINGS[i % len(_SAYINGS)]
    sender = ME if i % 5 else "dana@y.org"
    to = "dana@y.org" if sender == ME else ME
    head = (f"From {sender} Wed Mar  4 10:00:00 2026\nFrom: <{sender}>\nTo: <{to}>\n"
            f"Subject: note {i}\nDate: Wed, 04 Mar 2026 10:{i % 60:02d}:00 +0000\n")
    if i % 3 == 0:
        body = base64.b64encode(f"Hi,\n\n{saying}\n".encode()).decode()
        return (head + 'Content-Type: multipart/alternative; boundary="b"\n\n--b\n'
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
                f"{body}\n--b--\n\n")
    if i % 3 == 1:
        return head + f"Content-Type: text/plain; charset=utf-8\n\nHi,\n\n{saying}\n\n> I'll send it.\n\n"
    return head + f"Content-Type: text/plain; charset=utf-8\n\n{saying}\n--\nMe\nLet's do lunch!\n\n"


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mail") / "sent.mbox"
    path.write_text("".join(_mail(i) for i in range(300)), encoding="utf-8")
    return path


def _bodies(path: Path) -> list:
    """Each row's promises, None where there are none."""
    return [b if isinstance(b, str) else None for b in mbox.parse(path, my_emails=[ME]).rows["body"]]


@pytest.fixture(scope="module")
def read_in_the_scan(mailbox: Path) -> list:
    bodies = _bodies(mailbox)
    assert sum(b is not None for b in bodies) == 160  # 240 mails from me, 4 in 6 promise (base64 too)
    assert "I'll send it" not in "".join(b for b in bodies if b)  # quoted: no promise
    return bodies


class _Seen(mail_promises._Worker):
    """The real worker, remembering each process started."""

    started: ClassVar[list[subprocess.Popen]] = []

    def __init__(self) -> None:
        super().__init__()
        self.started.append(self.proc)


@pytest.fixture
def worker_always(monkeypatch: pytest.MonkeyPatch) -> type[_Seen]:
    monkeypatch.setattr(mail_promises, "WORKER_ABOVE_BYTES", 0)
    monkeypatch.setattr(mail_promises, "_cores", lambda: 2)
    monkeypatch.setattr(mail_promises, "BATCH", 7)  # several batches, and one cut short
    monkeypatch.setattr(_Seen, "started", [])
    monkeypatch.setattr(mail_promises, "_Worker", _Seen)
    return _Seen


def test_a_worker_finds_what_the_scan_finds_and_stops(mailbox, read_in_the_scan, worker_always):
    assert _bodies(mailbox) == read_in_the_scan
    assert len(worker_always.started) == 1
    assert worker_always.started[0].returncode is not None  # it ended with the scan


def test_a_worker_that_dies_loses_no_promise(mailbox, read_in_the_scan, worker_always,
                                             monkeypatch: pytest.MonkeyPatch):
    sent = []

    def send_then_die(self, seq, jobs):
        sent.append(seq)
        if len(sent) == 5:
            self.proc.kill()
            self.proc.wait()
        super(_Seen, self).send(seq, jobs)

    monkeypatch.setattr(_Seen, "send", send_then_die)
    assert _bodies(mailbox) == read_in_the_scan
    assert len(sent) == 5  # the fifth write found the worker dead: the rest was read here


def test_no_process_can_start_and_the_scan_reads_it_all(mailbox, read_in_the_scan, worker_always,
                                                        monkeypatch: pytest.MonkeyPatch):
    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(mail_promises.subprocess, "Popen", refuse)
    assert _bodies(mailbox) == read_in_the_scan
    assert worker_always.started == []


def test_a_script_without_a_main_guard_runs_once(mailbox: Path, read_in_the_scan, tmp_path: Path):
    ran = tmp_path / "ran.txt"
    script = tmp_path / "mine.py"
    script.write_text(textwrap.dedent(f"""\
        from netgraph.sources import mail_promises, mbox
        mail_promises.WORKER_ABOVE_BYTES = 0
        mail_promises._cores = lambda: 2
        with open({str(ran)!r}, "a") as fh:
            fh.write("ran\\n")
        rows = mbox.parse({str(mailbox)!r}, my_emails=[{ME!r}]).rows
        print(rows["body"].notna().sum())
        """), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == sum(b is not None for b in read_in_the_scan)
    assert ran.read_text(encoding="utf-8") == "ran\n"  # the worker did not run the script again


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_garbled_answer_loses_no_promise_and_shows_no_traceback(
        mailbox, read_in_the_scan, worker_always, monkeypatch: pytest.MonkeyPatch, capfd):
    import threading

    class Garbled(mail_promises._Worker):
        """A child that answers with bytes that are no pickle, then reads all it is sent."""

        def __init__(self) -> None:
            junk = "import sys; sys.stdout.buffer.write(b'\\x00\\x00\\x00\\x05junk!'); " \
                   "sys.stdout.flush(); sys.stdin.buffer.read()"
            self.proc = subprocess.Popen([sys.executable, "-c", junk], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            self.answers = {}
            self.reader = threading.Thread(target=self._drain, daemon=True)
            self.reader.start()

    monkeypatch.setattr(mail_promises, "_Worker", Garbled)
    assert _bodies(mailbox) == read_in_the_scan
    assert "Traceback" not in capfd.readouterr().err  # the reading thread stopped quietly
