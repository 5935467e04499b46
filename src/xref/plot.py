"""Figures. Each function draws on the ``ax`` it is given (or a new one), returns the Axes and
never saves: saving is the caller's choice. Chinese text renders through :mod:`xref.fonts`."""

from __future__ import annotations

import textwrap

import networkx as nx

from xref.fonts import cjk_font_name, cjk_rc
from xref.graph import implementers

KIND_COLOURS = {
    "task": "#4c72b0",
    "measure": "#55a868",
    "reported_work": "#dd8452",
    "document": "#8c8c8c",
}


def draw_task_subgraph(graph: nx.MultiDiGraph, task: str, *, ax=None, wrap: int = 12):
    """The items implementing ``task`` (directly or through intermediate tasks), grouped by
    document, with implements edges labelled by score."""
    import matplotlib.pyplot as plt

    with plt.rc_context(cjk_rc()):
        if ax is None:
            _, ax = plt.subplots(figsize=(11, 7))
        nodes = sorted(implementers(graph, task) | {task})
        sub = nx.DiGraph()
        for node in nodes:
            sub.add_node(node, **graph.nodes[node])
        for u, v, key, data in graph.edges(nodes, keys=True, data=True):
            if key == "implements" and v in sub:
                sub.add_edge(u, v, weight=data.get("weight", 0.0))
        docs = sorted({sub.nodes[n].get("doc_id", "") for n in sub})
        layers = {n: docs.index(sub.nodes[n].get("doc_id", "")) for n in sub}
        nx.set_node_attributes(sub, layers, "layer")
        pos = nx.multipartite_layout(sub, subset_key="layer", align="horizontal")
        colours = [KIND_COLOURS.get(sub.nodes[n].get("kind", ""), "#999999") for n in sub]
        labels = {
            n: "\n".join(
                textwrap.wrap(
                    f"{sub.nodes[n].get('doc_id', '')[:3]} {sub.nodes[n].get('item_id', '')}\n"
                    f"{sub.nodes[n].get('label', '')}",
                    wrap,
                )
            )
            for n in sub
        }
        nx.draw_networkx_nodes(sub, pos, ax=ax, node_color=colours, node_size=900, alpha=0.85)
        nx.draw_networkx_edges(sub, pos, ax=ax, arrows=True, arrowsize=14, edge_color="#555555")
        family = cjk_font_name()  # networkx passes font_family="sans-serif" unless told
        nx.draw_networkx_labels(sub, pos, labels, ax=ax, font_size=7, font_family=family)
        nx.draw_networkx_edge_labels(
            sub,
            pos,
            {(u, v): f"{d['weight']:.2f}" for u, v, d in sub.edges(data=True)},
            font_family=family,
            ax=ax,
            font_size=7,
        )
        ax.set_title(f"实施关系 · implements: {graph.nodes[task].get('label', task)}")
        ax.axis("off")
    return ax
