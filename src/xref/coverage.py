"""Coverage: which parent tasks the documents below a plan take up, the gaps they leave, and
their local initiatives with no parent.

Everything is read off the graph of :func:`xref.build_graph`, so coverage reflects analysts'
link decisions too. A *block* is one parent plan and the loaded documents that may implement
it (the rule of :func:`xref.hierarchy.relation`: districts of its region, the region's own annual
documents, documents citing it; for a national plan, everything below it).

An item reaches a parent task through an implements link, or through a chain of them that
climbs the levels (a district measure -> a city task -> a national task); a chain is as
strong as its weakest link. A cell of the matrix is ``covered`` when some item of the
document reaches the task through links graded ``verbatim`` or ``adapted`` (or decided by
an analyst), ``weak`` when only ``partial`` or ``thematic`` links reach it, and a ``gap``
when nothing does. Orphans are the document's finest action items that reach no task of the
parent except weakly: its local initiatives.

Documents whose parent plan is not in the corpus form a block of their own under a
placeholder (the cited plan of their region, or ``<region> plan (not in corpus)``): they are
listed, never compared with another region's plan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, partial

import networkx as nx
import pandas as pd

from xref.gazetteer import gazetteer
from xref.graph import Mentions, doc_metadata, doc_node, item_node
from xref.hierarchy import allowed_pairs, region_chain
from xref.link import CHILD_KINDS, PARENT_KINDS, STRONG_GRADES
from xref.resources import data_rows, word_set
from xref.types import LEVELS, Metadata, level_rank

PARENT_PLAN_KINDS = ("plan", "implementation_opinions")
DISTRICT = LEVELS.index("district")  # plans above this level are parents by default
KEY_TERMS = 5  # key terms listed per orphan item
_MIN_SHARED_SUBJECT = 4  # Han characters two target subjects must share, generic words aside
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")

TASK_COLUMNS = ("parent_doc", "part", "task_order", "task_id", "task_number", "task_heading")
MATRIX_COLUMNS = (
    *TASK_COLUMNS,
    "child_doc",
    "child_label",
    "child_region",
    "child_level",
    "year",
    "strength",
    "n_links",
    "direct",
    "via_doc",
    "status",
)


PARENT_COLUMNS = ("parent_doc", "title", "region", "level", "missing", "n_tasks", "children")
ORPHAN_COLUMNS = (
    "parent_doc",
    "child_doc",
    "child_region",
    "item_id",
    "kind",
    "heading",
    "status",
    "best_task",
    "best_task_heading",
    "best_strength",
    "strong_links_elsewhere",
    "key_terms",
    "text",
)
NEAREST_COLUMNS = ("nearest_item", "nearest_heading", "nearest_score", "nearest_rank")
# what coverage reads of the candidates (those with task_rank 1): each task's nearest item
CANDIDATE_COLUMNS = (
    "source_doc",
    "source_id",
    "target_doc",
    "target_id",
    "score",
    "rank",
    "task_rank",
)
ROLLUP_COLUMNS = (
    "parent_doc",
    "task_id",
    "child_doc",
    "child_item",
    "strength",
    "strong",
    "via_doc",
    "via_item",
)


@dataclass(frozen=True)
class Coverage:
    """Tidy tables of coverage; see :func:`coverage`."""

    parents: pd.DataFrame  # one row per block: parent plan (or placeholder) and its children
    matrix: pd.DataFrame  # parent task x child document: strength, n_links, status
    tasks: pd.DataFrame  # per parent task: how many documents and districts take it up
    gaps: pd.DataFrame  # matrix rows with status "gap", how many districts cover the task and
    # the child's item nearest to it
    orphans: pd.DataFrame  # child action items implementing nothing, with key terms
    targets: pd.DataFrame  # parent targets side by side with child figures on the subject
    rollup: pd.DataFrame  # every item reaching a parent task, and the task it goes through
    years: pd.DataFrame  # parent task x (child region, year); "no_document" where none


@cache
def kind_labels() -> dict[str, str]:
    """Short Chinese names of document kinds (``annual_report`` -> 年度报告)."""
    return {r["kind"]: r["label"] for r in data_rows("kind_labels.csv")}


def _rank(meta: Metadata) -> int:
    return level_rank(meta.level, unknown=len(LEVELS))  # unknown: below every level


def _year(meta: Metadata) -> int | None:
    if meta.period_start is not None and meta.period_start == meta.period_end:
        return int(meta.period_start)
    if meta.issue_date:
        return int(meta.issue_date[:4])
    return None


def _documents(graph: nx.MultiDiGraph) -> dict[str, Metadata]:
    """Loaded documents by node, in node order."""
    return {
        n: doc_metadata(graph, n)
        for n, d in graph.nodes(data=True)
        if d.get("type") == "document" and not d.get("missing")
    }


def _resolve(graph: nx.MultiDiGraph, docs: dict[str, Metadata], parent) -> list[str]:
    if parent is None:
        chosen = [n for n, m in docs.items() if m.kind in PARENT_PLAN_KINDS and _rank(m) < DISTRICT]
        return sorted(chosen, key=lambda n: (_rank(docs[n]), n))
    ids = {graph.nodes[n]["doc_id"]: n for n in docs}
    return [ids[match_document(w, ids)] for w in ([parent] if isinstance(parent, str) else parent)]


def match_document(wanted: str, doc_ids: Iterable[str], *, what: str = "parent") -> str:
    """The one document id that is ``wanted`` or starts with it; ValueError naming the
    choices when none or several do (``what`` was asked for)."""
    doc_ids = list(doc_ids)
    hits = [doc_id for doc_id in doc_ids if doc_id.startswith(wanted)]
    if len(hits) != 1:
        raise ValueError(
            f"{what} {wanted!r} matches {len(hits)} loaded documents; "
            f"choose one of: {', '.join(sorted(doc_ids))}"
        )
    return hits[0]


def _children(graph: nx.MultiDiGraph, docs: dict[str, Metadata]) -> dict[str, list[str]]:
    """Each document's loaded documents that may implement it
    (:func:`xref.hierarchy.allowed_pairs`): districts first (in gazetteer order), then the
    parent region's own documents, each by year."""
    gz = gazetteer()

    def order(n: str) -> tuple:
        m = docs[n]
        division = gz.find(m.region) if m.region else None
        return (-_rank(m), division.adcode if division else "~", _year(m) or 0, n)

    out: dict[str, list[str]] = {}
    for child, parent, _ in allowed_pairs(
        docs, cites=lambda child, parent: graph.has_edge(child, parent, key="cites")
    ):
        out.setdefault(parent, []).append(child)
    return {parent: sorted(children, key=order) for parent, children in out.items()}


