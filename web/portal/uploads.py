"""Evidence files, checked by what they contain, not by their name.

Allowed: PDF, Word (DOC/DOCX), Excel (XLS/XLSX), JPEG and PNG. The kind is read from the first
bytes (and, for DOCX/XLSX, from the zip's directory); the name's extension must agree with it, so
an .exe renamed .pdf, or a zip renamed .docx, is refused with a Vietnamese message. Files larger
than ``settings.PARINDEX_UPLOAD_LIMIT`` (20 MB unless configured) are refused before reading them.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings

from criteria.numbers import format_vn

DEFAULT_LIMIT = 20 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]
    inline: bool  # PDF and images may be shown in the page


PDF = Kind("PDF", "application/pdf", (".pdf",), True)
JPEG = Kind("ảnh JPG", "image/jpeg", (".jpg", ".jpeg"), True)
PNG = Kind("ảnh PNG", "image/png", (".png",), True)
DOCX = Kind("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), False)
XLSX = Kind("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), False)
OLE = Kind("Word/Excel (DOC/XLS)", "application/octet-stream", (".doc", ".xls"), False)
ALLOWED_WORDS = "PDF, DOC, DOCX, XLS, XLSX, JPG, PNG"


class UploadRefused(ValueError):
    """A file that is not accepted; the message is Vietnamese and names the file."""


def upload_limit() -> int:
    return int(getattr(settings, "PARINDEX_UPLOAD_LIMIT", DEFAULT_LIMIT))


def _megabytes(size: int) -> str:
    return format_vn(Decimal(size) / Decimal(1024 * 1024), 1, trim=True)


def sniff(head: bytes, data_for_zip: bytes | None = None) -> Kind | None:
    """The kind of a file from its first bytes (``data_for_zip``: the whole file, for zips)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(OLE2):
        return OLE
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data_for_zip)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    return None


def check_upload(name: str, size: int, data: bytes) -> Kind:
    """The file's ``Kind`` if it may be stored; raises ``UploadRefused`` otherwise."""
    shown = PurePath(name).name or "tệp"
    limit = upload_limit()
    if size > limit:
        raise UploadRefused(f"“{shown}”: tệp {_megabytes(size)} MB vượt giới hạn {_megabytes(limit)} MB một tệp.")
    if size == 0:
        raise UploadRefused(f"“{shown}”: tệp rỗng.")
    kind = sniff(data[:16], data)
    if kind is None:
        raise UploadRefused(f"“{shown}”: nội dung không phải là một trong các loại được phép ({ALLOWED_WORDS}); "
                            "tệp bị từ chối dù tên tệp có đuôi nào.")
    extension = PurePath(shown).suffix.lower()
    if extension not in kind.extensions:
        raise UploadRefused(f"“{shown}”: nội dung là {kind.label} nhưng tên tệp có đuôi “{extension or '(không có)'}”; "
                            f"hãy đặt đúng đuôi ({', '.join(kind.extensions)}).")
    return kind


def sniff_inline(content_type: str) -> str:
    """How a stored file may be shown inside the page: “pdf”, “image”, or “” (download only)."""
    if content_type == PDF.content_type:
        return "pdf"
    return "image" if content_type in (JPEG.content_type, PNG.content_type) else ""
