"""Gold files to fill in: ``xref annotate`` and :func:`xref.evaluate.gold_template`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, ROOT, seed

from xref.cli import main
from xref.evaluate import (
    GOLD_COLUMNS,
    GoldError,
    anchor,
    evaluate,
    gold_template,
    read_gold,
    resolve_anchor,
)
from xref.link import CHILD_KINDS, PARENT_KINDS

HELD_OUT = ROOT / "data" / "annotations" / "held_out_district_links.csv"


def test_every_item_of_the_seeds_has_an_anchor_that_names_it_alone(items) -> None:
    wanted = items[items["kind"].isin(CHILD_KINDS + PARENT_KINDS)]
    for row in wanted.itertuples(index=False):
        found = anchor(items, row.doc_id, row.item_id)
        assert resolve_anchor(items, row.doc_id, found) == row.item_id, (row.item_id, found)
    assert anchor(items, seed("004"), "二/（三）/8") == "建立信用预警修复制度"


def test_a_heading_two_items_share_gives_way_to_the_start_of_the_text(snippet) -> None:
    """Work points often repeat a heading under two parts (强化执法 here): the second item's
    anchor is the start of its own text, which names it alone."""
    _, items = snippet(
        "某区2023年市场监管工作要点\n\n一、加强监管\n（一）强化执法。开展专项执法行动。\n"
        "（二）优化服务。推进企业开办便利化。\n二、完善机制\n（一）强化执法。健全执法协作机制。\n"
    )
    first, second = (anchor(items, "snippet", i) for i in ("一/（一）", "二/（一）"))
    assert first == "强化执法"
    assert second.startswith("（一）强化执法。健全")
    assert resolve_anchor(items, "snippet", second) == "二/（一）"


def test_a_filled_template_measures_as_the_gold_file_it_copies(
    tmp_path: Path, items, scored
) -> None:
    """The template of Minhang (004) against the work points (003), filled in with the
    held-out set's answers, reads back to the same gold rows and the same figures."""
    rows, tasks = gold_template(items, seed("004"), seed("003"))
    assert len(rows) == 16 and rows["relation"].eq("").all()  # Minhang's 16 actions
    assert len(tasks) == 21 and set(tasks["task_id"]) >= {"一/（一）", "五/（四）"}

    gold = read_gold(HELD_OUT, items)
    gold = gold[gold["child_doc"] == seed("004")]
    anchors = dict(zip(tasks["task_id"], tasks["parent_anchor"], strict=True))
    filled = []
    for row in rows.to_dict("records"):
        answers = gold[gold["child_id"] == row["child_id"]]
        for answer in answers.itertuples(index=False):
            parent = anchors.get(answer.parent_id, "")
            filled.append({**row, "parent_anchor": parent, "relation": answer.relation})
    path = tmp_path / "filled.csv"
    pd.DataFrame(filled).to_csv(path, index=False, encoding="utf-8-sig")

    again = read_gold(path, items)
    key = ["child_id", "parent_id", "relation"]
    assert sorted(again[key].itertuples(index=False)) == sorted(gold[key].itertuples(index=False))
    ours = evaluate(scored, again).summary.iloc[0]
    theirs = evaluate(scored, gold).summary.iloc[0]
    assert (ours["precision"], ours["recall"]) == (theirs["precision"], theirs["recall"])


def test_a_row_left_blank_is_named_not_guessed(tmp_path: Path, items) -> None:
    rows, _ = gold_template(items, seed("004"), seed("003"))
    path = tmp_path / "half.csv"
    rows.loc[0, "relation"] = "none"
    rows.iloc[:3][list(GOLD_COLUMNS)].to_csv(path, index=False)
    with pytest.raises(GoldError, match=r"line 3: no relation; fill in one of") as err:
        read_gold(path, items)
    assert "line 2" not in str(err.value) and "line 4" in str(err.value)


def test_annotate_writes_the_template_and_never_over_an_annotators_file(
    tmp_path: Path, capsys
) -> None:
    out = tmp_path / "jiading_vs_plan.csv"
    assert main(["annotate", str(RAW), "--child", "001", "--parent", "000", "-o", str(out)]) == 0
    rows = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    tasks = pd.read_csv(tmp_path / "jiading_vs_plan_tasks.csv", encoding="utf-8-sig", dtype=str)
    assert len(rows) == 19 and set(rows["parent_doc"]) == {seed("000")}  # Jiading's 19 actions
    assert "（二十八）" in tasks["task_text"].str[:6].tolist()[-1]
    assert "19 items" in capsys.readouterr().err

    out.write_text("child_doc\nmy work\n", encoding="utf-8")
    assert main(["annotate", str(RAW), "--child", "001", "--parent", "000", "-o", str(out)]) == 2
    assert "exist" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "child_doc\nmy work\n"

    # a pair xref never links is written, with a warning: Tianjin's district, Shanghai's plan
    other = tmp_path / "other.csv"
    assert main(["annotate", str(RAW), "--child", "002", "--parent", "000", "-o", str(other)]) == 0
    assert "may not implement" in capsys.readouterr().err
    mistyped = ["--child", "9", "--parent", "000", "-o", str(tmp_path / "new.csv")]
    assert main(["annotate", str(RAW), *mistyped]) == 2
    assert "--child" in capsys.readouterr().err
