"""Chinese word segmentation with the policy vocabulary, on a tokenizer of our own.

jieba's module-level functions share one global tokenizer, and ``jieba.load_userdict`` changes
it for the whole process; :class:`Segmenter` wraps a private ``jieba.Tokenizer`` instead.
Terms written with separators (双随机、一公开) cannot live in a jieba dictionary, so they are
matched as phrases and reported in their canonical form (双随机一公开).
"""

from __future__ import annotations

import hashlib
import logging
import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, overload

import numpy as np

from xref.cache import TokenCache, content_key
from xref.parallel import fork_map, partitions
from xref.resources import data_lines

_SEPARATORS = re.compile(r"[、·・\s]")
_DROP_SEPARATORS = dict.fromkeys(
    [ord(c) for c in "、·・"] + [i for i in range(0x3001) if chr(i).isspace()]
)
_QUOTED = re.compile(r"“([^“”]{2,16})”")
_QUOTED_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9+、·]+")
_DIGIT = re.compile(r"\d")
_RUNS = re.compile(r"[^\W\d_]+|\d+(?:\.\d+)?|\W|_")  # letters, numbers, each sign
QUOTED_MAX = 12  # longer quotations are slogans or sentences, not terms
# characters of uncut text per worker task: below this, starting processes costs more than
# it saves
PARALLEL_CHARS = 500_000


def canonical_term(term: str) -> str:
    """One spelling per term: separators dropped (双随机、一公开 -> 双随机一公开)."""
    return term.translate(_DROP_SEPARATORS)


def quoted_terms(text: str) -> list[str]:
    """Terms the text puts in quotation marks (“一网通办”), canonical, in order of appearance."""
    out = []
    for m in _QUOTED.finditer(text):
        term = m.group(1)
        if _QUOTED_OK.fullmatch(term) and len(canonical_term(term)) <= QUOTED_MAX:
            out.append(canonical_term(term))
    return out


class _Canonical(dict):
    """Surface form -> its canonical word, each distinct word one shared string."""

    def __missing__(self, word: str) -> str:
        self[word] = found = canonical_term(word)
        return found


class Token(NamedTuple):
    word: str  # canonical form
    start: int
    end: int


