"""Link lower-level measures to the higher-level tasks they implement.

A document's items are scored against the tasks of the documents it may implement
(:func:`~xref.hierarchy.document_pairs`: its region chain, what it cites, the plan covering an
annual document); documents of other regions are only compared, when asked for
(:func:`find_similar`: ``similar_to`` links, scored the same way, never implementation).

Each (child item, parent task) pair of those documents is scored with separate signals, kept
as columns so an analyst can see why a link exists:

``lexical``   TF-IDF cosine of the two items' terms. A term's weight is its IDF in this
              corpus times the square root of its IDF among the parent document's tasks:
              choosing among one plan's tasks, the words every task shares (法治, 执法) say
              little, the words that set one task apart say much;
``chars``     TF-IDF cosine of the two items' Han character bigrams, weighted by their IDF
              among the parent document's tasks. Bigrams do not depend on where jieba cuts
              (案卷评查 and 案件评查 share 评查; 行刑衔接 and 刑事司法衔接 share 衔接), and the
              within-plan weight is what tells one task from its neighbours;
``sentence``  the best cosine between one child sentence and one parent sentence (a long,
              multi-topic paragraph may implement several tasks, each through one sentence);
``terms``     the child's key terms shared with the parent, weighted by specificity (IDF);
``quoted``    quoted terms (“枫桥经验”) the two share;
``cited``     the child's document cites the parent's document by title.

``score`` is their weighted sum, in [0, 1]. Each parent document is a question of its own
(which of this plan's tasks does the item implement?), so a link is kept when its score
clears ``threshold`` and is close enough to the child's best link into the same parent
document (``relative``), at most ``cap`` per child and parent document. The defaults were
chosen on the annotated seeds; how, and what they give on held-out data, is in
``data/annotations/README.md``.

Implementation runs along the chain: an item that implements a task of the city's work points
implements what that task implements in the city's plan. So a link into a document that itself
implements a third one the child may implement (a district's measure -> the 2023 work points,
which implement the 2021-2025 plan) is kept only when the child item and the task, or one of
its sub-items, share a kept parent task there (``chain``): the scores read two items alone,
and any two market-regulation texts share 市场监管, 执法 and 公开.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, repeat
from typing import Literal

import numpy as np
import pandas as pd

from xref.citations import citations_frame
from xref.decisions import fingerprint
from xref.frames import records
from xref.hierarchy import cross_region_pairs, document_pairs
from xref.segment import Segmenter, quoted_terms
from xref.structure import ancestors
from xref.terms import TokenIndex, corpus_segmenter, indexed, terms_by_item
from xref.types import Corpus, Document

CHILD_KINDS = ("task", "measure", "reported_work")
GRADES = ("verbatim", "adapted", "partial", "thematic")  # strongest first
STRONG_GRADES = ("verbatim", "adapted", "manual")  # "manual": added by an analyst
PARENT_KINDS = ("task",)
LINK_COLUMNS = (
    "source_doc",
    "source_id",
    "source_text",
    "target_doc",
    "target_id",
    "target_text",
    "score",
    "grade",
    "evidence",
    "decided_by",
    "rank",
    "task_rank",
    "lexical",
    "chars",
    "sentence",
    "terms",
    "quoted",
    "cited",
    "shared_terms",
    "child_sentence",
    "parent_sentence",
    "reason",
    "source_fingerprint",
    "target_fingerprint",
)
_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_MIN_SENTENCE_TERMS = 3  # one-word sentences match anything
_QUESTION = ("source_doc", "source_id", "target_doc")  # one child item, one parent document
_TARGET = ("target_doc", "target_id")
SIGNALS = ("lexical", "chars", "sentence", "terms", "quoted", "cited")


@dataclass(frozen=True)
class LinkConfig:
    """Tuning of :func:`link`; every field is documented with the value it was chosen at."""

    # ``sentence`` lowered every setting tried on the gold set; it stays a column and the
    # evidence card's sentence pair, not a part of the score
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "lexical": 0.13,
            "chars": 0.64,
            "sentence": 0.0,
            "terms": 0.10,
            "quoted": 0.10,
            "cited": 0.03,
        }
    )
    threshold: float = 0.03  # minimum score of a kept link
    relative: float = 0.9  # a kept link scores at least this share of the child's best
    cap: int = 3  # links kept per child item and parent document
    # a link into a document that implements a third the child may implement too needs a
    # parent task there that the child item and the task share (see the module's docstring)
    chain: bool = True
    verbatim_chars: int = 30  # a shared passage this long makes a link "verbatim"
    adapted: float = 0.08  # lowest score of an "adapted" link: every gold link above is right
    partial: float = 0.05  # lowest score of a "partial" link; below it, "thematic"
    # candidates per child and parent document: the best 5 (what an analyst's decision may
    # accept), None: all (to evaluate), "links": those :func:`select` keeps (a build with no
    # decisions, where the others were three quarters of the rows made); and whatever it is,
    # each task's nearest item in each child document (``task_rank`` 1), which a gap names
    keep: int | Literal["links"] | None = 5
    # evidence cards (shared terms, sentence pair, card) of the "kept" links only, or of "all"
    # candidates: an evaluation lists the misses with theirs, an analyst may accept any
    # candidate, but a build drops most candidates, and their cards were most of its memory
    cards: Literal["kept", "all"] = "kept"

    def __post_init__(self) -> None:
        if self.cards not in ("kept", "all"):
            raise ValueError(f"LinkConfig.cards: 'kept' or 'all', not {self.cards!r}")
        if isinstance(self.keep, str) and self.keep != "links":
            raise ValueError(f"LinkConfig.keep: a number, None or 'links', not {self.keep!r}")


# ---------------------------------------------------------------- item texts as vectors


@dataclass
class ItemView:
    """What scoring needs of one item: term counts of the whole and of each sentence (its
    character bigrams are counted where a block needs them: kept for every item, they would
    be most of the memory linking takes)."""

    doc_id: str
    item_id: str
    text: str
    content: str  # the text without the clauses naming responsible units
    fingerprint: str  # of the text: a view is in every block of its job, hashed once
    counts: Counter[str]
    terms: set[str]
    quoted: set[str]
    sentences: list[tuple[str, Counter[str]]]


def char_bigrams(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Overlapping pairs of Han characters of each text, never across punctuation, digits or
    spaces: ``(row, pair, count)`` of each distinct pair of each text, a text's pairs in the
    order they first occur. A pair is its two code points as one integer (``a << 16 | b``:
    Han characters are below 2**16), so pairs sort as their strings do.

    All texts are read at once, in numpy: as strings counted per text, the pairs were a
    third of the time a block took to score."""
    # "surrogatepass": a lone surrogate (a str may hold one) is a code point like any other
    joined = np.frombuffer("\n".join(texts).encode("utf-32-le", "surrogatepass"), np.uint32)
    han = (joined >= 0x4E00) & (joined <= 0x9FFF)  # "\n" is not: no pair spans two texts
    at = np.flatnonzero(han[:-1] & han[1:])
    starts = np.cumsum([0, *(len(t) + 1 for t in texts[:-1])])
    row = np.searchsorted(starts, at, side="right") - 1
    key = (row << 32) | (joined[at].astype(np.int64) << 16) | joined[at + 1]
    keys, first, counts = np.unique(key, return_index=True, return_counts=True)
    order = np.lexsort((first, keys >> 32))
    keys = keys[order]
    return keys >> 32, keys & 0xFFFFFFFF, counts[order]


