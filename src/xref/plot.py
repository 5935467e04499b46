"""Figures. Each function draws on the ``ax`` it is given (or a new one), returns the Axes and
never saves: saving is the caller's choice. Chinese text renders through :mod:`xref.fonts`."""

from __future__ import annotations

import textwrap

import networkx as nx
import pandas as pd

from xref.coverage import by_region, kind_labels
from xref.fonts import cjk_rc
from xref.frames import records
from xref.graph import doc_node, implementers
from xref.io import atomic_write_bytes
from xref.link import STRONG_GRADES

KIND_COLOURS = {  # light fills: an item's box holds its text
    "task": "#dbe5f1",
    "measure": "#dcefe0",
    "reported_work": "#f8e3d2",
}
COLUMN_STEP = 1.7  # from one column of boxes to the next; a box is 1.2 wide
BOX_HALF = 0.6
ROW_STEP = 1.0


def draw_task_subgraph(graph: nx.MultiDiGraph, task: str, *, ax=None, wrap: int = 15):
    """The items implementing ``task``, directly or through intermediate tasks: the task on the
    right, each column one step further from it (a district measure -> the city's work points
    -> the city plan), items grouped under their document. A link is solid when coverage
    counts it as taking the task up (verbatim, adapted, added by an analyst), dashed when
    weak, thicker the higher its score."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    nodes = implementers(graph, task) | {task}
    links = [
        (u, v, d)
        for u in sorted(nodes)
        for _, v, key, d in graph.out_edges(u, keys=True, data=True)
        if key == "implements" and v in nodes
    ]
    steps = _steps_to(task, links)
    # a document's items stay together, in the column of its item furthest from the task
    doc_of = {n: graph.nodes[n].get("doc_id", "") for n in nodes}
    doc_step: dict[str, int] = {}
    for node in nodes:
        doc_step[doc_of[node]] = max(doc_step.get(doc_of[node], 0), steps[node])
    order = {n: i for i, n in enumerate(n for n in graph.nodes if n in nodes)}  # as in the text
    columns: dict[int, list[str]] = {}
    for node in sorted(nodes, key=lambda n: (doc_of[n], order[n])):
        columns.setdefault(doc_step[doc_of[node]], []).append(node)
    rows = {c: _column_rows(graph, members) for c, members in columns.items()}
    height = max(len(r) for r in rows.values())

    with plt.rc_context(cjk_rc()):
        if ax is None:
            _, ax = plt.subplots(figsize=(1.5 + 2.6 * len(columns), 1.2 + 0.42 * height))
        at: dict[str, tuple[float, float]] = {}
        for c, column in rows.items():
            x = -c * COLUMN_STEP
            top = (height - len(column)) / 2  # each column centred on the tallest
            for i, (kind, node) in enumerate(column):
                y = -(top + i) * ROW_STEP
                if kind == "document":
                    ax.text(x, y, node, ha="center", va="center", fontsize=8.5, color=PART_COLOUR)
                    continue
                at[node] = (x, y)
                attrs = graph.nodes[node]
                ax.add_patch(
                    FancyBboxPatch(
                        (x - BOX_HALF, y - 0.4 * ROW_STEP),
                        2 * BOX_HALF,
                        0.8 * ROW_STEP,
                        boxstyle="round,pad=0,rounding_size=0.08",
                        facecolor=KIND_COLOURS.get(attrs.get("kind", ""), "#eeeeee"),
                        edgecolor="#999999",
                        zorder=3,
                    )
                )
                text = f"{attrs.get('item_id', '')} {attrs.get('label', '')}"
                lines = textwrap.wrap(_short(text, 2 * wrap), wrap)
                ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=7, zorder=4)
        for u, v, d in links:
            (x0, y0), (x1, y1) = at[u], at[v]
            strong = d.get("grade") in STRONG_GRADES
            start, end = (x0 + BOX_HALF, y0), (x1 - BOX_HALF, y1)
            ax.annotate(
                "",
                xy=end,
                xytext=start,
                zorder=1,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#3b5b92" if strong else "#9a9a9a",
                    "linestyle": "-" if strong else "--",
                    "linewidth": 0.6 + 6 * float(d.get("weight", 0.0)),
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
            ax.text(
                start[0] + 0.2 * (end[0] - start[0]),
                start[1] + 0.2 * (end[1] - start[1]),
                f"{float(d.get('weight', 0.0)):.2f}",
                fontsize=6,
                ha="center",
                va="center",
                zorder=2,
                bbox={"boxstyle": "round,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            )
        ax.set_xlim(-max(columns) * COLUMN_STEP - 0.8, 0.8)
        ax.set_ylim(-height * ROW_STEP, ROW_STEP)
        ax.set_title(
            f"实施关系 · implements: {graph.nodes[task].get('label', task)}\n"
            "实线: 落实 (verbatim, adapted, analyst) · 虚线: 弱关联 weak · 线宽: 得分 score",
            fontsize=10,
        )
        ax.axis("off")
    return ax


def _steps_to(task: str, links: list[tuple[str, str, dict]]) -> dict[str, int]:
    """Each node's longest chain of links to ``task`` (the task: 0), so every link points to
    a column on its right."""
    targets: dict[str, list[str]] = {}
    for u, v, _ in links:
        targets.setdefault(u, []).append(v)
    steps = {task: 0}

    def step(node: str, seen: frozenset[str]) -> int:
        if node not in steps:
            further = [t for t in targets.get(node, ()) if t not in seen]  # an analyst's loop
            steps[node] = 1 + max((step(t, seen | {node}) for t in further), default=0)
        return steps[node]

    for node in targets:
        step(node, frozenset())
    return steps


def _column_rows(graph: nx.MultiDiGraph, members: list[str]) -> list[tuple[str, str]]:
    """A column's rows: each document's name, then its items."""
    rows: list[tuple[str, str]] = []
    current = None
    for node in members:
        doc_id = graph.nodes[node].get("doc_id", "")
        if doc_id != current:
            current = doc_id
            doc = graph.nodes[doc_node(doc_id)] if doc_node(doc_id) in graph else {}
            kind = kind_labels().get(doc.get("kind", ""), doc.get("kind"))
            name = " ".join(x for x in (doc_id[:3], doc.get("region"), kind) if x)
            rows.append(("document", name))
        rows.append(("item", node))
    return rows


# ---------------------------------------------------------------- coverage figures

STATUS_COLOURS = {"gap": "#f9dcd7", "no_document": "#c8c8c8", "parent_not_loaded": "#c8c8c8"}
STATUS_MARKS = {"gap": "×", "no_document": "无", "parent_not_loaded": "无"}
CMAP = "Blues"
NORM_GAMMA = 0.5  # spreads the low scores most links have; the scale still ends at 1
ROW_INCHES = 0.3
PART_COLOUR = "#1f4e8c"
NO_CHILDREN = "无下级文件 no document below"
MAX_PANELS = 4  # parents drawn in one heatmap figure
MAX_REGIONS = 8  # regions drawn in one small-multiples figure
# Beyond this many cells a figure is read by colour (its figures are in the tables), and
# drawing a number in every cell would be most of the time a build spends on figures.
MAX_LABELLED_CELLS = 600
COLUMN_INCHES = 1.25  # room for a cell's strength and link count (0.21·3)
# a cell read by colour only needs the width of its column's name (a region: 2-5 characters);
# at 1.25 inches a province's heatmap was a 28-megapixel image, most of its page's time
UNLABELLED_COLUMN_INCHES = 0.6


def _norm():
    from matplotlib.colors import PowerNorm

    return PowerNorm(NORM_GAMMA, vmin=0.0, vmax=1.0)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _rows(cells: pd.DataFrame) -> list[tuple[str, str | None]]:
    """Row labels in the parent's order, a bold header row before each part:
    ``(label, task_id)``, task_id ``None`` for a header."""
    rows, part = [], None
    tasks = cells.drop_duplicates("task_id").sort_values("task_order")
    for t in records(tasks):
        if t.part != part and t.part:
            rows.append((_short(t.part, 22), None))
        part = t.part
        rows.append((_short(f"{t.task_number}{t.task_heading}", 17), t.task_id))
    return rows


def _grid_rows(cells: pd.DataFrame) -> list[tuple[str, str | None]]:
    if cells.empty:
        return [(NO_CHILDREN, "")]
    if (cells["task_order"] < 0).all():
        return [("（规划未收录 plan not in corpus）", "")]
    return _rows(cells)


def _column_label(label: str) -> str:
    """On two lines: ``嘉定区 2023 工作要点`` at its first space, ``东城区（5份）`` before the
    count, so the columns can be as narrow as a region's name."""
    return label.replace(" ", "\n", 1) if " " in label else label.replace("（", "\n（", 1)


