"""Link lower-level measures to the higher-level tasks they implement.

Who may implement whom (:func:`document_pairs`): a document's candidate parents are the
documents of a higher level in its own region chain (district -> its city -> its province ->
national), documents it cites that sit in that chain, and, at the same level, a multi-year
plan of the same issuer whose period covers an annual document (work points -> plan). Never
across regions.

Each (child item, parent task) pair of those documents is scored with separate signals, kept
as columns so an analyst can see why a link exists:

``lexical``   TF-IDF cosine of the two items' terms. A term's weight is its IDF in this
              corpus times the square root of its IDF among the parent document's tasks:
              choosing among one plan's tasks, the words every task shares (法治, 执法) say
              little, the words that set one task apart say much;
``sentence``  the best cosine between one child sentence and one parent sentence (a long,
              multi-topic paragraph may implement several tasks, each through one sentence);
``terms``     the child's key terms shared with the parent, weighted by specificity (IDF);
``quoted``    quoted terms (“枫桥经验”) the two share;
``cited``     the child's document cites the parent's document by title.

``score`` is their weighted sum, in [0, 1]. A link is kept when its score clears
``threshold`` and is close enough to the child's best link (``relative``), at most ``cap``
per child. The defaults were chosen on the annotated seeds by leave-one-document-out
evaluation; see ``data/annotations/README.md``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import pandas as pd

from xref.citations import citations_frame, normalize_title
from xref.decisions import fingerprint
from xref.gazetteer import gazetteer
from xref.segment import Segmenter, quoted_terms
from xref.terms import TokenIndex, corpus_segmenter, fit_idf
from xref.types import LEVELS, Corpus, Document, Metadata

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
    "lexical",
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


@dataclass(frozen=True)
class LinkConfig:
    """Tuning of :func:`link`; every field is documented with the value it was chosen at."""

    weights: dict[str, float] = field(
        default_factory=lambda: {
            "lexical": 0.65,
            "sentence": 0.10,
            "terms": 0.05,
            "quoted": 0.15,
            "cited": 0.05,
        }
    )
    threshold: float = 0.04  # minimum score of a kept link
    relative: float = 0.8  # a kept link scores at least this share of the child's best
    cap: int = 3  # links kept per child item
    verbatim_chars: int = 30  # a shared passage this long makes a link "verbatim"


# ---------------------------------------------------------------- who may implement whom


def region_chain(meta: Metadata) -> list[str]:
    """The document's region and those above it (嘉定区 -> 上海市)."""
    if not meta.region:
        return []
    division = gazetteer().find(meta.region)
    if division is None:
        return [r for r in (meta.region, meta.parent_region) if r]
    return [d.name for d in gazetteer().chain(division)]


def _rank(meta: Metadata) -> int:
    return LEVELS.index(meta.level) if meta.level in LEVELS else -1


def relation(child: Metadata, parent: Metadata, *, cites: bool = False) -> str:
    """Why ``child`` may implement ``parent`` (``"higher_level+cites"``...), or ``""``."""
    in_chain = parent.level == "national" or parent.region in region_chain(child)
    if not in_chain:
        return ""  # never across regions
    reasons = []
    if 0 <= _rank(parent) < _rank(child):
        reasons.append("higher_level")
    if cites:
        reasons.append("cites")
    if _covers(parent, child):
        reasons.append("plan_covers_annual")
    return "+".join(reasons)


def document_pairs(corpus: Corpus, citations: pd.DataFrame | None = None) -> pd.DataFrame:
    """``child_doc, parent_doc, reason`` for every pair allowed to carry implements links."""
    cited = (
        set(zip(citations["doc_id"], citations["title_norm"], strict=True))
        if citations is not None
        else set()
    )
    rows = []
    for child in corpus:
        for parent in corpus:
            if parent.doc_id == child.doc_id:
                continue
            title = normalize_title(parent.meta.title) if parent.meta.title else None
            reason = relation(child.meta, parent.meta, cites=(child.doc_id, title) in cited)
            if reason:
                rows.append((child.doc_id, parent.doc_id, reason))
    return pd.DataFrame(rows, columns=["child_doc", "parent_doc", "reason"])


