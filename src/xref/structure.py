"""Parse a normalised document into its tree of numbered items.

Official documents number their parts in a small set of styles: 第X篇, 第X章 / 第X部分,
第X节, 第X条, 一、, （一）, 1. / 1、, （1）, ①, dashes (——), ordinals (第一，), and inline
enumerations inside a paragraph (一是…二是…, 一方面…另一方面…, 此外). Which style sits at
which depth varies from document to document, so depth is decided by order of appearance: a
label of a style already open closes everything below it and becomes its sibling; a new
style opens a level below.

Every item spans from its label to the next label of the same or a higher level, so an item's
``text`` includes its children; ``own_end`` marks where its own text stops (its first child).
The spans ``[start, own_end)`` of all items tile the document exactly.

Text before the first heading (notice, title, preamble), signature blocks, attachment lines,
closing paragraphs and tables become items of their own kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xref.labels import line_label
from xref.metadata import date_line, is_org_name
from xref.numerals import NUMERAL_CHARS
from xref.types import Document

HEADING_MAX = 60  # longer first sentences are body text, not a heading

MAJOR_STYLES = ("volume", "chapter", "part", "article", "cn", "paren_cn", "arabic")
GROUPING_STYLES = ("volume", "chapter", "part", "cn")  # with children: a section, not a task
_SHI = re.compile(rf"(?:^|(?<=[。；：！]))([{NUMERAL_CHARS}]+)是(?=[^，。；])")
_FANGMIAN = re.compile(r"(?:^|(?<=[。；：！]))(一方面|另一方面|此外)[，,]?")
_TABLE_ROW = re.compile(r"\|.*\|.*\|")
_CC = re.compile(r"^(抄送|抄报|主送)[：:]")
_PRINTED = re.compile(r"印发$")
_PUBLIC = re.compile(r"^（此件.{0,8}）$")
_ATTACHMENT = re.compile(r"^附件[：:\d]?")
_SELF_REFERENCE = re.compile(r"本(实施)?(方案|意见|规划|要点|计划|办法|通知|纲要)")
_SENTENCE_END = re.compile(r"[。；]")


@dataclass
class Node:
    """An item while the tree is being built."""

    style: str
    seg: str
    label: str
    start: int
    heading: str = ""
    kind: str | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    item_id: str = ""
    end: int = 0
    own_end: int = 0

    @property
    def depth(self) -> int:
        return 1 if self.parent is None else self.parent.depth + 1


@dataclass(frozen=True)
class Line:
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            out.append(Line(pos, raw))
        pos += len(raw) + 1
    return out


def _heading(rest: str, inline: bool) -> str:
    rest = rest.lstrip(" ，,、：")
    if not inline and not _SENTENCE_END.search(rest) and len(rest) <= HEADING_MAX:
        return rest.strip()
    m = _SENTENCE_END.search(rest)
    head = rest[: m.start()] if m else rest
    return head.strip() if len(head) <= HEADING_MAX else ""


# ---------------------------------------------------------------- front and back matter


def _is_signature_line(lines: list[Line], i: int) -> bool:
    text = lines[i].text
    if date_line(text) or _PUBLIC.match(text) or _CC.match(text) or _PRINTED.search(text):
        return True
    nxt = lines[i + 1].text if i + 1 < len(lines) else ""
    return is_org_name(text) and bool(date_line(nxt) or _PRINTED.search(nxt))


def _front_kind(lines: list[Line], i: int, seen: set[str]) -> str:
    text = lines[i].text
    if _ATTACHMENT.match(text):
        return "attachment"
    if _is_signature_line(lines, i):
        return "signature"
    if i == 0 and "关于" in text and re.search(r"(通知|通告|公告)", text):
        return "notice"
    short = len(text) <= HEADING_MAX and not _SENTENCE_END.search(text)
    if short and ("signature" in seen or "attachment" in seen or not seen or "title" in seen):
        return "title"
    if "notice" in seen and "signature" not in seen:
        return "notice"
    return "preamble"


def _back_kind(lines: list[Line], i: int) -> str | None:
    text = lines[i].text
    if _ATTACHMENT.match(text):
        return "attachment"
    if _is_signature_line(lines, i):
        return "signature"
    if i > 0 and _CC.match(lines[i - 1].text) and not lines[i - 1].text.endswith("。"):
        return "signature"  # a 抄送 line broken in two
    return None


def _special_marks(lines: list[Line], kinds: list[str]) -> list[Node]:
    """One root item per run of lines of the same kind."""
    nodes: list[Node] = []
    for line, kind in zip(lines, kinds, strict=True):
        if nodes and nodes[-1].kind == kind:
            if kind == "title" and len(nodes[-1].heading + line.text) <= 80:
                nodes[-1].heading += line.text  # a title broken over two lines
            continue
        heading = line.text if kind in ("title", "notice") and len(line.text) <= 80 else ""
        nodes.append(Node("special", kind, "", line.start, heading=heading, kind=kind))
    return nodes


# ---------------------------------------------------------------- body


def _inline_marks(line: Line, open_inline: str | None, followed: bool) -> list[Node]:
    """Inline enumerations in one paragraph, kept only when they form a real sequence:
    一是 followed by 二是 in the same paragraph or (``followed``) in a later one, or a
    paragraph opening with the next number of a sequence already open."""
    marks = []
    shi = [(m.start(), m.group(1)) for m in _SHI.finditer(line.text)]
    numbers = [n for _, n in shi]
    starts = numbers[:2] == ["一", "二"] or (numbers[:1] == ["一"] and followed)
    if shi and (starts or (open_inline == "shi" and shi[0][0] == 0)):
        for pos, number in shi:
            label = f"{number}是"
            rest = line.text[pos + len(label) :]
            marks.append(Node("shi", label, label, line.start + pos, _heading(rest, True)))
    fang = [(m.start(), m.group(1), m.end()) for m in _FANGMIAN.finditer(line.text)]
    words = [w for _, w, _ in fang]
    for pos, word, end in fang:
        if word == "此外":
            style = open_inline if open_inline else ("fangmian" if "一方面" in words else None)
            if style is None and not marks:
                continue
            style = style or marks[-1].style
        elif (word == "一方面" and "另一方面" not in words) or (
            word == "另一方面" and "一方面" not in words and open_inline != "fangmian"
        ):
            continue
        else:
            style = "fangmian"
        rest = line.text[end:]
        marks.append(Node(style, word, word, line.start + pos, _heading(rest, True)))
    return sorted(marks, key=lambda n: n.start)


def _table_marks(rows: list[Line], title: Line | None) -> list[Node]:
    start = title.start if title else rows[0].start
    marks = [Node("table", "表", "", start, heading=title.text if title else "", kind="table")]
    for row in rows:
        cells = [c.strip() for c in row.text.split("|")]
        filled = [c for c in cells if c]
        if cells[0].isdigit():
            marks.append(
                Node("indicator", cells[0], cells[0], row.start, heading=cells[1], kind="indicator")
            )
        elif len(filled) == 1:
            marks.append(
                Node(
                    "category", filled[0], filled[0], row.start, heading=filled[0], kind="category"
                )
            )
    return marks


def _body_marks(lines: list[Line]) -> list[Node]:
    marks: list[Node] = []
    open_inline: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if _TABLE_ROW.search(line.text):
            j = i
            while j < len(lines) and _TABLE_ROW.search(lines[j].text):
                j += 1
            prev = lines[i - 1] if i else None
            title = (
                prev
                if prev and marks and marks[-1].start < prev.start and _is_title(prev)
                else None
            )
            marks.extend(_table_marks(lines[i:j], title))
            open_inline = None
            i = j
            continue
        found = line_label(line.text)
        if found:
            style, number, label = found
            seg = label if style == "dash" else number if style != "paren_cn" else f"（{number}）"
            rest = line.text[len(label) :] if style != "ordinal" else line.text[len(number) :]
            heading = _heading(rest, False)
            # a heading broken across two lines (002, 第三章 二、…发展、 / 高品质生活新范式)
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if heading.endswith(("、", "，")) and nxt and _is_title(nxt):
                heading += nxt.text
            marks.append(Node(style, seg, label, line.start, heading))
            open_inline = None
            inline_text = Line(line.start + len(label), rest)
        else:
            inline_text = line
        followed = any("二是" in later.text for later in _until_next_label(lines, i + 1))
        inline = _inline_marks(inline_text, open_inline, followed)
        if inline:
            open_inline = inline[-1].style
        marks.extend(inline)
        i += 1
    return marks


def _until_next_label(lines: list[Line], i: int) -> list[Line]:
    out = []
    for line in lines[i:]:
        if line_label(line.text) or _TABLE_ROW.search(line.text):
            break
        out.append(line)
    return out


def _is_title(line: Line) -> bool:
    return (
        len(line.text) <= HEADING_MAX
        and not _SENTENCE_END.search(line.text)
        and not line_label(line.text)
    )


# ---------------------------------------------------------------- tree


INLINE_STYLES = ("shi", "fangmian")
INLINE_SEGMENT = re.compile(rf"/(?:[{NUMERAL_CHARS}]+是|一方面|另一方面|此外)$")


def _build(marks: list[Node], n_chars: int) -> list[Node]:
    nodes: list[Node] = []
    stack: list[Node] = []
    for mark in marks:
        if mark.style == "special":
            stack.clear()
        else:
            if mark.style not in (*INLINE_STYLES, "category", "indicator"):
                while stack and stack[-1].style in INLINE_STYLES:
                    stack.pop()
            if mark.style == "category":
                while stack and stack[-1].style not in ("table", "category"):
                    stack.pop()
            if any(n.style == mark.style for n in stack):
                while stack[-1].style != mark.style:
                    stack.pop()
                stack.pop()
            mark.parent = stack[-1] if stack else None
            if mark.parent:
                mark.parent.children.append(mark)
            stack.append(mark)
        nodes.append(mark)
    for i, node in enumerate(nodes):
        nxt = nodes[i + 1].start if i + 1 < len(nodes) else n_chars
        node.own_end = nxt
        node.end = next((m.start for m in nodes[i + 1 :] if m.depth <= node.depth), n_chars)
    return nodes


def ancestors(item_id: str) -> list[str]:
    """The ids of an item and of every item above it, outermost first: an item's id is its
    parent's, a slash and its label (``二/（三）/一是`` is under ``二/（三）`` and ``二``)."""
    parts = item_id.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _assign_ids(nodes: list[Node]) -> None:
    taken: set[str] = set()
    dash_counts: dict[int, int] = {}
    for node in nodes:
        seg = node.seg
        if node.style == "dash":
            key = id(node.parent)
            dash_counts[key] = dash_counts.get(key, 0) + 1
            seg = f"——{dash_counts[key]}"
        base = f"{node.parent.item_id}/{seg}" if node.parent else seg
        item_id, n = base, 1
        while item_id in taken:
            n += 1
            item_id = f"{base}#{n}"
        taken.add(item_id)
        node.item_id = item_id


