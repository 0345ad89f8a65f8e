"""The self-assessment workbook: generated from a rubric, filled as a clerk would, read back exactly."""

from __future__ import annotations

import datetime as dt
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from criteria import load_rubric
from criteria.yaml_lines import load_yaml
from scoring import read_evidence, score
from scoring.workbook.layout import CODES_SHEET, COLUMN_OF, INFO_SHEET, LISTS_SHEET, MAIN_SHEET, NOT_APPLICABLE
from scoring.inputs.xlsx import read_workbook
from scoring.workbook.template import build_template, write_template
from tests.sheet_fill import cell_of, fill, info_row, key_rows
from tests.tools import programs

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(DEMO)


@pytest.fixture(scope="module")
def template(rubric, tmp_path_factory) -> Path:
    return write_template(rubric, tmp_path_factory.mktemp("sheet") / "tu-danh-gia.xlsx", unit="UBND xã An Phú")


def filled(rubric, template: Path, example: Path, target: Path):
    book = load_workbook(template)
    fill(book, rubric, load_yaml(example))
    return book


def same_scores(a, b) -> None:
    assert a.totals == b.totals
    assert [(n.code, n.points, n.max, n.status) for n in a.nodes] == [(n.code, n.points, n.max, n.status) for n in b.nodes]


# ------------------------------------------------------------------ the template
def test_the_template_has_the_sheets_a_unit_needs_and_hides_the_machinery(rubric, template: Path) -> None:
    book = load_workbook(template)
    assert book.sheetnames == [MAIN_SHEET, INFO_SHEET, CODES_SHEET, LISTS_SHEET]
    assert [book[n].sheet_state for n in book.sheetnames] == ["visible", "visible", "hidden", "hidden"]
    assert book.security.lockStructure
    main = book[MAIN_SHEET]
    assert main.protection.sheet and book[INFO_SHEET].protection.sheet
    assert main.column_dimensions["K"].hidden  # the key column
    rows = key_rows(book)
    assert set(rows) >= {leaf.code for leaf in rubric.leaves()}
    info = book[INFO_SHEET]
    assert info.cell(info_row(book, "unit"), 3).value == "UBND xã An Phú"
    assert info.cell(info_row(book, "year"), 3).value == rubric.year
    assert info.cell(info_row(book, "year"), 3).protection.locked  # the rubric's year is not the unit's to change


def test_structure_is_locked_and_only_input_cells_are_open(rubric, template: Path) -> None:
    book = load_workbook(template)
    ws, rows = book[MAIN_SHEET], key_rows(book)
    leaf = rows["1.1.4"]
    for key in ("stt", "name", "max", "rule", "required", "key"):
        assert ws.cell(leaf, COLUMN_OF[key]).protection.locked, key
    for key in ("value", "doc_number", "doc_date", "doc_summary", "explanation"):
        assert not ws.cell(leaf, COLUMN_OF[key]).protection.locked, key
    field = rows["1"]
    assert ws.cell(field, COLUMN_OF["name"]).font.b and ws.cell(field, COLUMN_OF["name"]).value == rubric.nodes[0].name
    assert ws.cell(rows["1.1.1"], COLUMN_OF["name"]).alignment.indent == 2  # the tree, indented
    assert ws.cell(rows["1.1.1"], COLUMN_OF["max"]).value == 1
    assert ws.cell(rows["1.1.1"], COLUMN_OF["rule"]).value.startswith("Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5")
    assert "Kế hoạch CCHC năm 2025" in ws.cell(rows["1.1.1"], COLUMN_OF["required"]).value
    assert ws.cell(rows["1.1"], COLUMN_OF["value"]).protection.locked  # 1.1 may not be declared không phát sinh


def _validation_of(ws, ref: str):
    return next(v for v in ws.data_validations.dataValidation if ref in v.sqref)


def test_input_cells_are_shaped_by_the_rule_kind(rubric, template: Path) -> None:
    book = load_workbook(template)
    ws, rows = book[MAIN_SHEET], key_rows(book)
    d = lambda code: f"D{rows[code]}"  # noqa: E731
    boolean = _validation_of(ws, d("1.2.2"))  # boolean, không phát sinh allowed
    assert boolean.type == "list" and boolean.formula1 == f'"Đạt yêu cầu,Không đạt yêu cầu,{NOT_APPLICABLE}"'
    not_allowed = _validation_of(ws, d("1.1.3"))  # under 1.1: không phát sinh not allowed
    assert NOT_APPLICABLE not in not_allowed.formula1
    ratio = _validation_of(ws, d("1.4.1"))
    assert ratio.type == "custom" and "<=100" in ratio.formula1 and 'SEARCH("/"' in ratio.formula1
    count = _validation_of(ws, d("1.3.1"))
    assert count.type == "custom" and "INT(" in count.formula1
    deadline = _validation_of(ws, d("2.2.1"))
    assert "DATE(" in deadline.formula1 and ws[d("2.2.1")].number_format == "dd/mm/yyyy"
    survey = _validation_of(ws, d("8.2"))
    assert "<=10" in survey.formula1  # external points: 0 … max
    item = _validation_of(ws, f"D{rows['1.4.2 mục 1']}")  # additive: one Có/Không per item
    assert item.formula1 == '"Có,Không"'
    assert all(v.prompt for v in ws.data_validations.dataValidation)