def _grid(
    ax,
    cells: pd.DataFrame,
    columns: list[str],
    column_key: str,
    title: str,
    *,
    labels: bool,
    row_names: bool = True,
) -> None:
    """Draw one status/strength grid: rows from :func:`_rows`, one column per ``columns``;
    with ``labels``, each cell's mark or strength written in it; with ``row_names``, the rows'
    names beside it."""
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.colors import to_rgba

    rows = _grid_rows(cells)
    lookup = {(c.task_id, getattr(c, column_key)): c for c in records(cells)}
    cmap, norm = plt.get_cmap(CMAP), _norm()
    rgba = np.ones((len(rows), len(columns), 4))
    for i, (_, task_id) in enumerate(rows):
        for j, col in enumerate(columns):
            if task_id is None:
                continue
            cell = lookup.get((task_id, col))
            status = cell.status if cell is not None else "no_document"
            if status in STATUS_COLOURS:
                rgba[i, j] = to_rgba(STATUS_COLOURS[status])
                if not labels:
                    continue
                ax.text(
                    j,
                    i,
                    STATUS_MARKS[status],
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="#b2432f" if status == "gap" else "#555555",
                )
                continue
            value = float(cell.strength)
            rgba[i, j] = cmap(norm(value))
            if not labels:
                continue
            text = f"{value:.2f}" + (f"·{cell.n_links}" if cell.n_links > 1 else "")
            ax.text(
                j,
                i,
                text if status == "covered" else f"({text})",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if norm(value) > 0.6 else "#222222",
            )
    # "none": a vector file embeds the grid's own pixels, not a resampled 150 dpi copy; a
    # raster one draws it as "nearest" would. The colours go in as the bytes matplotlib
    # would make of them, since it resamples an image of bytes (to millions of pixels) in
    # float32 and one of floats in float64: the same pixels, in less time and memory.
    ax.imshow((rgba * 255).astype(np.uint8), aspect="auto", interpolation="none")
    ax.set_xticks(range(len(columns)), [_column_label(c) for c in columns], fontsize=8)
    ax.xaxis.tick_top()
    if row_names:
        ax.set_yticks(range(len(rows)), [label for label, _ in rows], fontsize=8)
        for tick, (_, task_id) in zip(ax.get_yticklabels(), rows, strict=True):
            if task_id is None:  # the packaged CJK font has no bold face: mark parts by colour
                tick.set_color(PART_COLOUR)
    else:
        ax.set_yticks([])
    # cell borders as two line collections: as minor ticks' grid lines, each was a tick of
    # its own, and ticks were most of a figure's drawing time
    ax.hlines(np.arange(0.5, len(rows) - 1), -0.5, len(columns) - 0.5, color="white", lw=1.2)
    ax.vlines(np.arange(0.5, len(columns) - 1), -0.5, len(rows) - 0.5, color="white", lw=1.2)
    ax.tick_params(length=0)
    ax.set_title(title, fontsize=10, loc="left", pad=8)


