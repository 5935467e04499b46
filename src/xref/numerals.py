"""Chinese numerals as written in official documents (十四五, 二十八, 二〇二二)."""

from __future__ import annotations

import re

DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)
# a count, an ordinal or a list's enumerator: 十九, 第三, 三个, 一次, 万户, 一是, 三大; not 两会,
# 第三方 or 两品 (两品一械), whose last character makes them a name
_NUMBER_WORD = re.compile(
    rf"第?[{NUMERAL_CHARS}万亿]+[个次种类项件条批届年级道套步支张章节款户家场期台是大]?"
)


def is_number_word(word: str) -> bool:
    """Whether a word says how many or which one, not what: ``"二十八"``, ``"第一"``,
    ``"三个"``, ``"一是"``."""
    return _NUMBER_WORD.fullmatch(word) is not None


def cn_to_int(text: str) -> int:
    """``"二十八"`` -> 28, ``"十"`` -> 10, ``"一百零五"`` -> 105, ``"二〇二二"`` -> 2022.

    Raises ``ValueError`` for anything else.
    """
    if not text or any(c not in DIGITS and c not in UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(c in UNITS for c in text):  # digit by digit, as in years: 二〇二二
        return int("".join(str(DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        else:
            total += (1 if digit is None else digit) * UNITS[c]
            digit = None
    return total + (digit or 0)


def int_to_cn(n: int) -> str:
    """``28`` -> ``"二十八"``, ``10`` -> ``"十"``, ``105`` -> ``"一百零五"``: numbers below 1000 as
    a list numbers its parts (一、…十一、); others as Arabic digits."""
    digits = "〇一二三四五六七八九"
    if not 0 < n < 1000:
        return str(n)
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    out = f"{digits[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (digits[ones] if ones else "")
