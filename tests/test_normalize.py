"""Normalisation: real noise from the seeds, the raw-offset map, and nothing of the body lost."""

from __future__ import annotations

import itertools
import pickle
import re
from array import array

import opencc
import pytest
from conftest import SEED_IDS, assert_reads_as_seed
from hypothesis import given, settings
from hypothesis import strategies as st

import xref
from xref.normalize import GARBLE_MARK, TONED, Offsets, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("市場監(jiān)督管理局", "市场监督管理局"),  # pinyin after characters
        ("加強(qiáng)監(jiān)管", "加强监管"),
        ("監（jiān）管", "监管"),  # full-width brackets too
        ("實施方案(2021—2025年)", "实施方案（2021—2025年）"),  # real parentheses stay
        ("(此件主动公开)", "（此件主动公开）"),
        ("(一)指导思想", "（一）指导思想"),
        ("A(de)B", "A(de)B"),  # Latin context: not pinyin, not Chinese punctuation
        ("第一章??规划编制背景", "第一章 规划编制背景"),  # ?? where spaces were lost
        ("??约束性??", "约束性"),
        ("\u3000\u3000为深入贯彻", "为深入贯彻"),
        ("市场\xa0\xa0监管", "市场 监管"),
        ("１２３１５热线", "12315热线"),
        ("ＡＢＣ级", "ABC级"),
        ("1．优化服务", "1.优化服务"),
        ("加强,推进;落实:完成!", "加强，推进；落实：完成！"),
        ("目标8.4万户,1+1+1>3", "目标8.4万户，1+1+1>3"),
        ("共1,000户", "共1,000户"),  # a thousands separator is not Chinese punctuation
        ("见http://www.gov.cn/a.html", "见http://www.gov.cn/a.html"),
        ("零\u200b宽", "零宽"),
        (
            "加强&nbsp;监管&amp;执法&#12290;&foo;",
            "加强 监管&执法。&foo;",
        ),  # tags stripped, entities left
        ("加强\x00\x00执法\x08监管\x7f。", "加强执法监管。"),  # scraping debris
        ("第一页末\x0c第二页首", "第一页末\n第二页首"),  # a form feed between PDF pages
        ("上一段\u2029下一段\u2028下一行", "上一段\n下一段\n下一行"),
        ("第一行\r\n第二行\r\n\r\n\r\n\r\n第三行", "第一行\n第二行\n\n第三行"),
    ],
)
def test_normalize_examples(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    "breadcrumb",
    [
        "首页 > 政务公开 > 规划计划",
        "首页＞信息公开＞政策文件",  # full-width, as many sites write it
        "网站首页 » 法定主动公开内容",
        "您的位置：首页 > 政策法规",
        "您现在的位置: 首页 > 通知公告",
    ],
)
def test_a_breadcrumb_without_a_label_is_chrome(breadcrumb: str) -> None:
    """Not every site writes 当前位置 before its breadcrumb: the title would be the trail."""
    norm = normalize(f"{breadcrumb}\n关于印发《实施方案》的通知\n一、总体要求\n")
    assert norm.text.split("\n")[0] == "关于印发《实施方案》的通知"
    assert [r.reason for r in norm.removed] == ["chrome"]


def test_a_line_that_mentions_the_home_page_is_kept() -> None:
    text = "（三）优化政府网站首页栏目设置，首页 > 政务公开栏目置顶。"
    assert normalize(text).text == text


PAGE_SOURCE = (
    "<!DOCTYPE html><html><head><title>某区门户</title><style>p{margin:0}</style></head>\n"
    '<body><div class="nav">首页 > 政策文件</div><script>var n = "<p>x</p>";</script>\n'
    '<div class="content"><p style="text-align:center">关于印发《实施方案》的通知</p>'
    "<p>各街道：</p><!-- 正文 --><p>一、总体要求</p>"
    "<p>（一）加强执法监管&nbsp;工作，A&amp;B。<br/>推进信用监管。</p>\n"
    "<table><tr><td>1</td><td>市场主体总量</td><td>8.4</td></tr></table></div></body></html>"
)


def test_html_source_saved_as_text_is_read_as_its_text() -> None:
    """A scraper's response written to a .txt: the markup goes, every character still maps
    to the raw file."""
    norm = normalize(PAGE_SOURCE)
    lines = [line for line in norm.text.split("\n") if line]
    assert lines == [
        "关于印发《实施方案》的通知",
        "各街道：",
        "一、总体要求",
        "（一）加强执法监管 工作，A&B。",
        "推进信用监管。",
        "1 | 市场主体总量 | 8.4 |",
    ]
    at = norm.text.index("（一）加强")
    start, end = norm.offsets[at], norm.offsets[at + 8] + 1
    assert PAGE_SOURCE[start:end] == "（一）加强执法监管"


