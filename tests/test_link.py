"""Linking: who may implement whom, scores with evidence, and the evaluation on the gold set."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import RAW, ROOT, seed
from hypothesis import given, settings
from hypothesis import strategies as st

import xref
from xref.evaluate import BASELINE_THRESHOLDS, baseline, evaluate, read_gold, resolve_anchor
from xref.hierarchy import document_pairs
from xref.link import (
    SIGNALS,
    LinkConfig,
    _without,
    char_bigrams,
    find_links,
    score_pairs,
    select,
    shared_parents,
    shares_passage,
)
from xref.units import unit_clauses

GOLD = ROOT / "data" / "annotations" / "gold_links.csv"
HELD_OUT = ROOT / "data" / "annotations" / "held_out_links.csv"
HELD_OUT_DISTRICTS = ROOT / "data" / "annotations" / "held_out_district_links.csv"


def test_document_pairs_follow_the_region_chain(corpus, items) -> None:
    pairs = document_pairs(corpus, xref.citations_frame(corpus, items))
    got = {(c[:3], p[:3], r) for c, p, r in pairs.itertuples(index=False)}
    assert got == {
        ("001", "000", "higher_level"),
        ("001", "003", "higher_level"),
        ("004", "000", "higher_level"),
        ("004", "003", "higher_level"),
        ("003", "000", "plan_covers_annual"),  # the 2023 work points under the 2021-2025 plan
    }


def test_tianjin_implements_nothing_of_shanghai(links) -> None:
    jizhou = seed("002")
    assert not ((links["source_doc"] == jizhou) | (links["target_doc"] == jizhou)).any()


def test_links_carry_scores_grades_and_evidence(links) -> None:
    assert links["score"].between(0, 1).all()
    for signal in ("lexical", "chars", "sentence", "terms", "quoted", "cited"):
        assert links[signal].between(0, 1).all()
    assert set(links["grade"]) <= {"verbatim", "adapted", "partial", "thematic"}
    assert (links["decided_by"] == "auto").all()
    assert links["evidence"].str.contains("lexical").all()
    per_question = links.groupby(["source_doc", "source_id", "target_doc"]).size()
    assert (per_question <= LinkConfig().cap).all()
    credit = links[(links["source_doc"] == seed("004")) & (links["source_id"] == "二/（三）/8")]
    row = credit[credit["target_id"] == "三/（十）"].iloc[0]  # 信用修复 -> 以信用监管为基础…
    assert "信用修复" in row["shared_terms"]
    assert row["source_text"].startswith("8.建立信用预警修复制度")


def test_evidence_names_the_words_a_link_shares_beyond_key_terms(links) -> None:
    """An item's key terms are its few most specific words, so most links share none (68 of
    the seeds' 110 showed "—"). Jiading's 公平竞争审查 item and the city's task on the
    business environment share no key term, but they share 公平竞争审查 itself."""
    item = links[(links["source_doc"] == seed("001")) & (links["source_id"] == "一/（一）/三是")]
    row = item[item["target_id"] == "三/（九）"].iloc[0]
    assert row["terms"] == 0
    assert "公平竞争审查" in row["shared_terms"].split(";")
    assert "公平竞争审查" in row["evidence"].split(" | ")[0]
    assert (links["shared_terms"] != "").all()


def test_each_parent_document_is_a_question_of_its_own(links) -> None:
    """Jiading's enforcement-disclosure item implements a task of the city plan and one of
    the city's work points; the work points' task does not crowd out the plan's."""
    item = links[
        (links["source_doc"] == seed("001")) & (links["source_id"] == "一/（三）/另一方面")
    ]
    assert set(item["target_doc"]) == {seed("000"), seed("003")}
    assert "三/（十三）" in set(item.loc[item["target_doc"] == seed("000"), "target_id"])
    assert (item.groupby("target_doc")["rank"].min() == 1).all()


