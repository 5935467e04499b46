"""Scale the seeds into a large, realistic corpus for benchmarks.

    python benchmarks/generate.py 1000 benchmarks/corpora/1000

Cities come from the shipped gazetteer (municipalities and prefecture-level cities, in
adcode order), each with its own copy of the city plan (seed 000) and work points (003),
renamed. Every district of a city gets annual reports (from 001) and implementation opinions
(from 004): each a recombination of the template's real items (a random ~70% of each part's
items, renumbered), with place names swapped and figures varied, so the region hierarchy,
the numbering and the vocabulary stay those of real documents. The same arguments give the
same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xref
from xref.gazetteer import Division, gazetteer

SEEDS = Path(__file__).resolve().parents[1] / "data" / "raw"
TEMPLATES = {"plan": "000", "work_points": "003", "report": "001", "opinions": "004"}
PLACES = {  # the names each template is written about
    "000": ("上海市", "上海", None, None),
    "003": ("上海市", "上海", None, None),
    "001": ("上海市", "上海", "嘉定区", "嘉定"),
    "004": ("上海市", "上海", "闵行区", "闵行"),
}
YEARS = (2021, 2022, 2023, 2024)
KEEP = 0.7  # share of each part's items a generated document keeps
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_LABEL = re.compile(r"^（([一二三四五六七八九十]+)）")
CN = "零一二三四五六七八九"


def cn(n: int) -> str:
    """1..99 as written in labels: 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    return (CN[tens] if tens > 1 else "") + ("十" if tens else "") + (CN[ones] if ones else "")


@dataclass
class Template:
    doc_id: str
    text: str
    head: str  # everything before the first part
    parts: list[tuple[str, list[str]]]  # (the part's own text, its items' texts)


def load_templates() -> dict[str, Template]:
    corpus = xref.load_corpus(SEEDS)
    items = xref.extract(corpus)
    out = {}
    for prefix in TEMPLATES.values():
        doc = next(d for d in corpus if d.doc_id.startswith(prefix))
        mine = items[items["doc_id"] == doc.doc_id]
        tops = mine[(mine["depth"] == 1) & (mine["kind"] == "section")]
        parts = []
        for top in tops.itertuples():
            children = mine[mine["parent_id"] == top.item_id]
            texts = [doc.text[c.start : c.end] for c in children.itertuples()]
            parts.append((doc.text[top.start : top.own_end], texts))
        first = int(tops["start"].min()) if len(tops) else len(doc.text)
        last = int(tops["end"].max()) if len(tops) else len(doc.text)
        head = doc.text[:first]
        parts.append((doc.text[last:], []))  # the closing and signature, kept whole
        out[prefix] = Template(doc.doc_id, doc.text, head, parts)
    return out


def _rename(text: str, prefix: str, city: Division, district: Division | None) -> str:
    city_full, city_short, district_full, district_short = PLACES[prefix]
    short = re.sub(r"(市|地区|盟|自治州)$", "", city.name)
    pairs = [(city_full, city.name), (city_short, short), ("沪", short[:1])]
    if district_full and district is not None:
        d_short = re.sub(r"(区|县|市|旗)$", "", district.name) or district.name
        pairs = [(district_full, district.name), (district_short, d_short), *pairs]
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _vary(text: str, rng: random.Random) -> str:
    def change(m: re.Match[str]) -> str:
        value = m.group(0)
        if len(value) == 4 and value[:2] in ("19", "20"):
            return value  # a year
        if "." in value:
            return f"{float(value) * rng.uniform(0.7, 1.3):.1f}"
        return str(max(1, round(int(value) * rng.uniform(0.7, 1.3))))

    return _NUMBER.sub(change, text)


def recombine(t: Template, rng: random.Random) -> str:
    out = [t.head]
    for own, children in t.parts:
        out.append(own)
        if not children:
            continue
        k = max(1, round(len(children) * KEEP))
        kept = sorted(rng.sample(range(len(children)), k))
        for n, i in enumerate(kept, 1):
            out.append(_LABEL.sub(f"（{cn(n)}）", children[i], count=1))
    return "".join(out)


def cities() -> Iterator[tuple[Division, list[Division]]]:
    gz = gazetteer()
    divisions = sorted(gz.by_code.values(), key=lambda d: d.adcode)
    counties: dict[str, list[Division]] = {}
    for d in divisions:
        if d.kind == "county":
            counties.setdefault(d.parent_adcode, []).append(d)
    for d in divisions:
        if d.kind in ("municipality", "prefecture") and len(counties.get(d.adcode, [])) >= 3:
            yield d, counties[d.adcode]


def documents(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``(doc_id, text)`` for ``n`` documents."""
    templates = load_templates()
    rng = random.Random(seed)
    made = 0
    for city, districts in cities():
        city_docs = [("plan", 2021), ("work_points", 2023)]
        district_docs = [(d, kind, y) for d in districts for kind, y in _plan_of_years()]
        for kind, year in city_docs:
            if made == n:
                return
            prefix = TEMPLATES[kind]
            text = _rename(templates[prefix].text, prefix, city, None)
            yield f"{city.adcode}_{kind}_{year}", _vary(text, rng)
            made += 1
        for district, kind, year in district_docs:
            if made == n:
                return
            prefix = TEMPLATES[kind]
            text = recombine(templates[prefix], rng)
            text = _rename(text, prefix, city, district)
            if kind == "report":  # the template reports on 2024 and cites 2023
                years = {"2024": str(year), "2023": str(year - 1)}
                text = re.sub("2024|2023", lambda m, y=years: y[m.group(0)], text)
            yield f"{district.adcode}_{kind}_{year}", _vary(text, rng)
            made += 1
    raise ValueError(f"the gazetteer yields fewer than {n} documents")


def _plan_of_years() -> list[tuple[str, int]]:
    return [("report", y) for y in YEARS] + [("opinions", 2023)]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("n", type=int, help="number of documents")
    p.add_argument("out", type=Path, help="folder to write the .txt files into")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    size = 0
    for doc_id, text in documents(args.n, args.seed):
        data = text.encode("utf-8")
        (args.out / f"{doc_id}.txt").write_bytes(data)
        size += len(data)
    print(f"{args.n} documents, {size / 1e6:.1f} MB -> {args.out}")


if __name__ == "__main__":
    main()
