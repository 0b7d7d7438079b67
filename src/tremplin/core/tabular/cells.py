"""Cells as people type them: numbers, amounts, dates, yes/no, and formula-looking text.

Every parser takes the cell's text and returns a value, ``None`` for an empty cell, or raises
``ValueError`` (the caller words the French reason, naming the column).
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from tremplin.core.text import fold

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
YES = {"oui", "o", "yes", "y", "1", "x", "vrai", "true", "v"}
NO = {"non", "n", "no", "0", "faux", "false", "f", ""}
# Excel counts days from 1899-12-30 (its 1900 leap-year bug included); 10,000 is 1927-05-18,
# 100,000 is 2173: anything outside is not a date typed in this century's spreadsheets.
EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_SERIALS = (10_000, 100_000)


def cell_text(value) -> str:
    """A cell read from a workbook as the text a person would see, never evaluated.

    A formula comes as its text (``"=SUM(A1:A3)"``): it is kept as text, never computed. The
    apostrophe that an export puts before such text (see ``neutralise``) is taken off again.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def looks_like_formula(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_PREFIXES[:4]) and not _is_number(text)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?\d+([.,]\d+)?", _SPACES.sub("", text)))


def neutralise(value):
    """A value safe to write in an exported CSV or XLSX cell: text that a spreadsheet would run
    as a formula gets an apostrophe in front (shown as text, and taken off again on import).
    Numbers stay numbers; negative numbers typed as text stay readable."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _is_number(value):
        return "'" + value
    return value


def parse_int(text: str) -> int | None:
    """``"12"``, ``"12.0"``, ``"12,0"``, ``"1 200"`` → int; ``""`` → None; else ValueError."""
    cleaned = _SPACES.sub("", text or "")
    if not cleaned:
        return None
    if re.fullmatch(r"[-+]?\d+", cleaned):
        return int(cleaned)
    match = re.fullmatch(r"([-+]?\d+)[.,]0+", cleaned)
    if match:
        return int(match.group(1))
    raise ValueError(text)


def parse_amount(text: str) -> Decimal | None:
    """Money as typed in Québec or elsewhere: ``"1 234,56 $"``, ``"1234.56"``, ``"$1,234.56"``,
    ``"255 000 $"`` → Decimal (two places); ``""`` → None; else ValueError.

    With both separators, the last one is the decimal mark; a lone comma is a decimal mark
    (French), unless it groups exactly three digits after a one-to-three digit start
    (``"1,234"`` is a thousand)."""
    if not (text or "").strip():
        return None
    cleaned = _SPACES.sub("", text.replace("$", "").replace("CAD", ""))
    if not re.fullmatch(r"[-+]?[\d.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise ValueError(text)
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif cleaned.count(",") == 1 and not re.fullmatch(r"[-+]?\d{1,3},\d{3}", cleaned):
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", "")
    if cleaned.count(".") > 1:
        raise ValueError(text)
    try:
        return Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError(text) from None


_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(text: str) -> dt.date | None:
    """``"2009-06-06"``, ``"06/06/2009"`` (day first, as written in Québec), Excel's serial
    numbers (``"39970"``) → date; ``""`` → None; else ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    match = _ISO.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _DMY.match(text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise ValueError(text) from None
    serial = re.fullmatch(r"(\d{5})(?:[.,]\d+)?", text)
    if serial and EXCEL_SERIALS[0] <= int(serial[1]) <= EXCEL_SERIALS[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(serial[1]))
    raise ValueError(text)


def parse_bool(text: str) -> bool:
    """oui/non, o/n, x, 1/0, vrai/faux (an empty cell is no); else ValueError."""
    value = fold(text).strip(" .")
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(text)
