"""The analysts' manifest: a CSV that fixes any metadata field of any document.

``doc_id`` is required; every other column is a metadata field (``title``, ``level`` ...)
or ``notes`` (free text, ignored). An empty cell means "infer it". The manifest always wins
over inference. xref reads it and never writes it.
"""

from __future__ import annotations

import re
from pathlib import Path

from xref.decode import DecodeError, read_table
from xref.types import KINDS, LEVELS, METADATA_FIELDS

INT_FIELDS = ("period_start", "period_end")
DATE_FIELDS = ("issue_date", "publish_date")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ManifestError(ValueError):
    """A manifest that cannot be applied; the message names every bad row and column."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"manifest {path} is malformed; nothing was built:\n{lines}")


def _check(column: str, value: str) -> tuple[object, str | None]:
    """The typed value of a cell, and a complaint when it is not valid."""
    if column == "level" and value not in LEVELS:
        return value, f"unknown level {value!r} (expected one of: {', '.join(LEVELS)})"
    if column == "kind" and value not in KINDS:
        return value, f"unknown kind {value!r} (expected one of: {', '.join(KINDS)})"
    if column in DATE_FIELDS and not _ISO_DATE.fullmatch(value):
        return value, f"{value!r} is not a date written YYYY-MM-DD"
    if column in INT_FIELDS:
        if not re.fullmatch(r"(19|20)\d{2}", value):
            return value, f"{value!r} is not a year"
        return int(value), None
    return value, None


def read_manifest(path: str | Path) -> dict[str, dict[str, object]]:
    """Per-document overrides from a manifest CSV (UTF-8, GB18030 as Excel saves it on
    Chinese Windows, or any other encoding :func:`~xref.decode.decode_bytes` reads).

    Raises :class:`ManifestError` naming each bad row and column: unknown columns, missing or
    repeated ``doc_id``, unknown levels or kinds, malformed dates and years.
    """
    path = Path(path)
    try:
        rows = read_table(path)
    except DecodeError as exc:
        raise ManifestError(path, [str(exc)]) from None
    if not rows:
        raise ManifestError(path, ["the file is empty; it needs a header row with doc_id"])
    header = [h.strip() for h in rows[0]]
    problems = []
    if "doc_id" not in header:
        problems.append("line 1: no doc_id column")
    allowed = {"doc_id", "notes", *METADATA_FIELDS}
    known = ", ".join(sorted(allowed))
    problems += [
        f"line 1, column {h!r}: unknown column (allowed: {known})"
        for h in header
        if h not in allowed
    ]
    if problems:
        raise ManifestError(path, problems)

    out: dict[str, dict[str, object]] = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {lineno}: {len(row)} cells, header has {len(header)}")
            continue
        cells = {h: cell.strip() for h, cell in zip(header, row, strict=True)}
        doc_id = cells.pop("doc_id")
        cells.pop("notes", None)
        if not doc_id:
            problems.append(f"line {lineno}, column 'doc_id': empty")
            continue
        if doc_id in out:
            problems.append(f"line {lineno}, column 'doc_id': {doc_id!r} repeats an earlier row")
            continue
        fields: dict[str, object] = {}
        for column, value in cells.items():
            if not value:
                continue
            typed, complaint = _check(column, value)
            if complaint:
                problems.append(f"line {lineno} ({doc_id}), column {column!r}: {complaint}")
            fields[column] = typed
        out[doc_id] = fields
    if problems:
        raise ManifestError(path, problems)
    return out
