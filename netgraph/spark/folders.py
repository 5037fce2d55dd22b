"""The Parquet folders the Spark commands read and write, and the manifest each one carries.

Every folder holds ``netgraph.json`` (:data:`MANIFEST`), which says what it holds (its
``kind``) and where that came from: the store's data version and "me", and for ties and metrics
the day they are as of. A command reads the manifest first, so a wrong folder is one clear line,
not a Java stack trace. A table is a Parquet file or a folder of Parquet parts (as Spark writes
them), named after the table.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from netgraph._errors import InputFileError, OutputError

__all__ = [
    "EXPORT_HINT",
    "MANIFEST",
    "check_out",
    "parquet_path",
    "put_table",
    "read_manifest",
    "write_manifest",
    "write_table",
]

MANIFEST = "netgraph.json"
#: How to make the input of ``netgraph spark ties``.
EXPORT_HINT = "write it with: netgraph export DIR --format parquet --store-tables"
_MAKERS = {"store tables": EXPORT_HINT,
           "ties": "write it with: netgraph spark ties --input DIR --out DIR",
           "metrics": "write it with: netgraph spark metrics --ties DIR --out DIR"}


def read_manifest(folder: str | os.PathLike[str], kind: str) -> dict[str, Any]:
    """The manifest of ``folder``, which must hold ``kind`` (one clear error otherwise)."""
    folder = Path(folder)
    if not folder.is_dir():
        msg = f"{folder} is not a folder; {_MAKERS[kind]}"
        raise InputFileError(msg)
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{folder} holds no {MANIFEST}, so it was not written by netgraph; {_MAKERS[kind]}"
        raise InputFileError(msg) from None
    except (OSError, ValueError) as exc:
        msg = f"cannot read {path} ({exc}); {_MAKERS[kind]}"
        raise InputFileError(msg) from None
    if not isinstance(manifest, dict) or manifest.get("kind") != kind:
        found = manifest.get("kind") if isinstance(manifest, dict) else None
        msg = f"{folder} holds {found or 'something else'}, not {kind}; {_MAKERS[kind]}"
        raise InputFileError(msg)
    return manifest


def parquet_path(folder: str | os.PathLike[str], table: str, kind: str) -> Path:
    """The Parquet file or folder of ``table`` in ``folder``; one clear error when there is none."""
    folder = Path(folder)
    for candidate in (folder / f"{table}.parquet", folder / table):
        if candidate.is_file() or (candidate.is_dir() and any(candidate.glob("*.parquet"))):
            return candidate
    msg = f"{folder} holds no Parquet for the table {table} ({table}.parquet); {_MAKERS[kind]}"
    raise InputFileError(msg)


def check_out(folder: str | os.PathLike[str], tables: list[str], *, overwrite: bool,
              protect: list[Path] | None = None) -> Path:
    """Check an output folder before any work: its tables exist only with ``overwrite``."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        msg = f"{folder} is a file; give a folder for the Parquet tables"
        raise OutputError(msg)
    for inside in protect or []:
        if folder.resolve() == inside.resolve():
            msg = f"{folder} is the input folder; write the output somewhere else"
            raise OutputError(msg)
    for name in [*(f"{t}.parquet" for t in tables), MANIFEST]:
        if (folder / name).exists() and not overwrite:
            msg = f"{folder / name} already exists: add --force to replace it, or choose another --out"
            raise OutputError(msg)
    return folder


def write_table(frame: Any, folder: Path, table: str) -> Path:
    """Write a Spark DataFrame as ``folder/table.parquet``: whole, or not at all.

    Spark writes a temporary folder first, which then takes the final name (:func:`put_table`).
    """
    tmp = folder / f".{table}.parquet.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    frame.write.mode("overwrite").parquet(str(tmp))
    final = folder / f"{table}.parquet"
    put_table(tmp, final)
    return final


def put_table(written: Path, final: Path) -> None:
    """Move a table Spark wrote to a temporary place into its final one (replacing an old one)."""
    if final.is_dir():
        shutil.rmtree(final)
    elif final.exists():
        final.unlink()
    os.replace(written, final)


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``folder``'s manifest (last, so a folder with one is complete)."""
    path = folder / MANIFEST
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
