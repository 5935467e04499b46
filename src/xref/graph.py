"""The cross-reference graph: documents, items, terms, units and regions.

Schema (a ``networkx.MultiDiGraph``; the edge key is the edge type):

nodes, all with ``type`` and ``label`` (Chinese text lives in ``label``, ids are ASCII)
    ``doc:<id>``         type ``document``: doc_id, every :class:`~xref.types.Metadata` field
                         known, and missing (``True`` for a cited document not in the corpus;
                         its metadata is then read off the title, and ``titles`` lists every
                         title variant that cited it, ``" | "``-separated)
    ``item:<hash>``      type ``item``: doc_id, item_id, kind, number (as written: （四）),
                         heading, depth, and text: the item's own text, up to its first
                         child (the children are nodes of their own; ``items.csv`` and
                         ``links.csv`` carry full texts)
    ``term:<hash>``      type ``term``
    ``unit:<hash>``      type ``unit``
    ``region:<adcode>``  type ``region``: level
edges
    ``contains``      document -> top item, item -> child item
    ``implements``    child item -> parent task: weight (score), grade, evidence, decided_by
                      and the separate signals
    ``similar_to``    item -> task of a document of another region, only when asked for
                      (``xref build --similar-to``): the same attributes; a comparison, which
                      coverage never reads
    ``cites``         document -> document (or placeholder): title as written, count
    ``mentions``      item -> term: weight, found_by (quoted, dictionary or tfidf: the
                      ``source`` column of ``terms.csv``; an edge attribute named ``source``
                      would be overwritten by the source node in node-link JSON)
    ``responsible``   item -> unit: role
    ``located_in``    document -> region -> parent region

Every attribute is a scalar of one type per key (str, float, int or bool), never None or a
list, so GraphML and GEXF exports cannot fail or corrupt.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator
from functools import cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from xref.citations import normalize_title
from xref.frames import records
from xref.gazetteer import gazetteer
from xref.link import SIGNALS
from xref.metadata import infer_metadata
from xref.types import METADATA_FIELDS, Corpus, Metadata


def _hash(text: str, n: int = 12) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


MENTIONS = {"weight": "weight", "found_by": "source"}  # edge attribute -> terms column


def _named(kind: str, name: str) -> str:
    """The node of a term or unit: its kind and a hash of its name (ids stay ASCII)."""
    return f"{kind}:{_hash(name)}"


def doc_node(doc_id: str) -> str:
    return f"doc:{doc_id}" if doc_id.isascii() else f"doc:{_hash(doc_id)}"


def item_node(doc_id: str, item_id: str) -> str:
    return f"item:{_hash(doc_id + '/' + item_id, 16)}"


def _clean(attrs: dict) -> dict:
    """GraphML-safe attributes: drop missing values, keep scalars."""
    out = {}
    for k, v in attrs.items():
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            continue
        out[k] = v.item() if hasattr(v, "item") else v
    return out


def _meta_attrs(meta: Metadata) -> dict:
    return _clean({name: getattr(meta, name) for name in METADATA_FIELDS})


def doc_metadata(graph: nx.MultiDiGraph, node: str) -> Metadata:
    """The :class:`~xref.types.Metadata` of a document node."""
    attrs = graph.nodes[node]
    return Metadata(**{name: attrs.get(name) for name in METADATA_FIELDS})


def build_graph(
    corpus: Corpus,
    items: pd.DataFrame,
    links: pd.DataFrame,
    *,
    terms: pd.DataFrame | None = None,
    units: pd.DataFrame | None = None,
    citations: pd.DataFrame | None = None,
    mentions: bool = True,
    similar: pd.DataFrame | None = None,
) -> nx.MultiDiGraph:
    """The graph of a corpus: documents and their items, implements links, citations (with
    placeholders for cited documents not in the corpus), key terms, units and regions;
    ``similar_to`` links too when ``similar`` (:func:`xref.link.find_similar`) is given.

    ``mentions=False`` adds the term nodes but not their ``mentions`` edges, most of a large
    graph's edges and memory: :func:`graph_edges` gives them in their place, from
    ``Mentions(terms)``, to whatever reads every edge (the graph files), and
    :func:`xref.coverage` reads the orphans' key terms from it too."""
    g = nx.MultiDiGraph()
    gz = gazetteer()
    titles = {}
    for doc in corpus:
        m = doc.meta
        g.add_node(
            doc_node(doc.doc_id),
            type="document",
            label=m.title or doc.doc_id,
            doc_id=doc.doc_id,
            missing=False,
            **_meta_attrs(m),
        )
        if m.title:
            titles[normalize_title(m.title)] = doc.doc_id
        division = gz.find(m.region) if m.region else None
        previous = doc_node(doc.doc_id)
        for d in gz.chain(division) if division else []:
            node = f"region:{d.adcode}"
            g.add_node(node, type="region", label=d.name, level=d.level)
            if not g.has_edge(previous, node, key="located_in"):
                g.add_edge(previous, node, key="located_in", type="located_in")
            previous = node

    node_of = cache(item_node)  # for this graph: each item's node is named once per edge
    for row in records(items):
        node = node_of(row.doc_id, row.item_id)
        g.add_node(
            node,
            **_clean(
                {
                    "type": "item",
                    "label": row.heading or row.item_id,
                    "doc_id": row.doc_id,
                    "item_id": row.item_id,
                    "kind": row.kind,
                    "number": row.label,
                    "heading": row.heading,
                    "text": row.text[: row.own_end - row.start].rstrip(),
                    "depth": int(row.depth),
                }
            ),
        )
        parent = (
            node_of(row.doc_id, row.parent_id)
            if isinstance(row.parent_id, str)
            else doc_node(row.doc_id)
        )
        g.add_edge(parent, node, key="contains", type="contains")

    _link_edges(g, links, "implements", node_of)
    if similar is not None:
        _link_edges(g, similar, "similar_to", node_of)

    if citations is not None:
        # titles recur across documents: each placeholder's metadata is read once per title
        placeholder_meta = cache(
            lambda title: _meta_attrs(infer_metadata(title, [], {"title": title})[0])
        )
        rows = citations[["doc_id", "title_norm", "title"]].sort_values(
            ["doc_id", "title_norm"],
            kind="stable",  # stable: a group's first title stays first
        )
        pairs = zip(*(rows[c].tolist() for c in rows.columns), strict=True)
        for (doc_id, norm), group in groupby(pairs, key=itemgetter(0, 1)):
            cited = [title for *_, title in group]
            target_id = titles.get(norm)
            if target_id == doc_id:
                continue
            if target_id is None:
                target = f"doc:missing:{_hash(norm)}"
                variants = set(cited)
                if target in g:
                    variants |= set(g.nodes[target]["titles"].split(" | "))
                g.add_node(
                    target,
                    type="document",
                    label=cited[0],
                    missing=True,
                    titles=" | ".join(sorted(variants)),
                    **placeholder_meta(cited[0]),
                )
            else:
                target = doc_node(target_id)
            g.add_edge(
                doc_node(doc_id),
                target,
                key="cites",
                type="cites",
                title=cited[0],
                count=len(cited),
            )

    if terms is not None:
        _attach(g, terms, "term", "mentions" if mentions else None, MENTIONS, node_of)
    if units is not None:
        _attach(g, units, "unit", "responsible", {"role": "role"}, node_of)
    return g