def test_a_build_writes_evidence_cards_for_kept_links_only(corpus, items, segmenter, terms, scored):
    """The default cards only what select keeps; ``cards="all"`` (the ``scored`` fixture,
    as ``xref evaluate`` runs) every candidate, and both agree on every other column."""
    lean = score_pairs(
        corpus, items, segmenter=segmenter, terms=terms, config=LinkConfig(keep=None)
    )
    card = ["shared_terms", "child_sentence", "parent_sentence", "evidence"]
    rest = [c for c in lean.columns if c not in card]
    pd.testing.assert_frame_equal(lean[rest], scored[rest])
    pair = ["source_doc", "source_id", "target_doc", "target_id"]
    # cards are written where scoring keeps a link, before the chain check drops some
    chosen = set(select(lean, LinkConfig(chain=False))[pair].itertuples(index=False))
    kept = np.array([tuple(r) in chosen for r in lean[pair].itertuples(index=False)])
    assert kept.any() and not kept.all()
    pd.testing.assert_frame_equal(lean.loc[kept, card], scored.loc[kept, card])
    assert (lean.loc[~kept, card] == "").all().all()
    assert scored.loc[~kept, "evidence"].str.contains("最相近句").any()
    with pytest.raises(ValueError, match="cards"):
        LinkConfig(cards="some")


def test_a_build_without_decisions_makes_rows_for_its_links_and_each_tasks_nearest_item(
    corpus, items, segmenter, terms, scored
) -> None:
    """``keep="links"`` makes the rows :func:`select` keeps of the default candidates, the
    same in every column, and besides them only each task's nearest item in each child
    document (``task_rank`` 1: what a gap names), the same rows every candidate ranks first,
    and the links the chain check drops (it reads links into other documents)."""
    links = score_pairs(
        corpus, items, segmenter=segmenter, terms=terms, config=LinkConfig(keep="links")
    )
    default = score_pairs(corpus, items, segmenter=segmenter, terms=terms)
    assert len(links) < len(default) / 2
    kept = select(links)
    pd.testing.assert_frame_equal(kept, select(default))
    pair = ["source_doc", "source_id", "target_doc", "target_id"]
    unchained = select(links, LinkConfig(chain=False))
    assert len(kept) < len(unchained)
    others = links.merge(unchained[pair], how="left", indicator=True)
    others = others[others["_merge"] == "left_only"]
    assert len(others) and (others["task_rank"] == 1).all()

    task = ["source_doc", "target_doc", "target_id"]
    firsts = scored[scored["task_rank"] == 1]
    assert not firsts.duplicated(task).any()
    best = scored[scored["score"] > 0].groupby(task)["score"].max()
    assert len(firsts) == len(best)
    assert (firsts.set_index(task)["score"].sort_index() == best.sort_index()).all()
    signals = ["score", "rank", "task_rank", *SIGNALS]
    nearest = links[links["task_rank"] == 1][pair + signals].reset_index(drop=True)
    pd.testing.assert_frame_equal(nearest, firsts[pair + signals].reset_index(drop=True))
    with pytest.raises(ValueError, match="keep"):
        LinkConfig(keep="link")


def test_block_jobs_carry_rows_until_scored(corpus, items, segmenter, terms) -> None:
    """Jobs hold item rows, so the process that forks the workers builds no views; a job
    with its views built is self-contained: views, each item's once, and the IDF of its own
    words only. A region's plans are one job: Shanghai's plan and its work points."""
    from xref.link import ItemView, _block_jobs
    from xref.terms import indexed

    jobs = _block_jobs(corpus, items, segmenter, LinkConfig(), terms, None)
    assert [[b.doc_id[:3] for b in j.blocks] for j in jobs] == [["000", "003"]]
    job = jobs[0]
    assert not any(isinstance(v, ItemView) for v in job.views())
    built = job.with_views()
    assert built.with_views() is built and built.make_view is None
    views = list(built.views())
    assert all(isinstance(v, ItemView) for v in views)
    for block, rows in zip(built.blocks, job.blocks, strict=True):
        assert [v.item_id for v in block.tasks] == [r.item_id for r in rows.tasks]
    # 001 and 004 may implement either plan: their items are viewed once for both
    shared = {(v.doc_id, v.item_id): v for v in built.blocks[1].children[0][2]}
    below = [v for *_, views in built.blocks[0].children for v in views]
    again = [v for v in below if (v.doc_id, v.item_id) in shared]
    assert again and all(v is shared[(v.doc_id, v.item_id)] for v in again)
    words = {w for v in views for w in (*v.counts, *v.terms, *v.quoted)}
    _, idf = indexed(corpus, items, segmenter)
    assert built.idf == {w: idf[w] for w in words if w in idf}
    assert len(built.idf) < len(idf)


