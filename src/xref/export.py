"""Graph exports, one function per format, each written atomically and deterministically.

- GraphML (``write_graphml``): typed attributes; keys are declared per attribute name, so
  every value of one name must have one type (the schema in :mod:`xref.graph` ensures it).
  Opens in Gephi, Cytoscape, yEd and ``networkx.read_graphml``.
- GEXF (``write_gexf``): Gephi's own format, written directly rather than through networkx
  (four times faster on large graphs, and an edge's ``type`` attribute stays an attribute:
  networkx puts it in GEXF's own edge ``type``, where only directed/undirected/mutual are
  valid). ``lastmodifieddate`` is the newest date of the corpus, so the same input gives the
  same bytes.
- Node-link JSON (``write_json``): for web viewers and ``networkx.node_link_graph``; keys
  sorted, non-ASCII kept as is, no indentation (a quarter of the time, and a smaller file),
  nodes encoded a few thousand per call (a third faster than one call per element), the
  ``mentions`` edges from a template.

GraphML is written directly too, byte for byte what networkx's lxml writer gives (a test
holds them equal) in a third of its time.

Both XML formats declare every attribute before the first node, which takes a walk over the
graph (:func:`graph_schema`); :func:`write_graph_files` writes the three files with one walk.

Most of a large graph's edges are ``mentions`` (item -> key term). For a graph built without
them, each writer takes an item's edges as one run (:func:`~xref.graph.edge_runs`) and writes
them from a template made once per format, per term and per ``found_by``, where an attribute
dict per edge took more time than the writing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from itertools import count, islice
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from xref.graph import MentionRun, Mentions, edge_runs, graph_edges, plain_mention
from xref.io import atomic_writer

CHUNK = 4096  # objects per call of the JSON encoder
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r]")  # what element text escapes
# what an attribute value escapes or drops (GEXF)
_ATTR_SPECIAL = re.compile("[&<>\"'\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# the value types both formats declare, by the names both use (bool before int: a subclass)
_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)


def _graphml_text(value: object) -> str:
    """Escaped as libxml2 escapes element text (``str.replace`` is many times faster than
    ``str.translate`` on CJK text)."""
    if not isinstance(value, str):
        return str(value)  # a number or boolean: nothing to escape
    if _TEXT_SPECIAL.search(value) is None:  # most text: one scan instead of four
        return value
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def _graphml_attr(value: object) -> str:
    """Escaped as libxml2 escapes attribute values: quotes and whitespace controls too."""
    text = _graphml_text(value).replace('"', "&quot;")
    return text.replace("\n", "&#10;").replace("\t", "&#9;")


def _attribute_types(dicts: Iterable[dict]) -> Iterator[tuple[str, type]]:
    """Each attribute's (name, value type), once, in order of first appearance. Elements
    whose layout (names, then types, in one flat tuple) was seen before are skipped: most
    repeat a few."""
    layouts, pairs = set(), set()
    for attrs in dicts:
        layout = (*attrs, *map(type, attrs.values()))
        if layout in layouts:
            continue
        layouts.add(layout)
        n = len(attrs)
        for pair in zip(layout[:n], layout[n:], strict=True):
            if pair not in pairs:
                pairs.add(pair)
                yield pair


def _edge_dicts(graph: nx.MultiDiGraph, mentions: Mentions | None) -> Iterator[dict]:
    """Every edge's attributes, in the order of :func:`~xref.graph.graph_edges`, for a scan
    of their names and types (:func:`_attribute_types`), but of the ``mentions`` edges only
    those that scan needs (:meth:`~xref.graph.Mentions.for_scan`)."""
    return (d for *_, d in graph_edges(graph, None if mentions is None else mentions.for_scan()))


class Schema(NamedTuple):
    """A graph's attribute names with their value types, in order of first appearance, per
    scope: what the GraphML and GEXF files declare before their nodes and edges."""

    graph: tuple[tuple[str, type], ...]
    node: tuple[tuple[str, type], ...]
    edge: tuple[tuple[str, type], ...]


def graph_schema(graph: nx.MultiDiGraph, mentions: Mentions | None = None) -> Schema:
    """The :class:`Schema` of ``graph`` (with its ``mentions`` edges, see
    :func:`write_graphml`): a walk over every node and edge, which :func:`write_graph_files`
    makes once for both XML files."""
    return Schema(
        tuple(_attribute_types([graph.graph])),
        tuple(_attribute_types(d for _, d in graph.nodes(data=True))),
        tuple(_attribute_types(_edge_dicts(graph, mentions))),
    )


def _graphml_keys(schema: Schema) -> dict[tuple[str, str, type], str]:
    """Key ids by (scope, name, value type), numbered in order of first appearance: graph,
    then node, then edge attributes (networkx's order; a name seen with two types gets two
    keys, as there)."""
    keys: dict[tuple[str, str, type], str] = {}
    for scope, pairs in zip(Schema._fields, schema, strict=True):
        for name, kind in pairs:
            if kind not in _XML_TYPES:
                raise TypeError(f"GraphML has no type {kind.__name__} (attribute {name})")
            keys[scope, str(name), kind] = f"d{len(keys)}"
    return keys


def write_graphml(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    mentions: Mentions | None = None,
    schema: Schema | None = None,
) -> None:
    """GraphML, streamed a node and an edge at a time: the bytes of networkx's
    ``write_graphml_lxml(graph, fh, prettyprint=True)``, control characters dropped.
    ``mentions``: for a graph built with ``mentions=False``, where its ``mentions`` edges
    are read (:class:`~xref.graph.Mentions`); the same for every writer here. ``schema``:
    :func:`graph_schema` of the graph as it is, if made already; the same for GEXF."""
    keys = _graphml_keys(graph_schema(graph, mentions) if schema is None else schema)
    by_scope: dict[str, dict[tuple[str, type], str]] = {"graph": {}, "node": {}, "edge": {}}
    for (scope, name, kind), key_id in keys.items():
        by_scope[scope][name, kind] = key_id

    # Control characters are dropped from each part (ids, data) as it is made, once: each
    # recurs in many elements, and dropping single characters from the parts drops them from
    # the whole.
    def data(scope: str, attrs: dict, indent: str = "  ") -> str:
        ids = by_scope[scope]
        return _XML_INVALID.sub(
            "",
            "".join(
                f'{indent}<data key="{ids[str(k), type(v)]}">{_graphml_text(v)}</data>\n'
                for k, v in attrs.items()
            ),
        )

    edge_data = _small_memo(partial(data, "edge"))

    def element(tag: str, attrs: str, body: str) -> bytes:
        text = f"<{tag} {attrs}>\n{body}</{tag}>\n" if body else f"<{tag} {attrs}/>\n"
        return text.encode()

    def escaped(name: object) -> str:
        return _XML_INVALID.sub("", _graphml_attr(name))

    declared = "".join(  # networkx lists the keys newest first
        f'<key id="{i}" for="{scope}" attr.name="{_graphml_attr(name)}" '
        f'attr.type="{_XML_TYPES[kind]}"/>\n'
        for (scope, name, kind), i in reversed(keys.items())
    )
    kind = "directed" if graph.is_directed() else "undirected"
    head = f'{_GRAPHML_HEAD}{declared}<graph edgedefault="{kind}">{data("graph", graph.graph, "")}'
    ids: dict[object, str] = {}  # node ids and edge keys, escaped once: each recurs often

    def edge(u: object, v: object, key: object, attrs: dict) -> bytes:
        if key not in ids:
            ids[key] = escaped(key)
        ends = f'source="{ids[u]}" target="{ids[v]}" id="{ids[key]}"'
        return element("edge", ends, edge_data(attrs))

    # a plain run of mentions edges, from parts made once per term and per found_by
    keyed = by_scope["edge"]
    after_term = _Memo(
        lambda term: (
            f'{ids[term]}" id="mentions">\n  <data key="{keyed["type", str]}">mentions'
            f'</data>\n  <data key="{keyed["weight", float]}">'
        )
    )
    after_weight = _Memo(
        lambda found_by: (
            f'</data>\n  <data key="{keyed["found_by", str]}">'
            f"{_XML_INVALID.sub('', _graphml_text(found_by))}</data>\n</edge>\n"
        )
    )

    def run(item: str, edges: MentionRun) -> bytes:
        head = f'<edge source="{ids[item]}" target="'
        return "".join(
            [
                f"{head}{after_term[t]}{w!r}{after_weight[f]}"
                for t, w, f in zip(edges.terms, edges.weights, edges.found_by, strict=True)
            ]
        ).encode()

    with atomic_writer(path) as fh:
        fh.write(_XML_INVALID.sub("", head).encode())
        for node, attrs in graph.nodes(data=True):
            ids[node] = escaped(node)
            fh.write(element("node", f'id="{ids[node]}"', data("node", attrs)))
        for u, v, key, attrs in _runs_or_edges(graph, mentions):
            fh.write(edge(u, v, key, attrs) if v is not None else run(u, attrs))
        fh.write(b"</graph></graphml>")


class _Memo(dict):
    """``memo[key]`` is ``make(key)``, made once."""

    def __init__(self, make: Callable[[Any], str]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: object) -> str:
        self[key] = value = self._make(key)
        return value


def _small_memo(render: Callable[[dict], str]) -> Callable[[dict], str]:
    """``render(attrs)``, remembered for attribute dicts of up to three entries: most edges
    (``mentions``, ``contains``...) repeat a few such dicts, weights rounded to four places.
    Values are keyed by ``repr``: ``1``, ``1.0`` and ``True`` are equal, and so are ``0.0``
    and ``-0.0``, but none is written like another."""
    memo: dict[tuple, str] = {}

    def cached(attrs: dict) -> str:
        if len(attrs) > 3:
            return render(attrs)
        key = (*attrs, *map(repr, attrs.values()))
        if (text := memo.get(key)) is None:
            text = memo[key] = render(attrs)
        return text

    return cached


def _xml(value: object) -> str:
    """Escaped for an XML attribute as ``html.escape(quote=True)`` would, and carriage
    returns as ``&#13;`` (a raw one reads back as a line feed); control characters dropped,
    booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)  # a number: nothing to drop or escape
    if _ATTR_SPECIAL.search(value) is None:  # most text: one scan instead of seven
        return value
    text = _graphml_text(_XML_INVALID.sub("", value))
    return text.replace('"', "&quot;").replace("'", "&#x27;")


