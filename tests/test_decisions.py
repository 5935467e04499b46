"""Analysts' decisions: applied on top of the automatic links, never written, never lost."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import RAW, seed

from xref.citations import citations_frame
from xref.cli import main
from xref.decisions import DecisionsError, apply_decisions, fingerprint, read_decisions
from xref.hierarchy import document_pairs

HEADER = (
    "source_doc,source_id,source_fingerprint,target_doc,target_id,target_fingerprint,"
    "decision,analyst,note\n"
)


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def text_of(items, doc, item_id) -> str:
    return items[(items["doc_id"] == doc) & (items["item_id"] == item_id)].iloc[0]["text"]


def test_reject_accept_and_add(tmp_path: Path, items, scored, links) -> None:
    d4, d0 = seed("004"), seed("000")
    auto = links[links["source_doc"] == d4].iloc[0]
    unkept = scored[(scored["source_doc"] == d4) & (scored["target_doc"] == d0)].iloc[-1]
    fp = lambda i, d=d4: fingerprint(text_of(items, d, i))  # noqa: E731
    path = write(
        tmp_path / "links.csv",
        f"{d4},{auto.source_id},{fp(auto.source_id)},{auto.target_doc},{auto.target_id},,reject,li,no",
        f"{d4},{unkept.source_id},,{d0},{unkept.target_id},,accept,li,",
        f"{d4},三/（二）,,{d0},二/（四）,,add,wang,质量强区 rests on 上海品牌 legislation",
    )
    applied = apply_decisions(links, scored, items, read_decisions(path))
    out = applied.links
    key = lambda s, t: (out["source_id"] == s) & (out["target_id"] == t) & (out["source_doc"] == d4)  # noqa: E731
    assert not key(auto.source_id, auto.target_id).any()
    assert len(applied.rejected) == 1
    accepted = out[key(unkept.source_id, unkept.target_id)]
    assert accepted["decided_by"].tolist() == ["analyst"]
    assert "lexical" in accepted["evidence"].iloc[0]  # a candidate a build drops, with its card
    added = out[key("三/（二）", "二/（四）")].iloc[0]
    assert added["decided_by"] == "analyst"
    assert "上海品牌" in added["evidence"]
    assert applied.warnings == []


def test_decisions_follow_moved_items_and_report_stale_ones(
    tmp_path: Path, items, scored, links
) -> None:
    d4, d0 = seed("004"), seed("000")
    real = fingerprint(text_of(items, d4, "二/（三）/8"))
    path = write(
        tmp_path / "links.csv",
        f"{d4},二/（九）/8,{real},{d0},三/（十）,,accept,li,renumbered since",  # same text, old id
        f"{d4},二/（九）/99,deadbeef0000,{d0},三/（十）,,accept,li,item gone",
    )
    applied = apply_decisions(links, scored, items, read_decisions(path))
    assert any("is now 二/（三）/8" in w for w in applied.warnings)
    assert any("no item with this id or text" in w for w in applied.warnings)
    assert any("not applied" in w for w in applied.warnings)


def test_a_link_added_across_regions_is_applied_and_warned_about(
    tmp_path: Path, corpus, items, scored, links
) -> None:
    """Jizhou (Tianjin) implements nothing of Shanghai's: an analyst may still say so, but
    is told, since it usually means a document's region is wrong."""
    d2, d4, d0 = seed("002"), seed("004"), seed("000")
    leaf = items[(items["doc_id"] == d2) & (items["kind"] == "measure")].iloc[0]["item_id"]
    path = write(
        tmp_path / "links.csv",
        f"{d2},{leaf},,{d0},三/（十）,,add,li,",
        f"{d4},三/（二）,,{d0},二/（四）,,add,wang,",  # an allowed pair: no warning
    )
    pairs = document_pairs(corpus, citations_frame(corpus, items))
    applied = apply_decisions(links, scored, items, read_decisions(path), pairs=pairs)
    assert [w.split(":")[0] for w in applied.warnings] == ["decisions line 2"]
    assert f"{d2} may not implement {d0}" in applied.warnings[0]
    added = applied.links[applied.links["source_doc"] == d2]
    assert added[["target_id", "decided_by"]].values.tolist() == [["三/（十）", "analyst"]]


def test_decisions_saved_by_excel_on_chinese_windows_are_read(tmp_path: Path) -> None:
    row = "004,二/（九）/8,,000,三/（十）,,reject,李,不是这个任务"
    (path := tmp_path / "links.csv").write_text(HEADER + row + "\n", encoding="gbk")
    assert read_decisions(path).loc[0, ["analyst", "note"]].tolist() == ["李", "不是这个任务"]