def test_options_too_long_or_with_commas_for_an_inline_list_come_from_the_hidden_list_sheet() -> None:
    mini = load_rubric(ROOT / "tests" / "data" / "mini.yaml")  # 1.2.3: options with commas
    book = build_template(mini)
    ws, rows = book[MAIN_SHEET], key_rows(book)
    validation = _validation_of(ws, f"D{rows['1.2.3']}")
    assert validation.formula1 == f"'{LISTS_SHEET}'!$A$1:$A$4"
    listed = [book[LISTS_SHEET].cell(r, 1).value for r in range(1, 5)]
    assert listed == [o.label for o in mini.by_code["1.2.3"].rule.options] + [NOT_APPLICABLE]


# ------------------------------------------------------------------ round trip
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_filled_sheet_scores_exactly_like_the_units_yaml(rubric, template: Path, example: Path, tmp_path: Path) -> None:
    path = tmp_path / f"{example.stem}.xlsx"
    filled(rubric, template, example, path).save(path)
    read = read_workbook(rubric, path)
    from_yaml = read_evidence(rubric, example)
    assert read.table.units == from_yaml.units
    same_scores(score(rubric, read.table).result(0), score(rubric, from_yaml).result(0))
    assert read.table.documents == from_yaml.documents
    for key, text in from_yaml.explanations.items():  # the sheet also keeps manual leaves' reasons
        assert read.table.explanations[key] == text
    assert read.details[from_yaml.units[0]].unit == from_yaml.units[0]


def test_the_shipped_filled_example_matches_its_yaml(rubric) -> None:
    read = read_workbook(rubric, ROOT / "examples" / "xa-dong-tien-tu-danh-gia.xlsx")
    from_yaml = read_evidence(rubric, ROOT / "examples" / "xa-dong-tien.yaml")
    same_scores(score(rubric, read.table).result(0), score(rubric, from_yaml).result(0))
    details = read.details["UBND xã Đồng Tiến"]
    assert details.signer and details.difficulties and details.proposals and details.date is not None
    assert (details.signer, details.signer_title, details.date) == ("Trần Văn Bình", "Phó Chủ tịch", dt.date(2026, 1, 8))
    assert details.difficulties.startswith("- Xã mới thành lập từ 01/7/2025;")
    assert details.proposals.startswith("Đề nghị Sở Nội vụ hướng dẫn việc kê khai tài liệu kiểm chứng")


def test_what_clerks_type_is_read_as_they_mean_it(rubric, template: Path, tmp_path: Path) -> None:
    book = filled(rubric, template, ROOT / "examples" / "xa-an-phu.yaml", tmp_path / "x.xlsx")
    cell_of(book, "1.4.1").value = "95%"  # typed as text
    share = cell_of(book, "6.1.1")
    share.value, share.number_format = 0.91, "0%"  # Excel's own reading of “91%”
    cell_of(book, "8.2").value = "8,75"  # decimal comma, as text
    cell_of(book, "1.2.2").value = unicodedata.normalize("NFD", "Đạt yêu cầu")  # decomposed Vietnamese
    cell_of(book, "6.2.2").value = " 88,5 "
    book[INFO_SHEET].cell(info_row(book, "unit"), 3).value = unicodedata.normalize("NFD", "UBND xã An Phú")
    path = tmp_path / "x.xlsx"
    book.save(path)
    result = score(rubric, read_workbook(rubric, path).table).result(0)
    assert result.unit == "UBND xã An Phú" and unicodedata.is_normalized("NFC", result.unit)
    assert result.node("1.4.1").points == Decimal("0.95")  # 95 % × 1 (floor 90 %)
    assert "95%" in result.node("1.4.1").trace.explanation
    assert "91%" in result.node("6.1.1").trace.explanation
    assert result.node("8.2").points == Decimal("8.75")
    assert result.node("1.2.2").points == 1


def test_a_blank_row_in_the_middle_and_a_merged_title_do_not_derail_the_reader(rubric, template: Path, tmp_path: Path) -> None:
    example = ROOT / "examples" / "xa-an-phu.yaml"
    book = filled(rubric, template, example, tmp_path / "x.xlsx")
    ws = book[MAIN_SHEET]
    ws.insert_rows(key_rows(book)["3.2.1"])  # an empty row among the criteria
    ws.merge_cells(f"G{key_rows(book)['1.1.1']}:I{key_rows(book)['1.1.1']}")  # merged within one row
    path = tmp_path / "x.xlsx"
    book.save(path)
    read = read_workbook(rubric, path)
    same_scores(score(rubric, read.table).result(0), score(rubric, read_evidence(rubric, example)).result(0))


def test_a_formula_cell_is_read_by_its_value_once_a_spreadsheet_has_calculated_it(rubric, template: Path, tmp_path: Path) -> None:
    (soffice,) = programs("soffice")
    book = filled(rubric, template, ROOT / "examples" / "xa-an-phu.yaml", tmp_path / "x.xlsx")
    cell_of(book, "4.2.2").value = "=10+2"  # the YAML says 12
    source = tmp_path / "src" / "x.xlsx"
    source.parent.mkdir()
    book.save(source)
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "xlsx", "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    read = read_workbook(rubric, out / "x.xlsx")  # saved by LibreOffice: its own way of writing every cell
    same_scores(score(rubric, read.table).result(0),
                score(rubric, read_evidence(rubric, ROOT / "examples" / "xa-an-phu.yaml")).result(0))


def test_a_template_for_another_rubric_is_refused(tmp_path: Path) -> None:
    from criteria import EvidenceError

    other = load_rubric(ROOT / "rubrics" / "ca-mau-1880-2013.yaml")
    path = tmp_path / "other.xlsx"
    build_template(other).save(path)
    with pytest.raises(EvidenceError, match="mẫu được tạo cho bộ chỉ số"):
        read_workbook(load_rubric(DEMO), path)