class Tokens(Sequence[Token]):
    """The tokens of one text, stored compactly: one list of words, each distinct word one
    shared string, and two arrays of offsets. About 16 bytes a token, where a list of
    :class:`Token` takes about 200; at ten thousand documents that is gigabytes."""

    __slots__ = ("ends", "starts", "words")

    def __init__(self, words: list[str], starts: array, ends: array):
        self.words = words
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> Tokens: ...
    def __getitem__(self, i: int | slice) -> Token | Tokens:
        if isinstance(i, slice):
            return Tokens(self.words[i], self.starts[i], self.ends[i])
        return Token(self.words[i], self.starts[i], self.ends[i])

    def __iter__(self) -> Iterator[Token]:
        return map(Token, self.words, self.starts, self.ends)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Tokens):
            return NotImplemented
        return (self.words, self.starts, self.ends) == (other.words, other.starts, other.ends)

    __hash__ = None  # type: ignore[assignment]  # mutable contents

    def __getstate__(self) -> tuple:
        return self.words, self.starts, self.ends

    def __setstate__(self, state: tuple) -> None:
        self.words, self.starts, self.ends = state


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

    def __init__(
        self,
        extra_terms: Iterable[str] = (),
        *,
        backend: str = "jieba",
        cache: TokenCache | None = None,
    ):
        if backend not in BACKENDS:
            raise ValueError(f"unknown segmenter backend {backend!r}; choose from {BACKENDS}")
        self.backend = backend
        self.cache = cache
        self.extra_terms = tuple(dict.fromkeys(extra_terms))
        shipped = [ln.split("\t")[0].strip() for ln in data_lines("policy_terms.txt")]
        terms = dict.fromkeys([*shipped, *self.extra_terms])  # ordered, unique
        self.dictionary = frozenset(canonical_term(t) for t in terms)
        # Only the shipped vocabulary goes into the backend's dictionary, so a text's base
        # tokens never depend on the rest of the corpus and can be cached by content; the
        # corpus's own terms (and terms written with separators) are laid over them.
        self._words = [canonical_term(t) for t in shipped]
        overlay = {t for t in terms if _SEPARATORS.search(t)} | (set(terms) - set(shipped))
        self._phrases = trie_pattern(overlay)
        self.fingerprint = hashlib.sha256(
            "\n".join([backend, *self._words]).encode("utf-8")
        ).hexdigest()[:16]
        self._tokenizer = None
        self._memo: dict[str, Tokens] = {}
        self._canonical = _Canonical()
        self.results: dict[tuple, object] = {}  # what later stages derived from these tokens

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

    def cut(self, text: str) -> list[str]:
        """The backend's words, one after the other, with numbers split into runs."""
        if self.backend == "rjieba":
            words = self.tokenizer.cut(text, True)
        else:
            words = self.tokenizer.lcut(text, HMM=True)
        # Han words are alpha, and a digit is not: only the other words are looked at, found
        # by a pass that runs in C
        alpha = np.fromiter(map(str.isalpha, words), bool, len(words))
        out: list[str] = []
        pos = 0
        for i in np.flatnonzero(~alpha).tolist():
            if len(word := words[i]) > 1 and _DIGIT.search(word):
                out += words[pos:i]
                out += _RUNS.findall(word)  # the runs cover the word: every character is one
                pos = i + 1
        return [*out, *words[pos:]] if pos else words

    def _key(self, text: str) -> str:
        return content_key(self.fingerprint, text)

    def _backend_words(self, text: str, ends: array | None) -> tuple[list[str], array]:
        """The backend's words and their end offsets: sliced at ``ends`` when the text was
        cut before, else cut here."""
        if ends is None:
            words = self.cut(text)
            return words, _ends(words)
        return [text[s:e] for s, e in zip([0, *ends[:-1]], ends, strict=True)], ends

    def _base(self, text: str) -> tuple[list[str], array]:
        """:meth:`_backend_words`, from the persistent cache when it has them (cut and
        cached when it has not)."""
        if self.cache is None:
            return self._backend_words(text, None)
        key = self._key(text)
        cached = self.cache.get(key)
        words, ends = self._backend_words(text, cached)
        if cached is None:
            self.cache.put(key, ends)
        return words, ends

    def remember(self, text: str, tokens: Tokens) -> None:
        """Take the tokens of ``text`` segmented elsewhere (by the same vocabulary)."""
        self._memo[text] = tokens

    def tokenize_all(
        self, texts: Iterable[str], *, jobs: int = 1, part_chars: int = PARALLEL_CHARS
    ) -> None:
        """Segment every text not segmented yet; with ``jobs`` > 1 on that many processes
        (:mod:`xref.parallel`), in parts of about ``part_chars`` characters, the cache read
        and written here. The tokens are the same whatever ``jobs`` is."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if jobs > 1 and sum(map(len, todo)) >= part_chars:
            keys = {text: self._key(text) for text in todo} if self.cache is not None else {}
            known = {}
            for text, key in keys.items():
                if (found := self.cache.get(key)) is not None:
                    known[text] = found
            if len(known) < len(todo):  # loaded once, here: the forked workers inherit it
                _ = self.tokenizer
            canonical = self._canonical
            parts = [[(t, known.get(t)) for t in part] for part in partitions(todo, part_chars)]
            for part, results in zip(
                parts, fork_map(self._segment_part, parts, jobs, cost=_chars), strict=True
            ):
                for (text, _), (base_ends, tokens) in zip(part, results, strict=True):
                    if base_ends is not None and self.cache is not None:
                        self.cache.put(keys[text], base_ends)
                    # one string per distinct word again: each part brought its own copies
                    tokens.words = list(map(canonical.__getitem__, tokens.words))
                    self._memo[text] = tokens
        for text in todo:
            if text not in self._memo:
                self._memo[text] = self._finish(text, *self._base(text))

    def _segment_part(
        self, part: list[tuple[str, array | None]]
    ) -> list[tuple[array | None, Tokens]]:
        """On a worker: each text's tokens, and the base token ends of the texts it cut (those
        whose ends were not given), for the cache."""
        out: list[tuple[array | None, Tokens]] = []
        for text, given in part:
            words, ends = self._backend_words(text, given)
            out.append((ends if given is None else None, self._finish(text, words, ends)))
        return out

    def tokenize(self, text: str) -> Tokens:
        """Tokens of ``text`` with their offsets; the corpus's terms come out whole."""
        if (cached := self._memo.get(text)) is None:
            cached = self._memo[text] = self._finish(text, *self._base(text))
        return cached

    def _finish(self, text: str, words: list[str], ends: array) -> Tokens:
        """The backend's words (ending at ``ends``) with the corpus's terms laid over them,
        in canonical form."""
        starts = array("I", [0]) + ends[:-1] if words else array("I")
        phrases = self._phrases.finditer(text) if self._phrases is not None else ()
        if spans := [m.span() for m in phrases]:
            words, starts, ends = _overlay(text, words, starts, ends, spans)
        return Tokens(list(map(self._canonical.__getitem__, words)), starts, ends)


