"""Normalise scraped document text while keeping every character tied to the raw file.

The steps, in order (each one an edit of a :class:`Tracked` text):

1. line breaks to ``\\n`` (also form feeds, as text taken from PDFs separates pages, and the
   Unicode line and paragraph separators); HTML source (a scraper's response saved as text)
   to its text: scripts, styles and the head dropped, cells and rows a page leaves open
   closed, blocks and table rows to lines, cells to `` | ``, other tags dropped; HTML
   entities decoded (``&nbsp;``, in any text);
2. pinyin glued after characters removed (``監(jiān)督`` -> ``監督``), real parentheses kept;
3. Traditional -> Simplified (OpenCC ``t2s``; identity on Simplified text);
4. full-width letters, digits and ASCII symbols folded to half-width, odd spaces to a space,
   zero-width and control characters (NUL, backspace ...) dropped, ``??`` runs (lost
   spaces) to a space;
5. garbled spans (mojibake, private-use code points, pinyin fragments) replaced by ``〓``
   and reported;
6. Chinese punctuation made full-width next to Chinese text (``,`` -> ``，``, ``(一)`` ->
   ``（一）``), so later patterns see one form;
7. spaces collapsed, lines stripped;
8. web-page chrome lines (and a PDF's page numbers) removed (patterns in
   ``xref/data/chrome.txt``) and reported, with the lines a paginated text repeats at the
   head or foot of its pages (running headers and footers);
9. a hard-wrapped text (as taken from a PDF, every line broken at the page's width) joined
   back into its paragraphs, then step 6 again for the punctuation pairs it rejoined;
10. runs of blank lines collapsed.
"""

from __future__ import annotations

import html
import re
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, islice

import numpy as np

from xref.labels import line_label
from xref.resources import chrome_patterns
from xref.types import Removed

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN_LETTERS = f"a-z{TONED}"
GARBLE_MARK = "〓"

