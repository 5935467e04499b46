"""China's administrative divisions, from the table in ``xref/data/gazetteer.csv``.

Maps a division name to its administrative level and parent: a district or county to its
city (prefecture-level city, or one of the four municipalities), a prefecture-level city to
its province. Names repeat across the country (宝山区 is in Shanghai and in Shuangyashan);
:meth:`Gazetteer.find` resolves them with the other names in the same text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from xref.resources import data_rows

# gazetteer kind -> xref level
LEVEL_OF_KIND = {
    "municipality": "city",
    "province": "province",
    "prefecture": "city",
    "county": "district",
}


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    kind: str
    parent_adcode: str

    @property
    def level(self) -> str:
        return LEVEL_OF_KIND[self.kind]


class Gazetteer:
    """Lookup of administrative divisions by full name."""

    def __init__(self, divisions: list[Division]):
        self.by_code = {d.adcode: d for d in divisions}
        self.by_name: dict[str, list[Division]] = {}
        for d in divisions:
            self.by_name.setdefault(d.name, []).append(d)
        names = sorted(self.by_name, key=len, reverse=True)  # longest first: 浦东新区 before 新区
        self._pattern = re.compile("|".join(map(re.escape, names)))

    def parent(self, division: Division) -> Division | None:
        return self.by_code.get(division.parent_adcode)

    def chain(self, division: Division) -> list[Division]:
        """The division and its ancestors, lowest first."""
        out = [division]
        while (p := self.parent(out[-1])) is not None:
            out.append(p)
        return out

    def mentions(self, text: str) -> list[Division]:
        """Every division named in ``text``, in order, ambiguous names resolved by context."""
        found = [m.group(0) for m in self._pattern.finditer(text)]
        context = {d.adcode for name in found for d in self.by_name[name]}
        out = []
        for name in found:
            options = self.by_name[name]
            if len(options) > 1:
                # keep the reading whose ancestors are named too (上海市宝山区 -> Shanghai)
                backed = [d for d in options if any(a.adcode in context for a in self.chain(d)[1:])]
                options = backed or options
            if len(options) == 1:
                out.append(options[0])
        return out

    def find(self, text: str) -> Division | None:
        """The most specific division named in ``text`` (a district beats its city)."""
        found = self.mentions(text)
        if not found:
            return None
        rank = {"county": 0, "prefecture": 1, "municipality": 1, "province": 2}
        return min(found, key=lambda d: rank[d.kind])  # stable: first mention wins ties


@cache
def place_names() -> frozenset[str]:
    """Every division name, with and without its 省/市/区/县 ending (上海市 and 上海)."""
    names = set(gazetteer().by_name)
    names |= {re.sub(r"(省|市|区|县|自治州|地区|盟)$", "", n) for n in names}
    return frozenset(n for n in names if len(n) >= 2)


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once)."""
    return Gazetteer(
        [
            Division(r["adcode"], r["name"], r["kind"], r["parent_adcode"])
            for r in data_rows("gazetteer.csv")
        ]
    )
