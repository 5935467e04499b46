"""Analysts' decisions on implements links: accept, reject, or add a link by hand.

The file (default ``data/annotations/links.csv``) has the columns
``source_doc, source_id, source_fingerprint, target_doc, target_id, target_fingerprint,
decision, analyst, note``; ``decision`` is ``accept``, ``reject`` or ``add``. Items are keyed
by id *and* by a fingerprint of their text (as written in ``out/links.csv``), so a decision
survives re-extraction: when an id no longer names the same text, the item with the same
fingerprint is used instead. A decision whose items cannot be found is reported, never
silently dropped. xref reads this file and never writes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xref.decode import DecodeError, read_records
from xref.frames import records

DECISION_COLUMNS = (
    "source_doc",
    "source_id",
    "source_fingerprint",
    "target_doc",
    "target_id",
    "target_fingerprint",
    "decision",
    "analyst",
    "note",
)
DECISIONS = ("accept", "reject", "add")


class DecisionsError(ValueError):
    """A decisions file that cannot be read; the message names the bad lines."""


def fingerprint(text: str) -> str:
    """A short, whitespace-insensitive fingerprint of an item's text."""
    return hashlib.sha1(re.sub(r"\s+", "", text).encode("utf-8")).hexdigest()[:12]


def read_decisions(path: str | Path) -> pd.DataFrame:
    """The decisions in a CSV file (UTF-8, or as Excel saves it: see
    :func:`~xref.decode.read_records`), validated line by line."""
    path = Path(path)
    try:
        rows = read_records(path)
    except DecodeError as exc:
        raise DecisionsError(f"{path}: {exc}") from None
    missing = set(DECISION_COLUMNS[:7]) - set(rows[0] if rows else DECISION_COLUMNS)
    if missing:
        raise DecisionsError(f"{path}: missing columns {sorted(missing)}")
    problems = [
        f"line {n}: decision {r['decision']!r} not one of {DECISIONS}"
        for n, r in enumerate(rows, start=2)
        if r["decision"] not in DECISIONS
    ]
    if problems:
        raise DecisionsError(f"{path}:\n  " + "\n  ".join(problems))
    df = pd.DataFrame(rows, columns=list(DECISION_COLUMNS)).fillna("")
    df["line"] = range(2, len(df) + 2)
    return df


@dataclass(frozen=True)
class Applied:
    links: pd.DataFrame  # the links after the decisions
    rejected: pd.DataFrame  # automatic links the analysts rejected
    warnings: list[str]  # decisions that could not be applied, or applied to moved items


def _locate(items: pd.DataFrame, doc: str, item_id: str, fp: str) -> tuple[str | None, str | None]:
    """Resolve an item by id and fingerprint: ``(item_id or None, warning or None)``."""
    doc_items = items[items["doc_id"] == doc]
    by_id = doc_items[doc_items["item_id"] == item_id]
    if len(by_id) and (not fp or fingerprint(by_id.iloc[0]["text"]) == fp):
        return item_id, None
    if fp:
        for row in records(doc_items):
            if fingerprint(row.text) == fp:
                return row.item_id, f"{doc}/{item_id} is now {row.item_id} (same text)"
    if len(by_id):
        return item_id, f"{doc}/{item_id}: text changed since the decision; applied by id"
    return None, f"{doc}/{item_id}: no item with this id or text any more"


def apply_decisions(
    links: pd.DataFrame,
    scored: pd.DataFrame,
    items: pd.DataFrame,
    decisions: pd.DataFrame,
    *,
    pairs: pd.DataFrame | None = None,
) -> Applied:
    """The kept links with the analysts' decisions applied on top (``decided_by='analyst'``).

    ``pairs``: the document pairs allowed to carry implements links
    (:func:`~xref.hierarchy.document_pairs`). A link an analyst adds outside them (across regions,
    or from a plan to a document below it) is applied, since the analyst decides, and warned
    about: it usually means a document's region or level is wrong, which the manifest fixes."""
    links = links.copy()
    rejected, warnings = [], []
    allowed = None if pairs is None else set(records(pairs[["child_doc", "parent_doc"]]))
    for d in records(decisions):
        where = f"decisions line {d.line}"
        source, w1 = _locate(items, d.source_doc, d.source_id, d.source_fingerprint)
        target, w2 = _locate(items, d.target_doc, d.target_id, d.target_fingerprint)
        warnings += [f"{where}: {w}" for w in (w1, w2) if w]
        if source is None or target is None:
            warnings.append(f"{where}: not applied ({d.decision} kept in the file)")
            continue
        key = (
            (links["source_doc"] == d.source_doc)
            & (links["source_id"] == source)
            & (links["target_doc"] == d.target_doc)
            & (links["target_id"] == target)
        )
        if d.decision == "reject":
            rejected.append(links[key])
            links = links[~key]
            continue
        note = f"analyst ({d.analyst or '?'}): {d.note} | " if d.note else ""
        if key.any():
            links.loc[key, "decided_by"] = "analyst"
            links.loc[key, "evidence"] = note + links.loc[key, "evidence"].astype(str)
            continue
        pool = scored[
            (scored["source_doc"] == d.source_doc)
            & (scored["source_id"] == source)
            & (scored["target_doc"] == d.target_doc)
            & (scored["target_id"] == target)
        ]
        if len(pool):
            row = pool.iloc[[0]].copy()
        else:
            row = _manual_row(items, d.source_doc, source, d.target_doc, target)
            if allowed is not None and (d.source_doc, d.target_doc) not in allowed:
                warnings.append(
                    f"{where}: {d.source_doc} may not implement {d.target_doc} (another "
                    "region, or not a higher level); applied as decided. If a document's "
                    "region or level is wrong, correct it in the manifest"
                )
        row["decided_by"] = "analyst"
        row["evidence"] = note + row["evidence"].astype(str)
        links = pd.concat([links, row], ignore_index=True)
    links = links.sort_values(  # the order of the automatic links: per child, per parent
        ["source_doc", "source_id", "target_doc", "score", "target_id"],
        ascending=[True, True, True, False, True],
        kind="mergesort",
    )
    rejected_df = pd.concat(rejected, ignore_index=True) if rejected else links.iloc[0:0]
    return Applied(links.reset_index(drop=True), rejected_df, warnings)


def _manual_row(
    items: pd.DataFrame, source_doc: str, source: str, target_doc: str, target: str
) -> pd.DataFrame:
    text = items.set_index(["doc_id", "item_id"])["text"]
    return pd.DataFrame(
        [
            {
                "source_doc": source_doc,
                "source_id": source,
                "source_text": text[(source_doc, source)],
                "target_doc": target_doc,
                "target_id": target,
                "target_text": text[(target_doc, target)],
                "score": float("nan"),
                "grade": "manual",
                "evidence": "added by an analyst",
                "rank": 0,
                "reason": "analyst",
            }
        ]
    )
