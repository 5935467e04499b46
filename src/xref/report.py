"""Coverage outputs for analysts: CSV tables, figures, one self-contained HTML report and an
Excel workbook.

The HTML report needs no network and runs no code: every text from a document is escaped,
figures are embedded as data URIs, and a Content-Security-Policy forbids scripts outright,
so even a document that contains ``<script>`` cannot run anything when the report opens.
Likewise the workbook writes every text as text: a document's line that starts with ``=``
is not a formula there.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import io
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pandas as pd
import xlsxwriter

from xref.corpus import REPORT_MARK
from xref.coverage import Coverage
from xref.fonts import font_face_css
from xref.frames import records
from xref.io import atomic_write_bytes, write_csv
from xref.plot import (
    MAX_PANELS,
    draw_task_coverage,
    figure_bytes,
    heatmap_figure,
    save_figure,
    years_figure,
)

EXCERPT = 80  # characters of an orphan's text shown in the report
PLAN_FIGURES = ("coverage_bars", "coverage_years")  # figures/<stem>_<plan id>.png
# what a run replaces whole: another run's figures of plans this one does not detail
STALE = tuple(f"figures/{stem}_*.png" for stem in PLAN_FIGURES)
EXCEL_ROWS = 1_048_576  # rows an Excel sheet holds
EXCEL_CELL = 32_767  # UTF-16 code units a cell holds
EXCEL_COLUMNS = 16_384  # columns an Excel sheet holds
CSP = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"
STYLE = """
body { font-family: "xref CJK", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       margin: 2em auto; max-width: 70em; color: #222; line-height: 1.5; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
th { background: #f3f5f8; }
td.covered { background: #9ecae1; } td.weak { background: #deebf7; }
td.gap { background: #f9dcd7; color: #b2432f; text-align: center; }
table.gaps th { background: #f9dcd7; }
img { max-width: 100%; }
.card { border: 1px solid #ccd; border-radius: 4px; padding: 0.5em 0.8em; margin: 0.5em 0; }
.card p { margin: 0.2em 0; } .muted { color: #666; font-size: 0.9em; }
details { margin: 0.3em 0 0.3em 1em; } summary { cursor: pointer; }
"""


def _e(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value))


def _anchor(*parts: str) -> str:
    return "c" + hashlib.sha1("/".join(parts).encode("utf-8")).hexdigest()[:12]


def _table(df: pd.DataFrame, table_id: str, css: str = "") -> str:
    if df.empty:
        return f'<p id="{table_id}" class="muted">（无 none）</p>'
    return df.to_html(
        index=False, escape=True, na_rep="", table_id=table_id, border=0, classes=css or None
    )


def _grid(cov: Coverage, parent: str) -> str:
    """The coverage matrix as an HTML table; each cell links to its evidence cards."""
    cells = cov.matrix[cov.matrix["parent_doc"] == parent]
    columns = list(dict.fromkeys(cells["child_label"]))
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    out = [f'<table class="grid"><tr><th>任务 task</th>{head}</tr>']
    lookup = {(c.task_id, c.child_label): c for c in records(cells)}
    for first in records(cells.drop_duplicates("task_id")):
        task_id = first.task_id
        out.append(f"<tr><th>{_e(first.task_number)}{_e(first.task_heading)}</th>")
        for c in columns:
            cell = lookup[(task_id, c)]
            if cell.status == "gap":
                out.append('<td class="gap">×</td>')
            else:
                href = _anchor(parent, task_id, cell.child_doc)
                text = f"{cell.strength:.2f}" + (f" ·{cell.n_links}" if cell.n_links > 1 else "")
                text = text if cell.status == "covered" else f"({text})"
                out.append(f'<td class="{cell.status}"><a href="#{href}">{text}</a></td>')
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _card(link: pd.Series) -> str:
    return (
        '<div class="card">'
        f"<p><b>{_e(link.source_doc[:3])} {_e(link.source_id)}</b> → "
        f"<b>{_e(link.target_doc[:3])} {_e(link.target_id)}</b> · score {link.score:.3f} · "
        f"{_e(link.grade)} · {_e(link.decided_by)}</p>"
        f"<p>共同术语 shared terms: {_e(link.shared_terms)}</p>"
        f"<p>下级 child: “{_e(link.child_sentence)}”</p>"
        f"<p>上级 parent: “{_e(link.parent_sentence)}”</p>"
        f'<p class="muted">{_e(link.evidence)}</p>'
        "</div>"
    )


def _evidence(cov: Coverage, by_pair: dict[tuple, tuple], parent: str) -> str:
    """Per task, per child document: the cards of every link on the chains reaching it
    (``by_pair``: links by ``(source_doc, source_id, target_doc, target_id)``)."""
    chains: dict[tuple[str, str], list] = {}
    for r in records(cov.rollup[cov.rollup["parent_doc"] == parent]):
        chains.setdefault((r.task_id, r.child_doc), []).append(r)
    cells = cov.matrix[(cov.matrix["parent_doc"] == parent) & (cov.matrix["status"] != "gap")]
    out = []
    for task_id, task_cells in cells.groupby("task_id", sort=False):
        first = task_cells.iloc[0]
        out.append(f"<h3>{_e(first.task_number)}{_e(first.task_heading)}</h3>")
        for cell in records(task_cells):
            cards = []
            for r in chains.get((task_id, cell.child_doc), []):
                hops = (
                    [(r.child_doc, r.child_item, parent, task_id)]
                    if not r.via_doc
                    else [
                        (r.child_doc, r.child_item, r.via_doc, r.via_item),
                        (r.via_doc, r.via_item, parent, task_id),
                    ]
                )
                cards += [_card(by_pair[h]) for h in hops if h in by_pair]
            out.append(
                f'<details id="{_anchor(parent, task_id, cell.child_doc)}"><summary>'
                f"{_e(cell.child_label)} · {cell.strength:.2f} · {_e(cell.status)}</summary>"
                f"{''.join(cards)}</details>"
            )
    return "".join(out)


def _loaded_plans(cov: Coverage) -> pd.DataFrame:
    return cov.parents[~cov.parents["missing"].astype(bool)]


def detailed_plans(cov: Coverage) -> pd.DataFrame:
    """The loaded parent plans the page and the per-plan figures detail: those the heatmap
    draws. A page holding every plan of a province would not open."""
    return _loaded_plans(cov).head(MAX_PANELS)


def _on_chains(cov: Coverage, links: pd.DataFrame) -> pd.Series:
    """Which links end on the chains of the plans the page details: their cards are shown."""
    shown = set(detailed_plans(cov)["parent_doc"])
    via = cov.rollup.loc[cov.rollup["parent_doc"].isin(shown), "via_doc"]
    return links["target_doc"].isin(shown | set(via))


def _around_plans(cov: Coverage, links: pd.DataFrame) -> pd.Series:
    """Which links start in a document below a plan the workbook details, or end in it."""
    chosen = set(detailed_plans(cov)["parent_doc"])
    below = set(cov.matrix.loc[cov.matrix["parent_doc"].isin(chosen), "child_doc"])
    return links["source_doc"].isin(below) | links["target_doc"].isin(chosen)


def report_links(cov: Coverage, links: pd.DataFrame) -> pd.DataFrame:
    """The links the page and the workbook read, out of every link of the build."""
    return links[_on_chains(cov, links) | _around_plans(cov, links)]


def render_html(
    cov: Coverage,
    links: pd.DataFrame,
    *,
    title: str = "xref coverage",
    heatmap: bytes | None = None,
) -> str:
    """The report as one self-contained HTML page (``heatmap``: the PNG of
    :func:`xref.plot.heatmap_figure`, drawn here when not given)."""
    if heatmap is None:
        import matplotlib.pyplot as plt

        figure = heatmap_figure(cov)
        heatmap = figure_bytes(figure, "png")
        plt.close(figure)
    image = base64.b64encode(heatmap).decode("ascii")
    # the cards of the links on the detailed plans' chains: indexing every link of a province
    # would make this page's worker copy them all (a fork copies what it touches)
    on_chains = links[_on_chains(cov, links)]
    by_pair = {
        (r.source_doc, r.source_id, r.target_doc, r.target_id): r for r in records(on_chains)
    }
    body = [
        f"<h1>{_e(title)}</h1>",
        '<p class="muted">xref 覆盖分析报告 · which parent tasks the documents below each plan '
        "take up, the gaps, and local initiatives. Cells: strength of the best implements "
        "link (·n links); (…) weak links only; × gap.</p>",
        "<h2>上级规划 Parent plans</h2>",
        _table(cov.parents, "parents"),
        "<h2>覆盖热力图 Coverage heatmap</h2>",
        f'<img id="heatmap" alt="coverage heatmap" src="data:image/png;base64,{image}">',
    ]
    for block in records(detailed_plans(cov)):
        pid = block.parent_doc
        tasks = cov.tasks[cov.tasks["parent_doc"] == pid]
        gaps = cov.gaps[cov.gaps["parent_doc"] == pid]
        nobody = tasks[tasks["n_districts_covering"] == 0]
        orphans = cov.orphans[cov.orphans["parent_doc"] == pid]
        targets = cov.targets[cov.targets["parent_doc"] == pid]
        body += [
            f"<h2>{_e(block.title)}</h2>",
            "<h3>覆盖矩阵 Coverage matrix</h3>",
            _grid(cov, pid),
            "<h3>缺口 Gaps: tasks each document does not take up</h3>",
            '<p class="muted">nearest: the document\'s item that scores highest against the '
            "task, too low, or too far below the item's own best task, to be kept as a link. "
            "Check it before taking the gap as real; to link it, add it to "
            "annotations/links.csv (decision <code>add</code>).</p>",
            _table(
                gaps[
                    [
                        "child_label",
                        "task_number",
                        "task_heading",
                        "n_districts_covering",
                        "nearest_item",
                        "nearest_heading",
                        "nearest_score",
                    ]
                ],
                f"gaps-{pid[:3]}",
                "gaps",
            ),
            "<h3>无区落实的任务 Tasks no district takes up</h3>",
            _table(
                nobody[["task_number", "task_heading", "n_docs_covering", "n_docs_weak"]],
                f"nobody-{pid[:3]}",
            ),
            "<h3>地方自主举措 Orphans: local initiatives with no parent task</h3>",
            _table(
                orphans[
                    [
                        "child_region",
                        "item_id",
                        "heading",
                        "status",
                        "best_task",
                        "best_strength",
                        "strong_links_elsewhere",
                        "key_terms",
                    ]
                ].assign(excerpt=orphans["text"].str.slice(0, EXCERPT)),
                f"orphans-{pid[:3]}",
            ),
            "<h3>目标对照 Targets side by side</h3>",
            _table(
                targets[
                    [
                        "parent_item",
                        "parent_subject",
                        "parent_target",
                        "child_doc",
                        "child_item",
                        "child_subject",
                        "child_figure",
                        "verdict",
                    ]
                ],
                f"targets-{pid[:3]}",
            ),
            "<h3>证据 Evidence cards</h3>",
            _evidence(cov, by_pair, pid),
        ]
    if len(rest := _loaded_plans(cov).iloc[MAX_PANELS:]):
        body += [
            f"<h2>另有 {len(rest)} 个上级规划 {len(rest)} more parent plans</h2>",
            '<p class="muted">Their matrices, gaps, orphans and links are in the CSV tables '
            "(coverage.xlsx, like this page, holds the plans above); "
            "<code>xref report CORPUS --parent ID</code> writes a report and workbook of "
            "chosen plans.</p>",
            _table(rest[["parent_doc", "title", "region", "n_tasks"]], "more-parents"),
        ]
    text = "\n".join(body)
    font = font_face_css(html.unescape(text) + title)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"{REPORT_MARK}"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<title>{_e(title)}</title><style>{font}{STYLE}</style></head>"
        f"<body>{text}</body></html>\n"
    )


def write_xlsx(cov: Coverage, links: pd.DataFrame, path: str | Path, *, date: str) -> None:
    """``coverage.xlsx`` for the plans the page details (:func:`detailed_plans`): sheets
    matrix (tasks x documents), gaps, orphans, the links of the documents below them and into
    them, the long tables behind them, and ``plans``, every parent plan with ``in_workbook``.
    ``date`` (ISO) is the workbook's creation date, pinned so the same input gives the same
    bytes.

    A province's every plan would make a workbook Excel opens slowly or cuts short (it holds
    1,048,576 rows a sheet); the CSV tables hold every plan, and ``xref report --parent``
    writes a workbook of chosen plans. A sheet still too long ends with a row that says so,
    and a text longer than a cell holds (32,767 UTF-16 units) ends saying it was cut.
    """
    chosen = set(detailed_plans(cov)["parent_doc"])

    def detailed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["parent_doc"].isin(chosen)]

    matrix = detailed(cov.matrix)
    sheets = {  # sheet: (rows, the CSV file holding all of them)
        "gaps": (detailed(cov.gaps), "gaps.csv"),
        "orphans": (detailed(cov.orphans), "orphans.csv"),
        "links": (links[_around_plans(cov, links)], "links.csv"),
        "coverage": (matrix, "coverage.csv"),
        "tasks": (detailed(cov.tasks), "task_coverage.csv"),
        "targets": (detailed(cov.targets), "targets_compared.csv"),
        "plans": (cov.parents.assign(in_workbook=cov.parents["parent_doc"].isin(chosen)), ""),
    }
    buffer = io.BytesIO()
    # straight to xlsxwriter, row by row: several times faster than DataFrame.to_excel;
    # xlsxwriter would make text that starts with "=" a formula, and text like a URL a link
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buffer, options)
    book.set_properties({"created": dt.datetime.fromisoformat(date)})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("matrix")
    for r, (row, header) in enumerate(_matrix_rows(matrix)):
        sheet.write_row(r, 0, row, bold if header else None)
    sheet.freeze_panes(1, 0)
    for name, (frame, csv) in sheets.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [str(c) for c in frame.columns], bold)
        shown = frame.iloc[: EXCEL_ROWS - 2] if len(frame) > EXCEL_ROWS - 1 else frame
        values = records(shown.astype(object).where(shown.notna(), None))
        for r, row in enumerate(values, 1):
            sheet.write_row(r, 0, [_cell(v, csv) for v in row])
        if len(shown) < len(frame):
            more = f"… {len(frame) - len(shown)} more rows: see {csv}"
            sheet.write_row(len(shown) + 1, 0, [more], bold)
        sheet.freeze_panes(1, 0)
    book.close()
    atomic_write_bytes(path, buffer.getvalue())


def _matrix_rows(matrix: pd.DataFrame) -> Iterator[tuple[list, bool]]:
    """The ``matrix`` sheet as ``(row, is_header)``: per parent plan, a header naming the
    documents below it, then one row per task with each document's strength (blank: no
    link). One block per plan keeps the sheet as large as the corpus: one column per
    document across all plans would grow as plans times documents. A plan with more
    documents below it than Excel has columns (16,384) ends its header saying so."""
    m = matrix[matrix["status"] != "parent_not_loaded"]
    for parent, block in m.groupby("parent_doc", sort=False):
        docs = dict(records(block[["child_doc", "child_label"]]))
        more = []
        if len(docs) > EXCEL_COLUMNS - 3:  # the first three columns name the task
            shown = EXCEL_COLUMNS - 4  # and the last says how many more
            more = [f"… {len(docs) - shown} more documents: see coverage.csv"]
            docs = dict(list(docs.items())[:shown])
        yield ["parent_doc", "task_number", "task_heading", *docs.values(), *more], True
        strength = {(t, d): v for t, d, v in records(block[["task_id", "child_doc", "strength"]])}
        for task in block.drop_duplicates("task_id").sort_values("task_order").itertuples():
            cells = [strength.get((task.task_id, d)) for d in docs]
            yield [parent, task.task_number, task.task_heading, *(_cell(v) for v in cells)], False


def _cell(value, csv: str = ""):
    """A value xlsxwriter writes as itself: numbers, text, booleans, blanks. Text longer than
    a cell holds is cut, saying so and where it is whole (``csv``): xlsxwriter would cut it
    without a word."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str):
        # a UTF-16 unit per character, two for one beyond the BMP: measured only when it may
        # be too long
        if (
            len(value) > EXCEL_CELL // 2
            and len(units := value.encode("utf-16-le")) // 2 > EXCEL_CELL
        ):
            note = f"……（截断 cut: the whole text is in {csv or 'the CSV tables'}）"
            kept = units[: 2 * (EXCEL_CELL - len(note))]
            return kept.decode("utf-16-le", "ignore") + note  # "ignore": a pair cut in two
        return value
    if value is None or isinstance(value, bool | int | float):
        return value
    return value.item() if hasattr(value, "item") else str(value)


def report_writers(
    cov: Coverage, links: pd.DataFrame, out: str | Path, *, date: str, title: str
) -> list[Callable[[], list[Path]]]:
    """The coverage outputs as independent writers, longest first, each returning the paths
    it wrote: the workbook, the page with its heatmap, each detailed plan's figures, each
    table. :func:`write_report` runs them in turn; the CLI shares them among processes.
    The writers hold only the links they read (:func:`report_links`)."""
    out = Path(out)
    links = report_links(cov, links)
    tables = {
        "coverage.csv": cov.matrix,
        "coverage_years.csv": cov.years,
        "gaps.csv": cov.gaps,
        "orphans.csv": cov.orphans,
        "targets_compared.csv": cov.targets,
        "rollup.csv": cov.rollup,
        "task_coverage.csv": cov.tasks,
    }
    return [
        partial(_workbook, cov, links, out / "coverage.xlsx", date),
        partial(_page, cov, links, out, title),
        *(partial(_plan_figures, cov, p, out) for p in detailed_plans(cov)["parent_doc"]),
        *(partial(_csv, table, out / name) for name, table in tables.items()),
    ]


def write_report(
    cov: Coverage, links: pd.DataFrame, out: str | Path, *, date: str, title: str
) -> list[Path]:
    """Write every coverage output into ``out``; returns the paths written."""
    writers = report_writers(cov, links, out, date=date, title=title)
    return [path for write in writers for path in write()]


def _workbook(cov: Coverage, links: pd.DataFrame, path: Path, date: str) -> list[Path]:
    write_xlsx(cov, links, path, date=date)
    return [path]


def _csv(table: pd.DataFrame, path: Path) -> list[Path]:
    write_csv(table, path)
    return [path]


def _page(cov: Coverage, links: pd.DataFrame, out: Path, title: str) -> list[Path]:
    """The heatmap (PNG and SVG) and the HTML page, which embeds the PNG."""
    import matplotlib.pyplot as plt  # heavy: imported when figures are drawn, not with the CLI

    heatmap = heatmap_figure(cov)
    png = save_figure(heatmap, out / "heatmap.png")
    save_figure(heatmap, out / "heatmap.svg")
    plt.close(heatmap)
    page = render_html(cov, links, title=title, heatmap=png)
    atomic_write_bytes(out / "report.html", page.encode("utf-8"))
    return [out / "heatmap.png", out / "heatmap.svg", out / "report.html"]


def _plan_figures(cov: Coverage, parent: str, out: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    written = []
    ax = draw_task_coverage(cov, parent)
    years = years_figure(cov, parent)
    for fig, stem in zip((ax.figure, years), PLAN_FIGURES, strict=True):
        path = out / "figures" / f"{stem}_{parent}.png"
        save_figure(fig, path)
        plt.close(fig)
        written.append(path)
    return written
