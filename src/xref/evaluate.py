"""Evaluate implements links against an annotated gold set.

The gold file (``data/annotations/gold_links.csv``; format in that folder's README) names
items by a verbatim text anchor, not by id, so it survives changes to segmentation. For each
child item it lists the parent tasks it implements (``primary``), those that would also be
acceptable (``acceptable``), or ``none`` (a local initiative).

Scoring is lenient in the usual way: a predicted link is correct when the parent is primary
or acceptable (precision), and every primary link should be predicted (recall). Top-1 asks
whether the child's best-scored parent is primary or acceptable; MAP ranks all candidate
parents with the acceptable ones set aside. ``n_strong``, ``strong_precision`` and
``strong_recall`` count only the links coverage counts as taking a task up (``verbatim``,
``adapted``).

Coverage asks a coarser question, which parent tasks a document takes up at all, and
:attr:`Evaluation.tasks` answers it the same way per document pair: a task is taken up when
one of the annotated items has it as primary, and predicted when one of their links reaches
it; ``links="strong"`` counts only the links coverage counts as taking a task up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from xref.decode import DecodeError, read_records
from xref.frames import records
from xref.link import CHILD_KINDS, PARENT_KINDS, STRONG_GRADES, LinkConfig, leaves, select

GOLD_COLUMNS = ("child_doc", "child_anchor", "parent_doc", "parent_anchor", "relation", "note")
# a template adds what the annotator reads; read_gold ignores columns it does not know
TEMPLATE_COLUMNS = (*GOLD_COLUMNS, "child_id", "child_text")
TASK_LIST_COLUMNS = ("parent_doc", "parent_anchor", "task_id", "task_text")
RELATIONS = ("primary", "acceptable", "none")
BASELINE_THRESHOLDS = tuple(round(0.02 + 0.005 * step, 3) for step in range(76))  # to 0.395
# a miss or a false link, and why
LISTED_COLUMNS = ("child_doc", "child_id", "parent_doc", "parent_id", "score", "rank", "evidence")


class GoldError(ValueError):
    """A gold file that cannot be used; the message names the bad rows."""


def resolve_anchor(items: pd.DataFrame, doc_id: str, anchor: str) -> str | None:
    """The id of the item an anchor names: the item whose heading is the anchor, else whose
    heading contains it, else whose text contains it nearest its start (deepest on ties)."""
    doc = items[items["doc_id"] == doc_id]
    best = None
    for row in records(doc):
        pos = row.text.find(anchor)
        if pos < 0:
            continue
        key = (row.heading != anchor, anchor not in row.heading, pos, -row.depth)
        if best is None or key < best[0]:
            best = (key, row.item_id)
    return best[1] if best else None


def read_gold(path: str | Path, items: pd.DataFrame) -> pd.DataFrame:
    """Gold links with anchors resolved to ``child_id`` / ``parent_id``."""
    try:
        rows = read_records(path)
    except DecodeError as exc:
        raise GoldError(f"{path}: {exc}") from None
    problems, out = [], []
    for lineno, row in enumerate(rows, start=2):
        if set(GOLD_COLUMNS) - set(row):
            raise GoldError(f"{path}: columns must be {', '.join(GOLD_COLUMNS)}")
        if not row["relation"]:
            problems.append(f"line {lineno}: no relation; fill in one of {RELATIONS} or delete it")
            continue
        if row["relation"] not in RELATIONS:
            problems.append(f"line {lineno}: relation {row['relation']!r} not in {RELATIONS}")
            continue
        child = resolve_anchor(items, row["child_doc"], row["child_anchor"])
        parent = (
            resolve_anchor(items, row["parent_doc"], row["parent_anchor"])
            if row["relation"] != "none"
            else None
        )
        if child is None or (row["relation"] != "none" and parent is None):
            anchors = f"{row['child_anchor']!r} / {row['parent_anchor']!r}"
            problems.append(f"line {lineno}: anchor not found ({anchors})")
            continue
        out.append((row["child_doc"], child, row["parent_doc"], parent or "", row["relation"]))
    if problems:
        raise GoldError(f"{path}:\n  " + "\n  ".join(problems))
    return pd.DataFrame(
        out, columns=["child_doc", "child_id", "parent_doc", "parent_id", "relation"]
    )


def anchor(items: pd.DataFrame, doc_id: str, item_id: str) -> str:
    """The shortest anchor :func:`resolve_anchor` resolves to this item: its heading, else the
    start of its text (the whole text when no shorter start names it alone)."""
    doc = items[items["doc_id"] == doc_id]  # each candidate is looked for in every item
    row = doc[doc["item_id"] == item_id].iloc[0]
    text = row.text.strip()
    starts = [text[:n] for n in (8, 12, 16, 24, 32, 48) if n < len(text)]
    for candidate in (row.heading, *starts, text):
        if candidate and resolve_anchor(doc, doc_id, candidate) == item_id:
            return candidate
    raise ValueError(f"{doc_id}/{item_id}: its text names another item")


def gold_template(
    items: pd.DataFrame, child_doc: str, parent_doc: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A gold file to fill in for one document pair, and the list to fill it from.

    The file has a row per action item of ``child_doc`` (those linking scores), its anchor
    resolved back to it, the item's id and text to read, and ``parent_anchor``, ``relation``
    and ``note`` left blank; the list has the tasks of ``parent_doc`` with the anchor to copy.
    An item implementing several tasks takes a row per task. Neither holds a score or a link:
    an annotator who sees none is not led by them."""
    mine = items[items["doc_id"] == child_doc]
    rows = [
        {
            "child_doc": child_doc,
            "child_anchor": anchor(mine, child_doc, row.item_id),
            "parent_doc": parent_doc,
            "parent_anchor": "",
            "relation": "",
            "note": "",
            "child_id": row.item_id,
            "child_text": row.text.strip(),
        }
        for row in records(leaves(mine, CHILD_KINDS))
    ]
    theirs = items[items["doc_id"] == parent_doc]
    tasks = [
        {
            "parent_doc": parent_doc,
            "parent_anchor": anchor(theirs, parent_doc, row.item_id),
            "task_id": row.item_id,
            "task_text": row.text.strip(),
        }
        for row in records(theirs[theirs["kind"].isin(PARENT_KINDS)])
    ]
    return (
        pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS)),
        pd.DataFrame(tasks, columns=list(TASK_LIST_COLUMNS)),
    )