def _labels(graph: nx.MultiDiGraph, docs: dict[str, Metadata], nodes: list[str]) -> list[str]:
    """Column labels: region, year and kind (嘉定区 2024 年度报告), made unique by doc id."""
    labels = []
    for n in nodes:
        m = docs[n]
        year = _year(m)
        kind = kind_labels().get(m.kind or "other", m.kind or "")
        labels.append(f"{m.region or '?'} {year or ''} {kind}".replace("  ", " ").strip())
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    return [
        f"{label} ({graph.nodes[n]['doc_id'][:8]})" if seen[label] > 1 else label
        for n, label in zip(nodes, labels, strict=True)
    ]


def _items_in_order(graph: nx.MultiDiGraph, root: str) -> list[tuple[str, str]]:
    """``(item, top-level ancestor)`` for every item under a document, in document order."""
    out = []

    # neighbours and has_edge: a few times faster than the edge views of a multigraph
    def walk(node: str, top: str | None) -> None:
        for child in graph.successors(node):
            if graph.has_edge(node, child, "contains"):
                out.append((child, top or child))
                walk(child, top or child)

    walk(root, None)
    return out


def _leaves(graph: nx.MultiDiGraph, items: list[tuple[str, str]], kinds) -> list[tuple[str, str]]:
    """Items of these kinds with no child of these kinds (the finest tasks or actions)."""
    chosen = [(n, top) for n, top in items if graph.nodes[n].get("kind") in kinds]
    parents = {
        u
        for n, _ in chosen
        for u in graph.predecessors(n)
        if graph.has_edge(u, n, "contains") and graph.nodes[u].get("kind") in kinds
    }
    return [(n, top) for n, top in chosen if n not in parents]


def _part(graph: nx.MultiDiGraph, top: str, task: str) -> str:
    if top == task:
        return ""
    attrs = graph.nodes[top]
    return f"{attrs.get('number') or ''}{attrs.get('heading') or ''}".strip()


