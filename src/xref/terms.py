"""Key terms and action verbs of every item.

Key terms are ranked by TF-IDF fitted on this corpus, not on jieba's general-purpose IDF: a
word common in market-regulation plans (监管, 执法) says little about one item, while the same
word would look rare in a general corpus. Counting units for document frequency are the items'
own spans (a part's own text, without its children), so nesting does not inflate counts; term
frequency is over an item's full text, and the words of its heading weigh more: a numbered
item's heading states its topic. Terms the corpus puts in quotation marks are always kept,
whatever their weight.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from xref.cache import TokenCache
from xref.frames import records, share_strings
from xref.gazetteer import place_names
from xref.numerals import is_number_word
from xref.parallel import fork_map
from xref.resources import function_words, word_set
from xref.segment import Segmenter, quoted_terms
from xref.types import Corpus
from xref.units import unit_clauses

TOP_K = 10
# a word of an item's heading weighs as if it occurred e times as often: the heading states what
# the item is about (加强制度性供给, 建立事后回访联络制度), its body how
HEADING_BONUS = 1.0
PARALLEL_ITEMS = 2_000  # items per forked task: fewer cost more to hand back than they save
TERM_COLUMNS = ("doc_id", "item_id", "term", "weight", "source")
NO_TERMS = ("signature", "attachment")  # kinds whose text has no topic
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9+]")
_DIGIT = re.compile(r"\d")


def corpus_segmenter(
    corpus: Corpus, *, backend: str = "jieba", cache: TokenCache | None = None
) -> Segmenter:
    """A segmenter whose dictionary holds the shipped vocabulary and the corpus's quoted terms
    (``cache``: a :class:`~xref.cache.TokenCache` that keeps segmentations across builds)."""
    quoted = dict.fromkeys(t for doc in corpus for t in quoted_terms(doc.text))
    return Segmenter(quoted, backend=backend, cache=cache)


def _is_term(word: str, dictionary: frozenset[str]) -> bool:
    if word in dictionary:
        return True
    return (
        len(word) >= 2
        and bool(_HAN.search(word))
        and not _PUNCT.search(word)
        and not _DIGIT.search(word)
        and not is_number_word(word)  # a heading's own label (（二十二）, 一是) among them
        and word not in word_set("stopwords.txt")
        and word not in word_set("action_verbs.txt")
        and word not in function_words()
        and word not in place_names()  # who, not what
    )


class TokenIndex:
    """Each document segmented once; the tokens of any span looked up by offset."""

    def __init__(self, corpus: Corpus, segmenter: Segmenter):
        self.tokens = {doc.doc_id: segmenter.tokenize(doc.text) for doc in corpus}
        # each distinct word judged once: words repeat across the corpus
        dictionary = segmenter.dictionary
        distinct = set().union(*(toks.words for toks in self.tokens.values()))
        term_of = {w: w if _is_term(w, dictionary) else None for w in distinct}
        self._terms = {d: list(map(term_of.__getitem__, t.words)) for d, t in self.tokens.items()}
        # the units a clause names say who, not what: no word of theirs is a term
        self.unit_clauses = {doc.doc_id: unit_clauses(doc.text) for doc in corpus}
        for d, clauses in self.unit_clauses.items():
            for start, end in clauses:
                span = self._range(d, start, end)
                self._terms[d][span] = [None] * (span.stop - span.start)

    def _range(self, doc_id: str, start: int, end: int) -> slice:
        starts = self.tokens[doc_id].starts
        return slice(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end))

    def words(self, doc_id: str, start: int, end: int) -> list[str]:
        """Every token's word in a span."""
        return self.tokens[doc_id].words[self._range(doc_id, start, end)]

    def terms(self, doc_id: str, start: int, end: int) -> list[str]:
        """Candidate key terms (no stopwords, function words, verbs, numbers or place names) in
        a span."""
        return [w for w in self._terms[doc_id][self._range(doc_id, start, end)] if w is not None]


def fit_idf(index: TokenIndex, items: pd.DataFrame) -> dict[str, float]:
    """Smoothed IDF over the items' own spans (each stretch of text counted once)."""
    df: Counter[str] = Counter()
    n_units = 0
    for doc_id, _item, kind, start, _end, own_end in _rows(items):
        if kind in NO_TERMS:
            continue
        df.update(set(index.terms(doc_id, start, own_end)))
        n_units += 1
    return {w: math.log((1 + n_units) / (1 + n)) + 1 for w, n in df.items()}


def _rows(items: pd.DataFrame) -> Iterable[tuple]:
    return records(items[["doc_id", "item_id", "kind", "start", "end", "own_end"]])


