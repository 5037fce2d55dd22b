"""Run one measured step in a fresh Python process and bring back its numbers.

The parent calls :func:`run_step` with ``"module:function"`` and JSON-able keyword arguments.
The child (``python -m bench._child TARGET KWARGS_JSON OUT_PATH``) imports the module, calls
the function, adds its own peak resident memory and writes the resulting dict as JSON to
``OUT_PATH``. A step function times its own work with :func:`time.perf_counter` (so start-up
and imports are left out) and returns a JSON-able dict.
"""

from __future__ import annotations

import importlib
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "StepFailed", "peak_rss_mb", "run_step"]

#: The project root: children run there so ``bench`` and ``netgraph`` import from this tree.
ROOT = Path(__file__).resolve().parent.parent


class StepFailed(RuntimeError):
    """A measured step exited with an error; the message carries the end of its stderr."""


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` survives ``exec``, so
    a child spawned by a large parent would report the parent's peak if it is higher than its
    own. Elsewhere ``ru_maxrss`` is used (KiB on Linux, bytes on macOS).
    """
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (2**20 if sys.platform == "darwin" else 1024), 1)


def run_step(target: str, timeout: float | None = None, **kwargs: Any) -> dict[str, Any]:
    """Run ``target`` (``"module:function"``) with ``kwargs`` in a new interpreter.

    Returns the function's dict plus ``peak_rss_mb``. Raises :class:`StepFailed` when the
    child fails or times out.
    """
    with tempfile.TemporaryDirectory(prefix="netgraph-bench-step-") as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, "-m", "bench._child", target, json.dumps(kwargs), str(out)]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            msg = f"{target} did not finish within {timeout} s"
            raise StepFailed(msg) from exc
        if proc.returncode != 0 or not out.exists():
            tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
            msg = f"{target} failed (exit {proc.returncode}):\n{tail}"
            raise StepFailed(msg)
        return json.loads(out.read_text(encoding="utf-8"))


def _main(argv: list[str]) -> int:
    """Child side: ``TARGET KWARGS_JSON OUT_PATH``."""
    target, kwargs, out = argv
    module, _, name = target.partition(":")
    func = getattr(importlib.import_module(module), name)
    result = dict(func(**json.loads(kwargs)))
    result["peak_rss_mb"] = peak_rss_mb()
    Path(out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