_PINYIN = re.compile(rf"(?<=[{HAN}])[(（](?=[^)）]*[{TONED}])[{PINYIN_LETTERS}]{{1,7}}[)）]")
_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# control characters are scraping debris (a NUL from a fixed-size buffer, a backspace): no
# output should carry them, and XML cannot
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f]")
_CRLF = re.compile(r"\r\n?")
_RARE_BREAKS = "\x0b\x0c\x85\u2028\u2029"  # looked for first: a class scans slowly
_RARE_BREAK = re.compile(f"[{_RARE_BREAKS}]")
_LOST_SPACE = re.compile(r"\?{2,}")
_HTML_TAGS = (
    "html|head|body|div|p|br|span|table|tbody|thead|tr|td|th|li|ul|ol|h[1-6]|a|b|strong|em|"
    "i|u|font|img|meta|link|title|section|article|center|blockquote|pre|hr|script|style"
)
_HTML_TAG = re.compile(rf"</?(?:{_HTML_TAGS})\b[^<>]*>", re.I)
_HTML_MIN_TAGS = 3  # a text with fewer is not HTML source: 比较符号<p>, a<b stay
_HTML_HIDDEN = re.compile(
    r"<!--.*?-->|<(script|style|head|noscript)\b[^<>]*>.*?</\1\s*>", re.I | re.S
)
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|br|li|tr|h[1-6]|table|ul|ol|section|article|center|blockquote|pre|hr)"
    r"\b[^<>]*>",
    re.I,
)
_HTML_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
# a table row is one line of text whatever line breaks its source has between cells
_HTML_ROW = re.compile(r"<tr\b[^<>]*>.*?</tr\s*>", re.I | re.S)
# a cell spanning columns (a category row of an indicator table) keeps its row's cell count
_HTML_COLSPAN = re.compile(r"<t[dh]\b[^<>]*?\bcolspan\s*=\s*[\"']?(\d{1,2})[^<>]*>", re.I)
# HTML lets a page omit </td>, </th> and </tr>; where these tags start, a cell or row left open
# is closed (the regexes above read closed ones)
_HTML_CELL_OPEN = re.compile(r"<t[dh]\b", re.I)
_HTML_ROW_OPEN = re.compile(r"<tr\b", re.I)
_HTML_ROW_CLOSE = re.compile(r"</tr\s*>|</?t(?:body|head|foot)\b|</table\b", re.I)
_HTML_CLOSES_OPEN = re.compile(r"(?=<t[dhr]\b|</tr\s*>|</?t(?:body|head|foot)\b|</table\b)", re.I)
_HTML_OTHER = re.compile(r"</?[A-Za-z][^<>]*>|<![A-Za-z][^<>]*>")
_HTML_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ANOMALY = re.compile(
    # every anomaly starts with one of these: the lookahead turns Chinese text away before
    # the alternatives are tried (the same matches, 7x faster on the benchmark's texts)
    rf"(?=[\ue000-\uf8ff\ufffd?({PINYIN_LETTERS}\u00c0-\u00efA-Za-z<>^`|~@$])"
    rf"(?:(?P<strong>[\ue000-\uf8ff\ufffd]"  # private use, replacement character
    rf"|[?(]?[{PINYIN_LETTERS}]*[{TONED}][{PINYIN_LETTERS}]*\)"  # orphan pinyin fragment
    rf"|(?<=[{HAN}])\?(?=[{HAN}])"  # a lone ASCII ? inside Chinese text
    r"|(?:[\u00c0-\u00ef][\u0080-\u00bf]){2,})"  # UTF-8 read as Latin-1
    # A stray Latin letter or symbol next to Chinese text is suspect only beside a sure sign
    # (``和A级`` is fine; ``?qū)<疫M行`` is not).
    rf"|(?P<weak>(?<![A-Za-z0-9])[A-Za-z<>^`|~@$](?![A-Za-z0-9])(?=[{HAN}])))"
)
_GARBLE_GAP = 10  # anomalies closer than this belong to one garbled span
_CJK_PUNCT = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_PUNCT_NEAR_HAN = re.compile(rf"(?<=[{HAN}])[,;:!?]|[,;:!?](?=[{HAN}“])")
_PAREN_PAIR = re.compile(r"\(([^()\n]{0,80})\)")
_HAN_CHAR = re.compile(f"[{HAN}]")
_SPACES = re.compile(r" {2,}")
_LINE_EDGE_SPACE = re.compile(r"^ +| +$", re.M)
_BLANK_RUN = re.compile(r"\n{3,}")
_MAJOR_HEADING = re.compile(
    r"^(第[一二三四五六七八九十百]+[章部分节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"
)
_DATE_LIKE = re.compile(r"\d{4}\s*年|\d{4}-\d{1,2}-\d{1,2}|^\d{8}$")
_ORG_END = re.compile(r"(局|委|府|院|厅|办|室|会|部|处|所|中心|公司)$")
# a line repeated at the head or foot of pages is a running header or footer; a text of
# fewer pages does not show what repeats
_RUNNING_MIN_PAGES = 3
_RUNNING_EDGE = 3  # lines at each edge of a page: a header, a footer, a second line of either
_DIGITS = re.compile(r"\d+")
_SHORT_TAIL = 12  # short non-sentence lines next to a footer are page furniture
# text taken from a PDF breaks every line at the page's width; a line that long, not ending a
# sentence, goes on in the next line unless that one is indented or opens with a label
# (:func:`xref.labels.line_label`)
_WRAP_MIN_LINES = 8  # lines of one length before a text counts as hard-wrapped
_WRAP_MIN_WIDTH = 15  # no page is narrower: shorter lines are headings, not the page's width
_WRAP_SHARE = 0.25  # of its non-blank lines, at least this many are full and unfinished
_WRAP_SHORTER = 3  # a full line may be this much shorter (a paragraph's indented first line)
_WRAP_LONGER = 8  # or longer (half-width digits and letters are narrower than Han)
_INDENT_SHARE = 0.8  # of the lines after a paragraph's last, indented: paragraphs open so
_SENTENCE_END = ("。", "！", "？", "；", "：", "…")
_CLOSING_QUOTES = ("”", "」", "’", "』")
_OPENING, _CLOSING = "“「『《（", "”」』》）"