def _link_edges(g: nx.MultiDiGraph, links: pd.DataFrame, key: str, node_of: Callable) -> None:
    """One ``key`` edge per row of a links frame (:func:`xref.link.score_pairs`' columns)."""
    signals = [s for s in SIGNALS if s in links.columns]
    for row in records(links):
        values = {s: getattr(row, s) for s in signals}
        g.add_edge(
            node_of(row.source_doc, row.source_id),
            node_of(row.target_doc, row.target_id),
            key=key,
            **_clean(
                {
                    "type": key,
                    "weight": float(row.score),
                    "grade": row.grade,
                    "evidence": row.evidence,
                    "decided_by": row.decided_by,
                    **{s: float(v) for s, v in values.items() if v == v},
                }
            ),
        )


def _attach(
    g: nx.MultiDiGraph,
    frame: pd.DataFrame,
    kind: str,
    edge: str | None,
    columns: dict[str, str],
    node_of: Callable[[str, str], str],
) -> None:
    """Nodes of ``kind`` named by the ``kind`` column of ``frame``, linked from their items
    (``node_of(doc_id, item_id)``: the item's node) by edges whose attributes are the
    ``columns`` (attribute name -> column); with ``edge=None`` the nodes alone, in the same
    order (an item not in the graph still becomes a node, where its edge would add it)."""
    nodes: dict[str, str] = {}
    names = tuple(columns)
    wanted = ("doc_id", "item_id", kind, *(columns.values() if edge else ()))
    for doc_id, item_id, name, *attrs in zip(*(frame[c].tolist() for c in wanted), strict=True):
        if (node := nodes.get(name)) is None:
            node = nodes[name] = _named(kind, name)
            g.add_node(node, type=kind, label=name)
        item = node_of(doc_id, item_id)
        if edge is None:
            if item not in g:
                g.add_node(item)
            continue
        g.add_edge(item, node, key=edge, type=edge, **dict(zip(names, attrs, strict=True)))


