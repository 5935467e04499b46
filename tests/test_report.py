"""Coverage figures, the HTML report and the workbook: legible Chinese, escaped text,
visible in a real browser."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import RAW, ROOT, seed

from xref.cli import main
from xref.fonts import cjk_font_name
from xref.plot import (
    MAX_PANELS,
    draw_task_coverage,
    figure_bytes,
    heatmap_figure,
    save_figure,
    years_figure,
)
from xref.report import render_html

# two tags of HTML (three would make the document HTML source, read as its text: see
# normalize) and one SVG element: the text reaches the report, which must only show it
INJECTION = "<script>document.title='PWNED'</script><svg onload=\"document.title='PWNED'\">"


def test_figures_render_chinese_without_missing_glyphs(cov, tmp_path: Path) -> None:
    figures = [
        heatmap_figure(cov),
        years_figure(cov, seed("000")),
        draw_task_coverage(cov, seed("000")).figure,
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib reports a missing glyph as a warning
        for i, fig in enumerate(figures):
            save_figure(fig, tmp_path / f"f{i}.png")
            save_figure(fig, tmp_path / f"f{i}.svg")
    heatmap = figures[0]
    texts = [t for ax in heatmap.axes for t in ax.get_yticklabels() + ax.get_xticklabels()]
    labels = [t.get_text() for t in texts]
    assert "（十六）完善监督机制" in labels and "嘉定区\n2024 年度报告" in labels
    assert {t.get_fontname() for t in texts} == {cjk_font_name()}
    for fig in figures:
        plt.close(fig)


def test_grids_are_drawn_as_cells_not_ticks(cov, tmp_path: Path) -> None:
    """Each cell of a grid is one pixel of an image, drawn unsampled in a vector file; rows
    are named once per row of panels."""
    years = years_figure(cov, seed("000"))
    named = [len(ax.get_yticklabels()) for ax in years.axes]
    assert named[0] == len(years.axes[0].get_images()[0].get_array()) and not any(named[1:])
    heatmap = heatmap_figure(cov)
    image = heatmap.axes[0].get_images()[0].get_array()
    svg = save_figure(heatmap, tmp_path / "heatmap.svg").decode("utf-8")
    images = [
        (int(h), int(w)) for w, h in re.findall(r'<image [^>]*width="(\d+)" height="(\d+)"', svg)
    ]
    assert images[0] == image.shape[:2]
    assert "image-rendering:pixelated" in svg
    for fig in (years, heatmap):
        plt.close(fig)


def test_grid_colours_given_as_bytes_draw_the_pixels_of_floats() -> None:
    """The grids hand matplotlib their colours as bytes (resampled in float32, where floats
    are resampled in float64): every pixel is what the floats drew, PNG and SVG alike."""
    rgba = np.ones((23, 17, 4))
    rgba[..., :3] = np.random.default_rng(7).random((23, 17, 3))
    # a colour a hair below a byte's step (k/255): float32 rounds it up to the next byte
    rgba[0, 0, :3] = np.nextafter(np.array([84, 212, 170]) / 255, 0)

    def drawn(image: np.ndarray, fmt: str) -> bytes:
        fig, ax = plt.subplots(figsize=(6, 8))
        ax.imshow(image, aspect="auto", interpolation="none")
        data = figure_bytes(fig, fmt)
        plt.close(fig)
        return data

    for fmt in ("png", "svg"):
        assert drawn((rgba * 255).astype(np.uint8), fmt) == drawn(rgba, fmt), fmt
    # float32 would not do: it rounds some colours to the next byte
    assert drawn(rgba.astype(np.float32), "png") != drawn(rgba, "png")


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> Path:
    """The Shanghai seeds, with markup planted in the plan's title and in one of its tasks."""
    folder = tmp_path_factory.mktemp("injected") / "raw"
    folder.mkdir()
    for path in RAW.glob("*.txt"):
        shutil.copy(path, folder)
    minhang = folder / f"{seed('004')}.txt"
    text = minhang.read_text(encoding="utf-8")
    anchor = "强化标杆引领,服务企业提档升级"  # as the page has it: a half-width comma
    assert anchor in text
    minhang.write_text(text.replace(anchor, anchor + INJECTION, 1), encoding="utf-8")
    out = folder.parent / "out"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    return out