def test_a_line_break_inside_a_note_is_kept(tmp_path: Path) -> None:
    row = 'a,b,,c,d,,reject,li,"wrong task:\r\nsee (八)"'  # Alt+Enter in an Excel cell
    (path := tmp_path / "links.csv").write_bytes((HEADER + row + "\r\n").encode())
    assert read_decisions(path).loc[0, "note"] == "wrong task:\r\nsee (八)"


def test_an_empty_decisions_file_holds_no_decision(tmp_path: Path) -> None:
    (path := tmp_path / "links.csv").write_bytes(b"")
    assert read_decisions(path).empty


def test_bad_decisions_file_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "links.csv", "a,b,,c,d,,maybe,,")
    with pytest.raises(DecisionsError, match="line 2: decision 'maybe'"):
        read_decisions(path)


def test_build_applies_but_never_writes_the_decisions_file(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    shutil.copytree(RAW, data / "raw")
    (data / "annotations").mkdir()
    path = write(
        data / "annotations" / "links.csv",
        f"{seed('004')},二/（九）/99,,{seed('000')},三/（十）,,accept,li,",
    )
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["build", str(data / "raw"), "-o", str(tmp_path / "out")]) == 0
    assert "no item with this id or text" in capsys.readouterr().err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_the_chain_check_reads_the_analysts_links(tmp_path: Path) -> None:
    """A build with decisions checks the chain (a district's link into the work points needs a
    plan task the two share) against the links the analysts left, added or accepted: moving
    the work points' 二/（一） from plan task 三/（十三） to 五/（二十） moves the districts' links
    into it from items under （十三） to items under （二十）; adding 一/（一） -> 三/（八） keeps
    Minhang's credit measure's link into 一/（一）, which shares it; a link an analyst accepts
    stands whatever the chain says."""
    import pandas as pd

    d0, d3, d4 = seed("000"), seed("003"), seed("004")
    data = tmp_path / "data"
    shutil.copytree(RAW, data / "raw")
    (data / "annotations").mkdir()
    write(
        data / "annotations" / "links.csv",
        f"{d3},二/（一）,,{d0},三/（十三）,,reject,li,",
        f"{d3},二/（一）,,{d0},五/（二十）,,add,li,",
        f"{d3},一/（一）,,{d0},三/（八）,,add,li,credit rules are published here too",
        f"{d4},二/（二）/4,,{d3},二/（一）,,accept,wang,",
    )
    plain = tmp_path / "plain"
    shutil.copytree(RAW, plain / "raw")
    for corpus, out in ((data / "raw", "out"), (plain / "raw", "plain_out")):
        assert main(["build", str(corpus), "-o", str(tmp_path / out)]) == 0
    links, before = (pd.read_csv(tmp_path / o / "links.csv") for o in ("out", "plain_out"))

    def into(frame: pd.DataFrame, task: str) -> pd.DataFrame:
        return frame[(frame["target_doc"] == d3) & (frame["target_id"] == task)]

    def districts(frame: pd.DataFrame) -> list[list[str]]:
        rows = frame[frame["source_doc"] != d3].sort_values(["source_doc", "source_id"])
        return rows[["source_id", "decided_by"]].values.tolist()

    assert districts(into(before, "二/（一）")) == [
        ["一/（三）/另一方面", "auto"],
        ["一/（三）/此外", "auto"],
        ["四/三是", "auto"],
        ["二/（一）/3", "auto"],
        ["二/（二）/6", "auto"],
    ]
    assert districts(into(links, "二/（一）")) == [
        ["一/（二）/一是", "auto"],  # 一是 and 二是 of 001's 一/（二） implement （二十）
        ["一/（二）/二是", "auto"],
        ["二/（二）/4", "analyst"],
    ]
    moved = into(links, "二/（一）")
    assert moved[moved["decided_by"] == "auto"]["evidence"].str.endswith(f"{d0} 五/（二十）").all()
    credit = into(links, "一/（一）")
    credit = credit[(credit["source_doc"] == d4) & (credit["source_id"] == "二/（二）/5")]
    assert credit["decided_by"].tolist() == ["auto"]
    assert credit["evidence"].iloc[0].endswith(f"共同上级任务: {d0} 三/（八）")
    assert into(before, "一/（一）")["source_id"].eq("二/（二）/5").sum() == 0