def _pairs(texts: list[str]) -> list[Counter[str]]:
    rows, pairs, counts = char_bigrams(texts)
    out: list[Counter[str]] = [Counter() for _ in texts]
    for r, pair, n in zip(rows.tolist(), pairs.tolist(), counts.tolist(), strict=True):
        out[r][chr(pair >> 16) + chr(pair & 0xFFFF)] = n
    return out


def test_character_bigrams_stay_within_han_runs() -> None:
    first, second, empty = _pairs(["执法案卷评查，2023年“双随机”，评查", "案件评查", "2023"])
    assert first == Counter(
        {"执法": 1, "法案": 1, "案卷": 1, "卷评": 1, "评查": 2, "双随": 1, "随机": 1}
    )
    assert list(first) == ["执法", "法案", "案卷", "卷评", "评查", "双随", "随机"]  # as they come
    assert second == Counter({"案件": 1, "件评": 1, "评查": 1})  # no 查案 across two texts
    assert not empty
    assert _pairs(["执法\ud800评查"]) == [Counter({"执法": 1, "评查": 1})]  # a lone surrogate
    # 案卷评查 and 案件评查: jieba cuts them differently, the bigram 评查 is shared
    assert set(first) & set(second) == {"评查"}


def test_gold_saved_by_excel_on_chinese_windows_reads_the_same(tmp_path: Path, items) -> None:
    (gbk := tmp_path / "gold.csv").write_bytes(GOLD.read_text(encoding="utf-8").encode("gbk"))
    assert read_gold(gbk, items).equals(read_gold(GOLD, items))


def test_gold_anchors_resolve_to_the_annotated_items(items) -> None:
    gold = read_gold(GOLD, items)
    assert len(set(zip(gold["child_doc"], gold["child_id"], strict=True))) == 35
    assert set(gold.loc[gold["relation"] != "none", "parent_id"]) <= set(
        items[(items["doc_id"] == seed("000")) & (items["kind"] == "task")]["item_id"]
    )
    # the heading wins over an earlier sentence that merely quotes it
    assert resolve_anchor(items, seed("000"), "深入学习贯彻习近平法治思想") == "六/（二十五）"


def test_evaluation_on_the_seeds(items, scored) -> None:
    """Figures measured with the defaults: F1 0.838, top-1 1.00, MAP 0.946 (see
    data/annotations/README.md; in-sample, the held-out figures are lower). The floors are
    below them by about one link: a link at the relative cut can flip with the corpus IDF
    (one did at 0.9005 of its item's best, when unit clauses left the IDF)."""
    result = evaluate(scored, read_gold(GOLD, items))
    overall = result.summary.set_index("child_doc").loc["all"]
    assert overall["top1"] >= 0.95
    assert overall["f1"] >= 0.82
    assert overall["map"] >= 0.94
    assert overall["strong_precision"] == 1.0  # 21 strong links, every one right
    assert overall["n_strong"] < overall["n_predicted"]
    assert set(result.misses.columns) >= {"child_id", "parent_id", "evidence"}


def test_tasks_taken_up(items, scored) -> None:
    """The coverage question, per document: which of 000's tasks did 001 and 004 take up?
    Measured: every predicted task right, 17 of 20 found by any link, 12 by strong ones."""
    tasks = evaluate(scored, read_gold(GOLD, items)).tasks.set_index(["child_doc", "links"])
    pooled, strong = tasks.loc[("all", "all")], tasks.loc[("all", "strong")]
    assert pooled["n_tasks"] == strong["n_tasks"] == 20  # 12 of 001's, 8 of 004's
    assert pooled["precision"] >= 0.9 and pooled["recall"] >= 0.75
    assert strong["precision"] == 1.0  # a strong link never reaches a task no item takes up
    assert strong["n_predicted"] < pooled["n_predicted"]
    # a task missed is listed, by id, and only if no annotated item's link reaches it
    missed = tasks.loc[(seed("001"), "all"), "missed"].split(";")
    assert "四/（十七）" in missed and "三/（九）" not in missed
    # of 001's three missed tasks, the gaps of （八） and （十七） name a right item as the
    # nearest (免罚、免强清单 and 健全完善内部监督); （十一）'s names 另一方面, annotated elsewhere
    assert len(missed) == 3 and tasks.loc[(seed("001"), "all"), "missed_nearest_ok"] == 2


