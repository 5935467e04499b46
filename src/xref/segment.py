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
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, overload

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
        self._canonical: dict[str, str] = {}  # surface form -> its canonical word, shared
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

    def cut(self, text: str) -> list[tuple[str, int, int]]:
        """``(word, start, end)`` tokens of the backend, with numbers split into runs."""
        if self.backend == "rjieba":
            words = (w for w, _, _ in self.tokenizer.tokenize(text, "default", True))
        else:  # jieba's own tokenize is its cut plus offsets, through one more generator
            words = self.tokenizer.cut(text, HMM=True)
        out = []
        s = 0
        for word in words:
            e = s + len(word)
            # isalpha (true of Han words) first: it is cheap, and a digit is not alpha
            if len(word) > 1 and not word.isalpha() and _DIGIT.search(word):
                out += [(m.group(0), s + m.start(), s + m.end()) for m in _RUNS.finditer(word)]
            else:
                out.append((word, s, e))
            s = e
        return out

    def _key(self, text: str) -> str:
        return content_key(self.fingerprint, text)

    def _base(self, text: str, ends: array | None = None) -> list[tuple[str, int, int]]:
        """The backend's tokens: from ``ends`` when the text was cut elsewhere, else from the
        persistent cache when it has them, else cut here (and cached)."""
        if ends is None and self.cache is not None:
            ends = self.cache.get(self._key(text))
        if ends is None:
            base = self.cut(text)
            if self.cache is not None:
                self.cache.put(self._key(text), _ends(base))
            return base
        starts = [0, *ends[:-1]]
        return [(text[s:e], s, e) for s, e in zip(starts, ends, strict=True)]

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
            known = {}
            if self.cache is not None:
                for text in todo:
                    if (found := self.cache.get(self._key(text))) is not None:
                        known[text] = found
            _ = self.tokenizer  # loaded once, here: the forked workers inherit it
            canonical = self._canonical
            parts = [[(t, known.get(t)) for t in part] for part in partitions(todo, part_chars)]
            for part, results in zip(
                parts, fork_map(self._segment_part, parts, jobs, cost=_chars), strict=True
            ):
                for (text, _), (base_ends, tokens) in zip(part, results, strict=True):
                    if base_ends is not None and self.cache is not None:
                        self.cache.put(self._key(text), base_ends)
                    # one string per distinct word again: each part brought its own copies
                    tokens.words = [canonical.setdefault(w, w) for w in tokens.words]
                    self._memo[text] = tokens
        for text in todo:
            if text not in self._memo:
                self._memo[text] = self._finish(text, self._base(text))

    def _segment_part(
        self, part: list[tuple[str, array | None]]
    ) -> list[tuple[array | None, Tokens]]:
        """On a worker: each text's tokens, and the base token ends of the texts it cut (those
        whose ends were not given), for the cache."""
        out: list[tuple[array | None, Tokens]] = []
        for text, ends in part:
            base = self.cut(text) if ends is None else self._base(text, ends)
            out.append((_ends(base) if ends is None else None, self._finish(text, base)))
        return out

    def tokenize(self, text: str) -> Tokens:
        """Tokens of ``text`` with their offsets; the corpus's terms come out whole."""
        if (cached := self._memo.get(text)) is None:
            cached = self._memo[text] = self._finish(text, self._base(text))
        return cached

    def _finish(self, text: str, base: list[tuple[str, int, int]]) -> Tokens:
        """The backend's tokens with the corpus's terms laid over them, in canonical form."""
        phrases = self._phrases.finditer(text) if self._phrases is not None else ()
        if spans := [m.span() for m in phrases]:
            base = _overlay(text, base, spans)
        canonical = self._canonical
        words = []
        for word, _, _ in base:
            if (c := canonical.get(word)) is None:
                c = canonical[word] = canonical_term(word)
            words.append(c)
        return Tokens(
            words, array("I", [s for _, s, _ in base]), array("I", [e for _, _, e in base])
        )


def _ends(base: list[tuple[str, int, int]]) -> array:
    """End offsets of base tokens: all a text's base tokens are (each starts where the one
    before it ends), and what the cache and the workers hand back."""
    return array("I", [e for _, _, e in base])


def _chars(part: list[tuple[str, array | None]]) -> int:
    return sum(len(text) for text, _ in part)


def _overlay(
    text: str, base: list[tuple[str, int, int]], spans: list[tuple[int, int]]
) -> list[tuple[str, int, int]]:
    """``base`` tokens with the phrase ``spans`` laid over them: a phrase is one token, and
    what sticks out of it of a token it overlaps is a token of its own."""
    tokens = [(text[s:e], s, e) for s, e in spans]
    covered = iter(spans)
    span = next(covered, None)
    for word, s, e in base:
        while span is not None and s >= span[1]:
            span = next(covered, None)
        if span is not None and s < span[1] and e > span[0]:
            if s < span[0]:
                tokens.append((text[s : span[0]], s, span[0]))
            if e > span[1]:
                tokens.append((text[span[1] : e], span[1], e))
            continue
        tokens.append((word, s, e))
    return sorted(tokens, key=lambda t: t[1])


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
