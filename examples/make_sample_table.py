"""Build ``examples/bang-tieu-chi-mau.xlsx``: a criteria table typed the way a province types it.

Two header rows with merged cells, a numbering row, Roman numerals for fields and numbering
that restarts in each field, a/b items, options listed on rows without a code, maxima typed
"2 điểm", "0,5" and "1.5", wrapped text, a blank row, a total row and a bonus section.

The 1.x leaves quote Cà Mau (QĐ 1880/QĐ-UBND năm 2013) and the II.x leaves Xuân Lộc (Công văn
244/PNV năm 2022); the rest is illustrative. Run from the repository root:

    python examples/make_sample_table.py                 # writes out/bang-tieu-chi-mau.xlsx
    python examples/make_sample_table.py other.xlsx      # or the file named
    python cli.py rubric import out/bang-tieu-chi-mau.xlsx -o out/mau.yaml --source "Bảng mẫu"

The tracked ``examples/bang-tieu-chi-mau.xlsx`` is what this script writes (a test compares every
cell and merged range); to change it, edit ``ROWS`` or ``build`` and write it on purpose:
``python examples/make_sample_table.py examples/bang-tieu-chi-mau.xlsx``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.office.atomic import write_atomic_with  # noqa: E402

TARGET = Path("out") / "bang-tieu-chi-mau.xlsx"  # never the tracked example, unless named

# STT, name, max, evidence, rule — in the order of the sheet's columns A, B, C, D, E
ROWS: list[tuple[object, ...]] = [
    ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", 11, "", ""),
    (1, "Kế hoạch CCHC năm", 5, "", ""),
    ("1.1", "Ban hành kế hoạch CCHC năm", 1, "Kế hoạch CCHC năm của UBND xã",
     "Ban hành kịp thời: 1\nBan hành không kịp thời: 0,5\nKhông ban hành: 0"),
    ("1.2", "Xác định đầy đủ các nhiệm vụ CCHC trên các lĩnh vực theo kế hoạch năm của UBND tỉnh\n"
            "và bố trí kinh phí thực hiện", 1, "Kế hoạch CCHC; dự toán kinh phí",
     "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác định đầy đủ nhiệm vụ hoặc không bố trí "
     "kinh phí: 0"),
    ("1.3", "Các kết quả phải đạt được xác định rõ ràng, cụ thể và định rõ trách nhiệm triển khai của phòng, "
            "ban, đơn vị trực thuộc", 1, "Kế hoạch CCHC", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0"),
    ("1.4", "Mức độ thực hiện kế hoạch CCHC", "2 điểm", "Báo cáo CCHC năm",
     "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0"),
    (2, "Báo cáo CCHC", 2, "", ""),
    ("2.1", "Tất cả báo cáo được gửi đúng thời gian quy định (báo cáo quí I, quí III, báo cáo 6 tháng và báo "
            "cáo năm)", 1, "Các báo cáo CCHC quý I, 6 tháng, quý III và năm",
     "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian quy "
     "định: 0"),
    ("2.2", "Tất cả báo cáo có đầy đủ nội dung theo hướng dẫn", 1, None, "Đạt yêu cầu: 1; Không đạt yêu cầu: 0"),
    (3, "Kiểm tra, giao ban công tác CCHC", 4, "", ""),
    ("3.1", "Tỷ lệ bộ phận, đơn vị trực thuộc được kiểm tra CCHC trong năm", "1.5",
     "Kế hoạch kiểm tra; báo cáo kết quả kiểm tra",
     "Tỷ lệ = số đơn vị được kiểm tra / tổng số đơn vị;\nĐiểm = Tỷ lệ × Điểm tối đa"),
    ("3.2", "Xử lý các vấn đề phát hiện qua kiểm tra", "1,0", "Văn bản chỉ đạo xử lý", ""),
    (None, "- Xử lý xong 100% vấn đề phát hiện", 1, None, None),
    (None, "- Xử lý từ 80% đến dưới 100%", "0,5", None, None),
    (None, "- Xử lý dưới 80%", 0, None, None),
    ("3.3", "Họp giao ban công tác CCHC", "1,5", "Thông báo kết luận các cuộc họp",
     "họp 4 lần/năm: 1,5; 3 lần: 1; 2 lần: 0,5; còn lại: 0"),
    (None, None, None, None, None),
    ("II", "THỰC HIỆN TUYÊN TRUYỀN VỀ CCHC", 2, "", ""),
    (1, "Mức độ thực hiện kế hoạch tuyên truyền", 1, "Kế hoạch, báo cáo tuyên truyền",
     "Hoàn thành 100% kế hoạch: 1 (có kế hoạch, báo cáo kèm theo). Hoàn thành 90%–100% kế hoạch: điểm = số mục "
     "tiêu đã hoàn thành / số mục tiêu đề ra × 1 điểm (ví dụ 4/5 × 1 = 0,8 điểm). Hoàn thành dưới 90%: 0"),
    (2, "Mức độ đa dạng trong tuyên truyền CCHC", 1, "Báo cáo và tài liệu kiểm chứng",
     "Tuyên truyền thông qua phương tiện trực tuyến, ứng dụng CNTT (bảng thông tin điện tử, màn hình điện tử: "
     "0,25; website, trang mạng xã hội: 0,25) và qua hình thức truyền thống (hội nghị, tờ gấp, ...): 0,5; có báo "
     "cáo và tài liệu kiểm chứng kèm theo"),
    ("III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", None, 6, "", ""),
    (1, "Công khai thủ tục hành chính", 2, "", ""),
    ("a)", "Niêm yết công khai đầy đủ TTHC tại Bộ phận một cửa", "0,5", "Ảnh chụp nơi niêm yết",
     "Đạt: 0,5; Không đạt: 0"),
    ("b)", "Công khai TTHC trên Cổng thông tin điện tử của xã", "1,5", "Địa chỉ trang công khai",
     "Cập nhật đầy đủ, kịp thời: Điểm tối đa; Cập nhật chưa đầy đủ: 50% điểm; Không cập nhật: 0"),
    (2, "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn", 2, "Báo cáo từ Hệ thống thông tin giải quyết TTHC",
     "≥ 98%: 2; từ 90% đến dưới 98%: 1; < 90%: 0"),
    (3, "Văn bản trả lời phản ánh, kiến nghị về TTHC", 1, "Sổ theo dõi phản ánh, kiến nghị",
     "Mỗi văn bản trả lời trễ hạn trừ 0,25 điểm; thấp nhất 0. Trường hợp không phát sinh phản ánh, kiến nghị: "
     "tính điểm tối đa"),
    (4, "Chất lượng tiếp nhận và trả kết quả tại Bộ phận một cửa", 1, "Biên bản thẩm định",
     "Hội đồng thẩm định xem xét, chấm điểm căn cứ mức độ hài lòng và các phản ánh trong năm"),
    ("IV", "ĐIỀU TRA XÃ HỘI HỌC", 10, "", ""),
    (1, "Mức độ hài lòng của người dân, tổ chức (SIPAS)", 10, "Kết quả do Sở Nội vụ công bố",
     "Theo kết quả điều tra xã hội học"),
    (None, "TỔNG CỘNG (I + II + III + IV)", 29, None, None),
    (None, "ĐIỂM THƯỞNG", 2, None, "Điểm thưởng: tối đa 2 điểm"),
    (1, "Thực hiện tốt các nhiệm vụ đột xuất về CCHC", 2, "Văn bản giao nhiệm vụ, báo cáo kết quả",
     "Thực hiện tốt các nhiệm vụ đột xuất: xuất sắc = tối đa, tốt = 75 %, hoàn thành = 50 %"),
]


def build() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "Phụ lục I"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet["A1"] = "UBND XÃ AN PHÚ"
    sheet["A2"] = "PHỤ LỤC I"
    sheet["A3"] = "BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CẤP XÃ (BẢNG MẪU)"
    sheet["A4"] = ("(Bảng minh họa của parindex: mục I.1–I.2 trích Cà Mau QĐ 1880/QĐ-UBND năm 2013, mục II trích "
                   "Xuân Lộc Công văn 244/PNV năm 2022, các mục khác minh họa)")
    for row in (2, 3, 4):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        sheet.cell(row, 1).alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.cell(row, 1).font = Font(bold=row != 4, italic=row == 4)
    header = ["STT", "Lĩnh vực/Tiêu chí/\nTiêu chí thành phần", "Điểm\ntối đa", "Tài liệu kiểm chứng",
              "Cách tính điểm /\nPhương pháp chấm", "Điểm đánh giá", None, "Ghi chú"]
    for column, title in enumerate(header, 1):
        cell = sheet.cell(6, column, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.cell(7, 6, "Tự đánh giá")
    sheet.cell(7, 7, "Thẩm định")
    for column in (1, 2, 3, 4, 5, 8):
        sheet.merge_cells(start_row=6, start_column=column, end_row=7, end_column=column)
    sheet.merge_cells(start_row=6, start_column=6, end_row=6, end_column=7)
    for column in range(1, 9):
        sheet.cell(8, column, f"({column})")
    for index, (code, name, maximum, evidence, rule) in enumerate(ROWS, 9):
        for column, value in enumerate((code, name, maximum, evidence, rule), 1):
            if value not in (None, ""):
                sheet.cell(index, column, value)
        if isinstance(code, str) and code.startswith("III."):
            sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=2)
        if code in ("I", "II", "IV") or (isinstance(code, str) and code.startswith("III")) or name in (
                "ĐIỂM THƯỞNG", "TỔNG CỘNG (I + II + III + IV)"):
            for column in range(1, 9):
                sheet.cell(index, column).font = Font(bold=True)
    # one evidence cell shared by the two report criteria (2.1 and 2.2): a vertical merge
    first = next(i for i, row in enumerate(ROWS, 9) if row[0] == "2.1")
    sheet.merge_cells(start_row=first, start_column=4, end_row=first + 1, end_column=4)
    for row in sheet.iter_rows(min_row=6, max_row=8 + len(ROWS), max_col=8):
        for cell in row:
            cell.border = box
            if cell.row > 8:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGH", (7, 50, 9, 30, 60, 10, 10, 12)):
        sheet.column_dimensions[column].width = width
    return book


def main(argv: list[str] | None = None) -> Path:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else TARGET
    write_atomic_with(target, build().save)
    print(f"Đã ghi {target}")
    return target


if __name__ == "__main__":
    main()
