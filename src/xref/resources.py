"""Loaders for the vocabularies shipped in ``xref/data``.

Each file is read once, on first use, and cached; nothing is ever written into the package.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources


def data_text(name: str) -> str:
    """The text of a package data file."""
    return resources.files("xref").joinpath(f"data/{name}").read_text(encoding="utf-8")


def data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a package data file."""
    lines = (ln.rstrip("\n") for ln in data_text(name).splitlines())
    return [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def data_rows(name: str) -> list[dict[str, str]]:
    """Rows of a package CSV file (lines starting with ``#`` are comments)."""
    lines = [ln for ln in data_text(name).splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def chrome_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Web-page chrome patterns by kind (``line``, ``block``, ``footer``)."""
    out: dict[str, list[re.Pattern[str]]] = {"line": [], "block": [], "footer": []}
    for ln in data_lines("chrome.txt"):
        kind, _, pattern = ln.partition("\t")
        if kind not in out or not pattern:
            raise ValueError(f"chrome.txt: bad line {ln!r}")
        out[kind].append(re.compile(pattern))
    return {k: tuple(v) for k, v in out.items()}


@cache
def org_vocabulary() -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    """Issuer name suffixes and the patterns of national issuers (``orgs.txt``)."""
    suffixes, national = [], []
    for ln in data_lines("orgs.txt"):
        kind, _, value = ln.partition("\t")
        if kind == "suffix":
            suffixes.append(value)
        elif kind == "national":
            national.append(re.compile(value))
        else:
            raise ValueError(f"orgs.txt: bad line {ln!r}")
    return tuple(suffixes), tuple(national)


@cache
def kind_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``(kind, pattern)`` rules for a document's kind, first match wins (``doc_kinds.csv``)."""
    return tuple((r["kind"], re.compile(r["pattern"])) for r in data_rows("doc_kinds.csv"))


# Parts of speech in jieba's dictionary that never name a topic: conjunctions (不仅, 或者),
# prepositions (针对, 关于), pronouns (自我, 本级), locatives (期间, 中间), particles, modal
# words, interjections, onomatopoeia, numeral-classifiers (一方面). Time words (t) are not
# among them: jieba tags 节假日 and 逾期 so, and both are what market regulation is about.
FUNCTION_TAGS = (
    *("c", "p", "r", "rr", "rz", "f", "mq"),
    *("u", "uj", "ul", "uv", "uz", "ud", "ug", "y", "e", "o"),
)


@cache
def function_words() -> frozenset[str]:
    """The words jieba's own dictionary tags with one of :data:`FUNCTION_TAGS`: no stopword
    list names them all, and a small corpus gives rare ones (不仅, 针对) a high IDF."""
    # jieba.get_dict_file() imports pkg_resources: 0.3 s, more than reading the file
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    tags = "|".join(FUNCTION_TAGS)
    return frozenset(re.findall(rf"^(\S+) \d+ (?:{tags})\r?$", text, re.MULTILINE))


@cache
def word_set(name: str) -> frozenset[str]:
    """The words of a one-word-per-line vocabulary file (``stopwords.txt``, ...)."""
    return frozenset(ln.split("\t")[0].strip() for ln in data_lines(name))
