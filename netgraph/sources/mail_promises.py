"""The promises in mail I sent: its first plain-text part, read by :mod:`netgraph.promises`.

:func:`may_promise` looks at the raw start of a body for a promise's words (C searches only),
or for base64, whose words show only once decoded; :func:`promises_of` reads a mail that may
promise: a plain-text body as it is, any other for its first text/plain part
(:func:`first_plain_part`, or the whole parser when the parts are nested or cut), and keeps
the sentences that promise, one paragraph each.

A mailbox's sent mail is read by a :class:`PromiseReader`. In a large mailbox on a machine with
more than one core it reads in a second process while the mailbox is still being scanned, in
batches of :data:`BATCH` mails: what the reader finds is the same, it is only found beside the
scan rather than in it. The worker imports this module and :mod:`netgraph.promises` only. If a
worker cannot be started or fails, the batches it did not read are read here: no mail loses its
promises, and nothing waits on a dead process.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import pickle
import quopri
import struct
import subprocess
import sys
import threading
from datetime import datetime
from email.message import Message
from email.parser import BytesParser, Parser
from email.policy import compat32
from pathlib import Path
from typing import Any, BinaryIO

from netgraph.promises import TRIGGER_WORDS, find_promises, has_trigger

__all__ = ["BATCH", "BODY_BYTES", "WORKER_ABOVE_BYTES", "PromiseReader", "first_plain_part",
           "header_text", "may_promise", "promises_of"]

log = logging.getLogger(__name__)

#: The start of each body read for promises (sent mail puts what it promises near the top).
BODY_BYTES = 4 * 1024
#: A mailbox at least this large has its sent mail read in a second process, where there is a
#: second core: below it, starting the process costs more than it saves.
WORKER_ABOVE_BYTES = 32 * 1024 * 1024
#: Mails per batch sent to the worker.
BATCH = 64
#: The words of :data:`netgraph.promises.TRIGGER_WORDS`, as the bytes of a body: a body with
#: none of them holds no promise, and is not read further.
_PROMISE_WORDS = tuple(w.encode("utf-8") for w in TRIGGER_WORDS)
_HEADERS = Parser(policy=compat32)  # a part's headers, in a multipart body read for promises

Job = tuple[bytes, bytes, datetime]  # a mail's header block, the start of its body, when it was sent


def _encoded(msg: Message, body: bytes) -> bool:
    """Whether the mail's text may be base64: its words cannot be seen in its raw bytes."""
    encoding = str(msg.get("Content-Transfer-Encoding", "")).strip().lower()
    return encoding == "base64" or (msg.get_content_maintype() == "multipart"
                                    and b"base64" in body.lower())


def may_promise(msg: Message, body: bytes) -> bool:
    r"""Whether a mail (``msg`` its headers, ``body`` the start of its body) may hold a promise.

    It has a promise's word in its raw bytes, found with C searches; or its text may be base64,
    where no word shows before it is decoded.

    >>> from email import message_from_string
    >>> plain = message_from_string("Subject: hi\n\n")
    >>> may_promise(plain, b"See the slides below."), may_promise(plain, b"I'll send the deck.")
    (False, True)
    >>> may_promise(message_from_string("Content-Transfer-Encoding: base64\n\n"), b"SSdsbCBzZW5k")
    True
    """
    low = body.lower()
    return any(word in low for word in _PROMISE_WORDS) or _encoded(msg, body)


def header_text(head: bytes) -> str:
    """A message's header block as text, without its mbox ``From`` line.

    UTF-8, or Windows-1252 where raw 8-bit headers are not UTF-8.
    """
    block = head.split(b"\n", 1)[1] if b"\n" in head else b""
    try:
        return block.decode("utf-8")
    except UnicodeDecodeError:
        return block.decode("cp1252", "replace")


