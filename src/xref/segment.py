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
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from xref.cache import TokenCache, content_key
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
        self._memo: dict[str, list[Token]] = {}
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

    def _base(self, text: str) -> list[tuple[str, int, int]]:
        """The backend's tokens, from the persistent cache when it has them."""
        if self.cache is None:
            return list(self.cut(text))
        key = content_key(self.fingerprint, text)
        ends = self.cache.get(key)
        if ends is None:
            tokens = list(self.cut(text))
            self.cache.put(key, array("I", (e for _, _, e in tokens)))
            return tokens
        starts = [0, *ends[:-1]]
        return [(text[s:e], s, e) for s, e in zip(starts, ends, strict=True)]

    def remember(self, text: str, tokens: list[Token]) -> None:
        """Take the tokens of ``text`` segmented elsewhere (by the same vocabulary)."""
        self._memo[text] = tokens

    def tokenize(self, text: str) -> list[Token]:
        """Tokens of ``text`` with their offsets; the corpus's terms come out whole."""
        if (cached := self._memo.get(text)) is not None:
            return cached
        phrase_spans = [m.span() for m in self._phrases.finditer(text)] if self._phrases else []
        tokens = [Token(text[s:e], s, e) for s, e in phrase_spans]
        covered = iter(phrase_spans)
        span = next(covered, None)
        for word, s, e in self._base(text):
            while span is not None and s >= span[1]:
                span = next(covered, None)
            if span is not None and s < span[1] and e > span[0]:
                # what sticks out of a phrase term is a token of its own
                if s < span[0]:
                    tokens.append(Token(text[s : span[0]], s, span[0]))
                if e > span[1]:
                    tokens.append(Token(text[span[1] : e], span[1], e))
                continue
            tokens.append(Token(word, s, e))
        tokens = [Token(canonical_term(w), s, e) for w, s, e in sorted(tokens, key=lambda t: t[1])]
        self._memo[text] = tokens
        return tokens


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
