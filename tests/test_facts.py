"""Facts: quantitative targets, deadlines, responsible units, citations, the indicator table."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import seed

import xref
from xref.citations import normalize_title
from xref.indicators import parse_value
from xref.spans import sentence_at
from xref.units import split_units


def rows(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return frame[frame["doc_id"].str.startswith(prefix)]


# ---------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "match", "sentence"),
    [
        ("到2025年完成。", "2025", "到2025年完成。"),  # no mark before: from the start
        ("前言\n到2025年完成；其余。", "2025", "到2025年完成；"),  # a line break, then ；
        ("甲。乙！到2025年完成", "2025", "到2025年完成"),  # the nearest mark, to the end
        ("甲。2025年", "2025", "2025年"),  # a mark just before the match
    ],
)
def test_sentence_around_a_match(text: str, match: str, sentence: str) -> None:
    start = text.index(match)
    assert sentence_at(text, start, start + len(match)) == sentence


# ---------------------------------------------------------------- targets


@pytest.fixture(scope="module")
def targets(corpus, items) -> pd.DataFrame:
    return xref.targets_frame(corpus, items)


def has_target(frame, prefix, quantity, unit, comparator, subject_part, item_id=None) -> bool:
    found = rows(frame, prefix)
    found = found[
        found["quantity"].eq(quantity)
        & found["unit"].eq(unit)
        & found["comparator"].eq(comparator)
        & found["subject"].str.contains(subject_part)
    ]
    if item_id:
        found = found[found["item_id"] == item_id]
    return len(found) == 1


def test_seed_targets(targets) -> None:
    assert has_target(targets, "000", 60, "学时", ">=", "执法人员", "五/（二十一）")
    assert has_target(targets, "000", 5, "%", ">=", "法制审核人员", "五/（二十一）")
    assert has_target(targets, "001", 7, "%", ">=", "法制审核人员")
    assert has_target(targets, "001", 100, "%", "=", "出庭应诉率")
    assert has_target(targets, "003", 4, "次", ">=", "列席", "三/（一）")
    assert has_target(targets, "003", 60, "%", ">=", "解读率", "三/（三）")
    # the text says what 002's indicator table says: 8 batches per thousand people
    assert has_target(targets, "002", 8, "批次/千人", ">=", "抽检量", "第三章/四/（一）/5")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（一）培训。每人每年不少于60学时。", (60.0, "学时", ">=")),
        ("（一）抽检。合格率98%以上。", (98.0, "%", ">=")),
        ("（一）会议。列席不得少于4次。", (4.0, "次", ">=")),
        ("（一）解读。解读率不得低于60%。", (60.0, "%", ">=")),
        ("（一）处置。投诉处置率达到95.5%。", (95.5, "%", ">=")),
        ("（一）控制。不合格率控制在2%以内。", (2.0, "%", "<=")),
        ("（一）应诉。出庭应诉率100%。", (100.0, "%", "=")),
        # per-capita: the unit is what it is counted per too, as tables head their columns
        ("（一）抽检。抽检量力争达到8批次/千人。", (8.0, "批次/千人", ">=")),
        ("（一）专利。发明专利拥有量达到60件／万人。", (60.0, "件/万人", ">=")),
    ],
)
def test_target_forms(snippet, text: str, expected: tuple) -> None:
    corpus, items = snippet(text)
    found = xref.targets_frame(corpus, items)
    assert list(found[["quantity", "unit", "comparator"]].itertuples(index=False, name=None)) == [
        expected
    ]


def test_durations_and_years_are_not_targets(snippet) -> None:
    corpus, items = snippet("（一）公开。在10个工作日内公开，到2025年完成，30日内报送。")
    assert xref.targets_frame(corpus, items).empty


# ---------------------------------------------------------------- deadlines


@pytest.fixture(scope="module")
def deadlines(corpus, items) -> pd.DataFrame:
    return xref.deadlines_frame(corpus, items)


def test_seed_deadlines(deadlines) -> None:
    d003 = rows(deadlines, "003").set_index("expression")
    assert d003.loc["11月底前", "date"] == "2023-11-30"
    assert d003.loc["在3月31日前", "date"] == "2023-03-31"
    working = rows(deadlines, "003").query("day_type == 'working'")
    assert set(working["days"]) == {10, 3}
    yearly = rows(deadlines, "000").query("recurrence == 'yearly'").iloc[0]
    assert (yearly["expression"], yearly["date"], yearly["item_id"]) == (
        "每年2月底前",
        "--02-28",
        "六/（二十七）",
    )
    assert "2025-12-31" in set(rows(deadlines, "000")["date"])


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("到2025年，建成体系。", ("date", "2025-12-31", None, "none")),
        ("2024年底前完成。", ("date", "2024-12-31", None, "none")),
        ("每年2月底前报告。", ("date", "--02-28", None, "yearly")),
        ("每季度至少听取1次。", None),
        ("10个工作日内办结。", ("duration", None, 10, "none")),
        ("30日内报送。", ("duration", None, 30, "none")),
        ("2020年，实现增长。", None),  # a year is not a deadline
    ],
)
def test_deadline_forms(snippet, text: str, fields: tuple | None) -> None:
    corpus, items = snippet("（一）任务。" + text)
    found = xref.deadlines_frame(corpus, items)
    if fields is None:
        assert found.empty
        return
    row = found.iloc[0]
    days = None if pd.isna(row["days"]) else int(row["days"])
    date = None if pd.isna(row["date"]) else row["date"]
    assert (row["kind"], date, days, row["recurrence"]) == fields


def test_month_deadlines_take_the_year_of_an_annual_document(snippet) -> None:
    corpus, items = snippet("2023年某局工作要点\n\n一、公开\n（一）目录。在3月31日前向社会公开。")
    assert list(xref.deadlines_frame(corpus, items)["date"]) == ["2023-03-31"]


# ---------------------------------------------------------------- units


def test_every_003_item_carries_its_divisions(corpus, items) -> None:
    units = rows(xref.units_frame(corpus, items), "003")
    tasks = rows(items, "003").query("kind == 'task'")
    assert set(units["item_id"]) == set(tasks["item_id"])
    five_one = units[units["item_id"] == "五/（一）"]
    assert list(five_one["unit"]) == ["市局办公室", "科技和财务处", "其他相关处室"]
    assert set(units["role"]) == {"responsible"}


def test_lead_and_co_units(snippet) -> None:
    corpus, items = snippet(
        "（一）任务。开展检查。（牵头单位：区市场监管局；配合单位：区公安分局、区商务委）"
    )
    units = xref.units_frame(corpus, items)
    assert list(units[["unit", "role"]].itertuples(index=False, name=None)) == [
        ("区市场监管局", "lead"),
        ("区公安分局", "co"),
        ("区商务委", "co"),
    ]


def test_split_units() -> None:
    assert split_units("市局办公室、法规处，登记注册处") == ["市局办公室", "法规处", "登记注册处"]


# ---------------------------------------------------------------- citations


def test_seed_citations(corpus, items) -> None:
    cites = xref.citations_frame(corpus, items)
    c000 = set(rows(cites, "000")["title_norm"])
    assert {
        "法治政府建设实施纲要2021-2025",
        "上海法治政府建设实施规划2021-2025",
        "法治市场监管建设实施纲要2021-2025",
    } <= c000
    assert "上海法治市场监管建设实施方案2021-2025" not in c000  # its own title
    assert "天津市十四五市场监管现代化规划" in set(rows(cites, "002")["title_norm"])
    assert "蓟州区市场监管十四五规划" not in set(rows(cites, "002")["title_norm"])


@pytest.mark.parametrize(
    "variant",
    [
        "法治政府建设实施纲要(2021—2025年)",
        "法治政府建设实施纲要（2021-2025年）",
        "法治政府建設實施綱要（2021–2025年）",
        "法治政府建设实施纲要（2021年—2025年）",
        "法治政府建设实施纲要 (2021－2025)",
    ],
)
def test_title_variants_compare_equal(variant: str) -> None:
    assert normalize_title(variant) == "法治政府建设实施纲要2021-2025"


def test_prc_prefix_is_dropped() -> None:
    assert normalize_title("中华人民共和国政府信息公开条例") == normalize_title("政府信息公开条例")


# ---------------------------------------------------------------- indicator table


def test_002_indicator_table(corpus, items) -> None:
    table = xref.indicators_frame(corpus, items)
    assert len(table) == 25
    assert list(table["no"]) == list(range(1, 26))
    assert list(dict.fromkeys(table["category"])) == ["活力", "质量", "秩序", "安全"]
    first = table.iloc[0]
    assert (first["domain"], first["indicator"]) == ("市场主体", "市场主体总量（万户）")
    assert (first["baseline"], first["target"], first["unit"]) == (8.4, 10.0, "万户")
    assert (first["baseline_year"], first["target_year"]) == (2020, 2025)
    row14 = table[table["no"] == 14].iloc[0]
    assert (row14["target"], row14["unit"], row14["comparator"], row14["binding"]) == (
        98.0,
        "%",
        ">=",
        "约束性",
    )
    assert table[table["no"] == 19].iloc[0]["domain"] == "药化械安全"
    assert set(table["binding"]) == {"约束性", "预期性"}
    assert list(table.loc[table["binding"] == "约束性", "no"]) == [12, 14, 18, 22, 23, 24, 25]


def test_002_indicator_targets_come_from_the_target_column(corpus, targets) -> None:
    """A table row holds a baseline and a target: the row's figures read as text made the
    baseline a target (个体工商户年报公示率 = 85.32%) and cells the subject ("10 | ...")."""
    table = rows(targets, "002")
    table = table[table["item_id"].str.contains("/表/")]
    assert len(table) == 25  # every row's target is a number
    assert not table["subject"].str.contains("|", regex=False).any()
    assert has_target(targets, "002", 90.5, "%", "=", "^个体工商户年报公示率$")
    assert not has_target(targets, "002", 85.32, "%", "=", "年报公示率")
    assert has_target(targets, "002", 98, "%", ">=", "^主要农产品质量安全检测总体合格率$")
    assert has_target(targets, "002", 10, "万户", "=", "^市场主体总量$")
    text = corpus[seed("002")].text
    assert [text[s:e] for s, e in zip(table["start"], table["end"], strict=True)][:3] == [
        "10",
        "2.1",
        "4",
    ]


WEB_TABLE = """<html><head><title>某区门户</title></head><body>
<p>某区市场监管“十四五”规划</p><p>一、主要目标</p><p>（一）量化目标</p>
<p>表1 “十四五”时期主要指标</p><table>
<tr><td>序号</td><td colspan="2">指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr>
<tr><td colspan="6">活力</td></tr>
<tr><td>1</td><td rowspan="2">市场主体</td><td>市场主体总量（万户）</td><td>8.4</td><td>10</td>
<td>预期性</td></tr>
<tr><td>2</td><td>企业主体总量（万户）</td><td>1.8</td><td>2.1</td><td>预期性</td></tr>
<tr><td colspan="6">秩序</td></tr>
<tr>
  <td>3</td>
  <td>企业年报公示率</td>
  <td>95%</td>
  <td>98%以上</td>
  <td>约束性</td>