def test_a_page_that_omits_the_ends_of_cells_and_rows_reads_as_one_that_has_them() -> None:
    closed = (
        "<html><body><p>表1</p><table><tr><td>1</td><td>市场主体总量</td><td>8.4</td></tr>"
        "<tr><td>2</td><td>企业主体总量</td><td>1.8</td></tr></table><p>二、任务</p></body></html>"
    )
    omitted = closed.replace("</td>", "").replace("</tr>", "")
    norm = normalize(omitted)
    assert norm.text == normalize(closed).text
    assert "2 | 企业主体总量 | 1.8 |" in norm.text.split("\n")
    at = norm.text.index("企业")
    assert omitted[norm.offsets[at] : norm.offsets[at] + 6] == "企业主体总量"


@pytest.mark.parametrize("text", ["比较<p>与<br>的写法", "若a<b且b>c，则a<c。", "1+1>3"])
def test_a_text_with_a_stray_tag_is_not_html(text: str) -> None:
    assert normalize(text).text.count("<") == text.count("<")


def test_000_has_no_pinyin_traditional_or_chrome(docs) -> None:
    text = docs["000"].text
    assert not re.search(f"[(（][a-z{TONED}]+[)）]", text)
    assert opencc.OpenCC("t2s").convert(text) == text
    assert not set("監場關發設實規範黨務") & set(text)
    for chrome in (
        "核心提示",
        "点击排行",
        "反对 0举报",
        "推荐图文",
        "更多>同类法规",
        "盐池滩羊",
        "地区：",
    ):
        assert chrome not in text
    assert "上海法治市场监管建设实施方案" in text


# Every line removed as chrome, per seed: nothing else may go.
EXPECTED_CHROME = {
    "000": [
        "2022-03-30 632",
        "核心提示：为深入学习",
        "地区： 上海",
        "反对 0举报 0",
        "更多>同类法规",
        "推荐图文",
        "推荐法规",
        "点击排行",
        "盐池滩羊",
    ],
    "001": ["发布日期：2025-02-07", "扫一扫在手机打开当前页"],
    "002": ["分享到："],
    "003": [
        "当前位置： 首页 » 政策法规",
        "扫描二维码 分享好友和朋友圈",
        "放大字体 缩小字体",
        "核心提示：2023年",
        "发布单位",
        "上海市市场监督管理局",
        "上海市市场监督管理局",
        "发布文号 沪市监办发",
        "发布日期 2023-04-25",
        "有效性状态",
        "属性 专业属性",
        "备注",
        "上海市市场监督管理局关于印发《2023年",
        "食品伙伴网提供",
        "电询：",
        "QQ:2891238009",
        "食品标法圈",
        "实时把握食品标法动态",
        "请扫码关注",
        "声明：",
        "① 凡本网",
        "② 凡本网",
        "※ 邮箱",
        "[ 政策法规搜索 ]",
        "按分类浏览",
        "国家法规 (11556)",
        "地方法规 (40931)",
        "法规解读 (2714)",
        "推荐地方法规",
        "点击排行",
        "按国家或地区浏览",
        "法规中心 关于我们",
        "Processed in",
    ],
    "004": ["当前位置：", "来源：上海市闵行区市场监督管理局"],
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_CHROME))
def test_exactly_the_chrome_is_removed(docs, prefix: str) -> None:
    removed = [r.text for r in docs[prefix].removed if r.reason == "chrome"]
    expected = EXPECTED_CHROME[prefix]
    assert len(removed) == len(expected), removed
    for got, want in zip(removed, expected, strict=True):
        assert got.startswith(want), (got, want)


def _paginated(text: str, lines_per_page: int, furniture: str) -> str:
    """``text`` cut into pages joined by form feeds (as a PDF's text layer), ``furniture``
    (``{page}`` for its number) closing each page."""
    lines = text.split("\n")
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    return "\f".join(
        "\n".join([*page, furniture.format(page=n)]) for n, page in enumerate(pages, 1)
    )