def _covers(p: Metadata, a: Metadata) -> bool:
    """A multi-year plan covers the annual documents of its issuer within its period."""
    return (
        p.kind == "plan"
        and a.kind in ("work_points", "annual_report")
        and p.issuer is not None
        and p.issuer == a.issuer
        and p.level == a.level
        and None not in (p.period_start, p.period_end, a.period_start)
        and p.period_start <= a.period_start <= p.period_end
    )


# ---------------------------------------------------------------- item texts as vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


@dataclass
class ItemView:
    """What scoring needs of one item: term counts of the whole and of each sentence."""

    doc_id: str
    item_id: str
    text: str
    counts: Counter[str]
    terms: set[str]
    quoted: set[str]
    sentences: list[tuple[str, Counter[str]]]


def _view(row, doc: Document, index: TokenIndex, key_terms: set[str]) -> ItemView:
    text = doc.text[row.start : row.end]
    sentences = []
    for m in _SENTENCE.finditer(doc.text, row.start, row.end):
        words = index.terms(doc.doc_id, m.start(), m.end())
        if len(words) >= _MIN_SENTENCE_TERMS:
            sentences.append((m.group(0).strip(), Counter(words)))
    counts = Counter(index.terms(doc.doc_id, row.start, row.end))
    return ItemView(
        doc.doc_id,
        row.item_id,
        text.rstrip(),
        counts,
        key_terms,
        set(quoted_terms(text)),
        sentences,
    )


@dataclass
class Block:
    """The term weights for scoring children against one parent document's tasks."""

    weights: dict[str, float]
    default: float

    @classmethod
    def fit(cls, idf: dict[str, float], parents: list[ItemView]) -> Block:
        df: Counter[str] = Counter()
        for p in parents:
            df.update(set(p.counts))
        n = len(parents)
        local = {t: math.log((n + 1) / (k + 1)) + 1 for t, k in df.items()}
        default = math.sqrt(math.log(n + 1) + 1)
        return cls(
            {t: w * math.sqrt(local.get(t, default * default)) for t, w in idf.items()}, default
        )

    def vector(self, counts: Counter[str]) -> dict[str, float]:
        vec = {w: (1 + math.log(n)) * self.weights.get(w, 0.0) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items() if v}


