"""Writing outputs: atomic, deterministic, and readable by Excel on Chinese Windows."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pandas as pd


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` whole when the block ends, or not at all: it is
    written as a temporary file beside it, so readers never see half a file. Large outputs
    are streamed into it rather than built in memory first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are to share
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staging(out: str | Path) -> Iterator[Path]:
    """A hidden folder inside ``out`` to write a run's outputs into, removed when the block
    ends; :func:`publish` moves them into ``out``. A run that fails before publishing leaves
    ``out`` as it was (and does not leave it behind if the run created it)."""
    out = Path(out)
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=out, prefix=".xref-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if created and not any(out.iterdir()):
            out.rmdir()


def publish(folder: str | Path, out: str | Path, *, stale: Iterable[str] = ()) -> None:
    """Every file under ``folder`` moved to the same place under ``out``, each replacing its
    namesake at once (readers see the old file or the new one, never half of one). Then the
    files of ``out`` matching a ``stale`` pattern (``figures/coverage_bars_*.png``: names
    only xref gives) that this run did not write are removed: an earlier run's figure of a
    plan no longer reported is not left beside this run's."""
    folder, out = Path(folder), Path(out)
    written = set()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            target = out / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            written.add(target)
    for pattern in stale:
        for path in sorted(out.glob(pattern)):
            if path.is_file() and path not in written:
                path.unlink()


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as fh:
        fh.write(data)


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """A CSV for analysts: UTF-8 with BOM (Excel detects it), ``\\n`` line ends, no index."""
    with atomic_writer(path) as fh, io.TextIOWrapper(fh, encoding="utf-8-sig", newline="") as text:
        df.to_csv(text, index=False, lineterminator="\n")