def _legend(fig) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    cmap, norm = plt.get_cmap(CMAP), _norm()
    handles = [
        Patch(facecolor=cmap(norm(0.2)), label="0.20 落实 covered (·n: links)"),
        Patch(facecolor=cmap(norm(0.06)), label="(0.06) 弱关联 weak links only"),
        Patch(facecolor=STATUS_COLOURS["gap"], label="× 缺口 gap"),
        Patch(facecolor=STATUS_COLOURS["no_document"], label="无 未收录文件 no document"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)


def _finish(fig, note: str, *, bottom: float) -> None:
    """The legend below, a note on what was left out above, and the layout."""
    if note:
        fig.suptitle(note)
    _legend(fig)
    # the note takes half an inch at the top: without room kept, the first panel's column
    # names ran into it
    top = 1 - 0.5 / fig.get_figheight() if note else 1
    fig.tight_layout(rect=(0, bottom, 1, top))


def heatmap_figure(cov, parents: list[str] | None = None, *, max_panels: int = MAX_PANELS):
    """Coverage heatmaps, one panel per parent plan: its tasks (rows, grouped by part) against
    the regions below it (columns, each region's documents merged: see
    :func:`xref.coverage.by_region`); parents whose plan is not loaded get a grey strip.

    At most ``max_panels`` parents are drawn (loaded plans first); the title says how many
    more the tables hold.
    """
    import matplotlib.pyplot as plt

    blocks = (
        cov.parents if parents is None else cov.parents[cov.parents["parent_doc"].isin(parents)]
    )
    blocks = blocks.sort_values("missing", kind="stable")
    hidden, blocks = len(blocks) - min(len(blocks), max_panels), blocks.head(max_panels)
    matrix = by_region(cov.matrix)
    with plt.rc_context(cjk_rc()):
        if blocks.empty:  # no parent plan: say so rather than fail
            fig, ax = plt.subplots(figsize=(7.5, 1.5))
            ax.text(0.5, 0.5, "无上级规划 no parent plan in the corpus", ha="center")
            ax.axis("off")
            return fig
        panels = []
        for b in records(blocks):
            cells = matrix[matrix["parent_doc"] == b.parent_doc]
            columns = list(dict.fromkeys(cells["child_label"])) or [NO_CHILDREN]
            panels.append((b, cells, columns, len(_grid_rows(cells))))
        labels = sum(len(c) * rows for _, _, c, rows in panels) <= MAX_LABELLED_CELLS
        column = COLUMN_INCHES if labels else UNLABELLED_COLUMN_INCHES
        width = max(7.5, 3.2 + column * max(len(c) for _, _, c, _ in panels))
        heights = [rows + 1.6 for *_, rows in panels]
        fig, axes = plt.subplots(
            len(panels),
            1,
            figsize=(width, ROW_INCHES * sum(heights) + 0.8),
            gridspec_kw={"height_ratios": heights},
            squeeze=False,
        )
        for ax, (b, cells, columns, _) in zip(axes[:, 0], panels, strict=True):
            note = " · 未收录 not in corpus" if b.missing else ""
            title = f"{_short(b.title, 34)}{note}"
            _grid(ax, cells, columns, "child_label", title, labels=labels)
        more = f"另有 {hidden} 个上级规划见 coverage.csv · {hidden} more parents in the tables"
        _finish(fig, more if hidden else "", bottom=0.05)
    return fig


def draw_task_coverage(cov, parent: str, *, ax=None):
    """Bars per parent task: how many documents take it up (dark) or link to it weakly."""
    import matplotlib.pyplot as plt

    tasks = cov.tasks[cov.tasks["parent_doc"] == parent].sort_values("task_order")
    with plt.rc_context(cjk_rc()):
        if ax is None:
            _, ax = plt.subplots(figsize=(7.5, 0.28 * len(tasks) + 1.2))
        if tasks.empty:
            ax.text(0.5, 0.5, NO_CHILDREN, ha="center", transform=ax.transAxes)
            ax.axis("off")
            return ax
        labels = [_short(f"{t.task_number}{t.task_heading}", 17) for t in tasks.itertuples()]
        y = range(len(tasks))
        cmap = plt.get_cmap(CMAP)
        ax.barh(y, tasks["n_docs_covering"], color=cmap(0.75), label="落实 covered")
        ax.barh(
            y,
            tasks["n_docs_weak"],
            left=tasks["n_docs_covering"],
            color=cmap(0.3),
            label="弱关联 weak",
        )
        ax.set_yticks(list(y), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(1, int(tasks["n_docs"].max())))
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("文件数 documents taking the task up")
        ax.legend(fontsize=8, loc="lower right")
        ax.set_title("任务落实情况 · task coverage", fontsize=10, loc="left")
    return ax


def years_figure(cov, parent: str, *, max_regions: int = MAX_REGIONS):
    """Small multiples, one panel per region below ``parent`` (the first ``max_regions``):
    its tasks against years, grey where the region has no document of that year."""
    import matplotlib.pyplot as plt

    cells = cov.years[cov.years["parent_doc"] == parent]
    regions = list(dict.fromkeys(cells["child_region"]))
    hidden, regions = regions[max_regions:], regions[:max_regions]
    with plt.rc_context(cjk_rc()):
        n_rows = len(_rows(cells)) if len(cells) else 1
        fig, axes = plt.subplots(
            1,
            max(1, len(regions)),
            figsize=(3.4 + 1.5 * len(regions), ROW_INCHES * n_rows + 1.6),
            squeeze=False,
        )
        shown = cells[cells["child_region"].isin(regions)]
        labels = n_rows * shown.groupby("child_region")["year"].nunique().sum() <= (
            MAX_LABELLED_CELLS
        )
        for ax, region in zip(axes[0], regions, strict=False):
            mine = cells[cells["child_region"] == region].assign(
                year=lambda d: d["year"].astype(str)
            )
            years = list(dict.fromkeys(mine["year"]))
            first = ax is axes[0][0]
            _grid(ax, mine, years, "year", region, labels=labels, row_names=first)
        more = f"另有 {len(hidden)} 个地区见 coverage_years.csv · {len(hidden)} more regions"
        _finish(fig, more if hidden else "", bottom=0.06)
    return fig


def figure_bytes(fig, fmt: str) -> bytes:
    """A figure as ``png`` or ``svg`` bytes, byte for byte reproducible (no timestamp, fixed
    SVG ids)."""
    import io as _io

    import matplotlib.pyplot as plt

    buffer = _io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None} if fmt == "png" else {}
    with plt.rc_context({"svg.hashsalt": "xref", **cjk_rc()}):
        fig.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    return buffer.getvalue()


def save_figure(fig, path) -> bytes:
    """Save a figure (format from the suffix) atomically; returns the bytes written."""
    from pathlib import Path

    data = figure_bytes(fig, Path(path).suffix.lstrip("."))
    atomic_write_bytes(path, data)
    return data
