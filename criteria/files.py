"""What a clerk's file really is, and why it cannot be read or written — in Vietnamese.

Library messages (“File is not a zip file”, “'utf-8' codec can't decode byte 0xd0”,
“No such file or directory”) never reach the user: each reader asks here for the words.
"""

from __future__ import annotations

import csv
import errno
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from criteria.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

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
    name = str(path)
    try:
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
    if not text.strip():
        raise error.single(name, "", "tệp trống; cần dòng tiêu đề và các dòng số liệu")
    header = text.lstrip("\r\n").splitlines()[0]
    if ";" in header and "," not in header:
        raise error.single(name, "dòng 1", "các cột phân cách bằng dấu chấm phẩy (;); cần dấu phẩy — "
                                           "hãy lưu lại dạng “CSV UTF-8 (phân cách bằng dấu phẩy)”")
    return text


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
    text = read_csv_text(path, error)
    rows = csv.reader(io.StringIO(text, newline=""))
    width = len(next(rows, []))
    for row in rows:
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise error.single(name, f"dòng {rows.line_num}",
                               f"có {len(row)} ô, dòng tiêu đề có {width} cột; ô có dấu phẩy phải đặt trong "
                               "dấu ngoặc kép (\"0,5\")")
    try:
        with warnings.catch_warnings():  # the empty cells past the header, dropped
            warnings.simplefilter("ignore")
            frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False, index_col=False,
                                **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise error.single(name, *csv_parse_problem(exc)) from None
    return frame, text


def need_suffix(path: Path, suffix: str, option: str) -> None:
    """Refuse an output file whose extension does not say what will be written into it."""
    if path.suffix.lower() != suffix:
        raise InputError.single("", "", f"{option} cần tên tệp {suffix}, nhận được “{path}”")