def promises_of(msg: Message, head: bytes, body: bytes, when: datetime) -> str | None:
    """The sentences of a mail I sent that promise something, one paragraph each, or None.

    ``msg`` holds the mail's headers, ``head`` their bytes and ``body`` the start of its body. A
    plain-text mail (no parts, no transfer encoding) is read as it is (:func:`find_promises`
    first looks for a trigger); any other, when its raw body has a trigger, is parsed for its
    first text/plain part.
    """
    encoding = str(msg.get("Content-Transfer-Encoding", "")).strip().lower()
    if msg.get_content_type() == "text/plain" and encoding not in ("base64", "quoted-printable"):
        charset = msg.get_content_charset() or "utf-8"
        try:
            text: str | None = body.decode(charset, "replace")
        except LookupError:  # an unknown charset name
            text = body.decode("utf-8", "replace")
    elif not _encoded(msg, body) and not has_trigger(body.decode("utf-8", "replace")):
        text = None  # no part is parsed for nothing
    else:
        text = None
        if msg.get_content_maintype() == "multipart":
            text = first_plain_part(msg, body)
        if text is None:
            text = _plain_text(head + b"\n" + body)
    found = find_promises(text, when) if text else []
    return "\n\n".join(p.sentence for p in found) or None


def first_plain_part(msg: Message, body: bytes) -> str | None:
    """The first text/plain part of a multipart body, read without parsing the whole message.

    The body is cut at the parts' boundary; each part's few headers are parsed on their own.
    None when there is no such part, or the body does not have the shape a boundary promises.
    """
    boundary = msg.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return None
    for part in body.split(b"--" + boundary.encode("ascii", "replace"))[1:]:
        if part.startswith(b"--"):  # the closing delimiter: no part after it
            return None
        head, sep, text = part.lstrip(b"\r\n").partition(b"\n\n")
        if not sep:
            head, sep, text = part.lstrip(b"\r\n").partition(b"\r\n\r\n")
        headers = _HEADERS.parsestr(head.decode("ascii", "replace"), headersonly=True)
        if headers.get_content_maintype() == "multipart":  # nested: the whole parser reads it
            return None
        if headers.get_content_type() != "text/plain":
            continue
        encoding = str(headers.get("Content-Transfer-Encoding", "")).strip().lower()
        if encoding == "quoted-printable":
            text = quopri.decodestring(text)
        elif encoding == "base64":  # cut at BODY_BYTES: the whole 4-character groups are read
            data = b"".join(text.split())
            try:
                text = base64.b64decode(data[:len(data) - len(data) % 4], validate=False)
            except ValueError:
                return None
        charset = headers.get_content_charset() or "utf-8"
        try:
            return text.decode(charset, "replace")
        except LookupError:  # an unknown charset name
            return text.decode("utf-8", "replace")
    return None


def _plain_text(message: bytes) -> str | None:
    """The text of a mail (its headers and the start of its body): its first text/plain part.

    A part cut short by :data:`BODY_BYTES` gives what it holds. None when it has no readable text.
    """
    try:
        msg = BytesParser(policy=compat32).parsebytes(message)
        for part in msg.walk():
            if part.get_content_type() == "text/plain" and not part.is_multipart():
                payload = part.get_payload(decode=True) or b""
                charset = part.get_content_charset() or "utf-8"
                try:
                    return payload.decode(charset, "replace")
                except LookupError:  # an unknown charset name
                    return payload.decode("utf-8", "replace")
    except Exception:  # a damaged body: its mail still loads, without promises
        return None
    return None