def test_held_out_evaluation(items, scored) -> None:
    """003 -> 000, annotated after the defaults were chosen and never used to choose one:
    F1 0.606, top-1 0.783 (data/annotations/README.md). Floors against regressions, not
    targets."""
    gold = read_gold(HELD_OUT, items)
    assert len(set(gold["child_id"])) == 23  # every leaf action of 003
    assert set(gold["parent_id"]) <= set(
        items[(items["doc_id"] == seed("000")) & (items["kind"] == "task")]["item_id"]
    )
    overall = evaluate(scored, gold).summary.set_index("child_doc").loc["all"]
    assert overall["f1"] >= 0.55
    assert overall["top1"] >= 0.7


def test_the_baseline_is_the_tfidf_cosine_at_its_best_threshold(items, scored) -> None:
    """``xref evaluate`` sets the links beside the comparison the issue names: the TF-IDF
    cosine alone, its threshold chosen on the gold set itself. Measured: 0.08, F1 0.684 on
    the development set (the links: 0.856, in-sample), 0.611 on 003 -> 000 (the links:
    0.606): the combined score does not beat it there."""
    gold = read_gold(GOLD, items)
    plain = baseline(scored, gold).set_index("child_doc")
    threshold = plain["threshold"].iloc[0]
    assert threshold == 0.08 and round(plain.loc["all", "f1"], 3) == 0.684
    lexical = scored.assign(score=scored["lexical"])
    for other in BASELINE_THRESHOLDS:  # its best, as evaluate counts every one
        config = LinkConfig(threshold=other, relative=0.0, cap=len(scored), chain=False)
        f1 = evaluate(lexical, gold, config).summary["f1"].iloc[-1]
        assert f1 < plain.loc["all", "f1"] or (f1 == plain.loc["all", "f1"] and other >= threshold)
    assert evaluate(scored, gold).summary["f1"].iloc[-1] > plain.loc["all", "f1"]
    held_out = baseline(scored, read_gold(HELD_OUT, items)).set_index("child_doc")
    assert round(held_out.loc["all", "f1"], 3) == 0.611
    # the cosine alone, without the chain check the links have: 0.683 into 003 at 0.09
    # (0.741 with it)
    districts = baseline(scored, read_gold(HELD_OUT_DISTRICTS, items)).set_index("child_doc")
    assert districts.loc["all", "threshold"] == 0.09
    assert round(districts.loc["all", "f1"], 3) == 0.683


def children(gold: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(gold["child_doc"], gold["child_id"], strict=True))


def test_district_held_out_evaluation(items, scored) -> None:
    """001 and 004 -> 003, annotated before any of their links was looked at: 29 of the 35
    items have no primary task in 003. First measured at F1 0.508 (precision 0.341): almost
    every item kept its best task, however weak (data/annotations/README.md)."""
    gold = read_gold(HELD_OUT_DISTRICTS, items)
    assert children(gold) == children(read_gold(GOLD, items))  # the same 35 items
    assert len(children(gold[gold["relation"] == "primary"])) == 6
    assert len(children(gold[gold["relation"] == "none"])) == 18  # 11 more: acceptable only
    result = evaluate(scored, gold)
    summary = result.summary.set_index("child_doc")
    assert list(summary.index) == [seed("001"), seed("004"), "all"]
    for table in (result.misses, result.false_links):  # columns even when nothing is missed
        assert {"child_id", "parent_id", "score", "evidence"} <= set(table.columns)
    assert summary.loc["all", "n_primary"] == 6
    assert summary.loc["all", "top1"] == 1.0
    # with the chain check (LinkConfig.chain) 8 of 11 links right, all 6 found: F1 0.842,
    # 0.508 without it; the check was made after this set's errors had been read
    assert summary.loc["all", "recall"] == 1.0
    assert summary.loc["all", "f1"] >= 0.8
    assert evaluate(scored, gold, LinkConfig(chain=False)).summary["f1"].iloc[-1] < 0.55
    # what coverage counts as taking a task up stays precise here too: 7 of 8 right
    assert summary.loc["all", "strong_precision"] >= 0.8


