"""Coverage on the seeds: the matrix, gaps, orphans, targets, roll-up and the year axis."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from conftest import seed

import xref
from xref.coverage import NEAREST_COLUMNS, chains, shared_subject

TASKS_000 = [
    "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）", "（十一）", "（十二）",
    "（十三）", "（十四）", "（十五）", "（十六）", "（十七）", "（十八）", "（十九）", "（二十）",
    "（二十一）", "（二十二）", "（二十三）", "（二十四）", "（二十五）", "（二十六）",
    "（二十七）", "（二十八）",
]  # fmt: skip


def block(cov: xref.Coverage, prefix: str) -> pd.DataFrame:
    return cov.matrix[cov.matrix["parent_doc"] == seed(prefix)]


def test_shanghai_plan_against_its_districts_and_work_points(cov) -> None:
    m = block(cov, "000")
    assert list(m.drop_duplicates("task_id")["task_number"]) == TASKS_000
    assert list(dict.fromkeys(m["child_label"])) == [
        "闵行区 2023 实施意见",
        "嘉定区 2024 年度报告",
        "上海市 2023 工作要点",
    ]
    assert len(m) == 25 * 3
    assert seed("002") not in set(m["child_doc"])  # Tianjin never in Shanghai's matrix
    parts = m.drop_duplicates("part")["part"].str[:2].tolist()
    assert parts == ["二、", "三、", "四、", "五、", "六、"]


def test_tianjin_district_sits_under_its_own_missing_city_plan(cov) -> None:
    missing = cov.parents[cov.parents["missing"]]
    assert list(missing["title"]) == ["天津市“十四五”市场监管现代化规划"]
    assert list(missing["children"]) == [seed("002")]
    rows = cov.matrix[cov.matrix["child_doc"] == seed("002")]
    assert list(rows["status"]) == ["parent_not_loaded"]
    assert rows["parent_doc"].iloc[0] == missing["parent_doc"].iloc[0]


def test_an_explicit_parent_is_analysed_alone(graph) -> None:
    only = xref.coverage(graph, "000")
    assert list(only.parents["parent_doc"]) == [seed("000")]
    with pytest.raises(ValueError, match="matches 0 loaded documents"):
        xref.coverage(graph, "999")


def cell(cov, child: str, task: str) -> pd.Series:
    m = block(cov, "000")
    return m[(m["child_doc"] == seed(child)) & (m["task_number"] == task)].iloc[0]


def test_cells_read_as_the_documents_do(cov) -> None:
    # Jiading's report: 一方面 接受外部监督 (人大建议, 政协提案) under 完善监督机制
    assert cell(cov, "001", "（十六）").status == "covered"
    assert cell(cov, "001", "（十五）").status == "covered"  # 大调解 -> 矛盾纠纷化解
    assert cell(cov, "004", "（八）").status == "covered"  # 免罚/轻罚清单 -> 清单管理
    assert cell(cov, "003", "（七）").status == "covered"  # 重大行政决策 -> 行政决策法治化
    assert cell(cov, "003", "（十九）").n_links >= 5  # the work points are about 政务公开


def test_main_gaps(cov) -> None:
    tasks = cov.tasks[cov.tasks["parent_doc"] == seed("000")].set_index("task_number")
    nobody = set(tasks.index[tasks["n_districts_covering"] == 0])
    # emergencies, the constitution and public lawyers are taken up by no district
    assert {"（十四）", "（二十二）", "（二十六）"} <= nobody
    gaps = cov.gaps[cov.gaps["child_doc"] == seed("004")]
    assert {"（十四）", "（二十二）", "（二十六）"} <= set(gaps["task_number"])
    assert set(cov.gaps["status"]) == {"gap"}
    assert (tasks["n_docs_covering"] + tasks["n_docs_weak"] <= tasks["n_docs"]).all()


def test_a_gap_names_the_item_nearest_to_the_task(graph, scored, links, cov) -> None:
    """Jiading's report puts its 免罚、免强清单 under 一/（一）/三是 (包容审慎), which the city's
    （八） 全面推行清单管理制度 asks for; the item's score ranks （八） third, below its own best
    task, so no link is kept and （八） is a gap. The gap names that item as the nearest."""
    near = xref.coverage(graph, "000", candidates=scored)
    gaps = near.gaps
    same = cov.gaps.columns.drop(list(NEAREST_COLUMNS))
    pd.testing.assert_frame_equal(gaps[same], block_gaps(cov, "000")[same])
    row = gaps[(gaps["child_doc"] == seed("001")) & (gaps["task_number"] == "（八）")].iloc[0]
    assert row["nearest_item"] == "一/（一）/三是"
    assert row["nearest_heading"] == "强调包容审慎，彰显执法有温度"
    assert row["nearest_rank"] == 3

    # each gap's nearest is the best score any item of the document has for the task, and no link
    task = ["source_doc", "target_doc", "target_id"]
    best = scored.groupby(task)["score"].max()
    keys = list(zip(gaps["child_doc"], gaps["parent_doc"], gaps["task_id"], strict=True))
    assert gaps["nearest_item"].ne("").all()
    assert gaps["nearest_score"].tolist() == best.loc[keys].tolist()
    linked = set(zip(links["source_doc"], links["source_id"], links["target_id"], strict=True))
    nearest = zip(gaps["child_doc"], gaps["nearest_item"], gaps["task_id"], strict=True)
    assert not linked & set(nearest)
    # without the candidates, the columns are there and empty
    assert cov.gaps["nearest_item"].eq("").all() and cov.gaps["nearest_score"].isna().all()


def block_gaps(cov: xref.Coverage, prefix: str) -> pd.DataFrame:
    return cov.gaps[cov.gaps["parent_doc"] == seed(prefix)].reset_index(drop=True)


def test_minhang_quality_standards_and_ip_are_local_initiatives(cov) -> None:
    o = cov.orphans[cov.orphans["child_doc"] == seed("004")].set_index("item_id")
    assert {"三/（二）", "三/（三）", "三/（四）"} <= set(o.index)
    assert "质量" in o.loc["三/（二）", "key_terms"]
    assert "知识产权" in o.loc["三/（四）", "key_terms"]
    # the standards item reaches the plan only through a weak link (to 加强市场监管立法)
    assert o.loc["三/（三）", "status"] == "weak_link_only"
    # measures with strong links to the plan are not orphans
    assert "二/（二）/5" not in o.index and "三/（一）" not in o.index


def test_jiading_grid_and_patrol_reforms_are_local_initiatives(cov) -> None:
    o = cov.orphans[cov.orphans["child_doc"] == seed("001")]
    headings = " ".join(o["heading"])
    assert "勤务模式" in headings and "责任战区" in headings


def test_legal_reviewer_target_is_met(cov) -> None:
    t = cov.targets
    row = t[(t["parent_target"] == "≥5%") & (t["child_doc"] == seed("001"))]
    assert len(row) == 1
    assert row["child_figure"].iloc[0] == "≥7%"
    assert row["shared_subject"].iloc[0] == "法制审核人员"
    assert row["verdict"].iloc[0] == "met"
    assert len(t) == 1  # no other subject matches: % of 出庭应诉 is not % of 法制审核人员


def test_shared_subject_ignores_generic_words() -> None:
    shared = shared_subject("各级市场监管部门的法制审核人员", "充分配备法制审核人员")
    assert shared == "法制审核人员"
    # 市场监管部门 is shared, but generic: what is left in common is one character
    assert shared_subject("市场监管部门负责人", "市场监管部门工作人员") == "人"


def test_year_axis_marks_years_without_a_document(cov) -> None:
    y = cov.years[cov.years["parent_doc"] == seed("000")]
    assert sorted(y["year"].unique()) == [2023, 2024]
    jiading = y[y["child_region"] == "嘉定区"]
    assert set(jiading[jiading["year"] == 2023]["status"]) == {"no_document"}
    assert set(jiading[jiading["year"] == 2024]["status"]) <= {"covered", "weak", "gap"}


def _doc(g, node, level, region, kind="plan"):
    g.add_node(node, type="document", doc_id=node[4:], level=level, region=region, kind=kind,
               missing=False, title=node)  # fmt: skip


def _item(g, doc, item, kind):
    node = f"item:{doc}/{item}"
    g.add_node(node, type="item", doc_id=doc[4:], item_id=item, kind=kind, heading=item)
    g.add_edge(doc, node, key="contains", type="contains")
    return node


def _link(g, a, b, weight, grade="adapted"):
    g.add_edge(a, b, key="implements", type="implements", weight=weight, grade=grade,
               decided_by="auto")  # fmt: skip


@pytest.fixture
def chain_graph() -> nx.MultiDiGraph:
    """national plan N -> Shanghai plan C and work points W -> Jiading measures D."""
    g = nx.MultiDiGraph()
    _doc(g, "doc:N", "national", "全国")
    _doc(g, "doc:C", "city", "上海市")
    _doc(g, "doc:W", "city", "上海市", kind="work_points")
    _doc(g, "doc:D", "district", "嘉定区", kind="annual_report")
    n = _item(g, "doc:N", "n1", "task")
    c = _item(g, "doc:C", "c1", "task")
    w = _item(g, "doc:W", "w1", "task")
    d1 = _item(g, "doc:D", "d1", "reported_work")
    d2 = _item(g, "doc:D", "d2", "reported_work")
    _link(g, c, n, 0.3)
    _link(g, d1, c, 0.2)
    _link(g, d2, w, 0.5)
    _link(g, w, c, 0.4)
    return g


def test_national_tasks_roll_up_through_city_tasks(chain_graph) -> None:
    cov = xref.coverage(chain_graph, "N")
    m = cov.matrix.set_index("child_doc")
    assert m.loc["D", "status"] == "covered"
    assert m.loc["D", "strength"] == 0.2  # a chain is as strong as its weakest link
    assert m.loc["D", "via_doc"] == "C" and not m.loc["D", "direct"]
    assert m.loc["C", "direct"]
    roll = cov.rollup.set_index("child_item")
    assert roll.loc["d1", "via_item"] == "c1"


def test_chains_climb_levels_only(chain_graph) -> None:
    rank = {"doc:N": 0, "doc:C": 2, "doc:W": 2, "doc:D": 3}
    reached = chains(chain_graph, "item:doc:C/c1", rank)
    # d2 implements the work points, a document of the plan's own level: no chain through it
    assert set(reached) == {"item:doc:D/d1", "item:doc:W/w1"}
    from_national = chains(chain_graph, "item:doc:N/n1", rank)
    assert set(from_national) == {"item:doc:C/c1", "item:doc:D/d1"}


def test_weak_links_are_kept_apart_from_coverage(chain_graph) -> None:
    g = chain_graph.copy()
    for u, _, k, d in g.edges(keys=True, data=True):
        if k == "implements" and u.endswith("d1"):
            d["grade"] = "thematic"
    cov = xref.coverage(g, "C")
    m = cov.matrix.set_index("child_doc")
    assert m.loc["D", "status"] == "weak"
    assert cov.orphans.set_index("item_id").loc["d1", "status"] == "weak_link_only"


def test_by_region_merges_a_regions_documents() -> None:
    from xref.coverage import MATRIX_COLUMNS, by_region

    def row(child: str, region: str, status: str, strength: float, n: int) -> dict:
        base = dict.fromkeys(MATRIX_COLUMNS, "")
        return base | {
            "parent_doc": "P",
            "task_id": "t1",
            "task_order": 0,
            "child_doc": child,
            "child_label": f"{region} {child}",
            "child_region": region,
            "strength": strength,
            "n_links": n,
            "status": status,
        }

    m = pd.DataFrame(
        [
            row("a", "嘉定区", "weak", 0.05, 1),
            row("b", "嘉定区", "covered", 0.20, 2),
            row("c", "闵行区", "gap", 0.0, 0),
        ],
        columns=list(MATRIX_COLUMNS),
    )
    merged = by_region(m).set_index("child_label")
    assert list(merged.index) == ["嘉定区（2份）", "闵行区 c"]
    assert merged.loc["嘉定区（2份）", "status"] == "covered"
    assert merged.loc["嘉定区（2份）", "strength"] == 0.20
    assert merged.loc["嘉定区（2份）", "n_links"] == 3