def _declare(pairs: Iterable[tuple[str, type]], skip: str) -> dict[str, tuple[str, str]]:
    """Every attribute name of a scope's :class:`Schema` but ``skip``, numbered in order,
    with the GEXF type of its first value."""
    declared: dict[str, tuple[str, str]] = {}
    for name, kind in pairs:
        if name != skip and name not in declared:
            gexf = next(t for cls, t in _XML_TYPES.items() if issubclass(kind, cls))
            declared[name] = (str(len(declared)), gexf)
    return declared


def _attvalues(declared: dict[str, tuple[str, str]], attrs: dict, skip: str) -> str:
    values = "".join(
        f'<attvalue for="{declared[k][0]}" value="{_xml(v)}"/>'
        for k, v in attrs.items()
        if k != skip
    )
    return f"<attvalues>{values}</attvalues>" if values else ""


def _edge_body(declared: dict[str, tuple[str, str]], attrs: dict) -> str:
    """A GEXF edge after its ends: the weight, the attvalues, the closing tag."""
    weight = attrs.get("weight")
    w = f' weight="{float(weight)!r}"' if weight is not None else ""
    return f"{w}>{_attvalues(declared, attrs, 'weight')}</edge>\n"


def write_gexf(
    graph: nx.MultiDiGraph,
    path: str | Path,
    *,
    date: str = "2000-01-01",
    mentions: Mentions | None = None,
    schema: Schema | None = None,
) -> None:
    """GEXF 1.2, written directly: a node's ``label`` is its GEXF label and an edge's
    ``weight`` its GEXF weight; every other attribute is a declared attvalue (an edge's
    ``type`` too: in GEXF's own ``type`` only directed/undirected/mutual are valid)."""
    schema = graph_schema(graph, mentions) if schema is None else schema
    node_keys = _declare(schema.node, skip="label")
    edge_keys = _declare(schema.edge, skip="weight")
    out = [  # the header; nodes and edges are streamed, a line each
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n',
        f'<meta lastmodifieddate="{_xml(date)}"><creator>xref</creator></meta>\n',
        '<graph defaultedgetype="directed" mode="static">\n',
    ]
    for cls, declared in (("node", node_keys), ("edge", edge_keys)):
        out.append(f'<attributes class="{cls}" mode="static">\n')
        out += [
            f'<attribute id="{i}" title="{_xml(name)}" type="{kind}"/>\n'
            for name, (i, kind) in declared.items()
        ]
        out.append("</attributes>\n")
    out.append("<nodes>\n")
    with atomic_writer(path) as fh:
        fh.write("".join(out).encode("utf-8"))
        ids: dict[object, str] = {}  # node ids, escaped once: each recurs in many edges
        for node, attrs in graph.nodes(data=True):
            ids[node] = _xml(node)
            fh.write(
                f'<node id="{ids[node]}" label="{_xml(attrs.get("label", node))}">'
                f"{_attvalues(node_keys, attrs, 'label')}</node>\n".encode()
            )
        fh.write(b"</nodes>\n<edges>\n")
        body = _small_memo(partial(_edge_body, edge_keys))
        # a plain run of mentions edges: their attvalues made once per found_by
        after_weight = _Memo(
            lambda found_by: (
                f'<attvalues><attvalue for="{edge_keys["type"][0]}" '
                f'value="mentions"/><attvalue for="{edge_keys["found_by"][0]}" '
                f'value="{_xml(found_by)}"/></attvalues></edge>\n'
            )
        )
        i = 0  # the edges' ids: their places in the file
        for u, v, _, attrs in _runs_or_edges(graph, mentions):
            if v is not None:
                fh.write(
                    f'<edge id="{i}" source="{ids[u]}" target="{ids[v]}"{body(attrs)}'.encode()
                )
                i += 1
                continue
            head = f'" source="{ids[u]}" target="'
            edges = zip(count(i), attrs.terms, attrs.weights, attrs.found_by)
            fh.write(
                "".join(
                    [
                        f'<edge id="{n}{head}{ids[t]}" weight="{w!r}">{after_weight[f]}'
                        for n, t, w, f in edges
                    ]
                ).encode()
            )
            i += len(attrs.terms)
        fh.write(b"</edges>\n</graph>\n</gexf>\n")


