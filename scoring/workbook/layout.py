"""The self-assessment workbook's contract, shared by the template writer and its reader.

Rows are found by the key in a hidden column of the main sheet (a criterion code, or
“code mục n” for an item of an additive leaf), never by position; the hidden sheet “Mã”
lists every key the template was generated with, so a deleted row is noticed and named.
"""

from __future__ import annotations

from dataclasses import dataclass

MAIN_SHEET = "Tự đánh giá"
INFO_SHEET = "Thông tin đơn vị"
CODES_SHEET = "Mã"
LISTS_SHEET = "Danh mục"
MARKER = "parindex: mẫu tự đánh giá"
FORMAT_VERSION = 1
META_RUBRIC, META_YEAR, META_SHEET = "Bộ chỉ số", "Năm", "Sheet"  # labels in column A of “Mã”
CODES_FIRST_ROW = 8  # “Mã” lists (row in the main sheet, key, kind) from this row
NOT_APPLICABLE = "Không áp dụng"
ITEM_YES, ITEM_NO = "Có", "Không"
ITEM_SEPARATOR = " mục "
DOCUMENTS_GROUP = "Tài liệu kiểm chứng của đơn vị"


@dataclass(frozen=True)
class SheetColumn:
    key: str
    header: str
    width: float
    input: bool = False  # a cell the unit fills (on leaf rows)
    group: str | None = None  # the header spanning several columns above this one


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("stt", "STT", 8),
    SheetColumn("name", "Tiêu chí, tiêu chí thành phần", 44),
    SheetColumn("max", "Điểm tối đa", 8),
    SheetColumn("value", "Số liệu kê khai", 20, input=True),
    SheetColumn("rule", "Cách tính điểm", 40),
    SheetColumn("required", "Tài liệu kiểm chứng yêu cầu", 28),
    SheetColumn("doc_number", "Số, ký hiệu văn bản", 16, input=True, group=DOCUMENTS_GROUP),
    SheetColumn("doc_date", "Ngày ban hành", 12, input=True, group=DOCUMENTS_GROUP),
    SheetColumn("doc_summary", "Trích yếu", 30, input=True, group=DOCUMENTS_GROUP),
    SheetColumn("explanation", "Giải trình", 30, input=True),
    SheetColumn("key", "Mã (không sửa)", 12),
)
COLUMN_OF = {column.key: index + 1 for index, column in enumerate(COLUMNS)}  # 1-based
INPUT_KEYS = tuple(c.key for c in COLUMNS if c.input)


@dataclass(frozen=True)
class InfoField:
    key: str
    label: str
    hint: str
    locked: bool = False


INFO_FIELDS: tuple[InfoField, ...] = (
    InfoField("unit", "Tên đơn vị (*)", "Ví dụ: UBND xã An Phú"),
    InfoField("level", "Cấp đơn vị", "Ví dụ: xã, phường, sở"),
    InfoField("year", "Năm đánh giá", "Theo bộ chỉ số; không sửa", locked=True),
    InfoField("parent", "Cơ quan cấp trên", "Dòng đầu tiêu đề báo cáo, ví dụ: UBND TỈNH HÀ TĨNH"),
    InfoField("issuer", "Cơ quan ban hành báo cáo", "Để trống: lấy theo tên đơn vị (ỦY BAN NHÂN DÂN XÃ …)"),
    InfoField("place", "Địa danh", "Ghi ở dòng ngày tháng, ví dụ: An Phú"),
    InfoField("number", "Số báo cáo", "Ví dụ: 15 (in thành “Số: 15/BC-UBND”); để trống nếu chưa cấp số"),
    InfoField("date", "Ngày báo cáo", "ngày/tháng/năm; để trống nếu chưa ký"),
    InfoField("signer", "Người ký", "Họ và tên người ký báo cáo"),
    InfoField("signer_title", "Chức vụ người ký", "Chủ tịch hoặc Phó Chủ tịch"),
    InfoField("recipients", "Nơi nhận", "Mỗi nơi một dòng (Alt+Enter để xuống dòng)"),
    InfoField("difficulties", "Khó khăn, vướng mắc", "Nội dung phần III.1 của báo cáo"),
    InfoField("proposals", "Đề xuất, kiến nghị", "Nội dung phần III.2 của báo cáo"),
)
SIGNER_TITLES = ("Chủ tịch", "Phó Chủ tịch")
DEFAULT_RECIPIENTS = "Sở Nội vụ"


def item_key(code: str, number: int) -> str:
    """The key of item ``number`` (from 1) of an additive leaf: “1.2.2 mục 3”."""
    return f"{code}{ITEM_SEPARATOR}{number}"


def split_key(key: str) -> tuple[str, int | None]:
    """“1.2.2 mục 3” → ("1.2.2", 3); “1.2.2” → ("1.2.2", None)."""
    code, sep, number = key.partition(ITEM_SEPARATOR)
    if sep and number.isdigit():
        return code, int(number)
    return key, None
