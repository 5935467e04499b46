"""Chinese word segmentation with the policy vocabulary, on a tokenizer of our own.

jieba's module-level functions share one global tokenizer, and ``jieba.load_userdict`` changes
it for the whole process; :class:`Segmenter` wraps a private ``jieba.Tokenizer`` instead.
Terms written with separators (双随机、一公开) cannot live in a jieba dictionary, so they are
matched as phrases and reported in their canonical form (双随机一公开).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from xref.resources import data_lines

_SEPARATORS = re.compile(r"[、·・\s]")
_QUOTED = re.compile(r"“([^“”]{2,16})”")
_QUOTED_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+、·]+")
_DIGIT = re.compile(r"\d")
_RUNS = re.compile(r"[^\W\d_]+|\d+(?:\.\d+)?|\W|_")  # letters, numbers, each sign
QUOTED_MAX = 12  # longer quotations are slogans or sentences, not terms


def canonical_term(term: str) -> str:
    """One spelling per term: separators dropped (双随机、一公开 -> 双随机一公开)."""
    return _SEPARATORS.sub("", term)


def quoted_terms(text: str) -> list[str]:
    """Terms the text puts in quotation marks (“一网通办”), canonical, in order of appearance."""
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1)
        if _QUOTED_OK.fullmatch(term) and len(canonical_term(term)) <= QUOTED_MAX:
            out.append(canonical_term(term))
    return out


@dataclass(frozen=True)
class Token:
    word: str  # canonical form
    start: int
    end: int


BACKENDS = ("jieba", "rjieba")


class Segmenter:
    """jieba segmentation with the shipped policy dictionary plus ``extra_terms``.

    ``backend``: ``"jieba"`` (the reference) or ``"rjieba"`` (jieba-rs, the same algorithm
    in Rust, many times faster; ``pip install 'xref[fast]'``). The two cut numbers
    differently (``2021-2025`` is one token in rjieba, three in jieba), so a token holding a
    digit is split into its runs of letters, digits and signs; with that, their tokens are
    identical (tested on the seeds and a generated corpus). Numbers are never key terms, so
    nothing is lost.

    The dictionary is loaded on first use (jieba: about half a second). Tokens are cached by
    text, so each text is segmented once however many tables ask for it.
    """

    def __init__(self, extra_terms: Iterable[str] = (), *, backend: str = "jieba"):
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmenter backend {backend!r}; choose from {BACKENDS}")
        self.backend = backend
        shipped = [ln.split("\t")[0].strip() for ln in data_lines("policy_terms.txt")]
        terms = dict.fromkeys([*shipped, *extra_terms])  # ordered, unique
        self.dictionary = frozenset(canonical_term(t) for t in terms)
        phrases = sorted({t for t in terms if _SEPARATORS.search(t)}, key=len, reverse=True)
        self._phrases = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self._words = [canonical_term(t) for t in terms]
        self._tokenizer = None
        self._cache: dict[str, list[Token]] = {}

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            self._tokenizer = self._load()
        return self._tokenizer

    def _load(self):
        if self.backend == "rjieba":
            try:
                import rjieba
            except ImportError as exc:
                raise ImportError(
                    "the rjieba backend needs the rjieba package: pip install 'xref[fast]'"
                ) from exc
            tok = rjieba.Jieba()
            for word in self._words:
                tok.add_word(word, max(tok.suggest_freq(word), 1000), None)
            return tok
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its dictionary load is logged at INFO
        tok = jieba.Tokenizer()
        tok.initialize()
        for word in self._words:
            tok.add_word(word, freq=max(tok.suggest_freq(word), 1000))
        return tok

    def cut(self, text: str) -> Iterator[tuple[str, int, int]]:
        """``(word, start, end)`` tokens of the backend, with numbers split into runs."""
        if self.backend == "rjieba":
            raw = self.tokenizer.tokenize(text, "default", True)
        else:
            raw = self.tokenizer.tokenize(text, HMM=True)
        for word, s, e in raw:
            if len(word) > 1 and _DIGIT.search(word):
                for m in _RUNS.finditer(word):
                    yield m.group(0), s + m.start(), s + m.end()
            else:
                yield word, s, e

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of ``text`` with their offsets; separator-written terms come out whole."""
        if (cached := self._cache.get(text)) is not None:
            return cached
        phrase_spans = [m.span() for m in self._phrases.finditer(text)] if self._phrases else []
        tokens = [Token(text[s:e], s, e) for s, e in phrase_spans]
        covered = iter(phrase_spans)
        span = next(covered, None)
        for word, s, e in self.cut(text):
            while span is not None and s >= span[1]:
                span = next(covered, None)
            if span is not None and s < span[1] and e > span[0]:
                continue  # inside a phrase term
            tokens.append(Token(word, s, e))
        tokens = sorted(
            (Token(canonical_term(t.word), t.start, t.end) for t in tokens), key=lambda t: t.start
        )
        self._cache[text] = tokens
        return tokens
