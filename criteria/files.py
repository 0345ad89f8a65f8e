"""What a clerk's file really is, and why it cannot be read or written — in Vietnamese.

Library messages (“File is not a zip file”, “'utf-8' codec can't decode byte 0xd0”,
“No such file or directory”) never reach the user: each reader asks here for the words.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import itertools
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from criteria.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# What one input file may hold. Real files are far below: 11 000 communes × 150 criteria is a
# 10 MB CSV; a self-assessment workbook is 40 KB zipped, 400 KB unzipped.
MAX_CSV_BYTES = 100 * 1024 * 1024
MAX_CSV_ROWS = 200_000
MAX_CELL_CHARS = 100_000  # below the csv module's own 131 072, which it reports in English
MAX_XLSX_UNZIPPED = 100 * 1024 * 1024
MAX_XLSX_RATIO = 300  # a zip member expanding more than this is a zip bomb, not a worksheet
MAX_SHEET_ROWS = 200_000
MAX_SHEET_COLUMNS = 2_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARK_CONTROL = bytes(0 if _CONTROL.match(chr(byte)) else 1 for byte in range(256))  # control byte → 0
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)?")  # one line and its end (\n, \r or \r\n); "" past the last
_BLOCK = 1 << 18  # characters (or bytes) of a CSV looked at at a time
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines breaks, besides \n and \r
_NOT_NEWLINE = re.compile(r"[^\r\n]")
_LINE_BREAK = re.compile(f"[\n\r{_OTHER_BREAKS}]")  # where str.splitlines breaks

_ERRNO_VI = {
    errno.ENOENT: "thư mục hoặc tệp không tồn tại",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EISDIR: "đây là một thư mục, cần tên tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EEXIST: "một phần của đường dẫn là tệp, không phải thư mục",  # mkdir over a file
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def os_reason(exc: OSError) -> str:
    """An ``OSError`` in Vietnamese (the system's own words only when no translation is known)."""
    return _ERRNO_VI.get(exc.errno or -1) or (exc.strerror or str(exc))


def file_kind(path: str | Path) -> str:
    """What the bytes say: ``xlsx``, ``docx``, ``zip``, ``xls`` (old Office), ``text`` or ``binary``."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError:
        return "unreadable"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "binary"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    return "text" if b"\x00" not in head else "binary"


_KIND_VI = {
    "xlsx": "tệp Excel (.xlsx)",
    "docx": "tệp Word (.docx)",
    "zip": "tệp nén .zip",
    "xls": "tệp Office đời cũ (.xls/.doc)",
    "text": "tệp văn bản (có thể là CSV)",
    "binary": "tệp hỏng hoặc không phải tệp Office",
}


def not_a(path: str | Path, wanted: str) -> str:
    """Why ``path`` is not a ``wanted`` file (``xlsx`` or ``docx``): what it really is, and what to do."""
    kind = file_kind(path)
    if Path(path).is_dir():
        return "đây là một thư mục, cần một tệp"
    label = {"xlsx": "tệp Excel .xlsx", "docx": "tệp Word .docx"}[wanted]
    if kind == wanted:  # the right container, broken inside
        return f"{label} bị hỏng hoặc không đầy đủ; mở và lưu lại bằng Excel/LibreOffice"
    if kind == "xls":
        return f"đây là {_KIND_VI[kind]}, không phải {label}; mở và “Lưu thành” {label}"
    return f"đây là {_KIND_VI.get(kind, 'tệp không đọc được')}, không phải {label}"


def decode_problem(data: bytes, exc: UnicodeDecodeError) -> tuple[str, str]:
    """(place, message) for text that is not UTF-8: the line, and the likely cause."""
    line = data.count(b"\n", 0, exc.start) + 1
    return (f"dòng {line}", "tệp không phải văn bản UTF-8 (có thể lưu bằng mã Windows-1258/ANSI); "
                            "hãy lưu lại dạng “CSV UTF-8 (phân cách bằng dấu phẩy)”")


def read_csv_text(path: str | Path, error: type) -> str:
    """A CSV file's text, or ``error`` (an ``InputError`` class) saying in one line why not:
    missing, a folder, an Excel/Word file named .csv, not UTF-8 (with the line), empty, or
    columns split by semicolons."""
    return _read_csv(path, error)[1]


def _read_csv(path: str | Path, error: type) -> tuple[bytes, str]:
    """``read_csv_text``, with the file's bytes too (the table parser reads those: far cheaper than
    handing it the text)."""
    name = str(path)
    try:
        if Path(path).stat().st_size > MAX_CSV_BYTES:
            raise error.single(name, "", f"tệp quá lớn (tối đa {MAX_CSV_BYTES // 1024 // 1024} MB)")
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise error.single(name, "", "không tìm thấy tệp") from None
    except OSError as exc:
        raise error.single(name, "", f"không đọc được tệp ({os_reason(exc)})") from None
    kind = file_kind(path)
    if kind not in ("text", "unreadable"):
        raise error.single(name, "", f"đây là {_KIND_VI[kind]}, không phải tệp CSV; "
                                     "hãy đổi đuôi tệp cho đúng hoặc lưu lại dạng CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        place, message = decode_problem(data, exc)
        raise error.single(name, place, message) from None
    if not text or text.isspace():  # what ``not text.strip()`` says, without copying the text
        raise error.single(name, "", "tệp trống; cần dòng tiêu đề và các dòng số liệu")
    control = _first_control(data)
    if control >= 0:
        line = data.count(b"\n", 0, control) + 1
        raise error.single(name, f"dòng {line}", f"ký tự điều khiển không được phép (mã U+{data[control]:04X}); "
                                                 "hãy xóa ký tự này hoặc lưu lại dạng CSV UTF-8")
    start = _NOT_NEWLINE.search(text).start()  # type: ignore[union-attr]  # not all white space: found
    end = _LINE_BREAK.search(text, start)
    header = text[start:end.start() if end else len(text)]  # text.lstrip("\r\n").splitlines()[0]
    if ";" in header and "," not in header:
        raise error.single(name, "dòng 1", "các cột phân cách bằng dấu chấm phẩy (;); cần dấu phẩy — "
                                           "hãy lưu lại dạng “CSV UTF-8 (phân cách bằng dấu phẩy)”")
    return data, text


def _first_control(data: bytes) -> int:
    """Where the first control character is in UTF-8 ``data``, or -1. Searched in the bytes: a byte
    below 0x80 is only ever that character (every byte of a longer character is 0x80 or above).
    64 KiB at a time, so the marked copy stays in the processor's cache."""
    step = 1 << 16
    for start in range(0, len(data), step):
        found = data[start:start + step].translate(_MARK_CONTROL).find(0)
        if found >= 0:
            return start + found
    return -1


