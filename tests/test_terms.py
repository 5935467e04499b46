"""Key terms: domain dictionary, quoted terms, variants, stopwords apart from action verbs."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import seed

import xref
from xref.link import _without
from xref.numerals import is_number_word
from xref.resources import word_set
from xref.segment import Segmenter, canonical_term, quoted_terms
from xref.units import unit_clauses


@pytest.fixture(scope="module")
def terms(corpus, items, segmenter) -> pd.DataFrame:
    return xref.terms_frame(corpus, items, segmenter=segmenter)


def item_terms(terms: pd.DataFrame, prefix: str, item_id: str) -> pd.DataFrame:
    return terms[terms["doc_id"].str.startswith(prefix) & (terms["item_id"] == item_id)]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("双随机、一公开", "双随机一公开"),
        ("一企、一照、一码", "一企一照一码"),
        ("智慧监管·云中心", "智慧监管云中心"),
    ],
)
def test_variants_are_unified(raw: str, canonical: str) -> None:
    assert canonical_term(raw) == canonical


def test_quoted_terms_are_collected_canonical() -> None:
    text = "推行“双随机、一公开”监管，推动“12315”与“一网通办”，“按照要求，全面完成各项工作任务”。"
    assert quoted_terms(text) == ["双随机一公开", "12315", "一网通办"]


def test_segmenter_keeps_policy_terms_whole() -> None:
    seg = Segmenter(["融合型网格"])
    words = [
        t.word
        for t in seg.tokenize("推行“双随机、一公开”监管，建设融合型网格，12315热线并入一网通办。")
    ]
    assert "双随机一公开" in words
    assert "融合型网格" in words
    assert "一网通办" in words
    assert "12315" in words


def test_segmenter_does_not_touch_jiebas_global_tokenizer() -> None:
    import jieba

    Segmenter(["某某独有术语"]).tokenize("某某独有术语")
    assert "某某独有术语" not in jieba.lcut("某某独有术语")


def test_tokens_point_into_the_text() -> None:
    text = "加强“双随机、一公开”监管"
    for token in Segmenter().tokenize(text):
        span = text[token.start : token.end]
        assert canonical_term(span) == token.word


def test_stopwords_and_action_verbs_are_kept_apart() -> None:
    stop, verbs = word_set("stopwords.txt"), word_set("action_verbs.txt")
    assert {"加强", "推进", "全面", "深入", "进一步", "工作", "建设"} <= stop
    assert {"建立", "完善", "推行", "开展"} <= verbs
    assert not stop & verbs


def test_item_terms_on_a_real_task(terms, items) -> None:
    rows = item_terms(terms, "000", "三/（十）")
    assert "双随机一公开" in set(rows["term"])  # quoted in the text, always kept
    assert rows.set_index("term").loc["双随机一公开", "source"] == "quoted"
    assert "信用修复" in set(rows["term"])
    assert not set(rows["term"]) & word_set("stopwords.txt")
    assert rows["weight"].between(0, 1).all()
    row = items[items["doc_id"].str.startswith("000") & (items["item_id"] == "三/（十）")].iloc[0]
    assert {"健全", "完善", "建立"} <= set(row["actions"].split(";"))
    assert "加强" not in row["actions"].split(";")


def test_every_source_is_used(terms) -> None:
    assert set(terms["source"]) == {"quoted", "dictionary", "tfidf"}
    assert terms.groupby(["doc_id", "item_id"]).size().max() >= 10


def test_idf_is_fitted_on_this_corpus(terms) -> None:
    """A word in nearly every item (市场) never outranks an item's specific terms."""
    top = terms.sort_values("weight", ascending=False).groupby(["doc_id", "item_id"]).head(1)
    assert (top["term"] == "市场").mean() < 0.05


def test_place_names_are_not_key_terms(terms) -> None:
    assert not {"上海", "上海市", "天津", "蓟州区", "嘉定", "闵行"} & set(terms["term"])