def test_report_escapes_document_text(injected: Path) -> None:
    page = (injected / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<svg onload" not in page
    assert "&lt;script&gt;document.title=" in page  # shown as text, never run
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "http://" not in page and "https://" not in page  # self-contained


def test_workbook_has_the_analysts_sheets(injected: Path) -> None:
    with zipfile.ZipFile(injected / "coverage.xlsx") as z:
        workbook = z.read("xl/workbook.xml").decode("utf-8")
        strings = z.read("xl/sharedStrings.xml").decode("utf-8")
        matrix = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    for sheet in ("matrix", "gaps", "orphans", "links"):
        assert f'name="{sheet}"' in workbook
    assert "加强市场监管立法" in strings and "闵行区 2023 实施意见" in strings
    assert matrix.count("<row ") == 1 + 25  # the header and 000's 25 tasks


def _sheets(path: Path) -> dict[str, str]:
    """Each sheet's XML by sheet name, with the shared strings inlined where they are used."""
    with zipfile.ZipFile(path) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode("utf-8"))
        shared = re.findall(r"<t[^>]*>([^<]*)</t>", z.read("xl/sharedStrings.xml").decode())
        xml = {n: z.read(f"xl/worksheets/sheet{i}.xml").decode() for i, n in enumerate(names, 1)}
    return {
        name: re.sub(r'<c ([^>]*)t="s"([^>]*)><v>(\d+)</v>', lambda m: shared[int(m[3])], text)
        for name, text in xml.items()
    }


def test_workbook_details_the_pages_plans_and_lists_every_plan(cov, links, tmp_path) -> None:
    """A province's worth of plans: the workbook holds the plans the page details; its
    ``plans`` sheet names every plan and says which ones are in it."""
    from xref.report import write_xlsx

    def copy(frame: pd.DataFrame, i: int) -> pd.DataFrame:
        mine = frame[frame["parent_doc"] == seed("000")]
        return mine.assign(parent_doc=f"plan{i}", title=f"第{i}号规划")[frame.columns]

    many = dataclasses.replace(
        cov,
        parents=pd.concat([cov.parents, *(copy(cov.parents, i) for i in range(MAX_PANELS))]),
        gaps=pd.concat([cov.gaps, *(copy(cov.gaps, i) for i in range(MAX_PANELS))]),
    )
    write_xlsx(many, links, tmp_path / "c.xlsx", date="2024-01-01")
    sheets = _sheets(tmp_path / "c.xlsx")
    n_gaps = (cov.gaps["parent_doc"] == seed("000")).sum()
    assert sheets["gaps"].count("<row ") == 1 + n_gaps * MAX_PANELS  # 000, plan0 .. plan2
    assert f"plan{MAX_PANELS - 2}" in sheets["gaps"]
    assert f"plan{MAX_PANELS - 1}" not in sheets["gaps"]
    plans = sheets["plans"]
    assert plans.count("<row ") == 1 + len(many.parents) and f"plan{MAX_PANELS - 1}" in plans
    in_workbook = [  # the last column, a boolean
        row.rsplit("<c ", 1)[1].endswith('t="b"><v>1</v></c>')
        for row in re.findall(r"<row [^>]*>(.*?)</row>", plans)[1:]
    ]
    assert sum(in_workbook) == MAX_PANELS and len(in_workbook) == len(many.parents)


