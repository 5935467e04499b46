"""Records passed between pipeline stages.

Every record is a small frozen dataclass. Offsets into a document's normalised text are
``start``/``end``; ``Document.raw_span`` turns them into offsets in the decoded raw file, so
anything extracted later can be shown in its original context.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LEVELS = ("national", "province", "city", "district")
"""Administrative levels, highest first. ``province`` covers provinces and autonomous
regions; the four municipalities (北京/天津/上海/重庆) are ``city``."""


def level_rank(level: str | None, *, unknown: int) -> int:
    """A level's place in :data:`LEVELS` (0 = national), ``unknown`` for any other value:
    each caller says where a document of unknown level stands."""
    return LEVELS.index(level) if level in LEVELS else unknown


KINDS = (
    "plan",
    "implementation_opinions",
    "work_points",
    "annual_report",
    "regulation",
    "notice",
    "other",
)

METADATA_FIELDS = (
    "title",
    "issuer",
    "level",
    "region",
    "parent_region",
    "kind",
    "issue_date",
    "publish_date",
    "doc_number",
    "period_start",
    "period_end",
)


@dataclass(frozen=True)
class Removed:
    """A stretch of the raw text left out of the normalised text, and why."""

    reason: str  # "chrome" or "garbled"
    raw_start: int
    raw_end: int
    text: str  # normalised form of what was removed, for reports and metadata


@dataclass(frozen=True)
class Metadata:
    """Document metadata; every field may be ``None`` when neither text nor manifest says."""

    title: str | None = None
    issuer: str | None = None
    level: str | None = None
    region: str | None = None
    parent_region: str | None = None
    kind: str | None = None
    issue_date: str | None = None  # ISO YYYY-MM-DD
    publish_date: str | None = None
    doc_number: str | None = None
    period_start: int | None = None
    period_end: int | None = None


@dataclass(frozen=True)
class Document:
    """One loaded document: the raw text as decoded, its normalised text and metadata.

    ``offsets[i]`` is the raw-text offset of normalised character ``i``.
    """

    doc_id: str
    path: Path
    encoding: str
    raw: str
    text: str
    offsets: Sequence[int] = field(repr=False)
    removed: tuple[Removed, ...] = field(default=(), repr=False)
    meta: Metadata = field(default_factory=Metadata)
    warnings: tuple[str, ...] = ()

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw-text offsets covering the normalised span ``[start, end)``."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span {start}:{end} outside document {self.doc_id}")
        if start == end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.raw)
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def raw_context(self, start: int, end: int) -> str:
        """The raw text behind the normalised span ``[start, end)``."""
        rs, re_ = self.raw_span(start, end)
        return self.raw[rs:re_]


@dataclass(frozen=True)
class Problem:
    """A file that could not be loaded, or a non-fatal issue found while loading one."""

    path: str
    problem: str  # short code: empty, binary, undecodable, duplicate_id, ...
    detail: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}: {self.detail}"


@dataclass(frozen=True)
class Corpus:
    """The documents of a folder, in ``doc_id`` order, and the problems met loading it
    (files skipped, manifest rows naming no document)."""

    root: Path
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...] = ()

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def __getitem__(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.doc_id == doc_id:
                return doc
        raise KeyError(doc_id)