def csv_header(text: str) -> list[str]:
    """The first record of a CSV text as ``csv.reader`` reads it (a quoted cell may run over
    lines), reading only the lines it needs rather than the whole text."""
    lines = (found.group() for found in _LINE.finditer(text))  # what StringIO(text, newline="") yields
    return next(csv.reader(itertools.takewhile(bool, lines)), [])


def _csv_lines(text: str) -> Iterable[str]:
    """The lines ``io.StringIO(text, newline="")`` yields (each ending in \\n, \\r or \\r\\n), a
    block at a time: that StringIO copies the whole text four bytes a character. ``splitlines``
    also breaks at a few other characters; a text holding any of them is left to StringIO."""
    if any(ch in text for ch in _OTHER_BREAKS):
        yield from io.StringIO(text, newline="")
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start + _BLOCK) + 1 or len(text)  # blocks end after a \n: a \r\n stays whole
        yield from text[start:end].splitlines(keepends=True)
        start = end


def shape_plainly_fine(data: bytes, start: int = 0) -> bool:
    """True when ``check_csv_shape`` surely finds nothing in the UTF-8 CSV ``data[start:]``, seen from
    its bytes with numpy (a fraction of the row-by-row reading); False means: read it row by row.

    Plainly fine: no NUL; every \\r followed by \\n; at most ``MAX_CSV_ROWS`` line ends; no line longer
    than ``MAX_CELL_CHARS`` bytes; every quote opens a field (after a comma or at a line's start) and
    the next quote closes it, on the same line, before a comma or the line's end. Then every record
    is one line, its cells are the line's pieces between the commas outside quotes (no cell longer
    than the line), and no line may have more of them than the first.
    """
    if b"\x00" in data:
        return False
    carriage_returns = b"\r" in data
    width, line_ends = None, 0
    block_start = start
    while block_start < len(data):  # blocks of whole lines: the arrays stay small, in the processor's cache
        block_end = data.find(b"\n", block_start + _BLOCK) + 1 or len(data)
        block = np.frombuffer(data, np.uint8, block_end - block_start, block_start)
        if carriage_returns and not _returns_before_newlines(block):
            return False
        fields = _line_fields(block)
        if fields is None:
            return False
        if width is None:
            width = int(fields[0])
        if int(fields.max(initial=0)) > width:  # (the first line is the header: not above itself)
            return False
        line_ends += len(fields) - 1
        block_start = block_end
    return line_ends <= MAX_CSV_ROWS