def write_graph_files(
    graph: nx.MultiDiGraph,
    folder: str | Path,
    *,
    date: str = "2000-01-01",
    mentions: Mentions | None = None,
) -> list[Path]:
    """``graph.json``, ``graph.graphml`` and ``graph.gexf`` in ``folder``, as the writers
    below write them, with the attribute scan both XML files need made once; returns the
    paths written."""
    folder = Path(folder)
    schema = graph_schema(graph, mentions)
    paths = [folder / f"graph.{suffix}" for suffix in ("json", "graphml", "gexf")]
    write_json(graph, paths[0], mentions=mentions)
    write_graphml(graph, paths[1], mentions=mentions, schema=schema)
    write_gexf(graph, paths[2], date=date, mentions=mentions, schema=schema)
    return paths


def write_json(
    graph: nx.MultiDiGraph, path: str | Path, *, mentions: Mentions | None = None
) -> None:
    """What ``json.dumps(nx.node_link_data(graph, edges="links"), sort_keys=True)`` gives,
    streamed a chunk of nodes or edges at a time instead of built whole in memory."""
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode

    def listed(texts: Iterator[str]) -> Iterator[bytes]:
        sep = ""
        while chunk := list(islice(texts, CHUNK)):
            yield (sep + ",".join(chunk)).encode()
            sep = ","

    def encoded(objects: Iterator[dict]) -> Iterator[str]:
        """The objects encoded a few thousand at a time, since a call of the encoder costs
        about as much as encoding a small object."""
        while chunk := list(islice(objects, CHUNK)):
            yield dumps(chunk)[1:-1]

    nodes = ({**d, "id": n} for n, d in graph.nodes(data=True))
    with atomic_writer(path) as fh:
        head = f'{{"directed":{dumps(graph.is_directed())},"graph":{dumps(graph.graph)},"links":['
        fh.write(head.encode())
        fh.writelines(listed(_edge_objects(graph, mentions, dumps)))
        fh.write(f'],"multigraph":{dumps(graph.is_multigraph())},"nodes":['.encode())
        fh.writelines(listed(encoded(nodes)))
        fh.write(b"]}")


