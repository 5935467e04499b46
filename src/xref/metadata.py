"""Infer a document's metadata from its normalised text and the page chrome around it.

Each field has its own small function, tried on the places an official document states it:
the heading line (``X关于印发《Y》的通知``), the signature block (issuer, then date on the next
line), the page's metadata table (发布日期, 发布文号), and the title of the plan itself.
"""

from __future__ import annotations

import re
from itertools import pairwise

from xref.gazetteer import Division, gazetteer
from xref.numerals import NUMERAL_CHARS, cn_to_int
from xref.resources import kind_patterns, org_vocabulary
from xref.types import Metadata

HEADER_LINES = 12  # the heading, addressees, signature and title sit in the first lines

_NOTICE = re.compile(
    r"^(?P<issuer>.*?)关于(?:印发|转发|发布|公布)?《(?P<title>.+?)》的?(?:通知|通告|公告)"
)
_TITLE_WORDS = re.compile(
    r"(规划|纲要|方案|计划|意见|要点|报告|总结|通知|办法|规定|条例|细则)(（[^）]*）)?$"
)
_PAREN_SUFFIX = re.compile(r"\s*（[^）]*）$")
_CN_DATE = f"[〇零一二三四五六七八九]{{4}}年[{NUMERAL_CHARS}]{{1,2}}月[{NUMERAL_CHARS}]{{1,3}}日"
_DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|(?P<y2>\d{4})[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})"
    rf"|(?P<cn>{_CN_DATE})"
)
_COMPACT_DATE = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)$")
_PUBLISHED = re.compile(r"(发布日期|发布时间|发布于|公开日期|发文日期)\s*[:：]?\s*")
_APPROVED_BY = re.compile(r"经(?P<body>[^，。；]{2,30}?人民政府)(?:第[^，。；]{1,10})?常务会议")
_DOC_NUMBER = re.compile(
    r"(?:^|[（(\s：:])(?P<prefix>[\u4e00-\u9fff]{2,12}?)"
    r"(?:[〔\[【（(](?P<y1>\d{4})[〕\]】）)]\s*第?(?P<n1>\d{1,5})"
    r"|(?P<y2>(?:19|20)\d{2})年?第?(?P<n2>\d{1,5}))号"
)
_PERIOD = re.compile(r"(?P<a>(?:19|20)\d{2})\s*年?\s*[-—–~～至到]\s*(?P<b>(?:19|20)\d{2})\s*年")
_FIVE_YEAR = re.compile(  # 十四五 -> the 14th five-year plan
    r"(?P<n>十[一二三四五六七八九]?|[三四五六七八九])五(?=[”\"]|规划|时期|期间)"
)
_YEAR = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年度?")
NATIONAL_REGION = "全国"