def graph_edges(
    graph: nx.MultiDiGraph, mentions: Callable[[str], dict[str, tuple[float, str]]] | None = None
) -> Iterator[tuple[str, str, str, dict]]:
    """``graph.edges(keys=True, data=True)``, read from the adjacency. With ``mentions``,
    for a graph built with ``mentions=False``: the edges of the graph ``mentions=True`` would
    have built, in its order (an item's ``mentions`` come after its ``contains`` and
    ``implements`` edges, before its ``responsible`` ones), each made as it is read."""
    for u, v, k, d in edge_runs(graph, mentions):
        if v is None:
            yield from d.edges(u)
        else:
            yield u, v, k, d


class MentionRun(NamedTuple):
    """An item's ``mentions`` edges, in order, as three lists: their term nodes, weights and
    ``found_by``. ``plain``: every weight is a finite float and every ``found_by`` a string,
    as a terms table gives them; the graph files write such runs from templates."""

    terms: list[str]
    weights: list[float]
    found_by: list[str]
    plain: bool

    def edges(self, item: str) -> Iterator[tuple[str, str, str, dict]]:
        """The run's edges from ``item``, as :func:`graph_edges` gives them."""
        for term, weight, found_by in zip(self.terms, self.weights, self.found_by, strict=True):
            yield (
                item,
                term,
                "mentions",
                {"type": "mentions", "weight": weight, "found_by": found_by},
            )


def edge_runs(
    graph: nx.MultiDiGraph, mentions: Callable[[str], dict[str, tuple[float, str]]] | None = None
) -> Iterator[tuple[str, str | None, str, dict | MentionRun]]:
    """The edges of :func:`graph_edges`, in its order, but an item's ``mentions`` edges made
    from ``mentions`` come as one ``(item, None, "mentions", MentionRun)``: the graph files
    write them from templates, without an attribute dict per edge (most of a large graph's
    edges)."""
    run = mentions.run if isinstance(mentions, Mentions) else _run_of(mentions)
    for u, neighbours in graph.adjacency():
        later = []  # an item's responsible units, after its mentions
        for v, keyed in neighbours.items():
            for k, d in keyed.items():
                if k == "responsible" and mentions is not None:
                    later.append((u, v, k, d))
                else:
                    yield u, v, k, d
        if mentions is not None and (found := run(u)).terms:
            yield u, None, "mentions", found
        yield from later


def plain_mention(weight: object, found_by: object) -> bool:
    """Whether a ``mentions`` edge's values are as a terms table gives them: a finite float
    weight and a string ``found_by`` (what the graph files' templates write)."""
    return type(weight) is float and math.isfinite(weight) and isinstance(found_by, str)


def _run_of(
    mentions: Callable[[str], dict[str, tuple[float, str]]] | None,
) -> Callable[[str], MentionRun]:
    """A run from any ``mentions`` callable."""

    def run(node: str) -> MentionRun:
        edges = mentions(node) if mentions is not None else {}
        plain = all(plain_mention(w, f) for w, f in edges.values())
        weights, found_by = [w for w, _ in edges.values()], [f for _, f in edges.values()]
        return MentionRun(list(edges), weights, found_by, plain)

    return run