def read_batch(jobs: list[Job]) -> list[str | None]:
    """:func:`promises_of` for each mail of a batch, its headers parsed here (the worker's task)."""
    parser = Parser(policy=compat32)
    return [promises_of(parser.parsestr(header_text(head), headersonly=True), head, body, when)
            for head, body, when in jobs]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Worker:
    """``python -m netgraph.sources.mail_promises``: reads batches on its stdin, answers on its stdout.

    A plain child process, not :mod:`multiprocessing`: a spawned process imports the caller's
    main module again, and a user's script that imports mail would run twice. Each message is a
    4-byte length and a pickle (the child is this module, trusted). A thread drains the answers,
    so neither side ever waits on a full pipe.
    """

    def __init__(self) -> None:
        if not sys.executable:  # an embedded interpreter: no Python to start
            msg = "no Python executable to start a worker with"
            raise OSError(msg)
        root = str(Path(__file__).resolve().parents[2])  # where this netgraph was found
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "netgraph.sources.mail_promises"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.answers: dict[int, list[str | None]] = {}
        self.reader = threading.Thread(target=self._drain, name="netgraph-promises", daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        while True:
            try:
                message = _receive(self.proc.stdout)
            except Exception:  # a garbled answer: what it leaves unanswered is read in the scan
                log.info("Stopped reading the promise worker's answers: one was garbled")
                return
            if message is None:
                return
            seq, found = message
            self.answers[seq] = found

    def send(self, seq: int, jobs: list[Job]) -> None:
        assert self.proc.stdin is not None
        _write(self.proc.stdin, (seq, jobs))

    def finish(self) -> dict[int, list[str | None]]:
        """Every answer the worker gave, once it has read all it was sent (or died)."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()  # type: ignore[union-attr]
        self.reader.join()
        self.stop()
        return self.answers

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                pipe.close()  # type: ignore[union-attr]


_LENGTH = struct.Struct(">I")


def _write(pipe: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)) + data)
    pipe.flush()


def _receive(pipe: BinaryIO) -> Any:
    """The next message on ``pipe``, or None at its end (or a message cut short)."""
    head = pipe.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    data = pipe.read(size)
    return pickle.loads(data) if len(data) == size else None


def _serve() -> None:
    """The worker: answer each batch on stdin with its promises, until stdin ends.

    The answers go on a copy of stdout; stdout itself (the descriptor and ``sys.stdout``) is
    pointed at stderr, so a stray print cannot break a message.
    """
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a library writing to fd 1 goes to stderr
    sys.stdout = sys.stderr
    while (message := _receive(sys.stdin.buffer)) is not None:
        seq, jobs = message
        _write(answers, (seq, read_batch(jobs)))


class PromiseReader:
    """Reads the sent mail of one mailbox for promises: here, or beside the scan in a worker.

    :meth:`add` takes each mail that may promise, under a key; :meth:`results` gives each key's
    promises once the mailbox is read. Use it as a context manager, so that a worker stops
    whatever happens to the scan.

    Parameters
    ----------
    size : int
        The mailbox's size in bytes: a worker is used from :data:`WORKER_ABOVE_BYTES` on, where
        there is more than one core.
    """

    def __init__(self, size: int) -> None:
        self._use_worker = size >= WORKER_ABOVE_BYTES and _cores() > 1
        self._worker: _Worker | None = None
        self._found: dict[int, str | None] = {}
        self._batch: list[tuple[int, Job]] = []
        self._sent: dict[int, list[tuple[int, Job]]] = {}  # batches the worker has not answered
        self._seq = 0

    def __enter__(self) -> PromiseReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(self, key: int, msg: Message, head: bytes, body: bytes, when: datetime) -> None:
        """Read one mail (``msg`` its parsed headers, ``head`` their bytes), now or in the worker."""
        if not self._use_worker:
            self._found[key] = promises_of(msg, head, body, when)
            return
        self._batch.append((key, (head, body, when)))
        if len(self._batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        batch, self._batch = self._batch, []
        if not batch:
            return
        try:
            if self._worker is None:
                self._worker = _Worker()
            self._take(self._worker.answers)  # memory stays flat: answered batches are let go
            self._worker.send(self._seq, [job for _, job in batch])
            self._sent[self._seq] = batch
            self._seq += 1
        except (OSError, ValueError, subprocess.SubprocessError) as exc:  # no process here, or it died
            log.info("Reading sent mail for promises in this process: the worker failed (%s)", exc)
            self._use_worker = False
            self._read_here(batch)

    def _read_here(self, batch: list[tuple[int, Job]]) -> None:
        found = read_batch([job for _, job in batch])
        self._found.update(zip((key for key, _ in batch), found, strict=True))

    def _take(self, answers: dict[int, list[str | None]]) -> None:
        """Keep the answers that came, for the batches sent."""
        for seq in [seq for seq in self._sent if seq in answers]:
            batch, found = self._sent.pop(seq), answers.pop(seq)
            if len(found) == len(batch):
                self._found.update(zip((key for key, _ in batch), found, strict=True))
            else:  # never so, but a batch is never lost
                self._read_here(batch)

    def results(self) -> dict[int, str | None]:
        """Each key's promises (None where a mail promised nothing), once every mail is added."""
        if self._worker is None:  # fewer than a batch: not worth a process
            self._read_here(self._batch)
            self._batch = []
        elif self._use_worker:
            self._send()
        if self._worker is not None:
            self._take(self._worker.finish())
            self._worker = None
        for batch in self._sent.values():  # the worker died before answering them
            self._read_here(batch)
        self._sent = {}
        return self._found

    def close(self) -> None:
        """Stop the worker, if one is running; what it was still reading is dropped."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None


if __name__ == "__main__":
    _serve()
