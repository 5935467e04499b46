"""Loading a folder: bad files are reported and skipped, everything else still loads."""

from __future__ import annotations

import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import opencc
import pytest
from conftest import RAW, SEED_IDS, seed

import xref
from xref.cli import main
from xref.corpus import DOCUMENT_COLUMNS

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def big5_document() -> str:
    """A Traditional Chinese notice, as a Taiwan or Hong Kong site would serve it."""
    raw = (RAW / f"{seed('000')}.txt").read_text(encoding="utf-8")
    body = raw[raw.index("(二十一)") : raw.index("(二十八)")]
    body = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", body)
    return "上海市市場監督管理局關於印發《示例實施方案》的通知\n\n" + body


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """The seeds plus the bad inputs users really send."""
    folder = tmp_path / "raw"
    shutil.copytree(RAW, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(PNG)  # a PNG renamed .txt
    text_001 = (RAW / f"{seed('001')}.txt").read_text(encoding="utf-8")
    (folder / "jiading_gbk.txt").write_bytes(text_001.encode("gbk"))
    (folder / "notice_big5.txt").write_bytes(big5_document().encode("big5"))
    (folder / "jiading_utf16.txt").write_bytes(text_001.encode("utf-16"))  # Notepad's "Unicode"
    (folder / "jiading_upper.TXT").write_text(text_001, encoding="utf-8")  # as Windows names it
    (folder / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0")  # a Word 97-2003 download cut short
    (folder / "cut_short.pdf").write_bytes(b"%PDF-1.7\n")  # a download that broke off
    page = "<html><head><title>门户</title></head><body><p>关于加强监管的通知</p></body></html>"
    (folder / "saved_page.htm").write_text(page, encoding="utf-8")  # saved from a browser
    (folder / "notes.md").write_text("the analyst's own notes", encoding="utf-8")
    with zipfile.ZipFile(folder / "附件.zip", "w") as z:  # a site's attachments, not unpacked
        z.write(RAW / f"{seed('004')}.txt", f"{seed('004')}.txt")
    return folder


def test_bad_files_are_skipped_with_reasons_and_nothing_else_is_lost(messy: Path) -> None:
    corpus = xref.load_corpus(messy)
    ids = [d.doc_id for d in corpus]
    extra = ["jiading_gbk", "jiading_upper", "jiading_utf16", "notice_big5", "saved_page"]
    assert ids == sorted([*SEED_IDS, *extra])
    problems = {Path(p.path).name: p.problem for p in corpus.problems}
    # a document in another format is named, not passed over; other files are not documents
    assert problems == {
        "empty.txt": "empty",
        "scan.txt": "binary",
        "plan.doc": "unreadable",
        "cut_short.pdf": "unreadable",
        "附件.zip": "not_text",
    }
    assert "PNG" in next(p.detail for p in corpus.problems if p.problem == "binary")
    assert "unpack it" in next(p.detail for p in corpus.problems if p.problem == "not_text")


def test_a_saved_web_page_is_read_as_its_text(messy: Path) -> None:
    assert xref.load_corpus(messy)["saved_page"].text == "关于加强监管的通知"


def test_an_output_folder_inside_the_corpus_adds_no_document_or_problem(tmp_path: Path) -> None:
    """Its CSVs are not documents, and its report.html is xref's own, not a saved web page."""
    shutil.copytree(RAW, tmp_path / "raw")
    assert main(["report", str(tmp_path / "raw"), "-o", str(tmp_path / "raw" / "out")]) == 0
    assert (tmp_path / "raw" / "out" / "report.html").is_file()
    again = xref.load_corpus(tmp_path / "raw")
    assert [d.doc_id for d in again] == SEED_IDS
    assert again.problems == ()


@pytest.mark.parametrize(
    ("doc_id", "encoding"), [("jiading_gbk", "gb18030"), ("jiading_utf16", "utf-16")]
)
def test_a_copy_in_another_encoding_loads_exactly_like_the_utf8_original(
    messy: Path, doc_id: str, encoding: str
) -> None:
    corpus = xref.load_corpus(messy)
    original, copy = corpus[seed("001")], corpus[doc_id]
    assert copy.encoding == encoding
    assert copy.text == original.text
    assert copy.meta == original.meta


def test_big5_traditional_text_is_decoded_and_simplified(messy: Path) -> None:
    doc = xref.load_corpus(messy)["notice_big5"]
    assert doc.encoding == "big5hkscs"
    assert opencc.OpenCC("t2s").convert(doc.text) == doc.text
    assert doc.meta.title == "示例实施方案"
    assert doc.meta.issuer == "上海市市场监督管理局"
    assert doc.meta.level == "city"


def test_documents_frame_has_one_row_per_document(corpus) -> None:
    df = xref.documents_frame(corpus)
    assert list(df.columns) == list(DOCUMENT_COLUMNS)
    assert list(df["doc_id"]) == SEED_IDS
    assert (df["n_chars"] > 4000).all()
    assert df.loc[df["doc_id"].str.startswith("000"), "warnings"].item().count("garbled") == 3


def test_duplicate_ids_in_subfolders_are_reported(tmp_path: Path) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(RAW / f"{seed('004')}.txt", tmp_path / sub / "same.txt")
    corpus = xref.load_corpus(tmp_path)
    assert [d.doc_id for d in corpus] == ["same"]
    assert [p.problem for p in corpus.problems] == ["duplicate_id"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        xref.load_corpus(tmp_path / "nowhere")
    (document := tmp_path / "one.txt").write_text("一份文件", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="is a file, not a folder of documents"):
        xref.load_corpus(document)


def test_a_page_that_is_only_chrome_loads_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "chrome_only.txt").write_text("分享到：\n点击排行\n", encoding="utf-8")
    doc = xref.load_corpus(tmp_path)["chrome_only"]
    assert doc.text == ""
    assert doc.warnings[0].startswith("no text left after removing web-page chrome")
    assert [r.text for r in doc.removed] == ["分享到：", "点击排行"]


def test_loading_on_several_processes_gives_the_same_corpus(
    messy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (messy / "dup").mkdir()
    shutil.copy(RAW / f"{seed('001')}.txt", messy / "dup")
    monkeypatch.setattr("xref.corpus.FILES_PER_TASK", 2)  # several tasks even here
    one, two = xref.load_corpus(messy, jobs=1), xref.load_corpus(messy, jobs=2)
    assert [(d.doc_id, d.text, d.meta, d.warnings) for d in two] == [
        (d.doc_id, d.text, d.meta, d.warnings) for d in one
    ]
    assert two.problems == one.problems
    assert {p.problem for p in two.problems} >= {"duplicate_id", "empty"}


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_a_file_name_that_is_not_utf8_loads_under_its_chinese_name(tmp_path: Path) -> None:
    """Unzipped on Linux, an archive made on Chinese Windows keeps GBK file names; such a
    name reached every output and stopped the build with a UnicodeEncodeError."""
    folder = tmp_path / "raw"
    folder.mkdir()
    text = (RAW / f"{seed('001')}.txt").read_bytes()
    (folder / os.fsdecode("嘉定区报告.txt".encode("gbk"))).write_bytes(text)
    (folder / os.fsdecode(b"\xff\xff.txt")).write_bytes(b"")  # neither UTF-8 nor GB18030
    corpus = xref.load_corpus(folder)
    assert [doc.doc_id for doc in corpus] == ["嘉定区报告"]
    assert xref.documents_frame(corpus)["path"].tolist() == ["嘉定区报告.txt"]
    assert xref.problems_frame(corpus)["path"].str.endswith("\\xff\\xff.txt").all()
    out = tmp_path / "out"
    assert main(["build", str(folder), "-o", str(out), "--no-cache"]) == 0
    assert "嘉定区报告" in (out / "documents.csv").read_text(encoding="utf-8-sig")