@pytest.mark.parametrize(
    ("prefix", "item_id", "word"),
    [
        ("000", "四/（十七）", "或者"),  # a conjunction: it was this city task's 3rd key term
        ("004", "三/（七）", "不仅"),
        ("004", "三/（六）", "针对"),  # a preposition
        ("004", "title", "关于"),
        ("002", "第一章/一/（二）", "期间"),  # a locative
        ("000", "五/（二十二）", "二十二"),  # the task's own label, weighted as its heading's
        ("000", "六/（二十八）", "二十八"),
        ("001", "二/一是", "一是"),  # an enumerator
        ("001", "一/（二）", "三个"),  # 三个一批
        ("002", "第三章/三/（二）", "一次"),  # a count
    ],
)
def test_function_words_and_numbers_are_not_key_terms(terms, items, prefix, item_id, word):
    """Rare in a small corpus, conjunctions, prepositions and numbers got a high IDF, and
    became key terms and evidence; a heading's own label weighed as the heading does. jieba's
    dictionary tags the function words (no stopword list names all); a number says how many
    or which one, not what."""
    text = items[items["doc_id"].str.startswith(prefix) & (items["item_id"] == item_id)]["text"]
    assert word in text.iloc[0]
    own = item_terms(terms, prefix, item_id)
    assert len(own) >= 5
    assert word not in set(own["term"])


@pytest.mark.parametrize(
    "word", ["十九", "第一", "三个", "一是", "三大", "万户", "十四五", "第一章", "二十八"]
)
def test_number_words(word: str) -> None:
    assert is_number_word(word)


@pytest.mark.parametrize("word", ["两会", "第三方", "两品", "多元", "一体化", "三角", "一网通办"])
def test_names_with_numerals_are_not_number_words(word: str) -> None:
    assert not is_number_word(word)


@pytest.mark.parametrize(
    ("item_id", "word"),
    [
        ("二/（一）/1", "制度性"),  # 加强制度性供给
        ("二/（三）/9", "事后"),  # 建立事后回访联络制度
        ("三/（七）", "干部队伍"),  # 培养干部队伍综合素养，提升执法能力
    ],
)
def test_a_headings_words_lead_the_key_terms(terms, item_id, word) -> None:
    """Minhang's items state their topic in the heading and go on about how; the body's
    rarer words (享受, 后半段, 敢于) had outranked it."""
    assert word in list(item_terms(terms, "004", item_id)["term"])[:3]


def test_time_words_stay_key_terms(terms) -> None:
    """jieba tags 节假日 and 逾期 as time words: in market regulation they are what a task is
    about (holiday inspections, overdue annual reports)."""
    assert {"节假日", "逾期"} <= set(terms["term"])


def test_words_of_unit_clauses_are_not_key_terms(items, terms) -> None:
    """003's items end with （责任处室：…）: the divisions say who does the work, not what it is.
    Before, 处室, 办公室, 管理处... were key terms of 11 of its items for their clauses alone."""
    own = items[items["doc_id"] == seed("003")]
    outside = {  # each item's text without its clauses, separators dropped as in terms
        item_id: canonical_term(_without(text, 0, len(text), unit_clauses(text)) or text)
        for item_id, text in own[["item_id", "text"]].itertuples(index=False)
    }
    assert sum(len(unit_clauses(t)) for t in own["text"]) > 23  # a section holds its tasks'
    chosen = terms[terms["doc_id"] == seed("003")]
    assert len(chosen) > 200
    for item_id, term in chosen[["item_id", "term"]].itertuples(index=False):
        assert term in outside[item_id], (item_id, term)


def test_key_terms_on_forked_processes_are_the_same(corpus, items, monkeypatch) -> None:
    """Parts of the items on two processes give the terms and actions of one process."""
    from xref import terms as terms_module

    monkeypatch.setattr(terms_module, "PARALLEL_ITEMS", 40)  # the seeds' 321 items: 8 parts
    one = terms_module.item_terms(corpus, items, segmenter=xref.corpus_segmenter(corpus))
    two = terms_module.item_terms(corpus, items, segmenter=xref.corpus_segmenter(corpus), jobs=2)
    pd.testing.assert_frame_equal(one[0], two[0])
    assert one[1] == two[1] and list(one[1]) == list(two[1])
    assert len(one[0]) > 1000