def test_workbook_keeps_text_that_looks_like_a_formula_as_text(cov, links, tmp_path) -> None:
    """Scraped text can start with ``=`` (a rule of equals signs, or a planted formula): a
    cell holds it as text, never as a formula Excel would run or call broken."""
    from xref.report import report_links, write_xlsx

    planted = ['=HYPERLINK("http://example.org","点此")', "{=SUM(A1:A9)}", "=== 附件 ==="]
    shown = report_links(cov, links).index[: len(planted)]
    links = links.copy()
    links.loc[shown, "child_sentence"] = planted
    write_xlsx(cov, links, tmp_path / "c.xlsx", date="2024-01-01")
    sheet = _sheets(tmp_path / "c.xlsx")["links"]
    assert "<f" not in sheet
    for text in planted:
        assert html.escape(text, quote=False) in sheet


def test_workbook_plan_with_more_documents_than_excel_has_columns_says_so(
    cov, links, tmp_path, monkeypatch
) -> None:
    """xlsxwriter drops cells past Excel's last column without a word: a plan's header ends
    saying how many documents are left out instead."""
    from xref import report

    monkeypatch.setattr(report, "EXCEL_COLUMNS", 4 + 1)  # room for one document
    report.write_xlsx(cov, links, tmp_path / "c.xlsx", date="2024-01-01")
    matrix = _sheets(tmp_path / "c.xlsx")["matrix"]
    header = re.findall(r"<row [^>]*>(.*?)</row>", matrix)[0]
    below = cov.matrix.loc[cov.matrix["parent_doc"] == seed("000"), "child_doc"].nunique()
    assert below > 1
    assert header.endswith(f"… {below - 1} more documents: see coverage.csv</c>")
    assert header.count("</c>") == 5  # three naming the task, one document, the note


def test_workbook_cell_longer_than_excel_holds_says_so(cov, links, tmp_path) -> None:
    """A cell holds 32,767 UTF-16 units, and xlsxwriter cuts longer text without a word:
    the cell says it was cut, and where the text is whole."""
    from xref.report import EXCEL_CELL, report_links, write_xlsx

    shown = report_links(cov, links).index[:2]
    links = links.copy()
    # the second one reaches past the limit with characters beyond the BMP (two units each)
    links.loc[shown, "child_sentence"] = ["监管" * 20_000, "甲" * 32_760 + "𠀀" * 10]
    write_xlsx(cov, links, tmp_path / "c.xlsx", date="2024-01-01")
    sheet = _sheets(tmp_path / "c.xlsx")["links"]
    cells = re.findall(r"[^>]*（截断 cut: the whole text is in links.csv）", sheet)
    assert len(cells) == 2
    for cell in cells:
        assert len(cell.encode("utf-16-le")) // 2 <= EXCEL_CELL
        assert cell.startswith(("监管监管", "甲甲"))


def test_workbook_sheet_longer_than_excel_holds_says_so(cov, links, tmp_path, monkeypatch) -> None:
    """Excel drops rows past its limit without a word: the sheet ends with a note instead."""
    from xref import report

    monkeypatch.setattr(report, "EXCEL_ROWS", 10)
    report.write_xlsx(cov, links, tmp_path / "c.xlsx", date="2024-01-01")
    links_sheet = _sheets(tmp_path / "c.xlsx")["links"]
    assert links_sheet.count("<row ") == 10
    assert f"… {len(links) - 8} more rows: see links.csv" in links_sheet
    assert len(links) > 10