def test_a_view_reads_the_text_without_its_unit_clauses() -> None:
    text = "开展检查。（责任处室：市局办公室）加强监管。（牵头单位：区局）"
    clauses = unit_clauses(text)
    assert [text[s:e] for s, e in clauses] == ["责任处室：市局办公室", "牵头单位：区局"]
    content = _without(text, 0, len(text), clauses)
    assert content == "开展检查。（\n）加强监管。（\n）"  # no character pair spans a cut
    assert _without(text, 0, 5, clauses) is None  # no clause inside: the text itself serves
    assert _without(text, 8, len(text), clauses) == "\n）加强监管。（\n）"  # starting in one


def test_unit_clauses_are_not_evidence(links) -> None:
    """The divisions closing 003's items (（责任处室：市局办公室、食品生产安全监督管理处…）)
    were once a link's closest sentence, to a food-safety task: they say who, not what."""
    cards = links[links["source_doc"] == seed("003")]
    assert len(cards) > 10
    assert not cards["child_sentence"].str.contains("责任处室").any()


NATIONAL = """国务院关于印发《法治政府建设实施纲要（2021—2025年）》的通知
国发〔2021〕1号

法治政府建设实施纲要（2021—2025年）

一、深入推进严格规范公正文明执法
（一）全面推进信用监管。健全以“双随机、一公开”监管和“互联网+监管”为基本手段、以信用监管为基础的新型监管机制，完善信用修复机制。
（二）推进行政执法三项制度。全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。

国务院
2021年8月11日
"""


def test_a_cited_document_becomes_a_real_parent_when_added(tmp_path: Path, segmenter) -> None:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    before = xref.load_corpus(folder)
    items = xref.extract(before, segmenter=segmenter)
    graph = xref.build_graph(
        before,
        items,
        find_links(before, items, segmenter=segmenter),
        citations=xref.citations_frame(before, items),
    )
    placeholders = {n: d for n, d in graph.nodes(data=True) if d.get("missing")}
    outline = next(d for d in placeholders.values() if "法治政府建设实施纲要" in d["label"])
    assert outline["type"] == "document" and "2021—2025" in outline["titles"]

    (folder / "national_outline.txt").write_text(NATIONAL, encoding="utf-8")
    after = xref.load_corpus(folder)
    assert after["national_outline"].meta.level == "national"
    items = xref.extract(after, segmenter=segmenter)
    pairs = document_pairs(after, xref.citations_frame(after, items))
    reasons = {(c[:3], p): r for c, p, r in pairs.itertuples(index=False)}
    assert reasons[("000", "national_outline")] == "higher_level+cites"
    assert ("002", "national_outline") in reasons  # a national plan is every region's parent
    links = find_links(after, items, segmenter=segmenter)
    assert (links["target_doc"] == "national_outline").any()
    graph = xref.build_graph(after, items, links, citations=xref.citations_frame(after, items))
    cites = [v for u, v, k in graph.edges(keys=True) if k == "cites" and u == f"doc:{seed('000')}"]
    assert "doc:national_outline" in cites
    assert not any(
        "法治政府建设实施纲要" in d.get("label", "")
        for d in (graph.nodes[n] for n in graph)
        if d.get("missing")
    )


@settings(max_examples=300, deadline=None)
@given(
    a=st.text(alphabet="法治市场监管执法", max_size=80),
    b=st.text(alphabet="法治市场监管执法", max_size=80),
    n=st.integers(min_value=2, max_value=12),
)
def test_shares_passage_is_a_longest_common_substring_test(a: str, b: str, n: int) -> None:
    """The quick search (half-windows first) answers as a full longest-match search does."""
    longest = SequenceMatcher(None, a, b, autojunk=False).find_longest_match().size
    assert shares_passage(a, b, n) == (longest >= n)


