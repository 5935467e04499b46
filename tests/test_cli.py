"""The xref command: outputs, exit codes, determinism, and a failed run that touches nothing."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, SEED_IDS, seed

from xref.cli import main

SPEC_COLUMNS = [
    "doc_id",
    "title",
    "issuer",
    "level",
    "region",
    "parent_region",
    "kind",
    "issue_date",
    "publish_date",
    "doc_number",
    "period_start",
    "period_end",
    "n_chars",
    "warnings",
]


def test_build_writes_documents_csv(tmp_path: Path) -> None:
    assert main(["build", str(RAW), "-o", str(tmp_path / "out")]) == 0
    data = (tmp_path / "out" / "documents.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows needs the BOM
    df = pd.read_csv(tmp_path / "out" / "documents.csv", encoding="utf-8-sig", dtype=str)
    assert list(df.columns[: len(SPEC_COLUMNS)]) == SPEC_COLUMNS
    assert list(df["doc_id"]) == SEED_IDS
    assert list(df["level"]) == ["city", "district", "district", "city", "district"]


def test_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "elsewhere" / "raw"
    shutil.copytree(RAW, copy)
    main(["build", str(RAW), "-o", str(tmp_path / "a")])
    monkeypatch.chdir(tmp_path)
    main(["build", "elsewhere/raw", "-o", "b"])
    names = sorted(str(p.relative_to(tmp_path / "a")) for p in (tmp_path / "a").rglob("*"))
    assert names == sorted(str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*"))
    assert {"documents.csv", "items.csv", "heatmap.svg", "coverage.xlsx", "report.html"} <= set(
        names
    )
    for name in (n for n in names if (tmp_path / "a" / n).is_file()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_skipped_files_are_listed_and_strict_fails(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    (folder / "blank.txt").write_bytes(b"")
    assert main(["build", str(folder), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "blank.txt: empty: the file has no text" in err
    assert "5 document(s) loaded" in err
    # each stage says when it starts, in order: a large build runs for minutes
    stages = re.findall(r"^xref: (\w+) \.\.\.$", err, re.MULTILINE)
    assert stages == ["load", "segment", "extract", "link", "graph", "tables", "coverage", "write"]
    problems = pd.read_csv(tmp_path / "out" / "problems.csv", encoding="utf-8-sig")
    assert list(problems["problem"]) == ["empty"]
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "--strict"]) == 1


def test_malformed_manifest_stops_the_build_and_loses_nothing(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "data" / "raw"
    shutil.copytree(RAW, folder)
    manifest = tmp_path / "data" / "corpus.csv"
    manifest.write_text(f"doc_id,level\n{SEED_IDS[1]},prefecture\n", encoding="utf-8")
    before = hashlib.sha256(manifest.read_bytes()).hexdigest()
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.csv").write_text("previous run", encoding="utf-8")

    assert main(["build", str(folder), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "line 2" in err and "column 'level'" in err and "prefecture" in err
    assert (out / "documents.csv").read_text(encoding="utf-8") == "previous run"
    assert hashlib.sha256(manifest.read_bytes()).hexdigest() == before


def test_empty_folder_and_missing_folder_exit_2(tmp_path: Path) -> None:
    assert main(["build", str(tmp_path), "-o", str(tmp_path / "out")]) == 2
    assert main(["build", str(tmp_path / "missing"), "-o", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", ["--manifest", "--decisions"])
@pytest.mark.parametrize("where", ["missing.csv", "a_folder"])
def test_an_unreadable_manifest_or_decisions_file_is_an_error_not_a_traceback(
    tmp_path: Path, capsys, option: str, where: str
) -> None:
    (tmp_path / "a_folder").mkdir()
    out = tmp_path / "out"
    assert main(["build", str(RAW), "-o", str(out), option, str(tmp_path / where)]) == 2
    err = capsys.readouterr().err
    assert "xref: error:" in err and where in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "message"), [(["-o", ""], "an empty path"), (["--jobs", "0"], "at least 1")]
)
def test_an_empty_output_path_or_no_processes_is_refused(
    tmp_path: Path, monkeypatch, capsys, option: list[str], message: str
) -> None:
    """``-o "$OUT"`` with OUT unset wrote every output into the current folder, over any
    namesakes there; ``--jobs 0`` ended in a ZeroDivisionError."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["build", str(RAW), *option])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_outputs_that_cannot_be_written_are_reported_before_any_work(
    tmp_path: Path, capsys
) -> None:
    """An evaluation's -o that is a file, or --timings that is a folder, ended in a
    traceback after the work; a --timings file in a folder not made yet is written there."""
    (taken := tmp_path / "taken").write_text("mine", encoding="utf-8")
    gold = str(RAW.parent / "annotations" / "gold_links.csv")
    assert main(["evaluate", str(RAW), "--gold", gold, "-o", str(taken)]) == 2
    assert "is a file" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["build", str(RAW), "-o", str(out), "--timings", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err and not out.exists()
    timings = tmp_path / "new" / "timings.json"
    assert main(["build", str(RAW), "-o", str(out), "--timings", str(timings)]) == 0
    assert [row["stage"] for row in json.loads(timings.read_text())][:2] == ["load", "segment"]
    assert taken.read_text(encoding="utf-8") == "mine"


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "xref"
    if not script.exists():
        pytest.skip("xref console script not installed next to this interpreter")
    run = subprocess.run(
        [str(script), "build", str(RAW), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "documents.csv").is_file()


def test_build_writes_links_and_graph(tmp_path: Path) -> None:
    assert main(["build", str(RAW), "-o", str(tmp_path / "out")]) == 0
    links = pd.read_csv(tmp_path / "out" / "links.csv", encoding="utf-8-sig")
    required = [
        "source_doc",
        "source_id",
        "source_text",
        "target_doc",
        "target_id",
        "target_text",
        "score",
        "grade",
        "evidence",
        "decided_by",
    ]
    assert list(links.columns[: len(required)]) == required
    assert len(links) > 30
    for name in ("graph.graphml", "graph.gexf", "graph.json"):
        assert (tmp_path / "out" / name).stat().st_size > 100_000


def test_gaps_name_their_nearest_item_but_not_one_an_analyst_rejected(tmp_path: Path) -> None:
    """Jiading's 三/三是 (organising the rule-of-law work) is its only link to the city's
    （二十八） (the evaluation mechanism). Rejected by an analyst, the task becomes a gap of
    Jiading's, and the gap does not offer the rejected item back as its nearest."""
    decisions = tmp_path / "links.csv"
    decisions.write_text(
        "source_doc,source_id,source_fingerprint,target_doc,target_id,target_fingerprint,"
        f"decision,analyst,note\n{seed('001')},三/三是,,{seed('000')},六/（二十八）,,reject,li,no\n",
        encoding="utf-8",
    )
    gaps = {}
    for name, extra in (("auto", []), ("decided", ["--decisions", str(decisions)])):
        assert main(["build", str(RAW), "-o", str(tmp_path / name), *extra]) == 0
        table = pd.read_csv(tmp_path / name / "gaps.csv", encoding="utf-8-sig", dtype=str)
        gaps[name] = table[table["child_doc"] == seed("001")].set_index("task_number").fillna("")
    assert "（二十八）" not in gaps["auto"].index
    assert gaps["auto"].loc["（八）", "nearest_item"] == "一/（一）/三是"
    assert gaps["decided"].loc["（二十八）", "nearest_item"] == ""
    same = gaps["auto"].index
    pd.testing.assert_frame_equal(gaps["decided"].loc[same], gaps["auto"])


def test_evaluate_command(tmp_path: Path, capsys) -> None:
    gold = RAW.parent / "annotations" / "gold_links.csv"
    assert main(["evaluate", str(RAW), "--gold", str(gold), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "top1" in out and "Misses" in out and "False links" in out
    summary = pd.read_csv(tmp_path / "evaluation.csv", encoding="utf-8-sig")
    assert summary.iloc[-1]["child_doc"] == "all"
    assert "Tasks taken up" in out
    tasks = pd.read_csv(tmp_path / "evaluation_tasks.csv", encoding="utf-8-sig")
    assert list(tasks["links"]) == ["all", "strong"] * 3  # 001, 004, both
    assert "Baseline: the TF-IDF cosine alone" in out
    plain = pd.read_csv(tmp_path / "evaluation_baseline.csv", encoding="utf-8-sig")
    assert list(plain["child_doc"])[-1] == "all" and plain["threshold"].nunique() == 1


def test_evaluate_measures_several_gold_files_as_one_set(tmp_path: Path) -> None:
    """Every district -> city pair of the seeds: 001 and 004 against the plan and against the
    work points, each annotated in its own file."""
    files = [
        RAW.parent / "annotations" / f for f in ("gold_links.csv", "held_out_district_links.csv")
    ]
    args = [x for f in files for x in ("--gold", str(f))]
    assert main(["evaluate", str(RAW), *args, "-o", str(tmp_path)]) == 0
    summary = pd.read_csv(tmp_path / "evaluation.csv", encoding="utf-8-sig").set_index("child_doc")
    assert summary.loc["all", "n_primary"] == 34 + 6
    assert len(summary) == 5  # 001 -> 000, 004 -> 000, 001 -> 003, 004 -> 003, all


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_writer_failing_leaves_the_previous_outputs_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(RAW, folder)
    last = sorted(folder.glob("*.txt"))[-1]
    text = last.read_bytes()
    last.unlink()
    assert main(["build", str(folder), "-o", str(out)]) == 0
    (out / "my_notes.txt").write_text("an analyst's own file", encoding="utf-8")
    before = _snapshot(out)

    def full_disk(*_args, **_kwargs) -> None:
        raise OSError("No space left on device")

    # one more document: every output would change, but the run fails on its JSON graph,
    # written on a forked process
    last.write_bytes(text)
    monkeypatch.setattr("xref.export.write_json", full_disk)
    with pytest.raises(OSError, match="No space left"):
        main(["build", str(folder), "-o", str(out)])
    assert _snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_a_run_replaces_the_figures_of_plans_it_no_longer_details(tmp_path: Path) -> None:
    """Each plan the report details gets its figures; a later run detailing other plans
    removes the earlier ones, and nothing else of the folder's."""
    out = tmp_path / "out"
    assert main(["build", str(RAW), "-o", str(out), "--no-cache"]) == 0
    figures = out / "figures"

    def plans() -> list[str]:
        return sorted(p.name for p in figures.iterdir())

    assert plans() == [f"coverage_{kind}_{seed('000')}.png" for kind in ("bars", "years")]
    (figures / "my_chart.png").write_bytes(b"an analyst's own")
    assert main(["report", str(RAW), "-o", str(out), "--no-cache", "--parent", "003"]) == 0
    assert plans() == [
        *(f"coverage_{kind}_{seed('003')}.png" for kind in ("bars", "years")),
        "my_chart.png",
    ]


def test_a_parent_with_nothing_below_it_is_said(tmp_path: Path, capsys) -> None:
    assert main(["report", str(RAW), "-o", str(tmp_path / "out"), "--parent", "001"]) == 0
    err = capsys.readouterr().err
    assert f"no loaded document may implement {seed('001')}" in err
    assert err.count("no loaded document may implement") == 1


def test_a_mistyped_parent_is_reported_before_any_work(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(RAW), "-o", str(out), "--parent", "999"]) == 2
    err = capsys.readouterr().err
    assert "parent '999' matches 0 loaded documents" in err and SEED_IDS[0] in err
    assert "segmentation cache" not in err  # stopped before segmenting
    assert not out.exists()
    assert main(["report", str(RAW), "-o", str(out), "--parent", "00"]) == 2
    assert "parent '00' matches 5 loaded documents" in capsys.readouterr().err


def test_an_output_folder_that_is_a_file_is_reported_before_any_work(
    tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder", encoding="utf-8")
    assert main(["build", str(RAW), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"the output folder {out} is a file" in err and "segmentation cache" not in err
    assert out.read_text(encoding="utf-8") == "not a folder"