@dataclass(frozen=True)
class Evaluation:
    summary: pd.DataFrame  # one row per document pair, plus "all"
    misses: pd.DataFrame  # primary links not predicted, with the best evidence available
    false_links: pd.DataFrame  # predicted links that are neither primary nor acceptable
    tasks: pd.DataFrame  # per document pair and kind of link: the tasks taken up, as coverage


def _f(beta: float, precision: float, recall: float) -> float:
    if not precision + recall:
        return 0.0
    return (1 + beta * beta) * precision * recall / (beta * beta * precision + recall)


def _precision_recall(pred: set, primary: set, ok: set) -> tuple[float, float]:
    precision = len(pred & ok) / len(pred) if pred else 0.0
    recall = len(pred & primary) / len(primary) if primary else 0.0
    return precision, recall


def _metrics(
    pred: set, strong: set, primary: set, ok: set, top1: list[bool], aps: list[float]
) -> dict:
    precision, recall = _precision_recall(pred, primary, ok)
    strong_precision, strong_recall = _precision_recall(strong, primary, ok)
    return {
        "n_children": len(top1),
        "n_primary": len(primary),
        "n_predicted": len(pred),
        "precision": precision,
        "recall": recall,
        "f1": _f(1, precision, recall),
        "f2": _f(2, precision, recall),
        "top1": sum(top1) / len(top1) if top1 else 0.0,
        "map": sum(aps) / len(aps) if aps else 0.0,
        "n_strong": len(strong),
        "strong_precision": strong_precision,
        "strong_recall": strong_recall,
    }