def _ends(words: list[str]) -> array:
    """End offsets of a text's base words, each starting where the one before it ends: what
    the cache and the workers hand back."""
    lengths = np.fromiter(map(len, words), np.uint32, len(words))
    return array("I", np.cumsum(lengths, dtype=np.uint32).tobytes())


def _chars(part: list[tuple[str, array | None]]) -> int:
    return sum(len(text) for text, _ in part)


def _overlay(
    text: str, words: list[str], starts: array, ends: array, spans: list[tuple[int, int]]
) -> tuple[list[str], array, array]:
    """``words`` (from ``starts`` to ``ends``) with the phrase ``spans`` laid over them: a
    phrase is one token, and what sticks out of it of a word it overlaps is a token of its
    own. A word is measured against the first span that ends after it starts. Tokens come in
    order of their starts, a phrase before a piece that starts where it does.

    Only the words a span reaches are looked at, found by bisection: most words are kept as
    they are, a slice at a time."""
    kept: tuple[list[str], array, array] = ([], array("I"), array("I"))
    pos = 0  # the first word not taken yet: those before it start before the last span ends
    for first, last in spans:
        hi = bisect_left(starts, last)  # the words from pos to hi start before this span ends
        reach = bisect_right(ends, first, pos, hi)  # from here on, they end inside or past it
        _take(kept, (words, starts, ends), pos, reach)
        for i in range(reach, hi):
            s, e = starts[i], ends[i]
            for piece in ((s, first), (last, e)):  # what sticks out, before and after
                if piece[0] < piece[1]:
                    _append(kept, text, *piece)
        pos = hi
    _take(kept, (words, starts, ends), pos, len(words))
    out: tuple[list[str], array, array] = ([], array("I"), array("I"))
    pos = 0
    for first, last in spans:  # each phrase before the first kept token not before it
        at = bisect_left(kept[1], first, pos)
        _take(out, kept, pos, at)
        _append(out, text, first, last)
        pos = at
    _take(out, kept, pos, len(kept[0]))
    return out


def _take(out: tuple[list[str], array, array], source: tuple, start: int, stop: int) -> None:
    for column, values in zip(out, source, strict=True):
        column += values[start:stop]


def _append(out: tuple[list[str], array, array], text: str, start: int, end: int) -> None:
    out[0].append(text[start:end])
    out[1].append(start)
    out[2].append(end)


def trie_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``words``, longest first, built as a trie so matching costs
    the length of a word, not the number of words."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not trie:
        return None

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return re.compile(build(trie))