def _iso(m: re.Match[str]) -> str | None:
    if m.groupdict().get("cn"):
        y, rest = m.group("cn").split("年")
        mo, d = rest.rstrip("日").split("月")
        year, month, day = cn_to_int(y), cn_to_int(mo), cn_to_int(d)
    else:
        year = int(m.group("y") or m.group("y2"))
        month = int(m.group("m") or m.group("m2"))
        day = int(m.group("d") or m.group("d2"))
    if not (1949 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_line(line: str) -> str | None:
    """ISO date when the whole line is a date (a signature date), else ``None``."""
    line = line.strip()
    if m := _COMPACT_DATE.match(line):
        return _iso(m)
    m = _DATE.fullmatch(line)
    return _iso(m) if m else None


def _nonblank(lines: list[str]) -> list[str]:
    return [ln for ln in lines if ln.strip()]


def is_org_name(text: str) -> bool:
    suffixes, _ = org_vocabulary()
    return 2 < len(text) <= 40 and text.endswith(suffixes) and not re.search(r"[，。；：]", text)


def infer_title(lines: list[str]) -> str | None:
    head = _nonblank(lines)[:HEADER_LINES]
    for line in head:
        if m := _NOTICE.match(line):
            return m.group("title").strip()
    for line in head[:5]:
        if (
            "。" not in line
            and len(line) <= 80
            and _TITLE_WORDS.search(line)
            and not date_line(line)
        ):
            return line.strip()
    return None


def _org_prefix(text: str) -> str | None:
    """The issuing body a heading starts with.

    ``上海市嘉定区市场监督管理局2024年度...报告`` -> ``上海市嘉定区市场监督管理局``.
    """
    suffixes, _ = org_vocabulary()
    best = None
    for suffix in suffixes:
        i = text.find(suffix)
        while i != -1:
            end = i + len(suffix)
            rest = text[end:]
            ends_name = not rest or rest.startswith(("关于", "《")) or re.match(r"\d{4}", rest)
            if ends_name and (best is None or end > len(best)):
                best = text[:end]
            i = text.find(suffix, i + 1)
    return best if best and is_org_name(best) else None


def infer_issuer(lines: list[str], chrome: list[str]) -> str | None:
    body = _nonblank(lines)
    head = body[:HEADER_LINES]
    for line in head[:3]:
        m = _NOTICE.match(line)
        prefix = m.group("issuer") if m else line
        if prefix and (org := _org_prefix(prefix)):
            return org
    # signature block: an issuing body alone on a line, its date on the next
    for line, nxt in pairwise(body):
        if is_org_name(line.strip()) and date_line(nxt):
            return line.strip()
    for line in chrome:
        m = re.match(r"^(来源|发布单位|发文机关)\s*[:：]?\s*(?P<org>\S+)", line)
        if m and is_org_name(m.group("org")):
            return m.group("org")
    # an undersigned notice approved by a government's executive meeting is that government's
    for line in head:
        if m := _APPROVED_BY.search(line):
            return re.sub(f"第[{NUMERAL_CHARS}\\d]+届", "", m.group("body"))  # 第一届人民政府
    return None


def qualify_issuer(issuer: str) -> str:
    """Prefix a district body with its city: 蓟州区人民政府 -> 天津市蓟州区人民政府."""
    gz = gazetteer()
    division = gz.find(issuer)
    if division is None or not issuer.startswith(division.name):
        return issuer
    chain = gz.chain(division)
    for ancestor in chain[1:]:
        if ancestor.level == "city":
            return ancestor.name + issuer
    return issuer


def is_national(issuer: str | None) -> bool:
    _, national = org_vocabulary()
    return bool(issuer) and any(p.search(issuer) for p in national)


def infer_region(issuer: str | None, title: str | None) -> Division | None:
    gz = gazetteer()
    for text in (issuer, title):
        if text and (d := gz.find(text)):
            return d
    return None


def infer_issue_date(lines: list[str], chrome: list[str]) -> str | None:
    for line in lines:
        if d := date_line(line):
            return d
    for line in chrome:
        m = re.search(r"成文日期\s*[:：]?\s*", line)
        if m and (dm := _DATE.search(line, m.end())):
            return _iso(dm)
    for line in reversed(lines):  # a printing line: 上海市…办公室 2022年3月22日印发
        if line.rstrip().endswith("印发") and (dm := _DATE.search(line)):
            return _iso(dm)
    return None


def infer_publish_date(chrome: list[str]) -> str | None:
    for line in chrome:
        if (m := _PUBLISHED.search(line)) and (dm := _DATE.match(line, m.end())):
            return _iso(dm)
    for line in chrome:  # a bare "2022-03-30 632" (date and view counter) under the heading
        if dm := _DATE.match(line):
            return _iso(dm)
    return None


def infer_doc_number(lines: list[str], chrome: list[str]) -> str | None:
    places = _nonblank(lines)[:3] + [ln for ln in chrome if "文号" in ln] + chrome
    for line in places:
        for m in _DOC_NUMBER.finditer(line):
            year = m.group("y1") or m.group("y2")
            number = int(m.group("n1") or m.group("n2"))
            if 1949 <= int(year) <= 2100 and number > 0:
                return f"{m.group('prefix')}〔{year}〕{number}号"
    return None


def infer_kind(title: str | None) -> str | None:
    if not title:
        return None
    bare = _PAREN_SUFFIX.sub("", title).rstrip('”"')
    for kind, pattern in kind_patterns():
        if pattern.search(bare):
            return kind
    return "other"


def infer_period(title: str | None, kind: str | None) -> tuple[int | None, int | None]:
    if not title:
        return None, None
    if m := _PERIOD.search(title):
        return int(m.group("a")), int(m.group("b"))
    if m := _FIVE_YEAR.search(title):
        try:
            n = cn_to_int(m.group("n"))
        except ValueError:
            n = 0
        if n >= 3:  # the plans run back to back from the 3rd (1966-1970)
            start = 1966 + 5 * (n - 3)
            return start, start + 4
    if kind in ("work_points", "annual_report") and (m := _YEAR.search(title)):
        year = int(m.group("y"))
        return year, year
    return None, None


def infer_metadata(
    text: str, chrome: list[str], overrides: dict | None = None
) -> tuple[Metadata, list[str]]:
    """Metadata of one document, with ``overrides`` (from the manifest) taking precedence.

    Fields that depend on others (level and parent region on region; kind and period on title)
    are derived from the overridden values. Returns the metadata and warnings about fields
    that could not be inferred.
    """
    given = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    lines = text.split("\n")
    title = given.get("title") or infer_title(lines)
    issuer = given.get("issuer") or infer_issuer(lines, chrome)
    if issuer and "issuer" not in given:
        issuer = qualify_issuer(issuer)

    gz = gazetteer()
    if "region" in given:
        division = gz.find(given["region"])
    elif is_national(issuer):
        division = None
    else:
        division = infer_region(issuer, title)
    national = "region" not in given and is_national(issuer)
    region = given.get("region") or (NATIONAL_REGION if national else division and division.name)
    level = given.get("level") or ("national" if national else division and division.level)
    parent = given.get("parent_region")
    if parent is None and division is not None and (p := gz.parent(division)) is not None:
        parent = p.name

    kind = given.get("kind") or infer_kind(title)
    start, end = infer_period(title, kind)
    meta = Metadata(
        title=title,
        issuer=issuer,
        level=level,
        region=region,
        parent_region=parent,
        kind=kind,
        issue_date=given.get("issue_date") or infer_issue_date(lines, chrome),
        publish_date=given.get("publish_date") or infer_publish_date(chrome),
        doc_number=given.get("doc_number") or infer_doc_number(lines, chrome),
        period_start=given.get("period_start", start),
        period_end=given.get("period_end", end),
    )
    warnings = [
        f"no {name} found (set it in the manifest)"
        for name in ("title", "issuer", "level", "region", "issue_date")
        if getattr(meta, name) is None
    ]
    return meta, warnings