def _returns_before_newlines(block: np.ndarray) -> bool:
    returns = np.flatnonzero(block == 13)
    return not len(returns) or (int(returns[-1]) + 1 < len(block) and bool(np.all(block[returns + 1] == 10)))


def _line_fields(block: np.ndarray) -> np.ndarray | None:
    """How many cells each line of ``block`` (whole lines, \\r only before \\n) has, or ``None`` when
    a line is too long or a quote stands where it would not simply enclose one cell of one line."""
    ends = np.flatnonzero(block == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(block)]))
    lengths = stops - starts
    stops = stops - ((lengths > 0) & (block[np.maximum(stops - 1, 0)] == 13))  # without a \r before the \n
    lengths = stops - starts
    if int(lengths.max()) > MAX_CELL_CHARS:
        return None
    commas = np.flatnonzero(block == 44)
    per_line = np.searchsorted(commas, stops) - np.searchsorted(commas, starts)
    quotes = np.flatnonzero(block == 34)
    if len(quotes):
        if len(quotes) % 2:
            return None
        opens, closes = quotes[0::2], quotes[1::2]
        before = block[np.maximum(opens - 1, 0)]
        after = block[np.minimum(closes + 1, len(block) - 1)]
        line = np.searchsorted(ends, opens)
        if not (np.all((opens == 0) | (before == 44) | (before == 10))
                and np.all((closes == len(block) - 1) | (after == 44) | (after == 10) | (after == 13))
                and np.array_equal(line, np.searchsorted(ends, closes))):
            return None
        inside = np.searchsorted(commas, closes) - np.searchsorted(commas, opens)
        per_line = per_line - np.bincount(line, weights=inside, minlength=len(starts)).astype(np.int64)
    return np.where(lengths > 0, per_line + 1, 0)


def check_csv_shape(text: str, name: str, error: type) -> None:
    """Refuse rows longer than the header, too many rows, and cells too long — each with its line."""
    rows = csv.reader(_csv_lines(text))
    try:
        width = len(next(rows, []))
        for count, row in enumerate(rows, 1):
            if count > MAX_CSV_ROWS:
                raise error.single(name, f"dòng {rows.line_num}", f"quá nhiều dòng (tối đa {MAX_CSV_ROWS:,})".replace(",", "."))
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                raise error.single(name, f"dòng {rows.line_num}",
                                   f"có {len(row)} ô, dòng tiêu đề có {width} cột; ô có dấu phẩy phải đặt trong "
                                   "dấu ngoặc kép (\"0,5\")")
            if max(map(len, row), default=0) > MAX_CELL_CHARS:  # any cell too long (map: no Python call per cell)
                message = f"một ô dài quá {MAX_CELL_CHARS:,} ký tự".replace(",", ".") + " (có thể thiếu dấu ngoặc kép đóng)"
                raise error.single(name, f"dòng {rows.line_num}", message)
    except csv.Error:  # a cell past the csv module's own limit, or a stray NUL
        message = (f"một ô dài quá {MAX_CELL_CHARS:,} ký tự".replace(",", ".")
                   + " hoặc không đọc được (có thể thiếu dấu ngoặc kép đóng)")
        raise error.single(name, f"dòng {max(rows.line_num, 1)}", message) from None


