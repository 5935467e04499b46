"""Who may implement whom: the documents a document's items may carry implements links to.

A document's candidate parents (:func:`document_pairs`) are the documents of a higher level
in its own region chain (district -> its city -> its province -> national), documents it
cites that sit in that chain, and, at the same level, a multi-year plan of the same issuer
whose period covers an annual document (work points -> plan). Never across regions: documents
of other regions are only compared, when asked for (:func:`cross_region_pairs`, the
``similar_to`` links of :func:`xref.link.find_similar`). Linking scores these pairs; coverage
reads the same rule to know which documents may take a plan's tasks up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache

import pandas as pd

from xref.citations import normalize_title
from xref.frames import records
from xref.gazetteer import gazetteer
from xref.types import Corpus, Metadata, level_rank


def region_chain(meta: Metadata) -> list[str]:
    """The document's region and those above it (嘉定区 -> 上海市)."""
    return list(_chain(meta.region, meta.parent_region))


@cache
def _chain(region: str | None, parent_region: str | None) -> tuple[str, ...]:
    if not region:
        return ()
    division = gazetteer().find(region)
    if division is None:
        return tuple(r for r in (region, parent_region) if r)
    return tuple(d.name for d in gazetteer().chain(division))


def relation(child: Metadata, parent: Metadata, *, cites: bool = False) -> str:
    """Why ``child`` may implement ``parent`` (``"higher_level+cites"``...), or ``""``."""
    in_chain = parent.level == "national" or parent.region in region_chain(child)
    if not in_chain:
        return ""  # never across regions
    reasons = []
    # a document of unknown level is nobody's higher level, and has none above it
    if 0 <= level_rank(parent.level, unknown=-1) < level_rank(child.level, unknown=-1):
        reasons.append("higher_level")
    if cites:
        reasons.append("cites")
    if _covers(parent, child):
        reasons.append("plan_covers_annual")
    return "+".join(reasons)


def document_pairs(corpus: Corpus, citations: pd.DataFrame | None = None) -> pd.DataFrame:
    """``child_doc, parent_doc, reason`` for every pair allowed to carry implements links."""
    cited = set(records(citations[["doc_id", "title_norm"]])) if citations is not None else set()
    titles = {
        doc.doc_id: normalize_title(doc.meta.title) if doc.meta.title else None for doc in corpus
    }
    rows = allowed_pairs(
        {doc.doc_id: doc.meta for doc in corpus},
        cites=lambda child, parent: (child, titles[parent]) in cited,
    )
    return pd.DataFrame(list(rows), columns=["child_doc", "parent_doc", "reason"])


def allowed_pairs(
    docs: dict[str, Metadata], *, cites: Callable[[str, str], bool]
) -> Iterator[tuple[str, str, str]]:
    """``(child, parent, reason)`` for every pair of ``docs`` (name -> metadata) that
    :func:`relation` allows, by child, then parent name; ``cites(child, parent)``: whether the
    child cites the parent. A child's candidates are looked up by region (national, or in its
    own region chain), not every document tried against every other."""
    by_region: dict[str | None, list[str]] = {}
    for name, meta in docs.items():
        key = "national" if meta.level == "national" else meta.region
        by_region.setdefault(key, []).append(name)
    for child, meta in docs.items():
        regions = dict.fromkeys(("national", *region_chain(meta)))
        for parent in sorted(p for key in regions for p in by_region.get(key, [])):
            if parent != child and (
                reason := relation(meta, docs[parent], cites=cites(child, parent))
            ):
                yield child, parent, reason


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


def cross_region_pairs(corpus: Corpus, targets: Iterable[str]) -> pd.DataFrame:
    """``child_doc, parent_doc, reason`` pairing each of ``targets`` with every document of
    another region: neither in the other's region chain, and neither national (a national
    document is every region's). These pairs carry ``similar_to`` links, never implements
    ones: :func:`relation` allows none of them. Documents of unknown region are left out."""
    docs = {doc.doc_id: doc.meta for doc in corpus}
    rows = [
        (child, parent, "cross_region")
        for parent in sorted(set(targets))
        for child in sorted(docs)
        if _other_regions(docs[child], docs[parent])
    ]
    return pd.DataFrame(rows, columns=["child_doc", "parent_doc", "reason"])


def _other_regions(a: Metadata, b: Metadata) -> bool:
    if "national" in (a.level, b.level) or not a.region or not b.region:
        return False
    return a.region not in region_chain(b) and b.region not in region_chain(a)