class Tracked:
    """Text plus, for each character, its offset in the raw text."""

    __slots__ = ("offsets", "text")

    def __init__(self, text: str, offsets: array):
        if len(text) != len(offsets):
            raise AssertionError("offsets out of step with text")
        self.text = text
        self.offsets = offsets

    @classmethod
    def from_raw(cls, raw: str) -> Tracked:
        # from numpy's bytes: array("i", range(n)) appends an item at a time
        return cls(raw, array("i", np.arange(len(raw), dtype=np.int32).tobytes()))

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Tracked:
        """Regex substitution; a same-length replacement maps character by character,
        any other replacement maps every new character to the start of the match."""
        text = self.text
        pieces: list[str] = []
        resized: list[tuple[int, int, int]] = []  # (start, end, new length) of each resize
        pos = 0
        for m in pattern.finditer(text):
            s, e = m.span()
            new = repl(m) if callable(repl) else repl
            pieces += (text[pos:s], new)
            if len(new) != e - s:
                resized.append((s, e, len(new)))
            pos = e
        if not pieces:
            return self
        pieces.append(text[pos:])
        # same-length replacements (most: punctuation, spaces) leave every offset in place
        return Tracked("".join(pieces), self._resized(resized) if resized else self.offsets)

    def _resized(self, spans: list[tuple[int, int, int]]) -> array:
        """The offsets once each ``(start, end)`` span holds ``n`` characters instead, each
        mapped to the start of its span."""
        offs = self.offsets
        out, pos = array("i"), 0
        for s, e, n in spans:
            out.extend(offs[pos:s])
            if n:
                anchor = offs[s] if s < len(offs) else (offs[-1] + 1 if offs else 0)
                out.extend([anchor] * n)
            pos = e
        out.extend(offs[pos:])
        return out

    def translate(self, convert: Callable[[str], str]) -> Tracked:
        """Apply a length-preserving conversion, line by line, character by character
        where a line's conversion changes its length."""
        whole = convert(self.text)
        if len(whole) == len(self.text):
            return Tracked(whole, self.offsets)
        lines = []
        for line in self.text.split("\n"):
            new = convert(line)
            if len(new) != len(line):
                new = "".join(c if len(d := convert(c)) != 1 else d for c in line)
            lines.append(new)
        return Tracked("\n".join(lines), self.offsets)

    def splice(self, spans: Iterable[tuple[int, int]], new: str = "") -> Tracked:
        """Replace the given ``[start, end)`` spans (sorted, non-overlapping) by ``new``,
        whose characters map to the start of the span they replace."""
        if not (spans := list(spans)):
            return self
        pieces: list[str] = []
        out, pos = array("i"), 0
        for s, e in spans:
            pieces.append(self.text[pos:s])
            out.extend(self.offsets[pos:s])
            pieces.append(new)
            out.extend([self.offsets[s]] * len(new))
            pos = e
        pieces.append(self.text[pos:])
        out.extend(self.offsets[pos:])
        return Tracked("".join(pieces), out)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets behind the non-empty span ``[start, end)``."""
        return self.offsets[start], self.offsets[end - 1] + 1


class Offsets(Sequence[int]):
    """``offsets[i]``, the raw offset of normalised character ``i``, kept as runs of
    consecutive offsets: a run starts at each edit, so a document costs a few bytes per edit
    instead of four per character (the five seeds: 1,664 runs for 50,263 characters)."""

    __slots__ = ("_n", "_starts", "_values")

    def __init__(self, offsets: array) -> None:
        every = np.frombuffer(offsets, dtype=np.int32)
        starts = np.flatnonzero(np.diff(every, prepend=-2) != 1)  # the first always starts one
        self._n = len(every)
        self._starts = array("i", starts.astype(np.int32).tobytes())
        self._values = array("i", every[starts].tobytes())

    def __len__(self) -> int:
        return self._n

    @property
    def runs(self) -> int:
        return len(self._starts)

    def __getitem__(self, i: int) -> int:  # type: ignore[override]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError("offset index out of range")
        run = bisect_right(self._starts, i) - 1
        return self._values[run] + i - self._starts[run]

    def __iter__(self) -> Iterator[int]:
        if not self._n:
            return
        ends = [*self._starts[1:], self._n]
        for start, end, value in zip(self._starts, ends, self._values, strict=True):
            yield from range(value, value + end - start)


@dataclass(frozen=True)
class Normalized:
    text: str
    offsets: Offsets
    removed: tuple[Removed, ...]


@cache
def _t2s() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """Traditional -> Simplified, as in step 3 (OpenCC ``t2s``)."""
    return _t2s()(text)


def _fold_width(text: str) -> str:
    # a regex finds the few full-width characters faster than str.translate looks up each
    # character of a Chinese text (4x, on the benchmark's corpus)
    return _FULL_WIDTH.sub(lambda m: chr(ord(m.group()) - 0xFEE0), text)


_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


def _cjk_parens(m: re.Match[str]) -> str:
    text, (s, e) = m.string, m.span()
    before = text[s - 1] if s else ""
    after = text[e] if e < len(text) else ""
    if _HAN_CHAR.search(m.group(1) + before + after):
        return f"（{m.group(1)}）"
    return m.group(0)


def _garbled(t: Tracked) -> tuple[Tracked, list[Removed]]:
    clusters: list[list[int]] = []  # [start, end, n_strong]
    for m in _ANOMALY.finditer(t.text):
        s, e = m.span()
        strong = int(m.group("strong") is not None)
        last = clusters[-1] if clusters else None
        if last and s - last[1] < _GARBLE_GAP and "\n" not in t.text[last[1] : s]:
            last[1], last[2] = e, last[2] + strong
        else:
            clusters.append([s, e, strong])
    spans = [(s, e) for s, e, strong in clusters if strong]
    removed = [Removed("garbled", *t.raw_span(s, e), t.text[s:e]) for s, e in spans]
    return t.splice(spans, GARBLE_MARK), removed


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def chrome_lines(lines: list[str]) -> set[int]:
    """Indices of the lines that are web-page chrome."""
    pats = chrome_patterns()
    chrome: set[int] = set()

    def matches(kind: str, line: str) -> bool:
        return any(p.search(line) for p in pats[kind])

    # a footer marker counts only below the last major heading of the body
    last_heading = max((i for i, x in enumerate(lines) if _MAJOR_HEADING.match(x)), default=-1)
    footer = None
    for i, line in enumerate(lines):
        if footer is None and i > last_heading and matches("footer", line):
            footer = i
        if matches("line", line) or matches("footer", line):
            chrome.add(i)
        elif matches("block", line):
            chrome.add(i)
            j = i + 1
            while (
                j < len(lines) and lines[j] and len(lines[j]) < 40 and not lines[j].endswith("。")
            ):
                chrome.add(j)
                j += 1
    if footer is not None:
        chrome.update(range(footer, len(lines)))
        j = footer - 1
        while j >= 0:
            line = lines[j]
            if line and (_ORG_END.search(line) or not _is_page_furniture(line, lines[:j])):
                break
            if line:
                chrome.add(j)
            j -= 1
    return chrome


def _pages(raw: str, line_offsets: list[int]) -> list[int]:
    """The page (counted by the form feeds before it in ``raw``) of each line."""
    breaks = [m.start() for m in re.finditer("\f", raw)]
    return [bisect_right(breaks, offset) for offset in line_offsets]


def running_lines(lines: list[str], pages: list[int], chrome: set[int]) -> set[int]:
    """Indices of the lines a paginated text (a PDF's) repeats at the edge of its pages: a
    running header or footer (the title, the issuer, 第3页), page furniture like a page number.

    A line counts when one text (its digits aside) is among the first or last
    :data:`_RUNNING_EDGE` lines (``chrome`` left out) of at least half the pages. The text's
    first line stays: a running header repeats the title, and the title is the document's."""
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line and i not in chrome:
            by_page.setdefault(pages[i], []).append(i)
    first = next(iter(by_page.values()), [-1])[0]
    at_edge: dict[str, list[int]] = {}
    for own in by_page.values():
        edge = dict.fromkeys(own[:_RUNNING_EDGE] + own[-_RUNNING_EDGE:])
        for i in edge:
            at_edge.setdefault(_DIGITS.sub("#", lines[i]), []).append(i)
    least = max(_RUNNING_MIN_PAGES - 1, len(by_page) / 2)
    return {
        i
        for found in at_edge.values()
        if len({pages[i] for i in found}) >= least
        for i in found
        if i != first
    }


def _is_page_furniture(line: str, earlier: list[str]) -> bool:
    """A line just above a page footer that belongs to the web page, not the document."""
    pats = chrome_patterns()
    if any(p.search(line) for p in pats["line"]):
        return True
    if len(line) >= 8 and any(line in x for x in earlier):
        return True  # the page repeats the title as a link to the attachment
    short = len(line) <= _SHORT_TAIL and not line.endswith("。")
    return short and not _DATE_LIKE.search(line) and not line.startswith("附件")


def _html_to_text(t: Tracked) -> Tracked:
    """The text of HTML source, each character still tied to the raw file; a text with fewer
    than a few tags keeps them. Entities are decoded in any text: scrapers that strip the
    tags often leave them (``&nbsp;``), and an unknown one stays as it is."""
    tags = _HTML_TAG.finditer(t.text) if "<" in t.text else iter(())
    if len(list(islice(tags, _HTML_MIN_TAGS))) == _HTML_MIN_TAGS:
        t = t.sub(_HTML_HIDDEN, "")
        t = _close_open_cells(t)
        t = t.sub(_HTML_ROW, lambda m: m.group(0).replace("\n", " "))
        t = t.sub(_HTML_BLOCK, "\n")
        t = t.sub(_HTML_COLSPAN, lambda m: " | " * max(int(m.group(1)) - 1, 0))
        t = t.sub(_HTML_CELL_END, " | ")
        t = t.sub(_HTML_OTHER, "")
    if "&" not in t.text:
        return t
    return t.sub(_HTML_ENTITY, lambda m: html.unescape(m.group(0)))


def _close_open_cells(t: Tracked) -> Tracked:
    """``</td>`` and ``</tr>`` inserted where a page omits them (zero-width: every other
    character keeps its offset), so a table reads the same either way."""
    text = t.text
    lower = text.lower()
    marks = {
        name: [m.start() for m in pattern.finditer(text)]
        for name, pattern in (
            ("cell", _HTML_CELL_OPEN),
            ("cell_end", _HTML_CELL_END),
            ("row", _HTML_ROW_OPEN),
        )
    }
    if len(marks["cell"]) == len(marks["cell_end"]) and len(marks["row"]) == lower.count("</tr"):
        return t  # every cell and row is closed
    marks["row_end"] = [m.start() for m in _HTML_ROW_CLOSE.finditer(text)]

    def last(name: str, at: int) -> int:
        found = marks[name]
        i = bisect_left(found, at)
        return found[i - 1] if i else -1

    def close(m: re.Match[str]) -> str:
        at = m.start()
        row = max(last("row", at), last("row_end", at))
        cell = last("cell", at)
        missing = "</td>" if cell > max(last("cell_end", at), row) else ""
        ends_row = not (_HTML_CELL_OPEN.match(text, at) or lower.startswith("</tr", at))
        if ends_row and last("row", at) > last("row_end", at):
            missing += "</tr>"  # a row opens, or a table part starts or ends, after an open row
        return missing

    return t.sub(_HTML_CLOSES_OPEN, close)


def normalize(raw: str) -> Normalized:
    """Normalise a raw document text; see the module docstring for the steps."""
    t = Tracked.from_raw(raw)
    t = t.sub(_CRLF, "\n")
    if any(c in t.text for c in _RARE_BREAKS):
        t = t.sub(_RARE_BREAK, "\n")
    t = _html_to_text(t)
    t = t.sub(_PINYIN, "")
    t = t.translate(_t2s())
    t = t.translate(_fold_width)
    t = t.sub(_INVISIBLE, "")
    t = t.sub(_ODD_SPACE, " ")
    t = t.sub(_LOST_SPACE, " ")
    t, removed = _garbled(t)
    t = t.sub(_PUNCT_NEAR_HAN, lambda m: _CJK_PUNCT[m.group(0)])
    t = t.sub(_PAREN_PAIR, _cjk_parens)
    t = t.sub(_SPACES, " ")
    t = t.sub(_LINE_EDGE_SPACE, "")

    lines = t.text.split("\n")
    spans = _line_spans(t.text)
    chrome = chrome_lines(lines)
    if raw.count("\f") + 1 >= _RUNNING_MIN_PAGES:
        starts = [t.offsets[s] if s < len(t.text) else len(raw) for s, _ in spans]
        chrome |= running_lines(lines, _pages(raw, starts), chrome)
    drop = []
    for i in sorted(chrome):
        s, e = spans[i]
        if e > s:
            removed.append(Removed("chrome", *t.raw_span(s, e), lines[i]))
        drop.append((s, min(e + 1, len(t.text))))
    t = t.splice(_merge(drop))
    if (joined := _unwrap(t, raw)) is not t:
        # punctuation is read by the line: a bracket pair the page's edge split is whole now
        t = joined.sub(_PUNCT_NEAR_HAN, lambda m: _CJK_PUNCT[m.group(0)])
        t = t.sub(_PAREN_PAIR, _cjk_parens)
    t = t.sub(_BLANK_RUN, "\n\n")
    t = t.splice(_edge_newlines(t.text))
    removed.sort(key=lambda r: r.raw_start)
    # a text that needed no change is the raw text itself, not a second copy
    return Normalized(raw if t.text == raw else t.text, Offsets(t.offsets), tuple(removed))


def _unwrap(t: Tracked, raw: str) -> Tracked:
    """The paragraphs of a hard-wrapped text (as taken from a PDF) joined back into lines:
    a title, an item's heading or a sentence broken at the page's edge is one line again.
    A text is hard-wrapped when many of its lines have one length and end mid-sentence."""
    lines = t.text.split("\n")
    width = _wrap_width(lines)
    if width is None:
        return t
    shortest, longest = width - _WRAP_SHORTER, width + _WRAP_LONGER
    starts = list(accumulate((len(line) + 1 for line in lines), initial=0))
    indented = [
        bool(line) and _indented(raw, t.offsets[s])
        for line, s in zip(lines, starts[:-1], strict=True)
    ]
    # where paragraphs open indented, a full line goes on into an unindented one even when a
    # sentence ends with the line (…复议零撤销。|加强司法建议…)
    opening = [indented[i] for i in range(1, len(lines)) if 0 < len(lines[i - 1]) < shortest]
    by_indent = len(opening) >= _WRAP_MIN_LINES and sum(opening) >= _INDENT_SHARE * len(opening)
    joins: list[tuple[int, int]] = []
    unclosed = 0  # quotes and brackets the paragraph so far leaves open
    for i, line in enumerate(lines[:-1]):
        if not line:
            continue  # a paragraph that goes on over a page break keeps what it left open
        if not joins or joins[-1][1] != starts[i]:
            unclosed = 0
        unclosed = max(
            0, unclosed + sum(map(line.count, _OPENING)) - sum(map(line.count, _CLOSING))
        )
        if not shortest <= len(line) <= longest or (_finished(line) and not by_indent):
            continue
        end, nxt = starts[i] + len(line), i + 1
        # a paragraph goes on over a page break (a form feed, its page number gone as chrome)
        if (
            not lines[nxt]
            and nxt + 1 < len(lines)
            and lines[nxt + 1]
            and "\f" in raw[t.offsets[end - 1] : t.offsets[starts[nxt + 1]]]
        ):
            nxt += 1
        following = lines[nxt]
        # inside a quote a label is no label: 推动“多证合|一、一照一码”
        if following and (unclosed or line_label(following) is None) and not indented[nxt]:
            joins.append((end, starts[nxt]))
    # two words of Latin letters keep a space where the line broke (a layout breaks lines
    # between Latin words, but anywhere in Chinese, and in a number: 20|21)
    text = t.text
    spaced = [(s, e) for s, e in joins if _latin(text[s - 1]) and _latin(text[e])]
    t = t.splice([(s, s + 1) for s, _ in spaced], " ")  # one character for one
    cuts = [(s + 1, e) if (s, e) in spaced else (s, e) for s, e in joins]
    return t.splice([(s, e) for s, e in cuts if e > s])


def _finished(line: str) -> bool:
    """Whether a line ends a sentence: a closing quote does only after the sentence's own end
    (。” ends one, 通过“屏对屏” broken at the page's edge goes on)."""
    return line.rstrip("".join(_CLOSING_QUOTES)).endswith(_SENTENCE_END)


def _latin(c: str) -> bool:
    return c.isascii() and c.isalpha()


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text breaks its lines at, or None for a text that is not."""
    lengths = Counter(len(line) for line in lines if len(line) >= _WRAP_MIN_WIDTH)
    if not lengths:
        return None
    width, n = max(lengths.items(), key=lambda kv: (kv[1], kv[0]))
    if n < _WRAP_MIN_LINES:
        return None
    unfinished = sum(
        width - _WRAP_SHORTER <= len(line) <= width + _WRAP_LONGER and not _finished(line)
        for line in lines
    )
    return width if unfinished >= _WRAP_SHARE * sum(1 for line in lines if line) else None


def _indented(raw: str, offset: int) -> bool:
    """Whether the raw line holding ``offset`` has blank space before it (a new paragraph)."""
    start = max(raw.rfind("\n", 0, offset), raw.rfind("\r", 0, offset)) + 1
    before = raw[start:offset].replace("\f", "")  # a form feed starts a page, not a paragraph
    return bool(before) and not before.strip()


def _edge_newlines(text: str) -> list[tuple[int, int]]:
    """The line breaks that open and close ``text``, as spans (a regex for them tries every
    line break in between)."""
    lead, trail = len(text) - len(text.lstrip("\n")), len(text) - len(text.rstrip("\n"))
    if lead == len(text):
        return [(0, len(text))] if text else []
    return [(s, e) for s, e in ((0, lead), (len(text) - trail, len(text))) if e > s]


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out