def evaluate(
    scored: pd.DataFrame, gold: pd.DataFrame, config: LinkConfig | None = None
) -> Evaluation:
    """Compare the links :func:`~xref.link.select` keeps from ``scored`` with the gold set,
    over the (child document, parent document) pairs the gold set covers."""
    kept = select(scored, config)
    pairs = sorted({(c, p) for c, p in records(gold[["child_doc", "parent_doc"]]) if p})
    summary, misses, false_links, tasks = [], [], [], []
    totals = {"pred": set(), "strong": set(), "primary": set(), "ok": set(), "top1": [], "aps": []}
    for child_doc, parent_doc in pairs:
        g = gold[gold["child_doc"] == child_doc]
        annotated = set(g["child_id"])
        in_pair = g[g["parent_doc"] == parent_doc]
        primary = {
            (c, p)
            for c, p, r in records(in_pair[["child_id", "parent_id", "relation"]])
            if r == "primary"
        }
        ok = primary | {
            (c, p)
            for c, p, r in records(in_pair[["child_id", "parent_id", "relation"]])
            if r == "acceptable"
        }
        sel = (scored["source_doc"] == child_doc) & (scored["target_doc"] == parent_doc)
        ranked = scored[sel & scored["source_id"].isin(annotated)]
        k = kept[
            (kept["source_doc"] == child_doc)
            & (kept["target_doc"] == parent_doc)
            & kept["source_id"].isin(annotated)
        ]
        pred = set(records(k[["source_id", "target_id"]]))
        strong = set(records(k.loc[k["grade"].isin(STRONG_GRADES), ["source_id", "target_id"]]))
        top1, aps = [], []
        for child in sorted({c for c, _ in primary}):
            order = ranked[ranked["source_id"] == child].sort_values(
                "score", ascending=False, kind="mergesort"
            )
            targets = list(order["target_id"])
            top1.append(bool(targets) and (child, targets[0]) in ok)
            relevant = {p for c, p in primary if c == child}
            acceptable_only = {p for c, p in ok if c == child} - relevant
            hits, precisions = 0, []
            for i, t in enumerate([t for t in targets if t not in acceptable_only], start=1):
                if t in relevant:
                    hits += 1
                    precisions.append(hits / i)
            aps.append(sum(precisions) / len(relevant))
        summary.append(
            {
                "child_doc": child_doc,
                "parent_doc": parent_doc,
                **_metrics(pred, strong, primary, ok, top1, aps),
            }
        )
        for c, p in sorted(primary - pred):
            row = ranked[(ranked["source_id"] == c) & (ranked["target_id"] == p)]
            misses.append(
                {
                    "child_doc": child_doc,
                    "child_id": c,
                    "parent_doc": parent_doc,
                    "parent_id": p,
                    **(row.iloc[0][["score", "rank", "evidence"]].to_dict() if len(row) else {}),
                }
            )
        for row in records(k):
            if (row.source_id, row.target_id) not in ok:
                false_links.append(
                    {
                        "child_doc": child_doc,
                        "child_id": row.source_id,
                        "parent_doc": parent_doc,
                        "parent_id": row.target_id,
                        "score": row.score,
                        "rank": row.rank,
                        "evidence": row.evidence,
                    }
                )
        for key, value in (("pred", pred), ("strong", strong), ("primary", primary), ("ok", ok)):
            totals[key] |= {(child_doc, *v) for v in value}
        # the task's nearest item in the document, which a gap names: right or not
        first = scored[sel & (scored["task_rank"] == 1)]
        near = {p for c, p in records(first[["source_id", "target_id"]]) if (c, p) in ok}
        for links, found in (("all", pred), ("strong", strong)):
            # (child document, parent document, task): pairs of documents pooled into "all"
            sets = [{(child_doc, parent_doc, t) for _, t in v} for v in (found, primary, ok)]
            sets.append({(child_doc, parent_doc, t) for t in near})
            tasks.append((child_doc, parent_doc, links, *sets))
        totals["top1"] += top1
        totals["aps"] += aps
    summary.append(
        {
            "child_doc": "all",
            "parent_doc": "all",
            **_metrics(*(totals[k] for k in ("pred", "strong", "primary", "ok", "top1", "aps"))),
        }
    )
    for links in ("all", "strong"):
        pooled = [t for t in tasks if t[2] == links]
        tasks.append(
            ("all", "all", links, *(set().union(*(t[i] for t in pooled)) for i in (3, 4, 5, 6)))
        )
    return Evaluation(
        pd.DataFrame(summary),
        pd.DataFrame(misses, columns=list(LISTED_COLUMNS)),
        pd.DataFrame(false_links, columns=list(LISTED_COLUMNS)),
        pd.DataFrame([_task_row(*t) for t in tasks]),
    )