def _placeholder(graph: nx.MultiDiGraph, docs: dict[str, Metadata], child: str) -> tuple:
    """The plan a parentless document would implement: a cited plan of a region above it,
    else a named stand-in."""
    meta = docs[child]
    chain = region_chain(meta)[1:]
    for _, target, key in sorted(graph.out_edges(child, keys=True)):
        attrs = graph.nodes[target]
        if (
            key == "cites"
            and attrs.get("missing")
            and attrs.get("kind") in PARENT_PLAN_KINDS
            and attrs.get("region") in chain
        ):
            return target, attrs["title"], attrs["region"]
    region = chain[0] if chain else meta.region or "?"
    return f"missing:{region}", f"{region} plan (not in corpus)", region


def _strong(edge: dict) -> bool:
    return edge.get("decided_by") == "analyst" or edge.get("grade") in STRONG_GRADES


def chains(graph: nx.MultiDiGraph, task: str, rank: dict[str, int]) -> dict[str, tuple]:
    """Every item reaching ``task``: ``item -> (strong, strength, next)``, where ``next`` is
    the node the item implements on its best chain (``task`` itself for a direct link).

    A chain climbs only through items of documents at a level strictly below the task's own
    (``rank``: document node -> level index), so a district measure reaches a city plan's
    task through no other city document, and a national task through city tasks.
    """
    best: dict[str, tuple] = {}
    frontier = [(task, True, math.inf)]
    floor = rank[doc_of(graph, task)]
    while frontier:
        node, strong, strength = frontier.pop()
        level = rank[doc_of(graph, node)]
        if node != task and level <= floor:
            continue
        for source in sorted(graph.predecessors(node)):
            data = graph.get_edge_data(source, node, "implements")
            if data is None or (node != task and rank[doc_of(graph, source)] <= level):
                continue
            found = (strong and _strong(data), min(strength, data.get("weight", 0.0)), node)
            if source not in best or found[:2] > best[source][:2]:
                best[source] = found
                frontier.append((source, found[0], found[1]))
    return best