def _browser() -> str | None:
    candidates = [os.environ.get("XREF_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
    return next((p for c in candidates if c and (p := shutil.which(c))), None)


def test_report_in_headless_chromium(injected: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    executable = _browser()
    if executable is None:
        pytest.skip(
            "no Chromium found: install one (Debian/Ubuntu: apt-get install chromium) "
            "or point XREF_CHROMIUM at a Chromium or Chrome executable"
        )
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto((injected / "report.html").as_uri())
        heatmap = page.locator("#heatmap")
        assert heatmap.is_visible()
        assert heatmap.evaluate("e => e.complete && e.naturalWidth") > 500
        gaps = page.locator(f"#gaps-{seed('000')[:3]}")
        gaps.scroll_into_view_if_needed()
        assert gaps.is_visible()
        assert "闵行区 2023 实施意见" in gaps.inner_text()
        # kept under the project's out/ for a person to look at
        shot = ROOT / "out" / "report_screenshot.png"
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        title = page.title()
        browser.close()
    assert title != "PWNED" and not dialogs
    assert shot.stat().st_size > 50_000


@pytest.mark.parametrize(
    "prefix", ["000", "001", "002"], ids=["plan-alone", "district-alone", "tianjin-alone"]
)
def test_report_for_a_lone_document(prefix: str, tmp_path: Path) -> None:
    """A plan with nothing below it, or a district without its city plan, still reports."""
    folder = tmp_path / "raw"
    folder.mkdir()
    shutil.copy(RAW / f"{seed(prefix)}.txt", folder)
    assert main(["report", str(folder), "-o", str(tmp_path / "out")]) == 0
    for name in ("report.html", "heatmap.png", "coverage.xlsx", "coverage.csv", "gaps.csv"):
        assert (tmp_path / "out" / name).stat().st_size > 0


def test_report_holds_the_heatmaps_plans_and_lists_the_rest(cov, links) -> None:
    """A province's worth of plans: the page details the plans the heatmap draws, and names
    the others (their tables are complete in the CSVs)."""
    plan = cov.parents[cov.parents["parent_doc"] == seed("000")]
    more = [plan.assign(parent_doc=f"plan{i}", title=f"第{i}号规划") for i in range(MAX_PANELS)]
    many = dataclasses.replace(cov, parents=pd.concat([plan, *more], ignore_index=True))
    page = render_html(many, links, heatmap=b"")
    assert page.count("<h3>覆盖矩阵 Coverage matrix</h3>") == MAX_PANELS
    assert "另有 1 个上级规划" in page and f"第{MAX_PANELS - 1}号规划" in page
    assert "links are in the CSV tables" in page  # not in the workbook, which holds the first 4


def test_write_report_writes_what_the_command_shares_out(cov, links, tmp_path: Path) -> None:
    """The library's one-call report and the CLI's writers (run here one by one) agree."""
    from xref.report import report_writers, write_report

    paths = write_report(cov, links, tmp_path / "one", date="2024-01-01", title="t")
    writers = report_writers(cov, links, tmp_path / "two", date="2024-01-01", title="t")
    for write in writers:
        write()
    names = sorted(p.relative_to(tmp_path / "one").as_posix() for p in paths)
    assert names == sorted(
        p.relative_to(tmp_path / "two").as_posix()
        for p in (tmp_path / "two").rglob("*")
        if p.is_file()
    )
    assert {"report.html", "coverage.xlsx", "heatmap.png", "gaps.csv"} <= set(names)
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_the_report_reads_only_the_links_of_the_plans_it_details(cov, links, tmp_path) -> None:
    """Links elsewhere (here, copies pointing into a document no plan of the report is
    about) change nothing in the page or the workbook, and the writers do not hold them."""
    from xref.report import report_links, write_xlsx

    elsewhere = links.assign(source_doc="elsewhere", target_doc="elsewhere_plan")
    every = pd.concat([links, elsewhere], ignore_index=True)
    kept = report_links(cov, every)
    assert len(links) > 0 and not kept["target_doc"].eq("elsewhere_plan").any()
    assert len(kept) == len(report_links(cov, links))
    assert render_html(cov, every, heatmap=b"png") == render_html(cov, kept, heatmap=b"png")
    write_xlsx(cov, every, tmp_path / "every.xlsx", date="2024-01-01")
    write_xlsx(cov, kept, tmp_path / "kept.xlsx", date="2024-01-01")
    assert (tmp_path / "every.xlsx").read_bytes() == (tmp_path / "kept.xlsx").read_bytes()