def _leaves(items: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    """Items of these kinds with no child of these kinds (the finest actions)."""
    chosen = items[items["kind"].isin(kinds)]
    parents = set(zip(chosen["doc_id"], chosen["parent_id"], strict=True))
    keep = [(d, i) not in parents for d, i in zip(chosen["doc_id"], chosen["item_id"], strict=True)]
    return chosen[keep]


# ---------------------------------------------------------------- scoring


def _grade(child: ItemView, parent: ItemView, score: float, config: LinkConfig) -> str:
    match = SequenceMatcher(None, child.text, parent.text, autojunk=False)
    longest = match.find_longest_match(0, len(child.text), 0, len(parent.text)).size
    if longest >= config.verbatim_chars:
        return "verbatim"
    if score >= 2 * config.threshold:
        return "adapted"
    if score >= 1.5 * config.threshold:
        return "partial"
    return "thematic"


def _score(
    child: ItemView,
    parent: ItemView,
    block: Block,
    idf: dict[str, float],
    cited: float,
    config: LinkConfig,
) -> dict:
    lexical = _cosine(block.vector(child.counts), block.vector(parent.counts))
    best, pair = 0.0, ("", "")
    parent_sentences = [(text, block.vector(counts)) for text, counts in parent.sentences]
    for c_text, c_counts in child.sentences:
        c_vec = block.vector(c_counts)
        for p_text, p_vec in parent_sentences:
            s = _cosine(c_vec, p_vec)
            if s > best:
                best, pair = s, (c_text, p_text)
    shared = child.terms & parent.terms
    own_weight = sum(idf.get(t, 0.0) for t in child.terms) or 1.0
    terms = sum(idf.get(t, 0.0) for t in shared) / own_weight
    quoted = min(1.0, len(child.quoted & parent.quoted) / 2)
    signals = {
        "lexical": lexical,
        "sentence": best,
        "terms": terms,
        "quoted": quoted,
        "cited": cited,
    }
    score = sum(config.weights[k] * v for k, v in signals.items())
    shared_sorted = sorted(
        shared | (child.quoted & parent.quoted), key=lambda t: (-idf.get(t, 0.0), t)
    )
    return {
        **{k: round(v, 4) for k, v in signals.items()},
        "score": round(min(1.0, score), 4),
        "shared_terms": ";".join(shared_sorted),
        "child_sentence": pair[0],
        "parent_sentence": pair[1],
    }


def _evidence(row: dict) -> str:
    shared = "、".join(row["shared_terms"].split(";")[:8]) or "—"
    parts = [f"共同关键词: {shared}"]
    if row["child_sentence"]:
        parts.append(f"最相近句: 「{row['child_sentence']}」≈「{row['parent_sentence']}」")
    parts.append(
        "lexical {lexical:.2f} · sentence {sentence:.2f} · terms {terms:.2f} · "
        "quoted {quoted:.2f} · cited {cited:.2f}".format(**row)
    )
    return " | ".join(parts)


def score_pairs(
    corpus: Corpus,
    items: pd.DataFrame,
    *,
    segmenter: Segmenter | None = None,
    config: LinkConfig | None = None,
    terms: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every allowed (child item, parent task) pair with its signals and score, best first
    per child. :func:`select` keeps the ones that clear the thresholds."""
    config = config or LinkConfig()
    segmenter = segmenter or corpus_segmenter(corpus)
    index = TokenIndex(corpus, segmenter)
    idf = fit_idf(index, items)
    if terms is None:
        from xref.terms import terms_frame

        terms = terms_frame(corpus, items, segmenter=segmenter)
    key_terms = terms.groupby(["doc_id", "item_id"])["term"].agg(set).to_dict()
    citations = citations_frame(corpus, items)
    pairs = document_pairs(corpus, citations)
    docs = {doc.doc_id: doc for doc in corpus}

    children = _leaves(items, CHILD_KINDS)
    parents = items[items["kind"].isin(PARENT_KINDS)]
    views: dict[tuple[str, str], ItemView] = {}

    def view(row) -> ItemView:
        key = (row.doc_id, row.item_id)
        if key not in views:
            views[key] = _view(row, docs[row.doc_id], index, key_terms.get(key, set()))
        return views[key]

    blocks: dict[str, Block] = {}
    rows = []
    for child_doc, parent_doc, reason in pairs.itertuples(index=False):
        cited = 1.0 if "cites" in reason else 0.0
        parent_views = [
            view(r) for r in parents[parents["doc_id"] == parent_doc].itertuples(index=False)
        ]
        if parent_doc not in blocks:
            blocks[parent_doc] = Block.fit(idf, parent_views)
        for c_row in children[children["doc_id"] == child_doc].itertuples(index=False):
            c_view = view(c_row)
            for p_view in parent_views:
                scored = _score(c_view, p_view, blocks[parent_doc], idf, cited, config)
                rows.append(
                    {
                        "source_doc": child_doc,
                        "source_id": c_row.item_id,
                        "source_text": c_view.text,
                        "target_doc": parent_doc,
                        "target_id": p_view.item_id,
                        "target_text": p_view.text,
                        **scored,
                        "reason": reason,
                        "grade": _grade(c_view, p_view, scored["score"], config),
                    }
                )
    scored = pd.DataFrame(rows)
    if scored.empty:
        return pd.DataFrame(columns=list(LINK_COLUMNS))
    scored = scored.sort_values(
        ["source_doc", "source_id", "score", "target_doc", "target_id"],
        ascending=[True, True, False, True, True],
        kind="mergesort",
    )
    scored["rank"] = scored.groupby(["source_doc", "source_id"]).cumcount() + 1
    scored["evidence"] = [_evidence(r) for r in scored.to_dict("records")]
    scored["decided_by"] = "auto"
    scored["source_fingerprint"] = [fingerprint(t) for t in scored["source_text"]]
    scored["target_fingerprint"] = [fingerprint(t) for t in scored["target_text"]]
    return scored[list(LINK_COLUMNS)].reset_index(drop=True)


def select(scored: pd.DataFrame, config: LinkConfig | None = None) -> pd.DataFrame:
    """The links that clear ``threshold``, ``relative`` and ``cap``."""
    config = config or LinkConfig()
    if scored.empty:
        return scored
    best = scored.groupby(["source_doc", "source_id"])["score"].transform("max")
    keep = (scored["score"] >= config.threshold) & (scored["score"] >= config.relative * best)
    kept = scored[keep]
    kept = kept[kept.groupby(["source_doc", "source_id"]).cumcount() < config.cap]
    return kept.reset_index(drop=True)


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
