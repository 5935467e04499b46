"""The seeds in five formats at once (text, OFD, Word 97-2003, a page saved as MHTML, PDF)
make the same links as the seeds themselves: what a format changes stops at reading."""

from __future__ import annotations

import shutil
from pathlib import Path

from test_mhtml import page, write_mhtml
from test_msdoc import copy_fixture
from test_ofd import write_ofd
from test_pdf import write_pdf

import xref

KEY = ["source_doc", "source_id", "target_doc", "target_id", "grade"]


def test_a_corpus_of_many_formats_links_as_the_seeds_do(tmp_path, docs, links) -> None:
    shutil.copy(docs["000"].path, tmp_path)
    write_ofd(tmp_path / f"{docs['001'].doc_id}.ofd", docs["001"].text)
    write_pdf(tmp_path / f"{docs['002'].doc_id}.pdf", docs["002"].text)
    write_mhtml(
        tmp_path / f"{docs['003'].doc_id}.mhtml",
        page(docs["003"].text),
        part_header="Content-Type: text/html",
        encoding="quoted-printable",
    )
    copy_fixture("004", tmp_path)
    corpus = xref.load_corpus(tmp_path)
    assert corpus.problems == ()
    assert sorted(Path(doc.path).suffix for doc in corpus) == [
        ".doc",
        ".mhtml",
        ".ofd",
        ".pdf",
        ".txt",
    ]
    got = xref.find_links(corpus, xref.extract(corpus))
    assert len(got) == len(links) > 60
    assert got[KEY].values.tolist() == links[KEY].values.tolist()