class Mentions:
    """The ``mentions`` edges of a terms table (:func:`xref.terms_frame`), by item node:
    ``mentions(node)`` is ``{term node: (weight, found_by)}``, in the order of the table's
    rows, the last row of a repeated term winning as a repeated edge's attributes do; empty
    for an item without rows. A few arrays, built once and read by every writer, where the
    edges themselves would be a dict each."""

    def __init__(self, terms: pd.DataFrame):
        codes = terms.groupby(["doc_id", "item_id"], sort=False, dropna=False).ngroup()
        codes = codes.to_numpy()
        self._order = np.argsort(codes, kind="stable")
        n = int(codes.max()) + 1 if len(codes) else 0
        self._bounds = np.searchsorted(codes[self._order], np.arange(n + 1))
        firsts = self._order[self._bounds[:-1]]
        # the first row of each item names it: read those rows only, not whole columns
        docs, items = (terms[c].iloc[firsts].tolist() for c in ("doc_id", "item_id"))
        self._at = {item_node(d, i): g for g, (d, i) in enumerate(zip(docs, items, strict=True))}
        self._terms, names = pd.factorize(terms["term"])
        self._term_nodes = [_named("term", name) for name in names]
        # a missing source is a value of its own, as it is an edge's attribute
        self._sources, sources = pd.factorize(terms["source"], use_na_sentinel=False)
        self._source_names = sources.tolist()
        self._weights = terms["weight"].to_numpy()
        self._plain = (
            self._weights.dtype.kind == "f"
            and bool(np.isfinite(self._weights).all())
            and all(isinstance(name, str) for name in self._source_names)
        )

    def __call__(self, node: str) -> dict[str, tuple[float, str]]:
        return self._edges(self._rows(node))

    def run(self, node: str) -> MentionRun:
        """``self(node)`` as a :class:`MentionRun`, made without the dict."""
        rows = self._rows(node)
        codes = self._terms[rows].tolist()
        if len(set(codes)) < len(codes):  # a term twice: the dict decides, as for edges
            return _run_of(self)(node)
        names = self._source_names
        return MentionRun(
            [self._term_nodes[t] for t in codes],
            self._weights[rows].tolist(),
            [names[s] for s in self._sources[rows].tolist()],
            self._plain,
        )

    def for_scan(self) -> Callable[[str], dict[str, tuple[float, str]]]:
        """The ``mentions`` edges a scan of attribute names and types needs, by item node in
        the graph's order, as ``self(node)`` gives them. Of a plain table (float weights,
        string sources), whose edges all have the same names and types, only the first
        item with rows gives one, its first row's; the rest none (an edge made for every
        item was most of a scan's time). Of any other table, every edge."""
        if not self._plain:
            return self
        read = False

        def first(node: str) -> dict[str, tuple[float, str]]:
            nonlocal read
            if read or node not in self._at:
                return {}
            read = True
            return self._edges(self._rows(node)[:1])

        return first

    def _rows(self, node: str) -> np.ndarray:
        """The item's rows of the terms table, in order; none for an item without."""
        if (g := self._at.get(node)) is None:
            return self._order[:0]
        return self._order[self._bounds[g] : self._bounds[g + 1]]

    def _edges(self, rows: np.ndarray) -> dict[str, tuple[float, str]]:
        found = {}
        for t, w, s in zip(
            self._terms[rows].tolist(),
            self._weights[rows].tolist(),
            self._sources[rows].tolist(),
            strict=True,
        ):
            found[self._term_nodes[t]] = (w, self._source_names[s])
        return found


def implementers(graph: nx.MultiDiGraph, task: str) -> set[str]:
    """Every item that implements ``task`` directly or through intermediate tasks (a national
    task is reached through the city tasks that implement it)."""
    found, frontier = set(), [task]
    while frontier:
        node = frontier.pop()
        for source, _, key in graph.in_edges(node, keys=True):
            if key == "implements" and source not in found:
                found.add(source)
                frontier.append(source)
    return found