def xlsx_problem(path: str | Path) -> str | None:
    """Why a workbook must not be opened, or ``None``: a damaged zip, a member that is not
    deflated or stored, or sizes that only a zip bomb has (checked from the zip's directory,
    before anything is unzipped)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # not a zip at all: the reader says what the file is (``not_a``)
    total = 0
    for member in members:
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return "tệp Excel dùng kiểu nén lạ; mở và lưu lại bằng Excel/LibreOffice"
        total += member.file_size
        if member.file_size > max(MAX_XLSX_RATIO * member.compress_size, 4 * 1024 * 1024):
            return f"tệp Excel bất thường: phần “{member.filename}” giải nén lớn gấp hơn {MAX_XLSX_RATIO} lần (tệp nén độc hại?)"
    if total > MAX_XLSX_UNZIPPED:
        return f"tệp Excel quá lớn khi giải nén (tối đa {MAX_XLSX_UNZIPPED // 1024 // 1024} MB)"
    return None


def sheet_problem(ws: object) -> tuple[str, str] | None:
    """(place, message) when a worksheet reaches too far (one stray cell at A1000000 makes every
    loop over its rows take minutes), else ``None``."""
    rows, columns = ws.max_row, ws.max_column  # type: ignore[attr-defined]
    if rows > MAX_SHEET_ROWS or columns > MAX_SHEET_COLUMNS:
        from openpyxl.utils import get_column_letter  # openpyxl: loaded only by the workbook readers

        message = (f"trang tính kéo dài tới dòng {rows}, cột {columns} (tối đa {MAX_SHEET_ROWS} dòng, "
                   f"{MAX_SHEET_COLUMNS} cột); hãy xóa các ô thừa ở cuối trang tính")
        return f"sheet {ws.title}, ô {get_column_letter(columns)}{rows}", message  # type: ignore[attr-defined]
    return None


def csv_parse_problem(exc: Exception) -> tuple[str, str]:
    """(place, message) for a CSV the parser refused (pandas' words are English)."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if found:
        expected, line, saw = found.groups()
        return (f"dòng {line}", f"có {saw} cột, dòng tiêu đề có {expected} cột; ô có dấu phẩy "
                                "phải đặt trong dấu ngoặc kép (\"0,5\")")
    return ("", "không đọc được bảng CSV (cần UTF-8, dấu phẩy phân cách, ô có dấu phẩy trong ngoặc kép)")


def read_csv_frame(path: str | Path, error: type, **options: object) -> tuple[pd.DataFrame, str]:
    """A CSV as a frame of text cells, and its text; every problem as ``error`` in Vietnamese.

    A row longer than the header is refused (pandas would quietly turn the first column into the
    index and shift every value one column left); trailing empty cells are dropped.
    """
    import pandas as pd  # pandas: loaded only to read a CSV table, never to score one YAML unit

    name = str(path)
    data, text = _read_csv(path, error)
    bom = 3 if data.startswith(codecs.BOM_UTF8) else 0  # as "utf-8-sig" decoded the text
    if not shape_plainly_fine(data, bom):
        check_csv_shape(text, name, error)
    source = io.BytesIO(data)  # the bytes, not the text: the parser reads UTF-8 (half the time, half the memory)
    source.seek(bom)
    try:
        with warnings.catch_warnings():  # the empty cells past the header, dropped
            warnings.simplefilter("ignore")
            frame = pd.read_csv(source, encoding="utf-8", dtype=str, keep_default_na=False, index_col=False,
                                **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise error.single(name, *csv_parse_problem(exc)) from None
    return frame, text


def refuse_overwriting(output: Path | None, inputs: Iterable[Path | None], option: str = "--output") -> None:
    """Refuse an output that is one of the command's own input files (it would be overwritten)."""
    if output is None:
        return
    target = Path(output).resolve()
    for source in inputs:
        if source is None:
            continue
        same = Path(source).resolve() == target
        if not same and target.exists() and Path(source).exists():
            same = target.samefile(source)
        if same:
            raise InputError.single(str(output), "", f"{option} trùng với tệp đầu vào “{source}”: "
                                                     "tệp đầu vào sẽ bị ghi đè; hãy chọn tên tệp khác")


def need_suffix(path: Path, suffix: str, option: str) -> None:
    """Refuse an output file whose extension does not say what will be written into it."""
    if path.suffix.lower() != suffix:
        raise InputError.single("", "", f"{option} cần tên tệp {suffix}, nhận được “{path}”")