def _view(row, doc: Document, index: TokenIndex, key_terms: set[str]) -> ItemView:
    text = doc.text[row.start : row.end]
    sentences = []
    for m in _SENTENCE.finditer(doc.text, row.start, row.end):
        words = index.terms(doc.doc_id, m.start(), m.end())
        if len(words) >= _MIN_SENTENCE_TERMS:
            sentences.append((m.group(0).strip(), Counter(words)))
    counts = Counter(index.terms(doc.doc_id, row.start, row.end))
    text = text.rstrip()
    content = _without(doc.text, row.start, row.end, index.unit_clauses[doc.doc_id])
    return ItemView(
        doc.doc_id,
        row.item_id,
        text,
        text if content is None else content,
        fingerprint(text),
        counts,
        key_terms,
        set(quoted_terms(text)),
        sentences,
    )


def _without(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str | None:
    """``text[start:end]`` with the ``spans`` (in order) inside it cut out, the pieces on
    lines of their own (no character pair spans a cut); None when no span falls inside."""
    pieces, at = [], start
    for s, e in spans:
        if s >= end:
            break
        if e > at:
            pieces.append(text[at : max(s, at)])
            at = e
    if not pieces:
        return None
    return "\n".join([*pieces, text[at:end]]).rstrip()


class _Space:
    """A vocabulary and a weight per entry (``default`` for entries not in ``weights``):
    items as unit-length TF-IDF rows (log term frequency). Rows are projected onto the
    vocabulary; an entry outside it adds nothing to a dot product, only to the row's norm."""

    def __init__(self, vocab: dict[str, int], weights: dict[str, float], default: float):
        self.vocab = vocab
        self.weights = weights
        self.default = default

    def matrix(self, rows: list[Counter[str]]) -> np.ndarray:
        lengths = [len(counts) for counts in rows]
        n = sum(lengths)
        # all rows' entries flat, so the arithmetic runs in numpy, not per entry in Python
        entries = list(chain.from_iterable(rows))
        tf = np.fromiter(chain.from_iterable(c.values() for c in rows), float, n)
        weights = np.fromiter(map(self.weights.get, entries, repeat(self.default)), float, n)
        row = np.repeat(np.arange(len(rows)), lengths)
        cols = np.fromiter(map(self.vocab.get, entries, repeat(-1)), np.intp, n)
        return _unit_rows((len(rows), len(self.vocab)), row, cols, tf, weights)


class _PairSpace:
    """:class:`_Space` for character pairs, held as the arrays of :func:`char_bigrams`: the
    pairs of ``texts`` and their IDF among them, each pair none has weighing ``default``."""

    def __init__(self, texts: list[str]):
        row, pairs, counts = char_bigrams(texts)
        self.vocab, df = np.unique(pairs, return_counts=True)
        self.idf = np.array([_smooth_idf(len(texts), k) for k in df.tolist()])
        self.default = _smooth_idf(len(texts), 0)
        self.rows = self._matrix(len(texts), row, pairs, counts)

    def matrix(self, texts: list[str]) -> np.ndarray:
        return self._matrix(len(texts), *char_bigrams(texts))

    def _matrix(self, n: int, row: np.ndarray, pairs: np.ndarray, tf: np.ndarray) -> np.ndarray:
        cols = np.searchsorted(self.vocab, pairs)
        found = np.zeros(len(pairs), dtype=bool)
        inside = cols < len(self.vocab)
        found[inside] = self.vocab[cols[inside]] == pairs[inside]
        cols[~found] = -1
        weights = np.full(len(pairs), self.default)
        weights[found] = self.idf[cols[found]]
        return _unit_rows((n, len(self.vocab)), row, cols, tf.astype(float), weights)


def _unit_rows(
    shape: tuple[int, int], row: np.ndarray, cols: np.ndarray, tf: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Rows of entries given flat (``cols`` -1: outside the vocabulary, counted in the norm
    only) as unit-length log-TF x weight vectors."""
    out = np.zeros(shape)
    if not len(row):
        return out
    v = (1 + np.log(tf)) * weights
    norm = np.sqrt(np.bincount(row, weights=v * v, minlength=shape[0]))
    hit = (cols >= 0) & (norm[row] > 0)
    out[row[hit], cols[hit]] = v[hit] / norm[row[hit]]
    return out


def _product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T`` over the columns ``a`` uses: rows are sparse, most columns are zero."""
    used = np.flatnonzero(a.any(axis=0))
    return a[:, used] @ b[:, used].T


def _local_idf(rows: list[Counter[str]]) -> tuple[dict[str, int], dict[str, float], float]:
    """Vocabulary, IDF among ``rows`` and the IDF an entry none of them has would get."""
    df: Counter[str] = Counter()
    for counts in rows:
        df.update(counts.keys())
    n = len(rows)
    idf = {t: _smooth_idf(n, k) for t, k in df.items()}
    return {t: i for i, t in enumerate(sorted(df))}, idf, _smooth_idf(n, 0)


def _smooth_idf(n: int, df: int) -> float:
    """IDF of an entry ``df`` of ``n`` rows have (smoothed: as if one more row had all)."""
    return math.log((n + 1) / (df + 1)) + 1


class Block:
    """One parent document's tasks as dense vectors over their own vocabulary.

    Words weigh their corpus IDF times the square root of their IDF among these tasks;
    character bigrams weigh their IDF among these tasks. Children are projected onto the
    same vocabularies, so scoring a child document against a parent document is a few small
    matrix products, and memory grows with the pair, not the corpus.
    """

    def __init__(self, idf: dict[str, float], parents: list[ItemView]):
        self.idf = idf
        vocab, local, default = _local_idf([p.counts for p in parents])
        # a word no task has weighs its corpus IDF times the square root of ``default``
        weights = {t: v * math.sqrt(local.get(t, default)) for t, v in idf.items()}
        self.words = _Space(vocab, weights, 0.0)  # a word without corpus IDF weighs nothing
        self.chars = _PairSpace([p.content for p in parents])
        self.parents = parents
        self.items = self.words.matrix([p.counts for p in parents])
        sentences, self.offsets = self._sentences(parents)
        self.sentences = self.words.matrix(sentences)
        keys = sorted({t for p in parents for t in p.terms})
        self.key_vocab = {t: i for i, t in enumerate(keys)}
        self.keys = self._binary([p.terms for p in parents], self.key_vocab)
        quoted = sorted({t for p in parents for t in p.quoted})
        self.quoted_vocab = {t: i for i, t in enumerate(quoted)}
        self.quoted = self._binary([p.quoted for p in parents], self.quoted_vocab)

    @staticmethod
    def _sentences(views: list[ItemView]) -> tuple[list[Counter[str]], np.ndarray]:
        """All sentences, each item's first row at its offset; an item without a sentence
        gets one empty row, so every item owns at least one."""
        rows, offsets = [], []
        for v in views:
            offsets.append(len(rows))
            rows += [counts for _, counts in v.sentences] or [Counter()]
        return rows, np.array(offsets, dtype=np.intp)

    @staticmethod
    def _binary(sets: list[set[str]], vocab: dict[str, int]) -> np.ndarray:
        out = np.zeros((len(sets), len(vocab)))
        for i, terms in enumerate(sets):
            for t in terms:
                if (j := vocab.get(t)) is not None:
                    out[i, j] = 1.0
        return out

    def score(self, children: list[ItemView], cited: float, config: LinkConfig) -> dict:
        """Signals and score of every (child, task) pair, as ``children x tasks`` arrays."""
        lexical = _product(self.words.matrix([c.counts for c in children]), self.items)
        chars = _product(self.chars.matrix([c.content for c in children]), self.chars.rows)
        sentences, offsets = self._sentences(children)
        sims = _product(self.words.matrix(sentences), self.sentences)
        best = np.maximum.reduceat(np.maximum.reduceat(sims, offsets, axis=0), self.offsets, axis=1)
        idf_rows = np.zeros((len(children), len(self.key_vocab)))
        own = np.ones(len(children))
        for i, c in enumerate(children):
            own[i] = sum(self.idf.get(t, 0.0) for t in c.terms) or 1.0
            for t in c.terms:
                if (j := self.key_vocab.get(t)) is not None:
                    idf_rows[i, j] = self.idf.get(t, 0.0)
        terms = (idf_rows @ self.keys.T) / own[:, None]
        shared_quoted = self._binary([c.quoted for c in children], self.quoted_vocab)
        quoted = np.minimum(1.0, (shared_quoted @ self.quoted.T) / 2)
        signals = {
            "lexical": lexical,
            "chars": chars,
            "sentence": best,
            "terms": terms,
            "quoted": quoted,
            "cited": np.full(lexical.shape, cited),
        }
        score = sum(config.weights[k] * v for k, v in signals.items())
        return {**signals, "score": np.minimum(1.0, score), "sims": sims, "offsets": offsets}

    def best_sentences(self, child: ItemView, c: int, p: int, scored: dict) -> tuple[str, str]:
        """The closest (child sentence, parent sentence) of one pair, for its evidence card."""
        if not child.sentences or not self.parents[p].sentences:
            return "", ""
        c0 = scored["offsets"][c]
        p0 = self.offsets[p]
        sub = scored["sims"][
            c0 : c0 + len(child.sentences), p0 : p0 + len(self.parents[p].sentences)
        ]
        if not sub.size or sub.max() <= 0:
            return "", ""
        i, j = np.unravel_index(int(np.argmax(sub)), sub.shape)
        return child.sentences[i][0], self.parents[p].sentences[j][0]


def leaves(items: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Items of these kinds with no child of these kinds (the finest actions)."""
    chosen = items[items["kind"].isin(kinds)]
    parents = set(records(chosen[["doc_id", "parent_id"]]))
    keep = [(d, i) not in parents for d, i in records(chosen[["doc_id", "item_id"]])]
    return chosen[keep]


# ---------------------------------------------------------------- scoring


def _grade(child: str, parent: str, score: float, config: LinkConfig, *, kept: bool) -> str:
    """The grade of a link between two texts; the search for a long shared passage
    (``verbatim``) runs only for candidates :func:`select` keeps."""
    if kept and shares_passage(child, parent, config.verbatim_chars):
        return "verbatim"
    if score >= config.adapted:
        return "adapted"
    if score >= config.partial:
        return "partial"
    return "thematic"


def shares_passage(a: str, b: str, n: int) -> bool:
    """Whether ``a`` and ``b`` have a common substring of ``n`` characters."""
    if len(a) < n or len(b) < n:
        return False
    # such a substring holds a window of n // 2 characters starting at a multiple of n // 2:
    # look for those first, cheaply, and for the full windows only if one is found
    half = _windows(b, n // 2)
    if not any(a[i : i + n // 2] in half for i in range(0, len(a) - n // 2 + 1, n // 2)):
        return False
    windows = _windows(b, n)
    return any(a[i : i + n] in windows for i in range(len(a) - n + 1))


@lru_cache(maxsize=4096)  # parent tasks are few and each is compared with many children
def _windows(text: str, n: int) -> frozenset[str]:
    return frozenset(text[i : i + n] for i in range(len(text) - n + 1))


def shared_terms(child: ItemView, parent: ItemView, idf: dict[str, float]) -> list[str]:
    """The terms two items share, for an analyst to read: their shared key and quoted terms
    first, then the other words they share (most links share no key term: an item's key terms
    are its few most specific words), each group the most specific (IDF) first."""
    key = (child.terms & parent.terms) | (child.quoted & parent.quoted)
    words = (child.counts.keys() & parent.counts.keys()) - key

    def specific_first(t: str) -> tuple[float, str]:
        return -idf.get(t, 0.0), t

    return sorted(key, key=specific_first) + sorted(words, key=specific_first)


def _evidence(row: dict) -> str:
    shared = "、".join(row["shared_terms"].split(";")[:8]) or "—"
    parts = [f"共同词语: {shared}"]
    if row["child_sentence"]:
        parts.append(f"最相近句: 「{row['child_sentence']}」≈「{row['parent_sentence']}」")
    parts.append(
        "lexical {lexical:.2f} · chars {chars:.2f} · sentence {sentence:.2f} · terms {terms:.2f} · "
        "quoted {quoted:.2f} · cited {cited:.2f}".format(**row)
    )
    return " | ".join(parts)


@dataclass
class ParentTasks:
    """One parent document's tasks and the documents that may implement it: a block."""

    doc_id: str
    tasks: list  # ItemView, or the item's row until the job's views are built
    children: list[tuple[str, str, list]]  # (child doc, reason, its items)


@dataclass
class BlockJob:
    """The scoring of the blocks of one region's parent documents (a city's plan and its
    work points, say): the unit of work. The documents below a region may implement each of
    its plans, so a job views each of their items once, not once per plan.

    Its items are rows of the items frame until :meth:`with_views` makes their views where
    the job is scored, so a forked worker builds the views of its own jobs only, and the
    main process none. A job with views is self-contained and picklable, to be scored on
    another machine."""

    blocks: list[ParentTasks]
    idf: dict[str, float]  # with views, only the IDF of the job's own words
    config: LinkConfig
    make_view: Callable | None = None  # row -> ItemView; None once the views are built

    def with_views(self) -> BlockJob:
        """The same job with every item's view built, once, and the IDF cut to its words."""
        if (make := self.make_view) is None:
            return self
        made: dict[tuple[str, str], ItemView] = {}

        def view(row) -> ItemView:
            if (found := made.get(key := (row.doc_id, row.item_id))) is None:
                found = made[key] = make(row)
            return found

        blocks = [
            ParentTasks(
                b.doc_id,
                [view(row) for row in b.tasks],
                [(doc, reason, [view(row) for row in rows]) for doc, reason, rows in b.children],
            )
            for b in self.blocks
        ]
        words = {w for v in made.values() for w in (*v.counts, *v.terms, *v.quoted)}
        idf = {w: self.idf[w] for w in sorted(words) if w in self.idf}
        return BlockJob(blocks, idf, self.config)

    def views(self) -> Iterator[ItemView]:
        for block in self.blocks:
            yield from block.tasks
            for *_, views in block.children:
                yield from views

    def cost(self) -> int:
        """Pairs to score: to start the longest jobs first."""
        return sum(len(b.tasks) * sum(len(views) for *_, views in b.children) for b in self.blocks)


def score_block(job: BlockJob) -> pd.DataFrame:
    """The candidates ``config.keep`` asks for of every child item in the job's blocks, and
    each task's nearest item in each child document, one row each with every column of
    :data:`LINK_COLUMNS`. A block is one parent document, so each child item's candidates there
    are all it has in that document: ranks (``rank`` among the item's tasks, ``task_rank``
    among the document's items for the task) and grades are final."""
    job = job.with_views()
    # a frame per block: a million row dicts would hold gigabytes at once
    frames = [_score_one(job, b) for b in job.blocks]
    _windows.cache_clear()  # parent texts of this job only
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _score_one(job: BlockJob, parent: ParentTasks) -> pd.DataFrame:
    block = Block(job.idf, parent.tasks)
    config = job.config
    ids = [p.item_id for p in block.parents]
    id_order = np.argsort(np.argsort(ids, kind="stable"), kind="stable")  # ties: by target id
    rows = []
    for child_doc, reason, views in parent.children:
        signals = block.score(views, 1.0 if "cites" in reason else 0.0, config)
        scores = np.round(signals["score"], 4)
        # each task's rank among the document's items (ties: in the document's order): the
        # first is the item a gap names as the nearest, though it be no link
        task_rank = np.empty(scores.shape, dtype=np.intp)
        np.put_along_axis(
            task_rank,
            np.argsort(-scores, axis=0, kind="stable"),
            np.arange(1, len(views) + 1)[:, None],
            axis=0,
        )
        nearest = (task_rank == 1) & (scores > 0)
        for c, c_view in enumerate(views):
            order = np.lexsort((id_order, -scores[c]))
            rank = np.empty(len(order), dtype=np.intp)
            rank[order] = np.arange(1, len(order) + 1)
            kept = _kept(scores[c], scores[c].max(initial=0.0), rank, config)
            listed = kept if config.keep == "links" else rank <= (config.keep or len(order))
            for p in order[(listed | nearest[c])[order]]:
                p_view = block.parents[p]
                score = float(scores[c, p])
                row = {
                    "source_doc": child_doc,
                    "source_id": c_view.item_id,
                    "source_text": c_view.text,
                    "target_doc": parent.doc_id,
                    "target_id": p_view.item_id,
                    "target_text": p_view.text,
                    "score": score,
                    "grade": _grade(c_view.text, p_view.text, score, config, kept=kept[p]),
                    "decided_by": "auto",
                    "rank": int(rank[p]),
                    "task_rank": int(task_rank[c, p]),
                    **{k: round(float(signals[k][c, p]), 4) for k in SIGNALS},
                    "shared_terms": "",
                    "child_sentence": "",
                    "parent_sentence": "",
                    "reason": reason,
                    "source_fingerprint": c_view.fingerprint,
                    "target_fingerprint": p_view.fingerprint,
                    "evidence": "",
                }
                if kept[p] or config.cards == "all":
                    row["shared_terms"] = ";".join(shared_terms(c_view, p_view, job.idf))
                    sentences = block.best_sentences(c_view, c, p, signals)
                    row["child_sentence"], row["parent_sentence"] = sentences
                    row["evidence"] = _evidence(row)
                rows.append(row)
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))


def score_pairs(
    corpus: Corpus,
    items: pd.DataFrame,
    *,
    segmenter: Segmenter | None = None,
    config: LinkConfig | None = None,
    terms: pd.DataFrame | None = None,
    citations: pd.DataFrame | None = None,
    map_blocks: Callable | None = None,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every allowed (child item, parent task) pair with its signals and score, best first
    per child and parent document (as many as ``config.keep`` asks for). ``pairs``: the
    documents to compare (``child_doc, parent_doc, reason``), by default those
    :func:`document_pairs` allows to carry implements links. :func:`select`
    keeps the ones that clear the thresholds; only they have evidence cards unless
    ``config.cards`` is ``"all"``. ``terms`` and ``citations``: the frames of
    :func:`~xref.terms_frame` and :func:`~xref.citations_frame`, when already computed.
    ``map_blocks(score_block, jobs)``, like the builtin ``map`` (the default), runs the
    blocks; the CLI passes one that runs them on worker processes or a dask cluster."""
    config = config or LinkConfig()
    jobs = _block_jobs(corpus, items, segmenter, config, terms, citations, pairs)
    blocks = [b for b in (map_blocks or map)(score_block, jobs) if len(b)]
    if not blocks:
        return pd.DataFrame(columns=list(LINK_COLUMNS))
    scored = pd.concat(blocks, ignore_index=True)
    del blocks  # not alongside the sorted copy below
    scored = scored.sort_values([*_QUESTION, "rank"], kind="mergesort")
    return scored.reset_index(drop=True)


def _block_jobs(
    corpus: Corpus,
    items: pd.DataFrame,
    segmenter: Segmenter | None,
    config: LinkConfig,
    terms: pd.DataFrame | None,
    citations: pd.DataFrame | None,
    pairs: pd.DataFrame | None = None,
) -> list[BlockJob]:
    """One :class:`BlockJob` per parent document that has tasks and candidate children."""
    segmenter = segmenter or corpus_segmenter(corpus)
    index, idf = indexed(corpus, items, segmenter)
    if terms is None:
        from xref.terms import terms_frame

        terms = terms_frame(corpus, items, segmenter=segmenter)
    key_terms = terms_by_item(terms)
    if pairs is None:
        if citations is None:
            citations = citations_frame(corpus, items)
        pairs = document_pairs(corpus, citations)
    docs = {doc.doc_id: doc for doc in corpus}

    children = leaves(items, CHILD_KINDS)
    parents = items[items["kind"].isin(PARENT_KINDS)]

    def view(row) -> ItemView:
        key = set(key_terms.get((row.doc_id, row.item_id), ()))
        return _view(row, docs[row.doc_id], index, key)

    by_doc: dict[str, dict[str, list]] = {"children": {}, "parents": {}}
    for role, frame in (("children", children), ("parents", parents)):
        for row in records(frame):  # one pass: a groupby costs per group
            by_doc[role].setdefault(row.doc_id, []).append(row)
    blocks: dict[str, ParentTasks] = {}
    for child_doc, parent_doc, reason in records(pairs):
        child_rows = by_doc["children"].get(child_doc, [])
        if not child_rows or parent_doc not in by_doc["parents"]:
            continue
        if parent_doc not in blocks:
            blocks[parent_doc] = ParentTasks(parent_doc, by_doc["parents"][parent_doc], [])
        blocks[parent_doc].children.append((child_doc, reason, child_rows))
    jobs: dict[tuple[str, str], BlockJob] = {}
    for doc_id, block in blocks.items():  # a region's plans, one job
        region = docs[doc_id].meta.region
        key = ("region", region) if region else ("document", doc_id)
        jobs.setdefault(key, BlockJob([], idf, config, view)).blocks.append(block)
    return list(jobs.values())


def _kept(score, best, rank, config: LinkConfig):
    """Whether candidates are kept: numbers, or pandas Series element by element."""
    return (score >= config.threshold) & (score >= config.relative * best) & (rank <= config.cap)


def select(scored: pd.DataFrame, config: LinkConfig | None = None) -> pd.DataFrame:
    """The links that clear ``threshold``, ``relative`` and ``cap``, per child item and
    parent document, and agree with the chain (``config.chain``; ``scored`` ordered as
    :func:`score_pairs` returns it)."""
    config = config or LinkConfig()
    if scored.empty:
        return scored
    best = scored.groupby(list(_QUESTION))["score"].transform("max")
    kept = scored[_kept(scored["score"], best, scored["rank"], config)].reset_index(drop=True)
    return along_chain(kept, scored) if config.chain else kept


def along_chain(links: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """``links`` without the automatic ones that disagree with the chain
    (:func:`shared_parents`); an analyst's link stands. Each checked link's evidence card ends
    with the parent task that the child item and its task share. :func:`select` runs it on the
    links it keeps; with analysts' decisions, run it after
    :func:`~xref.decisions.apply_decisions` (on links selected with ``chain=False``), so that
    the links they add, accept or reject between the task and its parents count."""
    shared = shared_parents(links, scored)
    analyst = (links["decided_by"] != "auto").tolist()
    keep = [a or s is None or bool(s) for s, a in zip(shared, analyst, strict=True)]
    notes = [_common_parents(s) if s else "" for s, k in zip(shared, keep, strict=True) if k]
    links = links[keep].reset_index(drop=True)
    return links.assign(evidence=[e + n for e, n in zip(links["evidence"], notes, strict=True)])


def _common_parents(parents: set[tuple[str, str]]) -> str:
    return " | 共同上级任务: " + "、".join(f"{doc} {task}" for doc, task in sorted(parents))


def shared_parents(links: pd.DataFrame, scored: pd.DataFrame) -> list[set[tuple[str, str]] | None]:
    """The chain check of each link: where its task's document has links into documents the
    child's document was scored against too, the parent tasks there (document, task id) that
    the child item and the task share, an empty set when none (the link disagrees with the
    chain); ``None`` where there is nothing to check. A task's links are its own and its
    sub-items' (:func:`~xref.structure.ancestors`). ``scored``: every
    candidate, to know which documents each document was scored against."""
    middle = set(links["source_doc"]) & set(links["target_doc"])  # documents with both
    checked = links["target_doc"].isin(middle).to_numpy()
    shared: list[set[tuple[str, str]] | None] = [None] * len(links)
    if not checked.any():
        return shared
    rows = list(records(links[["source_doc", "source_id", *_TARGET]]))
    children = {(r[0], r[1]) for r, c in zip(rows, checked, strict=True) if c}
    above: dict[tuple[str, str], set[tuple[str, str]]] = {}  # a task's parents, and below it
    own: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for doc, item, parent_doc, task in rows:
        if (doc, item) in children:
            own.setdefault((doc, item), set()).add((parent_doc, task))
        for task_above in ancestors(item) if doc in middle else ():
            above.setdefault((doc, task_above), set()).add((parent_doc, task))
    scored_against = set(records(scored[["source_doc", "target_doc"]].drop_duplicates()))
    for i in np.flatnonzero(checked):
        doc, item, parent_doc, task = rows[i]
        wanted = {p for p in above.get((parent_doc, task), ()) if (doc, p[0]) in scored_against}
        if wanted:
            shared[i] = wanted & own.get((doc, item), set())
    return shared


def find_links(
    corpus: Corpus,
    items: pd.DataFrame,
    *,
    segmenter: Segmenter | None = None,
    config: LinkConfig | None = None,
    terms: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The implements links: one row per kept (child item -> parent task) link, with score,
    grade (``verbatim``, ``adapted``, ``partial``, ``thematic``) and an evidence card."""
    config = config or LinkConfig()
    return select(
        score_pairs(corpus, items, segmenter=segmenter, config=config, terms=terms), config
    )


def find_similar(
    corpus: Corpus,
    items: pd.DataFrame,
    targets: Iterable[str],
    *,
    segmenter: Segmenter | None = None,
    config: LinkConfig | None = None,
    terms: pd.DataFrame | None = None,
    map_blocks: Callable | None = None,
) -> pd.DataFrame:
    """The ``similar_to`` links: items of documents of other regions (:func:`cross_region_pairs`)
    that resemble the tasks of ``targets`` (document ids), scored, cut, graded and carded as
    implements links are, with ``reason`` ``cross_region``. A comparison, never an
    implementation: a district of Tianjin implements nothing of Shanghai's, and coverage never
    reads these links."""
    config = replace(config or LinkConfig(), keep="links")
    pairs = cross_region_pairs(corpus, targets)
    scored = score_pairs(
        corpus,
        items,
        segmenter=segmenter,
        config=config,
        terms=terms,
        map_blocks=map_blocks,
        pairs=pairs,
    )
    return select(scored, config)
