"""Digits both ways (Persian, Arabic-Indic, ASCII); imports nothing of the project, so core/errors.py
and core/text.py can both use it without importing each other."""

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_ASCII_DIGITS = "0123456789"

TO_ASCII_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, _ASCII_DIGITS * 2)
TO_PERSIAN_DIGITS = str.maketrans(_ASCII_DIGITS + _ARABIC_DIGITS, _PERSIAN_DIGITS * 2)


def to_persian_digits(s: str) -> str:
    """ASCII and Arabic-Indic digits as Persian digits, for display in Persian pages."""
    return s.translate(TO_PERSIAN_DIGITS)


def to_ascii_digits(s: str) -> str:
    """Persian and Arabic-Indic digits as ASCII digits, for parsing and storing."""
    return s.translate(TO_ASCII_DIGITS)


def range_pattern(low: int, high: int, width: int) -> str:
    """A regular expression (no anchors) matching exactly the whole numbers low..high written with
    `width` digits (zero-padded), each digit ASCII, Persian or Arabic-Indic: what `to_ascii_digits`
    then `int` reads as a number in the range. The API's schema states such ranges for values that
    are text (a year in Persian digits, a month "1405/08"), so the schema and the check agree."""
    assert 0 <= low <= high < 10**width, (low, high, width)

    def one(a: str, b: str) -> str:  # the digits a..b in the three scripts, as one character class
        i, j = int(a), int(b)
        scripts = (_ASCII_DIGITS, _PERSIAN_DIGITS, _ARABIC_DIGITS)
        return "[" + "".join(f"{s[i]}-{s[j]}" if i < j else s[i] for s in scripts) + "]"

    def spans(lo: str, hi: str) -> list[str]:
        if not lo:
            return [""]
        n, head, tail = len(lo) - 1, [], []
        first, last = int(lo[0]), int(hi[0])
        if lo[0] == hi[0] and not (lo[1:] == "0" * n and hi[1:] == "9" * n):
            return [one(lo[0], lo[0]) + rest for rest in spans(lo[1:], hi[1:])]
        if lo[1:] != "0" * n:
            head = [one(lo[0], lo[0]) + rest for rest in spans(lo[1:], "9" * n)]
            first += 1
        if hi[1:] != "9" * n:
            tail = [one(hi[0], hi[0]) + rest for rest in spans("0" * n, hi[1:])]
            last -= 1
        middle = [one(str(first), str(last)) + one("0", "9") * n] if first <= last else []
        return head + middle + tail

    return "(?:" + "|".join(spans(f"{low:0{width}d}", f"{high:0{width}d}")) + ")"
