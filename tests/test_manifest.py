"""The analysts' manifest: it always wins, is never written, and bad rows are named."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from conftest import RAW, seed

import xref
from xref.manifest import ManifestError, read_manifest


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    shutil.copytree(RAW, tmp_path / "raw")
    return tmp_path / "raw"


def test_manifest_overrides_win_and_derived_fields_follow(corpus_dir: Path) -> None:
    d4, d2 = seed("004"), seed("002")
    write(
        corpus_dir.parent / "corpus.csv",
        "doc_id,region,issue_date,title,notes\n"
        f"{d4},浦东新区,2023-12-01,服务型监管实施意见,moved for the test\n"
        f"{d2},,,,only a note\n",
    )
    corpus = xref.load_corpus(corpus_dir)  # found next to the corpus folder
    meta = corpus[d4].meta
    assert (meta.region, meta.parent_region, meta.level) == ("浦东新区", "上海市", "district")
    assert meta.issue_date == "2023-12-01"
    assert meta.title == "服务型监管实施意见"
    assert meta.kind == "implementation_opinions"  # derived from the overriding title
    assert corpus[d2].meta.region == "蓟州区"  # empty cells keep the inference


def test_manifest_level_override(tmp_path: Path, corpus_dir: Path) -> None:
    manifest = write(
        tmp_path / "m.csv", f"doc_id,level,period_start,period_end\n{seed('003')},city,2023,2024\n"
    )
    meta = xref.load_corpus(corpus_dir, manifest=manifest)[seed("003")].meta
    assert (meta.level, meta.period_start, meta.period_end) == ("city", 2023, 2024)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("doc_id,level\nx,prefecture\n", "line 2 (x), column 'level': unknown level 'prefecture'"),
        ("doc_id,levle\nx,city\n", "line 1, column 'levle': unknown column"),
        (
            "doc_id,issue_date\nx,2023/4/24\n",
            "line 2 (x), column 'issue_date': '2023/4/24' is not a date",
        ),
        ("doc_id,period_start\nx,二〇二一\n", "column 'period_start': '二〇二一' is not a year"),
        ("doc_id,kind\nx,memo\n", "unknown kind 'memo'"),
        (
            "doc_id,level\nx,city\nx,district\n",
            "line 3, column 'doc_id': 'x' repeats an earlier row",
        ),
        ("doc_id,level\nx,city,extra\n", "line 2: 3 cells, header has 2"),
        ("doc_id,level\n,city\n", "line 2, column 'doc_id': empty"),
        ("level\ncity\n", "line 1: no doc_id column"),
        ("", "the file is empty"),
    ],
)
def test_malformed_manifests_name_row_and_column(
    tmp_path: Path, content: str, message: str
) -> None:
    with pytest.raises(ManifestError) as info:
        read_manifest(write(tmp_path / "corpus.csv", content))
    assert message in str(info.value)


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_manifest_saved_by_excel_on_chinese_windows_is_read(tmp_path: Path, encoding) -> None:
    path = write(tmp_path / "corpus.csv", "doc_id,region\nx,嘉定区\n", encoding=encoding)
    assert read_manifest(path) == {"x": {"region": "嘉定区"}}


def test_a_manifest_saved_as_excels_unicode_text_is_read(tmp_path: Path) -> None:
    """Excel's "Unicode text" is UTF-16 with tabs between cells; a comma inside a cell stays."""
    text = "doc_id\ttitle\tregion\r\nx\t关于推进A、B,C的意见\t嘉定区\r\n"
    path = tmp_path / "corpus.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert read_manifest(path) == {"x": {"title": "关于推进A、B,C的意见", "region": "嘉定区"}}


def test_a_manifest_with_a_broken_byte_is_refused(tmp_path: Path) -> None:
    """A broken byte would change a value without a word, where a document tolerates it."""
    path = tmp_path / "corpus.csv"
    path.write_bytes("doc_id,region\nx,嘉定区\n".encode() + b"\xff" + "y,上海市\n".encode() * 999)
    with pytest.raises(ManifestError, match="1 byte"):
        read_manifest(path)


def test_a_binary_manifest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    path.write_bytes(b"PK\x03\x04" + bytes(200))  # an .xlsx renamed .csv
    with pytest.raises(ManifestError, match="ZIP archive"):
        read_manifest(path)


def test_excel_bom_manifest_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "corpus.csv", "\ufeffdoc_id,region\nx,嘉定区\n")
    assert read_manifest(path) == {"x": {"region": "嘉定区"}}


def test_rows_for_unknown_documents_are_reported(corpus_dir: Path) -> None:
    write(corpus_dir / "corpus.csv", "doc_id,level\nnot_here,city\n")
    corpus = xref.load_corpus(corpus_dir)  # found inside the corpus folder
    assert len(corpus) == 5
    assert [(p.problem, p.detail) for p in corpus.problems] == [
        ("manifest_unknown_doc", "row for 'not_here', which is not loaded")
    ]
