"""The segmenter backends agree token for token."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def _overlay_one_by_one(
    text: str, base: list[tuple[str, int, int]], spans: list[tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """The rule of ``_overlay``, token by token: each base token against the first span that
    ends after it starts, then every token sorted by its start, phrases first."""
    tokens = [(text[s:e], s, e) for s, e in spans]
    covered = iter(spans)
    span = next(covered, None)
    for word, s, e in base:
        while span is not None and s >= span[1]:
            span = next(covered, None)
        if span is not None and s < span[1] and e > span[0]:
            tokens += [(text[a:b], a, b) for a, b in ((s, span[0]), (span[1], e)) if a < b]
        else:
            tokens.append((word, s, e))
    return sorted(tokens, key=lambda t: t[1])


@given(
    cuts=st.sets(st.integers(1, 39), max_size=25),
    phrases=st.lists(st.tuples(st.integers(0, 6), st.integers(1, 8)), max_size=8),
)
def test_phrases_are_laid_over_words_as_one_by_one(
    cuts: set[int], phrases: list[tuple[int, int]]
) -> None:
    """Only the words a phrase reaches are looked at; the tokens are those of looking at
    every word, even where a word reaches over two phrases."""
    from array import array

    from xref.segment import _overlay

    text = "".join(chr(0x4E00 + i) for i in range(40))
    bounds = [0, *sorted(cuts), 40]
    base = [(text[s:e], s, e) for s, e in pairwise(bounds)]
    spans, end = [], 0
    for gap, length in phrases:  # as a regex finds them: in order, apart or touching
        if end + gap + length <= 40:
            spans.append((end + gap, end + gap + length))
            end += gap + length
    words, starts, ends = _overlay(
        text,
        [w for w, _, _ in base],
        array("I", [s for _, s, _ in base]),
        array("I", [e for _, _, e in base]),
        spans,
    )
    assert list(zip(words, starts, ends, strict=True)) == _overlay_one_by_one(text, base, spans)
