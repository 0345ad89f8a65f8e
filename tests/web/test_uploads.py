"""Evidence files are judged by what they contain: the allow-list, the name's extension agreeing
with the content, and the size limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from web.portal.uploads import DOCX, JPEG, PDF, PNG, XLSX, UploadRefused, check_upload

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0)), "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("Kế hoạch 12.pdf", PDF_BYTES, PDF),
    ("ảnh chụp.PNG", PNG_BYTES, PNG),
    ("biên bản.jpeg", JPEG_BYTES, JPEG),
    ("báo cáo.docx", _zip(["[Content_Types].xml", "word/document.xml"]), DOCX),
    ("số liệu.xlsx", _zip(["[Content_Types].xml", "xl/workbook.xml"]), XLSX),
], ids=["pdf", "png", "jpeg", "docx", "xlsx"])
def test_allowed_kinds_pass(name: str, data: bytes, kind) -> None:
    assert check_upload(name, len(data), data) == kind


@pytest.mark.parametrize(("name", "data", "words"), [
    ("ke-hoach.pdf", EXE_BYTES, "nội dung không phải"),  # an .exe renamed .pdf
    ("tai-lieu.docx", _zip(["a.txt"]), "nội dung không phải"),  # a plain zip renamed .docx
    ("ke-hoach.png", PDF_BYTES, "nội dung là PDF"),  # a PDF named .png
    ("trang.html", b"<html><script>alert(1)</script>", "nội dung không phải"),
    ("rong.pdf", b"", "tệp rỗng"),
], ids=["exe-as-pdf", "zip-as-docx", "pdf-as-png", "html", "empty"])
def test_refused_by_content_with_a_vietnamese_message(name: str, data: bytes, words: str) -> None:
    with pytest.raises(UploadRefused) as caught:
        check_upload(name, len(data), data)
    assert words in str(caught.value) and name in str(caught.value)


def test_a_file_over_the_limit_is_refused_before_reading() -> None:
    size = 25 * 1024 * 1024
    with pytest.raises(UploadRefused) as caught:
        check_upload("lon.pdf", size, b"")
    assert "25 MB vượt giới hạn 20 MB" in str(caught.value)


def test_the_limit_is_configurable() -> None:
    data = PDF_BYTES + b"0" * 2048
    with override_settings(PARINDEX_UPLOAD_LIMIT=1024), pytest.raises(UploadRefused):
            check_upload("a.pdf", len(data), data)
    assert check_upload("a.pdf", len(data), data) == PDF
