"""Broken sheets are answered with messages that point to sheet and cell — all of them at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from cli import main
from criteria import EvidenceError, load_rubric
from criteria.yaml_lines import load_yaml
from scoring import read_evidence, score
from scoring.workbook.layout import COLUMN_OF, INFO_SHEET, MAIN_SHEET
from scoring.inputs.xlsx import read_workbook
from scoring.workbook.template import build_template
from tests.sheet_fill import cell_of, fill, info_row, key_rows, typed

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
AN_PHU = ROOT / "examples" / "xa-an-phu.yaml"


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(DEMO)


@pytest.fixture()
def book(rubric):
    return fill(build_template(rubric), rubric, load_yaml(AN_PHU))


def problems(rubric, book, tmp_path: Path) -> list[str]:
    path = tmp_path / "broken.xlsx"
    book.save(path)
    with pytest.raises(EvidenceError) as caught:
        read_workbook(rubric, path)
    return [str(p) for p in caught.value.problems]


def one(lines: list[str], *parts: str) -> str:
    found = [line for line in lines if all(part in line for part in parts)]
    assert len(found) == 1, (parts, lines)
    return found[0]


def test_the_five_classic_mistakes_are_reported_together_each_at_its_cell(rubric, book, tmp_path: Path) -> None:
    rows = key_rows(book)
    ws = book[MAIN_SHEET]
    cell_of(book, "1.2.2").value = 5  # wrong type: a number where Đạt/Không đạt is expected
    cell_of(book, "1.4.1").value = 120  # a percentage above 100
    cell_of(book, "2.2.1").value = "31/02/2025"  # a date that does not exist
    ws.cell(rows["4.2.2"], COLUMN_OF["key"]).value = "4.2.9"  # a key the rubric does not have
    deleted = rows["6.1.3"]
    ws.delete_rows(deleted)  # a whole criterion's row removed
    lines = problems(rubric, book, tmp_path)
    assert len(lines) == 6  # the five mistakes, and 4.2.2 whose row now carries an unknown key
    assert "sheet Tự đánh giá, ô D" in one(lines, "“1.2.2”", f"ô D{rows['1.2.2']}", "nhận được “5”")
    one(lines, "“1.4.1”", f"ô D{rows['1.4.1']}", "0–100%", "“120”")
    one(lines, "“2.2.1”", f"ô D{rows['2.2.1']}", "“31/02/2025”")
    one(lines, f"ô K{rows['4.2.2']}", "“4.2.9”", "không có trong bộ chỉ số")
    one(lines, "“4.2.2”", "không tìm thấy dòng")
    one(lines, "“6.1.3”", f"dòng {deleted} (mẫu gốc)", "đã bị xóa")
    assert all(line.startswith(f"{tmp_path / 'broken.xlsx'}: sheet ") for line in lines)


def test_cells_that_cannot_be_data_are_named(rubric, book, tmp_path: Path) -> None:
    rows = key_rows(book)
    ws = book[MAIN_SHEET]
    cell_of(book, "3.1.2").value = "=A1*2"  # a formula never calculated (openpyxl saves no result)
    cell_of(book, "1.1.1", "doc_date").value = "20/12/2024\n32/12/2024"  # second document's date is wrong
    ws.merge_cells(f"D{rows['5.1.1']}:D{rows['5.1.2']}")  # one answer merged over two criteria
    ws.insert_rows(rows["7.1"])
    ws.cell(rows["7.1"], COLUMN_OF["value"]).value = "14/15"  # typed into an inserted row
    cell_of(book, "3.4.2").value = "0,75"  # points of a manual leaf …
    cell_of(book, "3.4.2", "explanation").value = None  # … without the reason
    book[INFO_SHEET].cell(info_row(book, "unit"), 3).value = None
    lines = problems(rubric, book, tmp_path)
    one(lines, f"ô D{rows['3.1.2']}", "tham chiếu ô khác")  # its stored result proves nothing
    one(lines, f"ô H{rows['1.1.1']}", "“32/12/2024”")
    one(lines, f"vùng D{rows['5.1.1']}:D{rows['5.1.2']}", "ô gộp")
    one(lines, f"ô D{rows['7.1']}", "không thuộc tiêu chí nào")
    one(lines, f"ô J{rows['3.4.2']}", "lý do")
    one(lines, f"sheet {INFO_SHEET}, ô C", "thiếu tên đơn vị")


def test_a_whole_criterion_declared_not_applicable_cannot_also_have_values(rubric, book, tmp_path: Path) -> None:
    rows = key_rows(book)
    cell_of(book, "2.1").value = "Không áp dụng"  # 2.1.1 below still holds “2/2”
    cell_of(book, "1.4.2").value = "Không áp dụng"  # while items of 1.4.2 are marked
    lines = problems(rubric, book, tmp_path)
    one(lines, f"ô D{rows['2.1.1']}", "“2.1” khai không phát sinh")
    one(lines, f"ô D{rows['1.4.2']}", "đánh dấu các mục")


def test_the_cli_prints_one_line_per_problem_and_exits_2(rubric, book, tmp_path: Path) -> None:
    cell_of(book, "1.2.2").value = "có lẽ"
    cell_of(book, "1.4.1").value = "101%"
    path = tmp_path / "broken.xlsx"
    book.save(path)
    result = CliRunner().invoke(main, ["score", "-r", str(DEMO), "-e", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line]
    assert len(lines) == 2 and all(line.startswith("lỗi: ") and "sheet Tự đánh giá, ô D" in line for line in lines)
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_workbook_is_one_line(rubric, tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "-r", str(DEMO), "-e", str(path)])
    assert result.exit_code == 2 and "không đọc được tệp Excel" in result.output


# ------------------------------------------------------------------ the wide table of many units
def wide_workbook(path: Path, title_rows: int = 0) -> Path:
    """examples/communes.csv as a clerk's spreadsheet: numbers as numbers, “62%” as a percentage."""
    import csv

    book = Workbook()
    ws = book.active
    ws.title = "Số liệu"
    for row in range(1, title_rows + 1):
        ws.cell(row, 1).value = "SỐ LIỆU TỰ ĐÁNH GIÁ CÁC XÃ NĂM 2025"
    with open(ROOT / "examples" / "communes.csv", encoding="utf-8-sig", newline="") as handle:
        for r, values in enumerate(csv.reader(handle), title_rows + 1):
            for c, value in enumerate(values, 1):
                if value:
                    cell = ws.cell(r, c)
                    typed(cell, value) if r > title_rows + 1 else setattr(cell, "value", value)
    book.save(path)
    return path


