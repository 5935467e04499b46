"""Document structure: the seeds' outlines with exact counts, tiling, and hand-made edge cases."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
from conftest import SEED_IDS
from hypothesis import given, settings
from hypothesis import strategies as st

import xref
from xref.labels import line_label
from xref.normalize import normalize
from xref.structure import parse
from xref.types import Document, Metadata


def of(items: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return items[items["doc_id"].str.startswith(prefix)]


def children(items: pd.DataFrame, prefix: str, parent: str | None) -> list[str]:
    doc = of(items, prefix)
    rows = doc[doc["parent_id"].isna()] if parent is None else doc[doc["parent_id"] == parent]
    return [i.rsplit("/", 1)[-1] for i in rows["item_id"]]


CN28 = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
    "十六",
    "十七",
    "十八",
    "十九",
    "二十",
    "二十一",
    "二十二",
    "二十三",
    "二十四",
    "二十五",
    "二十六",
    "二十七",
    "二十八",
]


def test_000_six_parts_and_28_tasks(items) -> None:
    doc = of(items, "000")
    parts = doc[doc["depth"].eq(1) & doc["kind"].eq("section")]
    assert list(parts["label"]) == ["一、", "二、", "三、", "四、", "五、", "六、"]
    numbered = doc[doc["label"].str.fullmatch(r"（[一二三四五六七八九十]+）")]
    assert list(numbered["label"]) == [f"（{n}）" for n in CN28]
    kinds = list(numbered["kind"])
    assert kinds[:3] == ["principle", "principle", "goal"]
    assert kinds[3:] == ["task"] * 25
    row = doc[doc["item_id"] == "三/（十）"].iloc[0]
    assert row["heading"] == "以信用监管为基础强化事中事后监管"
    assert row["text"].startswith("（十）以信用监管为基础强化事中事后监管。健全以“双随机、一公开”")


def test_000_front_and_back_matter_are_items_of_their_own(items) -> None:
    doc = of(items, "000")
    roots = list(doc[doc["depth"] == 1]["kind"])
    assert roots[:5] == ["notice", "signature", "attachment", "title", "preamble"]
    assert roots[-2:] == ["closing", "signature"]
    last_task = doc[doc["item_id"] == "六/（二十八）"].iloc[0]
    assert (
        "抄送" not in last_task["text"]
        and "各级市场监管部门要全面准确贯彻" not in last_task["text"]
    )


def test_001_parts_subsections_and_problems(items) -> None:
    assert children(items, "001", "一") == ["（一）", "（二）", "（三）", "（四）"]
    assert [len(children(items, "001", f"一/（{n}）")) for n in "一二三四"] == [3, 3, 3, 3]
    assert children(items, "001", "一/（三）") == ["一方面", "另一方面", "此外"]
    doc = of(items, "001")
    problems = doc[doc["kind"] == "problem"]
    assert list(problems["item_id"]) == ["二/一是", "二/二是", "二/三是", "二/四是"]
    assert problems.iloc[0]["heading"] == "基层执法基础不扎实，能力不匹配"
    assert children(items, "001", "三") == ["一是", "二是", "三是"]
    assert children(items, "001", "四") == ["一是", "二是", "三是", "四是"]
    assert set(doc[doc["parent_id"] == "四"]["kind"]) == {"task"}  # next year's plans
    assert set(doc[doc["parent_id"] == "一/（一）"]["kind"]) == {"reported_work"}


def test_002_chapters_measures_and_table(items) -> None:
    doc = of(items, "002")
    chapters = doc[doc["label"].str.fullmatch(r"第.章")]
    assert list(chapters["item_id"]) == ["第一章", "第二章", "第三章", "第四章", "第五章"]
    assert children(items, "002", "第三章") == ["一", "二", "三", "四"]
    per_part = []
    for part in "一二三四":
        subs = children(items, "002", f"第三章/{part}")
        per_part.append(sum(len(children(items, "002", f"第三章/{part}/{s}")) for s in subs))
    assert per_part == [11, 16, 17, 19]
    assert (doc["kind"] == "measure").sum() == 63
    assert [len(children(items, "002", f"第四章/{p}")) for p in "一二三"] == [3, 5, 4]
    assert (doc["kind"] == "indicator").sum() == 25
    # a heading broken across two lines is joined
    assert doc[doc["item_id"] == "第三章/二"].iloc[0]["heading"] == (
        "构建现代化的质量变革推动体系，打造服务高质量发展、高品质生活新范式"
    )


def test_003_five_parts_21_items(items) -> None:
    counts = [len(children(items, "003", p)) for p in "一二三四五"]
    assert counts == [3, 6, 4, 4, 4]
    doc = of(items, "003")
    assert (doc["kind"] == "task").sum() == 21
    # a paragraph without a label belongs to the item above it
    row = doc[doc["item_id"] == "三/（二）"].iloc[0]
    assert "决策出台后的10个工作日内" in row["text"]


def test_004_measures_and_key_tasks(items) -> None:
    measures = of(items, "004").query("kind == 'measure'")
    assert list(measures["label"]) == [f"{n}." for n in range(1, 10)]
    assert {p.rsplit("/", 1)[0] for p in measures["item_id"]} == {
        "二/（一）",
        "二/（二）",
        "二/（三）",
    }
    assert children(items, "004", "三") == [f"（{n}）" for n in "一二三四五六七"]
    assert set(of(items, "004").query("parent_id == '三'")["kind"]) == {"task"}


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_items_tile_the_document(corpus, items, doc_id: str) -> None:
    """The own spans [start, own_end) cover every character exactly once."""
    doc = items[items["doc_id"] == doc_id].sort_values("start")
    starts, own_ends = list(doc["start"]), list(doc["own_end"])
    assert starts[0] == 0
    assert own_ends[-1] == len(corpus[doc_id].text)
    assert starts[1:] == own_ends[:-1]
    assert (doc["end"] >= doc["own_end"]).all()
    assert doc["item_id"].is_unique


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_items_point_back_to_the_raw_file(corpus, items, doc_id: str) -> None:
    doc = corpus[doc_id]
    for row in items[items["doc_id"] == doc_id].itertuples():
        assert doc.raw[row.raw_start : row.raw_end].strip()
        assert (row.raw_start, row.raw_end) == doc.raw_span(row.start, row.end)


def _items_of(text: str, tmp_path: Path) -> list[tuple[str, str, str]]:
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    doc = xref.load_document(tmp_path / "d.txt")
    return [(n.item_id, n.kind, n.heading) for n in parse(doc)]


def test_inline_heading_ends_at_the_first_full_stop(tmp_path: Path) -> None:
    got = _items_of(
        "一、总体要求\n（一）加强市场监管立法。推进立法。\n（二）健全机制。内容。", tmp_path
    )
    assert got[1:] == [
        ("一/（一）", "principle", "加强市场监管立法"),
        ("一/（二）", "principle", "健全机制"),
    ]


def test_a_plan_outline_of_volumes_chapters_and_sections(tmp_path: Path) -> None:
    """Five-year plan outlines (规划纲要) group chapters in 篇 and divide them in 节."""
    text = (
        "第一篇 开启新征程\n第一章 发展环境\n第二篇 坚持创新驱动\n"
        "第二章 强化战略科技力量\n第一节 整合优化科技资源配置\n"
        "一、建设国家实验室。推进建设。\n二、完善创新体系。推进完善。\n"
        "第二节 加强原创性引领性科技攻关\n（一）推进攻关。开展攻关。\n"
    )
    got = _items_of(text, tmp_path)
    assert [(i, k) for i, k, _ in got] == [
        ("第一篇", "section"),
        ("第一篇/第一章", "task"),
        ("第二篇", "section"),
        ("第二篇/第二章", "section"),
        ("第二篇/第二章/第一节", "section"),
        ("第二篇/第二章/第一节/一", "task"),
        ("第二篇/第二章/第一节/二", "task"),
        ("第二篇/第二章/第二节", "section"),
        ("第二篇/第二章/第二节/（一）", "task"),
    ]


def test_the_articles_of_measures_under_their_chapters(tmp_path: Path) -> None:
    """Measures and regulations (办法, 条例) number articles 第X条, under chapters or alone."""
    text = (
        "上海市市场监督管理行政执法办法\n第一章 总则\n"
        "第一条 为了规范行政执法行为，根据有关法律法规，制定本办法。\n"
        "第二条 本办法适用于本市各级市场监督管理部门。\n第二章 执法程序\n"
        "第三条 执法人员应当出示执法证件。\n"
        "第四条 有下列情形之一的，可以从轻处罚：\n（一）主动消除违法行为危害后果的；\n"
    )
    got = _items_of(text, tmp_path)
    assert [i for i, _, _ in got if i != "title"] == [
        "第一章",
        "第一章/第一条",
        "第一章/第二条",
        "第二章",
        "第二章/第三条",
        "第二章/第四条",
        "第二章/第四条/（一）",
    ]
    kinds = dict((i, k) for i, k, _ in got)
    assert kinds["第一章"] == "section" and kinds["第二章/第三条"] in ("task", "measure")


def test_inline_enumerations_need_a_sequence(tmp_path: Path) -> None:
    text = (
        "一、工作\n统一是关键。一是加强领导；二是完善机制；三是强化保障。\n"
        "二、其他\n一是孤立的一项。"
    )
    ids = [i for i, _, _ in _items_of(text, tmp_path)]
    assert ids == ["一", "一/一是", "一/二是", "一/三是", "二"]


def test_fangmian_pairs_and_ciwai(tmp_path: Path) -> None:
    text = "一、监督\n一方面，接受外部监督。另一方面，健全内部监督。\n此外，落实三项制度。"
    ids = [i for i, _, _ in _items_of(text, tmp_path)]
    assert ids == ["一", "一/一方面", "一/另一方面", "一/此外"]


def test_a_new_line_label_closes_inline_items(tmp_path: Path) -> None:
    text = "一、甲\n（一）乙\n一是丙；二是丁。\n（二）戊\n内容。"
    ids = [i for i, _, _ in _items_of(text, tmp_path)]
    assert ids == ["一", "一/（一）", "一/（一）/一是", "一/（一）/二是", "一/（二）"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("第三章 重点任务", ("chapter", "第三章", "第三章")),
        ("第二部分 主要任务", ("chapter", "第二部分", "第二部分")),
        ("第三篇 加快发展现代产业体系", ("volume", "第三篇", "第三篇")),
        ("第二节 强化市场监管", ("part", "第二节", "第二节")),
        ("十二、加强领导", ("cn", "十二", "十二、")),
        ("（十）以信用监管为基础", ("paren_cn", "十", "（十）")),
        ("1.建立制度", ("arabic", "1", "1.")),
        ("2、完善机制", ("arabic", "2", "2、")),
        ("（3）开展检查", ("paren_arabic", "3", "（3）")),
        ("①建立台账", ("circled", "①", "①")),
        ("第一，聚焦发展", ("ordinal", "第一", "第一，")),
        ("——管得住", ("dash", "——", "——")),
        ("8.4万户", None),
        ("2021年以来", None),
        ("第一责任人", None),
    ],
)
def test_line_labels(line: str, expected: tuple[str, str, str] | None) -> None:
    assert line_label(line) == expected


def test_outline_lists_items_indented(items) -> None:
    doc_id = next(d for d in items["doc_id"] if d.startswith("003"))
    text = xref.outline(items, doc_id, max_depth=2)
    lines = text.split("\n")
    assert "一、 认真落实市政务公开重点领域信息公开  [section]" in lines
    assert "    （一） 扩大优化营商环境政策举措信息公开  [task]" in lines
    assert not any(line.startswith(" " * 8) for line in lines)


FRAGMENTS = [
    "一、",
    "二、",
    "（一）",
    "（二）",
    "1.",
    "2、",
    "（1）",
    "①",
    "第一章 ",
    "一是",
    "二是",
    "一方面，",
    "另一方面，",
    "此外，",
    "——",
    "加强监管",
    "。",
    "；",
    "\n",
    "\n\n",
    "a | b | c | d",
    "上海市市场监督管理局",
    "2023年4月24日",
    "附件：",
    "抄送：",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_parser_never_crashes_and_always_tiles(fragments: list[str]) -> None:
    raw = "".join(fragments)
    norm = normalize(raw)
    doc = Document(
        "d", Path("d.txt"), "utf-8", raw, norm.text, norm.offsets, norm.removed, Metadata()
    )
    nodes = parse(doc)
    if not doc.text:
        return
    spans = sorted((n.start, n.own_end) for n in nodes)
    assert spans[0][0] == 0 and spans[-1][1] == len(doc.text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))
    assert len({n.item_id for n in nodes}) == len(nodes)


def test_outlines_on_forked_processes_are_the_same(corpus, items, monkeypatch) -> None:
    """Documents outlined a part at a time on two processes give the items of one, texts
    sliced and in the same order."""
    import importlib

    extract_module = importlib.import_module("xref.extract")  # xref.extract is the function
    monkeypatch.setattr(extract_module, "DOCS_PER_TASK", 2)  # the five seeds: three parts
    two = xref.extract(corpus, segmenter=xref.corpus_segmenter(corpus), jobs=2)
    pd.testing.assert_frame_equal(two, items)
    assert list(two.columns) == list(extract_module.ITEM_COLUMNS)