def test_links_into_the_work_points_agree_with_the_plan(scored) -> None:
    """A district item linked to a task of 003 (the 2023 work points, which implement the
    plan 000) shares a parent task in 000 with it. Without the check, items with no parent
    in 003 kept their best task there, however unrelated: Minhang's 二/（二）/5 (a credit
    measure, under 000's （八）) went to 003's 一/（一） (rules and standards published, under
    （十）) with 0.106, above most right links. Links into 000 do not change."""
    chained, unchained = select(scored), select(scored, LinkConfig(chain=False))

    def into(links: pd.DataFrame, doc: str) -> pd.DataFrame:
        return links[links["target_doc"] == seed(doc)].reset_index(drop=True)

    pd.testing.assert_frame_equal(into(chained, "000"), into(unchained, "000"))
    parents: dict[tuple[str, str], set[str]] = {}
    for r in into(chained, "000").itertuples(index=False):
        parents.setdefault((r.source_doc, r.source_id), set()).add(r.target_id)

    def reach(doc: str, item: str) -> set[str]:
        below = (p for (d, i), p in parents.items() if d == doc and f"{i}/".startswith(f"{item}/"))
        return set().union(*below)

    districts = into(chained, "003")
    districts = districts[districts["source_doc"] != seed("003")]
    assert len(districts) == 11  # of 44 without the check
    for r in districts.itertuples(index=False):
        common = reach(r.source_doc, r.source_id) & reach(r.target_doc, r.target_id)
        assert common  # and the card names it
        assert r.evidence.endswith(
            "共同上级任务: " + "、".join(f"{seed('000')} {t}" for t in sorted(common))
        )
    assert not into(chained, "000")["evidence"].str.contains("共同上级任务").any()
    before = into(unchained, "003")
    dropped = before[(before["source_id"] == "二/（二）/5") & (before["target_id"] == "一/（一）")]
    assert len(dropped) == 1 and dropped["score"].iloc[0] > 0.1
    assert reach(seed("004"), "二/（二）/5") == {"三/（八）"}
    assert reach(seed("003"), "一/（一）") == {"三/（十）"}
    assert len(unchained) - len(chained) == 44 - 11


def test_the_chain_check_reads_a_tasks_sub_items_and_only_documents_both_reach() -> None:
    def link(child: str, item: str, parent: str, task: str) -> dict:
        return {"source_doc": child, "source_id": item, "target_doc": parent, "target_id": task}

    links = pd.DataFrame(
        [
            link("D", "1", "W", "一"),  # shares 甲 with 一/1, a sub-item of 一
            link("D", "2", "W", "一"),  # reaches 乙 only: dropped
            link("D", "3", "W", "二"),  # 二 implements nothing: kept
            link("D", "1", "P", "甲"),
            link("D", "2", "P", "乙"),
            link("W", "一/1", "P", "甲"),
            link("E", "1", "W", "一"),  # E was never scored against P: kept
            link("W", "一/1", "Q", "丙"),  # D was never scored against Q: only P counts
        ]
    )
    scored = pd.concat([links, pd.DataFrame([link("D", "3", "P", "甲")])])
    assert shared_parents(links, scored) == [
        {("P", "甲")},
        set(),
        None,
        None,
        None,
        None,
        None,
        None,
    ]


def test_the_tuning_script_selects_as_the_library_does(scored) -> None:
    """``scripts/tune_links.py`` re-selects thousands of configurations in numpy; with the
    defaults it keeps exactly the links :func:`select` keeps, with the chain check and
    without."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from tune_links import Candidates
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    candidates = Candidates(scored)
    config = LinkConfig()
    weights = np.array([config.weights[s] for s in SIGNALS])
    for chain in (True, False):
        kept = candidates.kept(
            weights / weights.sum(), config.threshold, config.relative, config.cap, chain=chain
        )
        got = {
            (*candidates.questions[i], candidates.tasks[j][1])
            for i, j in zip(*kept.nonzero(), strict=True)
        }
        want = select(scored, replace(config, chain=chain))
        assert got == set(
            zip(
                *(want[c] for c in ("source_doc", "source_id", "target_doc", "target_id")),
                strict=True,
            )
        )


def test_the_issue_aim_on_every_district_city_pair(items, scored) -> None:
    """The linking issue's aim, on every district -> city pair of the seeds (001 and 004 under
    000 and under 003) with the defaults: F1 at least 0.85 and top-1 at least 0.95, clearly
    above the plain TF-IDF cosine at its best threshold for the same set. Measured: 0.855
    (precision 0.887, recall 0.825), top-1 1.000, against 0.672; one link fewer right would
    fall below the aim, and this test says so. In-sample for 000, and the chain check was
    made after the districts -> 003 errors had been read (data/annotations/README.md)."""
    gold = pd.concat([read_gold(GOLD, items), read_gold(HELD_OUT_DISTRICTS, items)])
    overall = evaluate(scored, gold).summary.set_index("child_doc").loc["all"]
    assert overall["f1"] >= 0.85 and overall["top1"] >= 0.95
    plain = baseline(scored, gold).set_index("child_doc").loc["all"]
    assert overall["f1"] - plain["f1"] >= 0.15