def coverage(
    graph: nx.MultiDiGraph,
    parent: str | list[str] | None = None,
    *,
    targets: pd.DataFrame | None = None,
    mentions: Mentions | None = None,
    candidates: pd.DataFrame | None = None,
) -> Coverage:
    """Coverage of parent plans by the documents below them.

    ``parent``: a document id (or a unique prefix such as ``"000"``), a list of them, or
    ``None`` for every city or province plan in the corpus and each national plan present
    (documents whose parent plan is missing are then listed under a placeholder).
    ``targets``: the table of :func:`xref.targets_frame`, to set parent targets side by side
    with child figures on the same subject. ``mentions``: where the key terms are, for a
    graph built without its ``mentions`` edges (``build_graph(..., mentions=False)``).
    ``candidates``: the frame of :func:`xref.link.score_pairs`, so that each gap names the
    child's item that came nearest to the task (its ``task_rank`` 1 candidate: score, and the
    task's rank among that item's own), for an analyst to confirm the gap or add the link.
    """
    docs = _documents(graph)
    rank = {n: _rank(m) for n, m in docs.items()}
    parents = _resolve(graph, docs, parent)
    children = _children(graph, docs)
    blocks = {p: children.get(p, []) for p in parents}

    mentioned = mentions if mentions is not None else partial(_mentioned, graph)
    matrix, rollup, orphans, block_rows = [], [], [], []
    for p, children in blocks.items():
        labels = dict(zip(children, _labels(graph, docs, children), strict=True))
        tasks = _leaves(graph, _items_in_order(graph, p), PARENT_KINDS)
        block_rows.append(_block_row(graph, docs[p], p, children, len(tasks), missing=False))
        reached_by_item: dict[str, tuple] = {}
        for order, (task, top) in enumerate(tasks):
            by_doc: dict[str, list] = {}
            for item, (strong, strength, nxt) in chains(graph, task, rank).items():
                by_doc.setdefault(doc_of(graph, item), []).append((strong, strength, nxt))
                rollup.append(_rollup_row(graph, p, task, item, strength, strong, nxt))
                if (strong, strength) > reached_by_item.get(item, (False, -1.0, ""))[:2]:
                    reached_by_item[item] = (strong, strength, task)
            for child in children:
                hits = by_doc.get(child, [])
                strong, strength, nxt = max(hits, default=(False, 0.0, None))
                matrix.append(
                    {
                        "parent_doc": graph.nodes[p]["doc_id"],
                        "part": _part(graph, top, task),
                        "task_order": order,
                        "task_id": graph.nodes[task]["item_id"],
                        "task_number": graph.nodes[task].get("number") or "",
                        "task_heading": graph.nodes[task].get("heading") or "",
                        "child_doc": graph.nodes[child]["doc_id"],
                        "child_label": labels[child],
                        "child_region": docs[child].region or "",
                        "child_level": docs[child].level or "",
                        "year": _year(docs[child]),
                        "strength": round(strength, 4),
                        "n_links": len(hits),
                        "direct": bool(hits) and nxt == task,
                        "via_doc": "" if not hits or nxt == task else _doc_id(graph, nxt),
                        "status": "covered" if strong else ("weak" if hits else "gap"),
                    }
                )
        orphans += _orphans(graph, docs, p, children, reached_by_item, mentioned)

    assessed = {c for children in blocks.values() for c in children} | set(parents)
    if parent is None:
        matrix += _unassessed(graph, docs, assessed, block_rows)

    matrix_df = pd.DataFrame(matrix, columns=list(MATRIX_COLUMNS)).astype({"year": "Int64"})
    task_df = _task_coverage(matrix_df)
    gaps = (
        matrix_df[matrix_df["status"] == "gap"]
        .merge(
            task_df[["parent_doc", "task_id", "n_districts_covering"]],
            on=["parent_doc", "task_id"],
        )
        .assign(
            _col=lambda d: d["child_doc"].map({c: i for i, c in enumerate(d["child_doc"].unique())})
        )
        .sort_values(["parent_doc", "_col", "task_order"], kind="stable")
        .drop(columns=["_col", "strength", "n_links", "direct", "via_doc"])
    )
    gaps = _nearest(graph, gaps.reset_index(drop=True), candidates)
    return Coverage(
        parents=pd.DataFrame(block_rows, columns=list(PARENT_COLUMNS)),
        matrix=matrix_df,
        tasks=task_df,
        gaps=gaps,
        orphans=pd.DataFrame(orphans, columns=list(ORPHAN_COLUMNS)),
        targets=_compare_targets(graph, blocks, targets, rank),
        rollup=pd.DataFrame(rollup, columns=list(ROLLUP_COLUMNS)),
        years=_years(matrix_df),
    )


