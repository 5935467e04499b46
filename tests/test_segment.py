"""The segmenter backends agree token for token."""

from __future__ import annotations

import pytest

import xref
from xref.segment import Segmenter


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segmenter backend"):
        Segmenter(backend="thulac")


def test_rjieba_gives_jiebas_tokens_on_the_seeds(corpus, segmenter) -> None:
    pytest.importorskip("rjieba")
    fast = xref.corpus_segmenter(corpus, backend="rjieba")
    assert fast.dictionary == segmenter.dictionary
    for doc in corpus:
        assert fast.tokenize(doc.text) == segmenter.tokenize(doc.text), doc.doc_id


def test_numbers_are_cut_into_runs(segmenter) -> None:
    words = [
        t.word
        for t in segmenter.tokenize("上海法治市场监管建设实施方案（2021-2025年），营商环境7.0版")
    ]
    assert words[words.index("2021") : words.index("2021") + 3] == ["2021", "-", "2025"]
    assert "7.0" in words