def baseline(scored: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The comparison the links should beat: the TF-IDF cosine alone (the ``lexical`` signal),
    every candidate at or above a threshold kept (no relative cut, no cap, no chain check),
    the threshold the one of :data:`BASELINE_THRESHOLDS` best for F1 on this gold set (the
    lowest of ties), so the baseline at its most favourable. :attr:`Evaluation.summary`'s
    rows and measures, with the ``threshold``."""
    needed = ["source_doc", "source_id", "target_doc", "target_id", "rank", "task_rank", "grade"]
    plain = scored[needed].assign(score=scored["lexical"], evidence="")
    # the overall F1 of every threshold, counted as evaluate counts it (the links of annotated
    # items, in the document pairs the gold set covers); evaluate gives the chosen one's figures
    pairs = {(c, p) for c, p in records(gold[["child_doc", "parent_doc"]]) if p}
    annotated = set(records(gold[["child_doc", "child_id"]]))
    link = ["child_doc", "child_id", "parent_doc", "parent_id"]
    listed = gold[gold["relation"] != "none"]
    ok = set(records(listed[link]))
    primary = set(records(listed.loc[listed["relation"] == "primary", link]))
    candidates = [
        ((c, i, p, t), score)
        for c, i, p, t, score in records(
            plain[["source_doc", "source_id", "target_doc", "target_id", "score"]]
        )
        if (c, p) in pairs and (c, i) in annotated
    ]

    def f1(threshold: float) -> float:
        kept = {key for key, score in candidates if score >= threshold}
        return _f(1, *_precision_recall(kept, primary, ok))

    best = max(BASELINE_THRESHOLDS, key=f1)
    config = LinkConfig(threshold=best, relative=0.0, cap=len(plain) + 1, chain=False)
    summary = evaluate(plain, gold, config).summary.assign(threshold=best)
    return summary.drop(columns=["n_strong", "strong_precision", "strong_recall"])


def _task_row(
    child_doc: str, parent_doc: str, links: str, found: set, wanted: set, fine: set, near: set
) -> dict:
    """Precision and recall over tasks: ``found`` the predicted, ``wanted`` the primary and
    ``fine`` the primary or acceptable ones; ``near`` the tasks whose nearest item in the
    document is primary or acceptable for them."""
    precision, recall = _precision_recall(found, wanted, fine)
    missed = wanted - found
    return {
        "child_doc": child_doc,
        "parent_doc": parent_doc,
        "links": links,
        "n_tasks": len(wanted),
        "n_predicted": len(found),
        "precision": precision,
        "recall": recall,
        "f1": _f(1, precision, recall),
        "missed": ";".join(sorted(t for *_, t in missed)),
        "missed_nearest_ok": len(missed & near),
        "wrong": ";".join(sorted(t for *_, t in found - fine)),
    }
