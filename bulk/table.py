"""Reading an uploaded sheet: CSV (UTF-8, with or without a BOM, ";" or "," between cells) or XLSX.

A file is checked before anything parses it: its size, that its bytes are what its extension says, and for
XLSX (a zip archive) the sizes and ratios of its parts, so that a zip bomb is refused before openpyxl inflates
it. Every refusal is a ``FileRefused`` (a 4xx with a translated message); nothing is stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from registry.core.errors import DomainError
from registry.core.i18n import _l, nfc
from trace.fsma.files import FORMULA_START

# An XLSX part may inflate at most this much, and all parts together at most this many bytes.
MAX_RATIO = 100
MAX_UNPACKED = 200 * 1024 * 1024
MAX_PARTS = 500
MAX_ROWS = 200_000
MAX_COLUMNS = 60
ZIP_MAGIC = b"PK\x03\x04"


class FileRefused(DomainError):
    """The file as a whole cannot be read; ``status_code`` says why (400, 413 or 415)."""

    def __init__(self, message: Any, status: int = 400) -> None:
        super().__init__(message, {"file": [message]})
        self.status_code = status


@dataclass
class Sheet:
    """One sheet: its header cells as written, and its data rows with their row numbers (the header is row 1)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)


def extension(filename: str) -> str:
    name = (filename or "").lower()
    return name.rsplit(".", 1)[-1] if "." in name else ""


def check_size(data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise FileRefused(
            _l("The file is larger than %(mb)s MB; split it into smaller files.", mb=round(limit / 1024 / 1024, 1)),
            413,
        )
    if not data:
        raise FileRefused(_l("The file is empty."))


def read_sheets(data: bytes, filename: str) -> list[Sheet]:
    """Every sheet of the file: one for CSV; each worksheet for XLSX, in order."""
    ext = extension(filename)
    if ext == "csv":
        return [read_csv(data)]
    if ext == "xlsx":
        return read_xlsx(data)
    raise FileRefused(_l("Send a .csv or .xlsx file."), 415)


def unquote_cell(value: Any) -> Any:
    """Undo the formula guard of our exports: one apostrophe before a formula character is dropped."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def read_csv(data: bytes) -> Sheet:
    if data.startswith(ZIP_MAGIC) or b"\x00" in data[:4096]:
        raise FileRefused(_l("This file is not a CSV text file, whatever its name says."), 415)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(_l("The CSV file is not UTF-8 text: save it as “CSV UTF-8” and try again."), 415) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        raise FileRefused(_l("The CSV file is malformed (an unclosed quote?).")) from None
    if not lines:
        raise FileRefused(_l("The file is empty."))
    if len(lines) > MAX_ROWS + 1:
        raise FileRefused(_l("At most %(n)s rows per file.", n=MAX_ROWS), 413)
    sheet = Sheet(name="", headers=[nfc(h) or "" for h in lines[0]])
    for number, cells in enumerate(lines[1:], start=2):
        if any(c.strip() for c in cells):
            sheet.rows.append((number, [unquote_cell(c) for c in cells]))
    return sheet


def _check_zip(data: bytes) -> None:
    if not data.startswith(ZIP_MAGIC):
        raise FileRefused(_l("This file is not an Excel workbook (.xlsx), whatever its name says."), 415)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_l("This file is not an Excel workbook (.xlsx), whatever its name says."), 415) from None
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise FileRefused(_l("This file is not an Excel workbook (.xlsx), whatever its name says."), 415)
    total = 0
    bomb = _l("The workbook expands to far more than its size (a zip bomb?); it was not opened.")
    if len(infos) > MAX_PARTS:
        raise FileRefused(bomb, 413)
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_UNPACKED or total > MAX_UNPACKED:
            raise FileRefused(bomb, 413)
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise FileRefused(bomb, 413)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, str):
        return unquote_cell(value)
    return value


def read_xlsx(data: bytes) -> list[Sheet]:
    _check_zip(data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(_l("The workbook cannot be read; open it in Excel and save it again.")) from None
    sheets = []
    try:
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            header = next(rows, None)
            sheet = Sheet(name=ws.title, headers=[nfc(str(h)) if h is not None else "" for h in header or ()])
            for number, cells in enumerate(rows, start=2):
                if len(sheet.rows) > MAX_ROWS:
                    raise FileRefused(_l("At most %(n)s rows per file.", n=MAX_ROWS), 413)
                if any(c not in (None, "") for c in cells):
                    sheet.rows.append((number, [_cell(c) for c in cells]))
            sheets.append(sheet)
    finally:
        book.close()
    if not sheets:
        raise FileRefused(_l("The file is empty."))
    return sheets