def _nearest(graph, gaps: pd.DataFrame, candidates: pd.DataFrame | None) -> pd.DataFrame:
    """``gaps`` with the child's item nearest to each task (empty where none scored above 0,
    or no candidates were given)."""
    out = gaps.assign(nearest_item="", nearest_heading="", nearest_score=math.nan)
    out["nearest_rank"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if candidates is None or candidates.empty or gaps.empty:
        return out
    first = candidates[candidates["task_rank"] == 1]
    found = first.set_index(["source_doc", "target_doc", "target_id"])[
        ["source_id", "score", "rank"]
    ]
    keys = pd.MultiIndex.from_frame(gaps[["child_doc", "parent_doc", "task_id"]])
    hit = found.reindex(keys)
    at = hit["source_id"].notna().to_numpy()
    items = hit["source_id"][at].tolist()
    docs = gaps.loc[at, "child_doc"].tolist()
    out.loc[at, "nearest_item"] = items
    out.loc[at, "nearest_heading"] = [
        graph.nodes[item_node(d, i)].get("heading") or "" for d, i in zip(docs, items, strict=True)
    ]
    out.loc[at, "nearest_score"] = hit["score"][at].to_numpy()
    out.loc[at, "nearest_rank"] = hit["rank"][at].astype("int64").to_numpy()
    return out


def by_region(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix with each region's documents merged into one column: the best status and
    strength, links summed. A region with one document keeps that document's label; one with
    several is labelled ``<region>（n份）``. This keeps heatmaps legible with many years of
    reports per district."""
    if matrix.empty:
        return matrix
    n_docs = matrix.groupby(["parent_doc", "child_region"])["child_doc"].transform("nunique")
    label = matrix["child_label"].where(
        n_docs == 1, matrix["child_region"] + "（" + n_docs.astype(str) + "份）"
    )
    rank = matrix["status"].map({"covered": 0, "weak": 1, "gap": 2}).fillna(3)
    ordered = matrix.assign(child_label=label, _rank=rank, _order=range(len(matrix)))
    keys = ["parent_doc", "task_id", "child_label"]
    best = ordered.sort_values(["_rank", "strength", "_order"], ascending=[True, False, True])
    merged = best.groupby(keys, sort=False).agg(
        {**{c: "first" for c in matrix.columns if c not in keys}, "n_links": "sum", "_order": "min"}
    )
    return merged.reset_index().sort_values("_order").drop(columns="_order")[list(matrix.columns)]


def doc_of(graph: nx.MultiDiGraph, item: str) -> str:
    """The document node an item belongs to."""
    return doc_node(graph.nodes[item]["doc_id"])


def _doc_id(graph: nx.MultiDiGraph, node: str) -> str:
    """A document's id; for a placeholder, its node name without ``doc:``."""
    attrs = graph.nodes[node] if node in graph else {}
    return attrs.get("doc_id") or node.removeprefix("doc:")


def _block_row(graph, meta: Metadata, node: str, children, n_tasks: int, *, missing: bool):
    return {
        "parent_doc": _doc_id(graph, node),
        "title": meta.title or "",
        "region": meta.region or "",
        "level": meta.level or "",
        "missing": missing,
        "n_tasks": n_tasks,
        "children": " | ".join(graph.nodes[c]["doc_id"] for c in children),
    }


def _rollup_row(graph, parent, task, item, strength, strong, nxt) -> dict:
    direct = nxt == task
    return {
        "parent_doc": graph.nodes[parent]["doc_id"],
        "task_id": graph.nodes[task]["item_id"],
        "child_doc": graph.nodes[item]["doc_id"],
        "child_item": graph.nodes[item]["item_id"],
        "strength": round(strength, 4),
        "strong": strong,
        "via_doc": "" if direct else graph.nodes[nxt]["doc_id"],
        "via_item": "" if direct else graph.nodes[nxt]["item_id"],
    }


def _unassessed(graph, docs, assessed: set[str], block_rows: list[dict]) -> list[dict]:
    """Rows for documents whose parent plan is not loaded, under a placeholder block each."""
    rows, placeholders = [], {}
    for child in docs:
        m = docs[child]
        if child in assessed or (m.kind in PARENT_PLAN_KINDS and _rank(m) < DISTRICT):
            continue
        if not region_chain(m)[1:]:
            continue  # a national document has no parent to miss
        node, title, region = _placeholder(graph, docs, child)
        placeholders.setdefault((node, title, region), []).append(child)
    for (node, title, region), children in sorted(placeholders.items()):
        parent_id = _doc_id(graph, node)
        meta = Metadata(title=title, region=region, level=_gazetteer_level(region))
        block_rows.append(_block_row(graph, meta, node, children, 0, missing=True))
        labels = _labels(graph, docs, children)
        for child, label in zip(children, labels, strict=True):
            rows.append(
                {
                    "parent_doc": parent_id,
                    "part": "",
                    "task_order": -1,
                    "task_id": "",
                    "task_number": "",
                    "task_heading": "",
                    "child_doc": graph.nodes[child]["doc_id"],
                    "child_label": label,
                    "child_region": docs[child].region or "",
                    "child_level": docs[child].level or "",
                    "year": _year(docs[child]),
                    "strength": float("nan"),
                    "n_links": 0,
                    "direct": False,
                    "via_doc": "",
                    "status": "parent_not_loaded",
                }
            )
    return rows


def _gazetteer_level(region: str) -> str | None:
    division = gazetteer().find(region)
    return division.level if division else None


def _task_coverage(matrix: pd.DataFrame) -> pd.DataFrame:
    m = matrix[matrix["status"] != "parent_not_loaded"].copy()
    m["covered"] = m["status"] == "covered"
    m["weak"] = m["status"] == "weak"
    m["district"] = m["child_level"] == "district"
    m["covered_district"] = m["covered"] & m["district"]
    keys = ["parent_doc", "part", "task_order", "task_id", "task_number", "task_heading"]
    out = (
        m.groupby(keys, sort=False)
        .agg(
            n_docs_covering=("covered", "sum"),
            n_docs_weak=("weak", "sum"),
            n_docs=("child_doc", "nunique"),
            n_districts_covering=("covered_district", "sum"),
            n_districts=("district", "sum"),
            best_strength=("strength", "max"),
        )
        .reset_index()
    )
    out["share"] = (out["n_docs_covering"] / out["n_docs"].where(out["n_docs"] > 0)).round(4)
    return out


def _mentioned(graph: nx.MultiDiGraph, item: str) -> dict[str, tuple]:
    """{term node: (weight,)} of the item's ``mentions`` edges, as :class:`Mentions` gives."""
    return {
        v: (edge.get("weight", 0.0),)
        for v in graph.successors(item)
        if (edge := graph.get_edge_data(item, v, "mentions")) is not None
    }


def _orphans(
    graph, docs, parent: str, children: list[str], reached: dict, mentioned: Callable
) -> list[dict]:
    """Finest action items of the children reaching no task of ``parent`` but weakly;
    ``mentioned(item)`` gives their key terms' nodes and weights."""
    rows = []
    for child in children:
        for item, _ in _leaves(graph, _items_in_order(graph, child), CHILD_KINDS):
            strong, strength, task = reached.get(item, (False, 0.0, None))
            if strong:
                continue
            attrs = graph.nodes[item]
            found = mentioned(item).items()
            terms = [(-w, graph.nodes[v]["label"]) for v, (w, *_) in found]
            elsewhere = []
            for v in graph.successors(item):
                node = graph.nodes[v]
                edge = graph.get_edge_data(item, v, "implements")
                if edge is not None and _strong(edge) and doc_node(node["doc_id"]) != parent:
                    number = node.get("number") or ""
                    elsewhere.append(f"{node['doc_id'][:3]} {number}{node.get('heading') or ''}")
            terms = sorted(terms)[:KEY_TERMS]
            elsewhere.sort()
            rows.append(
                {
                    "parent_doc": graph.nodes[parent]["doc_id"],
                    "child_doc": attrs["doc_id"],
                    "child_region": docs[child].region or "",
                    "item_id": attrs["item_id"],
                    "kind": attrs.get("kind", ""),
                    "heading": attrs.get("heading") or "",
                    "status": "weak_link_only" if task else "no_link",
                    "best_task": graph.nodes[task].get("number") or "" if task else "",
                    "best_task_heading": graph.nodes[task].get("heading") or "" if task else "",
                    "best_strength": round(strength, 4),
                    "strong_links_elsewhere": " | ".join(elsewhere),
                    "key_terms": "、".join(t for _, t in terms),
                    "text": attrs.get("text", ""),
                }
            )
    return rows


def _years(matrix: pd.DataFrame) -> pd.DataFrame:
    """Task x (region, year): the best strength of that region's documents of that year, or
    ``no_document`` where the region has none that year."""
    columns = [*TASK_COLUMNS, "child_region", "year", "n_docs", "strength", "n_links", "status"]
    m = matrix[(matrix["status"] != "parent_not_loaded") & matrix["year"].notna()]
    if m.empty:
        return pd.DataFrame(columns=columns)
    best = {s: i for i, s in enumerate(("covered", "weak", "gap"))}
    keys = ["task_id", "child_region", "year"]
    found = (
        m.assign(_best=m["status"].map(best))
        .groupby(["parent_doc", *keys], sort=False)
        .agg(
            n_docs=("child_doc", "size"),
            strength=("strength", "max"),
            n_links=("n_links", "sum"),
            _best=("_best", "min"),
        )
    )
    frames = []
    for parent_doc, block in m.groupby("parent_doc", sort=False):
        tasks = block.drop_duplicates("task_id")[list(TASK_COLUMNS)]
        grid = pd.MultiIndex.from_product(
            [
                tasks["task_id"],
                list(dict.fromkeys(block["child_region"])),
                sorted(block["year"].unique()),
            ],
            names=keys,
        ).to_frame(index=False)
        grid = grid.merge(tasks, on="task_id", how="left")
        frames.append(grid.merge(found.loc[parent_doc].reset_index(), on=keys, how="left"))
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["n_docs"] = out["n_docs"].fillna(0).astype(int)
    out["n_links"] = out["n_links"].fillna(0).astype(int)
    names = {i: s for s, i in best.items()}
    out["status"] = [names.get(b, "no_document") if b == b else "no_document" for b in out["_best"]]
    return out[columns]


# ---------------------------------------------------------------- targets side by side


@cache
def _subject_runs(subject: str) -> tuple[str, ...]:
    """The Han runs of a subject, generic words cut out (cached: subjects recur in every
    district's targets)."""
    for word in _generic_words():
        subject = subject.replace(word, "|")
    return tuple(_HAN_RUN.findall(subject))


@cache
def _generic_words() -> tuple[str, ...]:
    return tuple(sorted(word_set("stopwords.txt"), key=len, reverse=True))


def shared_subject(a: str, b: str) -> str:
    """The longest run of Han characters both target subjects name, generic words aside."""
    best = ""
    for x in _subject_runs(a):
        for y in _subject_runs(b):
            for i in range(len(x)):
                for j in range(i + len(best) + 1, len(x) + 1):
                    if x[i:j] in y:
                        best = x[i:j]
                    else:
                        break
    return best


def _verdict(parent: dict, child: dict, reports: bool) -> str:
    ok = {
        ">=": child["quantity"] >= parent["quantity"],
        ">": child["quantity"] > parent["quantity"],
        "<=": child["quantity"] <= parent["quantity"],
        "<": child["quantity"] < parent["quantity"],
        "=": child["quantity"] == parent["quantity"],
    }.get(parent["comparator"])
    if ok is None:
        return "not comparable"
    if reports:
        return "met" if ok else "not met"
    return "at least as ambitious" if ok else "less ambitious"


def _compare_targets(graph, blocks: dict[str, list[str]], targets: pd.DataFrame | None, rank):
    columns = [
        "parent_doc",
        "parent_item",
        "parent_subject",
        "parent_target",
        "child_doc",
        "child_item",
        "child_subject",
        "child_figure",
        "shared_subject",
        "linked",
        "verdict",
        "parent_sentence",
        "child_sentence",
    ]
    if targets is None or targets.empty:
        return pd.DataFrame(columns=columns)
    reached: dict[str, dict] = {}
    rows = []
    for p, children in blocks.items():
        pid = graph.nodes[p]["doc_id"]
        child_ids = {graph.nodes[c]["doc_id"]: c for c in children}
        mine = targets[targets["doc_id"] == pid].to_dict("records")
        theirs: dict[str, list[dict]] = {}  # by unit: only figures of one unit compare
        for ct in targets[targets["doc_id"].isin(child_ids)].to_dict("records"):
            theirs.setdefault(ct["unit"], []).append(ct)
        for pt in mine:
            for ct in theirs.get(pt["unit"], []):
                shared = shared_subject(pt["subject"], ct["subject"])
                if len(shared) < _MIN_SHARED_SUBJECT:
                    continue
                doc_kind = graph.nodes[child_ids[ct["doc_id"]]].get("kind")
                item = graph.nodes.get(item_node(ct["doc_id"], ct["item_id"]), {})
                reports = doc_kind == "annual_report" or item.get("kind") == "reported_work"
                rows.append(
                    {
                        "parent_doc": pid,
                        "parent_item": pt["item_id"],
                        "parent_subject": pt["subject"],
                        "parent_target": _figure(pt),
                        "child_doc": ct["doc_id"],
                        "child_item": ct["item_id"],
                        "child_subject": ct["subject"],
                        "child_figure": _figure(ct),
                        "shared_subject": shared,
                        "linked": _linked(graph, ct, pt, rank, reached),
                        "verdict": _verdict(pt, ct, reports=reports),
                        "parent_sentence": pt["sentence"],
                        "child_sentence": ct["sentence"],
                    }
                )
    return pd.DataFrame(rows, columns=columns)


def _figure(target: dict) -> str:
    sign = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": ""}.get(target["comparator"], "")
    return f"{sign}{target['quantity']:g}{target['unit']}"


def _linked(graph, child: dict, parent: dict, rank, reached: dict) -> bool:
    """Whether the child's item reaches the parent's item through implements links
    (``reached``: the chains already found, by target item)."""
    target = item_node(parent["doc_id"], parent["item_id"])
    if target not in reached:
        reached[target] = chains(graph, target, rank)
    return item_node(child["doc_id"], child["item_id"]) in reached[target]
