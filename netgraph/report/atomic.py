"""Safe writing of outputs (reports, exports, the sample): checked first, then put in place whole.

- :func:`check_target` runs before any work. It refuses an empty path, the store itself (its
  ``.wal`` file and ``.tmp`` folder too, compared as resolved paths, whatever the flags), any
  existing DuckDB file, a folder given where a file is wanted (and the reverse), a device or
  pipe, and an existing file unless ``overwrite`` (the CLI's ``--force``).
- :func:`atomic_files` writes each file to a hidden temporary file in the same folder and
  renames it into place with :func:`os.replace` only when every file is complete and synced.
  A failed write (a full disk, a read-only place) leaves nothing behind: no empty file, no
  temporary file, and an existing file keeps its old content.
- Every :class:`OSError` on the way becomes an :class:`~netgraph.OutputError` that names the
  path, says what went wrong and what to do next.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from netgraph._errors import NetgraphError, OutputError

__all__ = ["as_path", "atomic_files", "check_target", "output_error", "store_files"]

_FIXES = {
    errno.ENOSPC: "the disk is full: free some space, or write somewhere else",
    errno.EDQUOT: "the disk quota is used up: free some space, or write somewhere else",
    errno.EACCES: "you may not write there: choose a folder you can write to",
    errno.EPERM: "you may not write there: choose a folder you can write to",
    errno.EROFS: "that place is read-only: choose a folder you can write to",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.EISDIR: "it is a folder: give a file name",
    errno.ENAMETOOLONG: "the name is too long: choose a shorter path",
}


def output_error(path: str | os.PathLike[str], exc: OSError) -> OutputError:
    """The one-line error for an OS error while writing ``path``."""
    reason = exc.strerror or str(exc)
    fix = _FIXES.get(exc.errno or 0, "check the path, or choose another one")
    return OutputError(f"cannot write {path}: {reason}; nothing was written. The fix: {fix}.")


def store_files(store_path: str | os.PathLike[str] | None) -> list[Path]:
    """The files of a store that no output may replace: the file, its ``.wal`` and ``.tmp``."""
    if store_path is None or str(store_path) in ("", ":memory:"):
        return []
    p = Path(store_path)
    return [p, p.with_name(p.name + ".wal"), p.with_name(p.name + ".tmp")]


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _is_duckdb(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def _parent_problem(path: Path) -> str | None:
    """Why the folder of ``path`` cannot be created, if a part of it is an existing file."""
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else f"{parent} is a file, not a folder"
    return None


def as_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a Path; an empty path (``--out ""``, which Path reads as ".") is an error."""
    if not str(path).strip():
        msg = "no output path given (it is empty): give a file name, e.g. reports/network.html"
        raise OutputError(msg)
    return Path(path)


def check_target(path: str | os.PathLike[str], *, overwrite: bool = False,
                 protect: Iterable[str | os.PathLike[str]] = (), folder: bool = False,
                 files: Sequence[str] = ()) -> Path:
    """Check an output path before any work; return it as a :class:`~pathlib.Path`.

    Parameters
    ----------
    path
        The file (or, with ``folder=True``, the folder) to write.
    overwrite
        Replace an existing file (the CLI's ``--force``). The store is never replaced.
    protect
        Store paths (see :func:`store_files`) that must never be written over.
    folder, files
        ``path`` is a folder that will receive ``files`` (names); each of them is checked.

    Raises
    ------
    OutputError
        When the path is empty, is the store or another DuckDB file, is of the wrong kind
        (folder/file, device), exists without ``overwrite``, or lies below a file.
    """
    target = as_path(path)
    try:
        _check(target, overwrite, protect, folder, files)
    except OSError as exc:  # e.g. a name too long, a folder that cannot be read
        if isinstance(exc, NetgraphError):
            raise
        raise output_error(target, exc) from None
    return target


def _check(target: Path, overwrite: bool, protect: Iterable[str | os.PathLike[str]], folder: bool,
           files: Sequence[str]) -> None:
    guarded = [g for p in protect for g in store_files(p)]
    wanted = [target / name for name in files] if folder else [target]
    for candidate in [target, *wanted]:
        for g in guarded:
            if _same(candidate, g):
                msg = (f"{candidate} is the store ({guarded[0]}); netgraph never writes over its store. "
                       "Choose another output path.")
                raise OutputError(msg)
    problem = _parent_problem(target)
    if problem:
        msg = f"cannot write {target}: {problem}. Choose another path."
        raise OutputError(msg)
    if folder:
        if target.exists() and not target.is_dir():
            msg = f"{target} is a file, but this export writes a folder (nodes and edges): give a folder path"
            raise OutputError(msg)
    elif target.is_dir():
        msg = f"{target} is a folder: give a file name inside it (e.g. {target / 'network.html'})"
        raise OutputError(msg)
    for file in wanted:
        if not (file.exists() or file.is_symlink()):
            continue
        if file.is_dir():
            msg = f"{file} is a folder: choose another path"
            raise OutputError(msg)
        if not stat.S_ISREG(file.stat().st_mode):
            msg = f"{file} is not a regular file (a device, pipe or socket): choose a file path"
            raise OutputError(msg)
        if _is_duckdb(file):
            msg = (f"{file} is a DuckDB database (a store?); netgraph never writes over one. "
                   "Choose another path.")
            raise OutputError(msg)
        if not overwrite:
            msg = f"{file} already exists: add --force to replace it, or choose another path"
            raise OutputError(msg)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_files(paths: Sequence[str | os.PathLike[str]], *,
                 label: str | os.PathLike[str] | None = None) -> Iterator[list[Path]]:
    """Yield a temporary path per path in ``paths``, moved into place when the block ends without error.

    On any error every temporary file is removed and nothing is replaced.

    Folders are created as needed. An :class:`OSError` becomes an :class:`OutputError` naming
    ``label`` (default: the file being written).

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> with atomic_files([d / "a.txt"]) as (tmp,):
    ...     _ = tmp.write_text("hello")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('hello', ['a.txt'])
    """
    finals = [Path(p) for p in paths]
    # a symlink is followed: the file it points to is replaced, the link stays
    finals = [p.resolve() if p.is_symlink() else p for p in finals]
    temps: list[str] = []
    current = finals[0] if finals else Path()
    try:
        for final in finals:
            current = final
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp")
            os.close(fd)
            temps.append(tmp)
        current = Path(label) if label is not None else current
        yield [Path(t) for t in temps]
        mode = 0o666 & ~_umask()
        for final, tmp in zip(finals, temps, strict=True):
            current = final
            _sync(tmp)
            os.chmod(tmp, stat.S_IMODE(final.stat().st_mode) if final.exists() else mode)
        for final, tmp in zip(finals, temps, strict=True):
            current = final
            os.replace(tmp, final)
    except NetgraphError:
        _remove(temps)
        raise
    except OSError as exc:
        _remove(temps)
        raise output_error(current, exc) from None
    except BaseException:
        _remove(temps)
        raise


def _remove(temps: list[str]) -> None:
    for tmp in temps:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