@pytest.mark.parametrize("furniture", ["{title}", "上海市闵行区市场监督管理局 第{page}页"])
def test_a_running_header_or_footer_is_page_furniture(tmp_path, docs, items, furniture) -> None:
    """Lines a paginated text repeats at the edge of its pages are dropped: here the title,
    which stays where it is the document's, and an issuer with the page's number."""
    doc = docs["004"]
    line = furniture.format(title=doc.text.split("\n")[0], page="{page}")
    raw = _paginated(doc.text, 8, line)
    (tmp_path / f"{doc.doc_id}.txt").write_text(raw, encoding="utf-8")
    corpus = xref.load_corpus(tmp_path)
    text = corpus[doc.doc_id].text
    assert raw.count("\f") >= 4
    title = doc.text.split("\n")[0]
    assert text.startswith(title)
    assert text.count(line.format(page=3)) == (line == title)
    assert "第7页" not in text
    assert_reads_as_seed(corpus, doc, items)


def test_two_pages_show_no_running_header(docs) -> None:
    """A line at the foot of two pages may be the body's: too few pages to tell."""
    doc = docs["004"]
    half = doc.text.count("\n") // 2 + 1
    raw = _paginated(doc.text, half, "上海市闵行区市场监督管理局")
    assert raw.count("\f") == 1
    assert normalize(raw).text.count("上海市闵行区市场监督管理局\n") >= 2


def _sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in re.findall(r"[^。]*。", line)]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_body_sentence_survives(corpus, doc_id: str) -> None:
    """Count 。 before and after: the only ones lost are in removed chrome or garbled text,
    and every raw sentence outside those reappears, normalised, in the text."""
    doc = corpus[doc_id]
    in_removed = sum(doc.raw[r.raw_start : r.raw_end].count("。") for r in doc.removed)
    assert doc.raw.count("。") == doc.text.count("。") + in_removed

    removed_raw = [(r.raw_start, r.raw_end) for r in doc.removed]
    pos = 0
    for line in doc.raw.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if any(s < start + len(line) and start < e for s, e in removed_raw):
            continue
        for sentence in _sentences(line):
            assert normalize(sentence).text in doc.text, sentence


def test_garbled_spans_are_reported_not_kept(docs) -> None:
    doc = docs["000"]
    garbled = [r for r in doc.removed if r.reason == "garbled"]
    assert len(garbled) == 3
    assert "不当" + GARBLE_MARK in doc.text  # 不當?shù)男姓... -> 不当〓
    assert not re.search("[\ue000-\uf8ff]", doc.text)
    for r in garbled:
        assert any(f"raw {r.raw_start}-{r.raw_end}" in w for w in doc.warnings)
    assert all(
        not any(r.reason == "garbled" for r in d.removed)
        for d in [docs["001"], docs["002"], docs["003"], docs["004"]]
    )


_FULLWIDTH = str.maketrans({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})
_T2S = opencc.OpenCC("t2s").convert


def _corresponds(norm: str, raw: str) -> bool:
    """Whether normalised character ``norm`` is a faithful rendering of raw character ``raw``."""
    candidates = {raw, raw.translate(_FULLWIDTH), _T2S(raw), _T2S(raw).translate(_FULLWIDTH)}
    if norm in candidates:
        return True
    ascii_to_cjk = {"，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")"}
    if ascii_to_cjk.get(norm) in {raw, raw.translate(_FULLWIDTH)}:
        return True
    if norm == " ":
        return raw.isspace() or raw == "?"
    return (norm == "\n" and raw == "\r") or norm == GARBLE_MARK


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_character_maps_back_to_its_raw_source(corpus, doc_id: str) -> None:
    doc = corpus[doc_id]
    assert len(doc.offsets) == len(doc.text)
    offsets = list(doc.offsets)
    assert offsets == sorted(offsets)  # order kept: spans map to spans
    bad = [
        (i, c, doc.raw[o])
        for i, (c, o) in enumerate(zip(doc.text, offsets, strict=True))
        if not _corresponds(c, doc.raw[o])
    ]
    assert not bad, bad[:10]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_lines_round_trip_through_raw_context(corpus, doc_id: str) -> None:
    """Normalising the raw text behind any normalised line gives that line back."""
    doc = corpus[doc_id]
    pos = 0
    for line in doc.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line:
            assert normalize(doc.raw_context(start, start + len(line))).text == line


def test_raw_span_rejects_spans_outside_the_document(docs) -> None:
    doc = docs["001"]
    assert doc.raw_span(0, 0) == (doc.offsets[0], doc.offsets[0])
    with pytest.raises(IndexError):
        doc.raw_span(0, len(doc.text) + 1)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("監督管理局(jiān)（）??\u3000 ,.。\n\r1２a市場\ue497不当")),
        max_size=80,
    )
)
def test_normalize_never_breaks_the_offset_map(raw: str) -> None:
    n = normalize(raw)
    assert len(n.offsets) == len(n.text)
    assert list(n.offsets) == sorted(n.offsets)
    assert all(0 <= o < len(raw) for o in n.offsets)