def item_terms(
    corpus: Corpus,
    items: pd.DataFrame,
    *,
    segmenter: Segmenter | None = None,
    top_k: int = TOP_K,
    jobs: int = 1,
) -> tuple[pd.DataFrame, dict[tuple[str, str], list[str]]]:
    """Key terms per item (long form) and action verbs per ``(doc_id, item_id)``; with
    ``jobs`` > 1 on that many forked processes (the same result).

    The result is remembered by the segmenter, so :func:`xref.extract` and
    :func:`terms_frame` asking about the same items compute it once."""
    seg = segmenter or corpus_segmenter(corpus)
    key = ("item_terms", top_k, _fingerprint(corpus, items))
    if (known := seg.results.get(key)) is None:
        known = seg.results[key] = _item_terms(corpus, items, seg, top_k, jobs)
    return known[0].copy(), known[1]


def _fingerprint(corpus: Corpus, items: pd.DataFrame) -> tuple:
    spans = items[["doc_id", "item_id", "kind", "start", "end", "own_end"]]
    return (
        tuple(doc.doc_id for doc in corpus),
        int(pd.util.hash_pandas_object(spans, index=False).sum()),
    )


def indexed(
    corpus: Corpus, items: pd.DataFrame, segmenter: Segmenter
) -> tuple[TokenIndex, dict[str, float]]:
    """The corpus's :class:`TokenIndex` and the IDF of :func:`fit_idf` over ``items``, built
    once per segmenter and shared by every stage that needs them."""
    key = ("indexed", _fingerprint(corpus, items))
    if (known := segmenter.results.get(key)) is None:
        index = TokenIndex(corpus, segmenter)
        known = segmenter.results[key] = (index, fit_idf(index, items))
    return known


def _item_terms(
    corpus: Corpus, items: pd.DataFrame, seg: Segmenter, top_k: int, jobs: int
) -> tuple[pd.DataFrame, dict[tuple[str, str], list[str]]]:
    verbs = word_set("action_verbs.txt")
    index, idf = indexed(corpus, items, seg)
    max_idf = max(idf.values(), default=1.0)
    texts = {doc.doc_id: doc.text for doc in corpus}
    heads = {(d, i): h for d, i, h in records(items[["doc_id", "item_id", "heading"]])}

    def part_terms(part: list[tuple]) -> tuple[list[tuple], dict[tuple[str, str], list[str]]]:
        rows, actions = [], {}
        for doc_id, item_id, kind, start, end, own_end in part:
            own = index.words(doc_id, start, own_end)
            actions[(doc_id, item_id)] = list(dict.fromkeys(w for w in own if w in verbs))
            if kind in NO_TERMS:
                continue
            quoted = Counter(quoted_terms(texts[doc_id][start:end]))
            counts = Counter(w for w in index.terms(doc_id, start, end) if w in idf)
            for term, n in quoted.items():  # a quoted term jieba split anyway still counts
                counts[term] = max(counts[term], n)
            head = heads[(doc_id, item_id)]
            at = texts[doc_id].find(head, start, end) if head else -1
            in_head = set(index.terms(doc_id, at, at + len(head))) if at >= 0 else set()
            weights = {
                w: (1 + math.log(n) + HEADING_BONUS * (w in in_head)) * idf.get(w, max_idf)
                for w, n in counts.items()
            }
            norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
            ranked = sorted(weights, key=lambda w: (-weights[w], w))
            chosen = ranked[:top_k] + sorted(set(quoted) - set(ranked[:top_k]))
            for word in chosen:
                source = (
                    "quoted"
                    if word in quoted
                    else "dictionary"
                    if word in seg.dictionary
                    else "tfidf"
                )
                rows.append((doc_id, item_id, word, round(weights[word] / norm, 4), source))
        return rows, actions

    todo = [tuple(row) for row in _rows(items)]
    size = max(PARALLEL_ITEMS, -(-len(todo) // (4 * jobs)))  # a few parts per process
    parts = [todo[i : i + size] for i in range(0, len(todo), size)]
    rows, actions = [], {}
    for part_rows, part_actions in fork_map(part_terms, parts, jobs):
        rows += part_rows
        actions.update(part_actions)
    frame = pd.DataFrame(rows, columns=list(TERM_COLUMNS))
    return share_strings(frame, ["doc_id", "item_id", "term", "source"]), actions


def terms_by_item(terms: pd.DataFrame) -> dict[tuple[str, str], list[str]]:
    """The rows of a :func:`terms_frame` as ``(doc_id, item_id) -> [term, ...]``, in order."""
    out: dict[tuple[str, str], list[str]] = {}
    for doc_id, item_id, term in records(terms[["doc_id", "item_id", "term"]]):
        out.setdefault((doc_id, item_id), []).append(term)
    return out


def terms_frame(
    corpus: Corpus,
    items: pd.DataFrame,
    *,
    segmenter: Segmenter | None = None,
    top_k: int = TOP_K,
) -> pd.DataFrame:
    """``doc_id, item_id, term, weight, source`` for the key terms of every item.

    ``source`` is ``quoted`` (the document puts the term in quotation marks), ``dictionary``
    (the shipped policy vocabulary) or ``tfidf`` (found by weight alone).
    """
    return item_terms(corpus, items, segmenter=segmenter, top_k=top_k)[0]