def test_the_wide_table_of_many_units_reads_from_xlsx_like_the_csv(rubric, tmp_path: Path) -> None:
    path = wide_workbook(tmp_path / "communes.xlsx", title_rows=2)
    from_xlsx = score(rubric, read_evidence(rubric, path))
    from_csv = score(rubric, read_evidence(rubric, ROOT / "examples" / "communes.csv"))
    assert from_xlsx.units == from_csv.units and len(from_xlsx) == 5
    for unit in from_csv.units:
        a, b = from_xlsx.result(unit), from_csv.result(unit)
        assert a.totals == b.totals
        assert [(n.code, n.points, n.status) for n in a.nodes] == [(n.code, n.points, n.status) for n in b.nodes]


def test_the_wide_table_names_sheet_and_cell_of_each_problem(rubric, tmp_path: Path) -> None:
    path = wide_workbook(tmp_path / "communes.xlsx")
    book = load_workbook(path)
    ws = book["Số liệu"]
    header = {ws.cell(1, c).value: c for c in range(1, ws.max_column + 1)}
    from openpyxl.utils import get_column_letter as letter

    ws.cell(3, header["1.4.1"]).value = 1.2
    ws.cell(3, header["1.4.1"]).number_format = "0%"  # 120 %
    ws.cell(4, header["2.2.1"]).value = "31/02/2025"
    ws.cell(5, header["1.1.3"]).value = dt.datetime(2025, 1, 1)  # a date where Đạt/Không đạt is expected
    ws.cell(1, ws.max_column + 1).value = "9.9"  # unknown code
    ws.cell(2, ws.max_column).value = "1"
    book.save(path)
    with pytest.raises(EvidenceError) as caught:
        read_evidence(rubric, path)
    lines = [str(p) for p in caught.value.problems]
    one(lines, f"sheet Số liệu, ô {letter(header['1.4.1'])}3", "“120%”")
    one(lines, f"ô {letter(header['2.2.1'])}4", "“31/02/2025”")
    one(lines, f"ô {letter(header['1.1.3'])}5", "“01/01/2025”")
    one(lines, f"ô {letter(ws.max_column)}1", "“9.9”")