def test_simplified_seeds_are_unchanged_by_t2s(docs) -> None:
    for prefix in ("001", "002", "003", "004"):
        doc = docs[prefix]
        assert _T2S(doc.text) == doc.text
    assert isinstance(docs["001"], xref.Document)


@given(st.lists(st.integers(0, 4), max_size=60))
def test_offsets_kept_as_runs_read_back_as_the_array(steps: list[int]) -> None:
    """Runs of +1 with repeats (a replacement longer than what it replaced) and jumps
    (removed text) in between, as normalisation makes them."""
    every = array("i", itertools.accumulate(steps))
    offsets = Offsets(every)
    assert len(offsets) == len(every)
    assert list(offsets) == list(every) == [offsets[i] for i in range(len(every))]
    assert [offsets[-i] for i in range(1, len(every) + 1)] == list(every)[::-1]
    assert list(pickle.loads(pickle.dumps(offsets))) == list(every)  # dask ships documents
    with pytest.raises(IndexError):
        offsets[len(every)]


def test_offsets_cost_a_run_per_edit_and_clean_text_is_not_copied(corpus) -> None:
    n_chars = sum(len(doc.text) for doc in corpus)
    n_runs = sum(doc.offsets.runs for doc in corpus)
    assert n_runs < n_chars / 10
    assert all(doc.text is not doc.raw for doc in corpus)  # every seed is edited
    raw = "一、加强监管\n（一）推进综合执法。"
    assert normalize(raw).text is raw
    assert list(normalize(raw).offsets) == list(range(len(raw)))


def pdf_text(text: str, width: int = 34, page: int = 30) -> str:
    """``text`` as a PDF's text layer gives it: each paragraph indented and broken at the
    page's width, and a page number after every ``page`` lines."""
    lines = []
    for paragraph in filter(None, text.split("\n")):
        paragraph = "\u3000\u3000" + paragraph
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)]
    out = []
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % page == 0:
            out.append(f"— {i // page} —")
    return "\n".join(out)


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_text_taken_from_a_pdf_reads_as_its_paragraphs(tmp_path, docs, items, prefix) -> None:
    """Titles, headings and sentences broken at the page's edge are whole again: the same
    items and metadata as the seed (before, 004's title became its second line's text)."""
    doc = docs[prefix]
    (tmp_path / f"{doc.doc_id}.txt").write_text(pdf_text(doc.text), encoding="utf-8")
    corpus = xref.load_corpus(tmp_path)
    assert "— 1 —" not in corpus[doc.doc_id].text
    assert_reads_as_seed(corpus, doc, items)


def test_lines_of_one_length_that_end_or_open_a_part_stay_apart() -> None:
    sentences = [f"第{i}项工作按照计划推进并已按期完成验收。" for i in range(1, 10)]
    headings = [f"{n}、推进市场监管领域执法规范化建设工作" for n in "一二三四五六七八九"]
    for lines in (sentences, headings):
        assert normalize("\n".join(lines)).text.split("\n") == lines


def test_a_word_broken_at_the_line_end_keeps_its_space() -> None:
    line = "推进市场监管领域的数字化转型工作，建设统一的数据平台，接入Market"
    text = "\n".join([line] * 9 + ["Regulation平台。"])
    assert "Market Regulation" in normalize(text).text
    assert "Market推进" in normalize(text).text
    line = "推进市场监管领域的数字化转型工作，建设统一的数据平台，力争到20"
    number = "\n".join([line] * 9 + ["25年。"])
    assert "到2025年" in normalize(number).text


@pytest.mark.parametrize("pages", [1, 2])
def test_a_hard_wrapped_text_that_ends_in_blank_lines(docs, pages) -> None:
    """Text taken from a PDF often ends with a full line and blank lines (OCR's does); the
    unwrapping looked past the last line for a page break and failed."""
    body = "".join(line for line in docs["004"].text.split("\n") if len(line) > 100)[:400]
    chunks = [body[i : i + 20] for i in range(0, 400, 20)]
    size = len(chunks) // pages
    raw = "\f".join("\n".join(chunks[i : i + size]) for i in range(0, len(chunks), size))
    assert normalize(raw + "\n\n").text == body