</tr>
</table><p>二、重点任务</p></body></html>"""


@pytest.mark.parametrize("omitted", [(), ("</td>",), ("</tr>",), ("</td>", "</tr>")])
def test_the_indicator_table_of_a_saved_web_page(tmp_path, omitted) -> None:
    """Cells spanning columns (category rows) and rows (a domain), and line breaks between
    cells, as a page's source has them; HTML lets a page omit the ends of cells and rows."""
    page = WEB_TABLE
    for tag in omitted:
        page = page.replace(tag, "")
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    corpus = xref.load_corpus(tmp_path)
    items = xref.extract(corpus)
    table = xref.indicators_frame(corpus, items)
    columns = ["no", "category", "domain", "indicator", "baseline", "target"]
    assert table[columns].astype(object).fillna("").values.tolist() == [
        [1, "活力", "市场主体", "市场主体总量（万户）", 8.4, 10.0],
        [2, "活力", "市场主体", "企业主体总量（万户）", 1.8, 2.1],
        [3, "秩序", "", "企业年报公示率", 95.0, 98.0],
    ]
    assert set(table["target_year"]) == {2025}
    assert has_target(xref.targets_frame(corpus, items), "page", 98, "%", ">=", "^企业年报公示率$")


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("98%以上", (98.0, "%", ">=")),
        ("10", (10.0, None, "=")),
        ("85.32%", (85.32, "%", "=")),
        ("暂无", (None, None, "")),
    ],
)
def test_parse_value(cell: str, parsed: tuple) -> None:
    assert parse_value(cell) == parsed