_MENTION_ATTRS = {"type", "weight", "found_by"}


def _runs_or_edges(
    graph: nx.MultiDiGraph, mentions: Mentions | None
) -> Iterator[tuple[str, str | None, str, dict | MentionRun]]:
    """:func:`~xref.graph.edge_runs`, each run that is not plain given edge by edge."""
    for u, v, k, d in edge_runs(graph, mentions):
        if v is None and not d.plain:
            yield from d.edges(u)
        else:
            yield u, v, k, d


def _edge_objects(
    graph: nx.MultiDiGraph, mentions: Mentions | None, dumps: Callable[[object], str]
) -> Iterator[str]:
    """Each edge's node-link object, in order. A ``mentions`` edge (most of a large graph's
    edges: three attributes, a finite float weight) is written from a template as the encoder
    writes it, in a third of the time; any other edge by the encoder."""
    quoted = lru_cache(maxsize=CHUNK)(encode_basestring)  # a term recurs, an item's id in a row

    def mention(source: str, term: str, weight: float, found_by: str) -> str:
        return (
            f'{{"found_by":{quoted(found_by)},"key":"mentions","source":{source},'
            f'"target":{quoted(term)},"type":"mentions","weight":{weight!r}}}'
        )

    for u, v, k, d in _runs_or_edges(graph, mentions):
        if v is None:  # a plain run of mentions edges
            source = quoted(u)
            yield from (
                mention(source, t, w, f)
                for t, w, f in zip(d.terms, d.weights, d.found_by, strict=True)
            )
        elif (
            k == "mentions"
            and d.keys() == _MENTION_ATTRS
            and d["type"] == "mentions"
            and plain_mention(d["weight"], d["found_by"])
            and isinstance(u, str)
            and isinstance(v, str)
        ):
            yield mention(quoted(u), v, d["weight"], d["found_by"])
        else:
            yield dumps({**d, "source": u, "target": v, "key": k})