# ---------------------------------------------------------------- kinds

_CUES = (
    ("goal", re.compile(r"目标")),
    ("principle", re.compile(r"指导思想|原则|总体要求|总体思路")),
    ("problem", re.compile(r"不足|短板|差距|存在的问题|困难和问题")),
    ("background", re.compile(r"背景|主要成就|面临形势|发展基础")),
)
_FUTURE = re.compile(r"安排|计划|打算|下一步|思路")


def _classify(node: Node, doc_kind: str | None) -> str:
    if node.kind:
        return node.kind
    chain = []
    n: Node | None = node
    while n is not None:
        chain.append(n)
        n = n.parent
    structural = node.style in GROUPING_STYLES and node.children
    if structural:  # a part that groups numbered items; its heading's cue is for them
        return "section"
    for ancestor in chain:
        for kind, cue in _CUES:
            if cue.search(ancestor.heading):
                return kind
    if doc_kind == "annual_report":
        future = any(_FUTURE.search(a.heading) for a in chain)
        return "task" if future else "reported_work"
    parent_kind = node.parent.kind if node.parent else None
    return "measure" if parent_kind in ("task", "measure") else "task"


# ---------------------------------------------------------------- entry point


def parse(doc: Document) -> list[Node]:
    """The items of one document, in document order."""
    lines = _lines(doc.text)
    first = next(
        (i for i, ln in enumerate(lines) if (f := line_label(ln.text)) and f[0] in MAJOR_STYLES),
        len(lines),
    )
    last = len(lines)
    while last > first and _back_kind(lines, last - 1):
        last -= 1
    closing = last - 1
    has_closing = (
        first < closing
        and not line_label(lines[closing].text)
        and _SELF_REFERENCE.search(lines[closing].text)
    )

    front_kinds: list[str] = []
    seen: set[str] = set()
    for i in range(first):
        kind = _front_kind(lines, i, seen)
        front_kinds.append(kind)
        seen.add(kind)
    marks = _special_marks(lines[:first], front_kinds)
    body_end = closing if has_closing else last
    marks += _body_marks(lines[first:body_end])
    if has_closing:
        marks += _special_marks([lines[closing]], ["closing"])
    back = lines[last:]
    marks += _special_marks(
        back, [_back_kind(lines, last + k) or "signature" for k in range(len(back))]
    )

    if marks and marks[0].start > 0:
        marks[0].start = 0  # leading blank space belongs to the first item
    nodes = _build(marks, len(doc.text))
    _assign_ids(nodes)
    for node in nodes:
        node.kind = _classify(node, doc.meta.kind)
    return nodes
