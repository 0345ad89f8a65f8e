"""Importing criteria tables typed as provinces type them: merged cells, blank rows, Roman
numerals, a/b/c items, decimal commas, "2 điểm" maxima, options on rows without a code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from criteria import RubricError, load_rubric_text
from criteria.dumper import rubric_yaml
from criteria.rules import BandsRule, BooleanRule, ChoiceRule, ManualRule
from criteria.tables import ImportOptions, import_table, table_bytes
from criteria.tables.importer import defaults_from_name

from .tables import HEADER, write_docx, write_xlsx

D = Decimal
SOURCE = ImportOptions(source="QĐ 1880/QĐ-UBND")

PROVINCE_ROWS = [
    HEADER,
    ("(1)", "(2)", "(3)", "(4)", "(5)"),
    ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", None, 5, None, None),
    (1, "Kế hoạch CCHC năm", "3,5", None, None),
    ("1.1", "Ban hành kế hoạch\nCCHC năm", 1, "Ban hành kịp thời: 1\nBan hành không kịp thời: 0,5\nKhông ban hành: 0",
     "Kế hoạch CCHC"),
    ("1.2.", "Mức độ thực hiện kế hoạch CCHC", "2 điểm",
     "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0", "Báo cáo năm"),
    ("1.3", "Xử lý vấn đề phát hiện", "0.5", None, None),
    (None, "- Xử lý xong 100%", "0,5", None, None),
    (None, "- Xử lý dưới 100%", 0, None, None),
    (None, None, None, None, None),
    (2, "Báo cáo CCHC", "1,5", None, None),
    ("a)", "Báo cáo quý đúng hạn", "0,75", "Đạt yêu cầu: 0,75; Không đạt yêu cầu: 0", "Các báo cáo quý"),
    ("b)", "Báo cáo năm đúng hạn", "0,75", "Đạt yêu cầu: 0,75; Không đạt yêu cầu: 0", None),
    ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", 2, None, None),
    ("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", 2, "≥ 98%: 2; từ 90% đến dưới 98%: 1; < 90%: 0", None),
    (None, "Tổng cộng", 7, None, None),
]


def province_xlsx(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "bang-tieu-chi-xa-2025.xlsx", PROVINCE_ROWS,
                      merges=["A5:B5", "E14:E15"], before=[("UBND XÃ AN PHÚ",), ("PHỤ LỤC",)])


def test_province_table_imports(tmp_path):
    result = import_table(province_xlsx(tmp_path), SOURCE)
    assert result.report.problems == [], result.report.render()
    rubric = result.rubric
    assert [n.code for n in rubric.all_nodes()] == [
        "1", "1.1", "1.1.1", "1.1.2", "1.1.3", "1.2", "1.2.a", "1.2.b", "2", "2.1"]
    by = rubric.by_code
    assert by["1"].name == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"
    assert by["1.1"].max == D("3.5") and by["1.1.2"].max == D(2) and by["1.1.3"].max == D("0.5")
    assert by["1.1.1"].name == "Ban hành kế hoạch CCHC năm"  # wrapped text joined
    assert isinstance(by["1.1.1"].rule, ChoiceRule)
    assert by["1.1.1"].text == "Ban hành kịp thời: 1\nBan hành không kịp thời: 0,5\nKhông ban hành: 0"
    assert by["1.1.1"].evidence == "Kế hoạch CCHC"
    assert isinstance(by["1.1.2"].rule, BandsRule)
    assert by["1.1.3"].text == "- Xử lý xong 100%: 0,5\n- Xử lý dưới 100%: 0"  # options on rows without a code
    assert isinstance(by["1.1.3"].rule, BandsRule)
    assert isinstance(by["1.2.a"].rule, BooleanRule) and by["1.2.a"].max == D("0.75")
    assert by["1.2.b"].evidence == "Các báo cáo quý"  # a merged evidence cell belongs to both items
    assert by["2.1"].rule.bands[0].ge == D(98)  # type: ignore[union-attr]
    assert all(leaf.provenance == "quoted" and leaf.source == "QĐ 1880/QĐ-UBND" for leaf in rubric.leaves())
    assert rubric.max_points == D(7)
    assert (rubric.id, rubric.level, rubric.year, rubric.source) == ("bang-tieu-chi-xa-2025", "xã", 2025,
                                                                      "QĐ 1880/QĐ-UBND")
    assert load_rubric_text(rubric_yaml(rubric)) == rubric
    assert result.report.needs_person == [] and result.report.findings == []


def test_header_in_any_order_wrapped_and_without_diacritics(tmp_path):
    rows = [
        ("Tai lieu kiem chung", "Cách tính\nđiểm", "Diem\ntoi da", "Nội dung tiêu chí", "TT"),
        (None, None, 2, "Lĩnh vực A", 1),
        ("Văn bản", "Đạt: 2; Không đạt: 0", 2, "Tiêu chí A.1", "1.1"),
    ]
    rubric = import_table(write_xlsx(tmp_path / "t.xlsx", rows), SOURCE).rubric
    leaf = rubric.by_code["1.1"]
    assert (leaf.name, leaf.max, leaf.evidence) == ("Tiêu chí A.1", D(2), "Văn bản")
    assert isinstance(leaf.rule, BooleanRule)


def test_word_table_with_merged_cells(tmp_path):
    rows = [list(HEADER),
            ["I", "CÔNG TÁC CHỈ ĐẠO", "2", "", ""],
            ["1", "Báo cáo quý", "1", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0", "Báo cáo"],
            ["2", "Báo cáo năm", "1", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0", ""]]
    path = write_docx(tmp_path / "bang.docx", rows, merges=[(1, 3, 1, 4), (2, 4, 3, 4)],
                      paragraphs=["PHỤ LỤC", "Bộ tiêu chí"])
    result = import_table(path, SOURCE)
    assert result.report.problems == []
    rubric = result.rubric
    assert [n.code for n in rubric.all_nodes()] == ["1", "1.1", "1.2"]
    assert rubric.by_code["1.2"].evidence == "Báo cáo"
    assert result.report.table.startswith("bảng 1")


def test_codes_that_excel_stored_as_numbers(tmp_path):
    rows = [HEADER, (1, "Lĩnh vực", 10, None, None)]
    rows += [(float(f"1.{i}"), f"Tiêu chí {i}", 1, "Đạt: 1; Không đạt: 0", None) for i in range(1, 10)]
    rows += [(1.1, "Tiêu chí 10", 1, "Đạt: 1; Không đạt: 0", None)]  # typed "1.10", kept by Excel as 1.1
    result = import_table(write_xlsx(tmp_path / "t.xlsx", rows), SOURCE)
    assert result.rubric is not None
    assert result.rubric.by_code["1.10"].name == "Tiêu chí 10"
    assert any("1.10" in note.message for note in result.report.notes)


def test_unparseable_text_becomes_a_manual_leaf_with_the_text_kept(tmp_path):
    text = "Hội đồng thẩm định xem xét,\nchấm điểm căn cứ thực tế"
    rows = [HEADER, (1, "Lĩnh vực", 1, None, None), ("1.1", "Chất lượng tiếp nhận", 1, text, "Biên bản")]
    result = import_table(write_xlsx(tmp_path / "t.xlsx", rows), SOURCE)
    leaf = result.rubric.by_code["1.1"]
    assert leaf.rule == ManualRule(kind="manual")
    assert leaf.text == text and leaf.provenance == "quoted"
    [waiting] = result.report.needs_person
    assert waiting.code == "1.1" and waiting.place == "sheet “Phụ lục”, dòng 3"
    rendered = result.report.render()
    assert "CẦN NGƯỜI XEM" in rendered and "Cần người xem: 1.1" in rendered


def test_children_that_do_not_add_up_stop_the_import(tmp_path):
    rows = [HEADER, (1, "Lĩnh vực", 3, None, None),
            ("1.1", "A", 1, "Đạt: 1; Không đạt: 0", None), ("1.2", "B", 1, "Đạt: 1; Không đạt: 0", None)]
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    refused = import_table(path, SOURCE)
    assert refused.rubric is None
    [problem] = refused.report.problems
    assert problem.place == "sheet “Phụ lục”, dòng 2" and problem.code == "1"
    assert "tổng điểm tối đa các tiêu chí con (2)" in problem.message
    fixed = import_table(path, ImportOptions(source="QĐ", use_child_sums=True))
    assert fixed.rubric is not None and fixed.rubric.by_code["1"].max == D(2)
    assert any("đã lấy tổng" in f.message for f in fixed.report.findings)


def test_inconsistent_rules_are_reported_with_their_row(tmp_path):
    rows = [HEADER, (1, "Lĩnh vực", 4, None, None),
            ("1.1", "Lựa chọn quá điểm", 1, "Tốt: 2; Khá: 1; Kém: 0", None),
            ("1.2", "Khoảng có lỗ hổng", 2, "trên 90%: 2; từ 70% đến 80%: 1; dưới 70%: 0", None),
            ("1.3", "Ví dụ sai", 1, "Hoàn thành 90%–100%: điểm = số mục tiêu đã hoàn thành / số mục tiêu đề ra × 1 "
                                    "điểm (ví dụ 4/5 × 1 = 0,8 điểm). Hoàn thành dưới 90%: 0", None),
            (None, "Tổng cộng", 5, None, None)]
    report = import_table(write_xlsx(tmp_path / "t.xlsx", rows), SOURCE).report
    places = {(f.code, f.place) for f in report.findings}
    assert ("1.1", "sheet “Phụ lục”, dòng 3") in places
    assert ("1.2", "sheet “Phụ lục”, dòng 4") in places
    assert ("1.3", "sheet “Phụ lục”, dòng 5") in places
    assert any(f.code is None and "dòng tổng ghi 5" in f.message for f in report.findings)
    assert [leaf.code for leaf in report.needs_person] == ["1.1", "1.2"]


def test_bonus_section_becomes_an_adjustment(tmp_path):
    rows = [HEADER, ("I", "Lĩnh vực", 1, None, None), (1, "A", 1, "Đạt: 1; Không đạt: 0", None),
            (None, "ĐIỂM THƯỞNG", 2, None, None),
            (1, "Nhiệm vụ đột xuất", 2, "xuất sắc = tối đa, tốt = 75 %, hoàn thành = 50 %", None)]
    rubric = import_table(write_xlsx(tmp_path / "t.xlsx", rows), SOURCE).rubric
    [bonus] = rubric.adjustments
    assert (bonus.code, bonus.kind, bonus.cap) == ("T", "bonus", D(2))
    assert bonus.children[0].code == "T.1"
    assert [o.points for o in bonus.children[0].rule.options] == [D(2), D("1.5"), D(1)]  # type: ignore[union-attr]


@pytest.mark.parametrize("rows,words", [
    ([("Tên", "Điểm"), ("A", 1)], "không tìm thấy dòng tiêu đề"),
    ([HEADER], "không có tiêu chí nào"),
])
def test_tables_without_criteria_are_refused(tmp_path, rows, words):
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    try:
        result = import_table(path, SOURCE)
    except RubricError as exc:
        assert len(exc.problems) == 1 and words in exc.problems[0].message
        return
    assert result.rubric is None and any(words in p.message for p in result.report.problems)


@pytest.mark.parametrize("rows,words", [
    ([HEADER, (1, "A", 1, "Đạt: 1; Không đạt: 0", None), (1, "B", 1, "Đạt: 1; Không đạt: 0", None)], "bị lặp"),
    ([HEADER, (1, "A", None, "Đạt: 1; Không đạt: 0", None)], "thiếu điểm tối đa"),
    ([HEADER, (1, "A", "một", "Đạt: 1; Không đạt: 0", None)], "không phải là số"),
    ([HEADER, (1, "A", 1, None, None), ("2.1", "B", 1, None, None)], "không tìm thấy tiêu chí cha"),
    ([HEADER, ("Phần một", "A", 1, None, None)], "không phải là mã tiêu chí"),
])
def test_row_problems_name_the_row(tmp_path, rows, words):
    result = import_table(write_xlsx(tmp_path / "t.xlsx", rows), SOURCE)
    assert result.rubric is None
    assert any(words in p.message and p.place.startswith("sheet “Phụ lục”, dòng") for p in result.report.problems)


def test_unknown_formats_and_missing_files_are_one_problem(tmp_path):
    for path in (tmp_path / "absent.xlsx", tmp_path / "t.csv"):
        if path.suffix == ".csv":
            path.write_text("STT,Tên\n", encoding="utf-8")
        with pytest.raises(RubricError) as caught:
            import_table(path)
        assert len(caught.value.problems) == 1
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(RubricError):
        import_table(broken)


def test_defaults_from_the_file_name():
    assert defaults_from_name(Path("Bảng tiêu chí xã 2024.xlsx")) == {
        "id": "bang-tieu-chi-xa-2024", "title": "Bộ chỉ số nhập từ Bảng tiêu chí xã 2024.xlsx", "level": "xã",
        "year": 2024, "source": "Bảng tiêu chí xã 2024.xlsx"}
    fallback = defaults_from_name(Path("...xlsx"))
    assert fallback["id"] == "bo-chi-so" and fallback["level"] == "đơn vị"
    assert fallback["year"] == dt.date.today().year


def test_a_row_edited_after_export_is_read_from_the_table(tmp_path):
    """The hidden data is used only where the table still says what was exported."""
    from openpyxl import load_workbook

    rubric = import_table(province_xlsx(tmp_path), SOURCE).rubric
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(table_bytes(rubric.model_copy(update={"id": "sua-doi"}), exported))
    book = load_workbook(exported)
    sheet = book["Bộ chỉ số"]
    for row in sheet.iter_rows():
        if row[0].value == "1.1.1":
            row[3].value = "Đạt yêu cầu: 1; Không đạt yêu cầu: 0"
    book.save(exported)
    again = import_table(exported).rubric
    assert again.id == "sua-doi"
    assert isinstance(again.by_code["1.1.1"].rule, BooleanRule)
    assert again.by_code["1.1.2"] == rubric.by_code["1.1.2"]


# ---------------------------------------------------------------- the shipped sample
EVIDENCE = """\
unit: UBND xã An Phú
evidence:
  "1.1.1": Ban hành kịp thời
  "1.1.2": Đạt
  "1.1.3": Không đạt
  "1.1.4": 45/50
  "1.2.1": Có
  "1.2.2": Có
  "1.3.1": 3/4
  "1.3.2": 85%
  "1.3.3": 3
  "2.1": 4/5
  "2.2": "1; 3"
  "3.1.a": Đạt
  "3.1.b": Cập nhật chưa đầy đủ
  "3.2": 99%
  "3.3": 2
  "3.4": "0,75 | Ít phản ánh, xử lý đúng hạn"
  "4.1": "8,5"
  "T.1": tốt
"""


def test_sample_table_imports_validates_and_scores(tmp_path):
    import sys

    from scoring import score
    from scoring.inputs.readers import read_evidence_yaml

    sys.path.insert(0, str(Path("examples").resolve()))
    import make_sample_table

    generated = tmp_path / "bang-tieu-chi-mau.xlsx"
    make_sample_table.build().save(generated)
    for path in (generated, Path("examples/bang-tieu-chi-mau.xlsx")):
        result = import_table(path, ImportOptions(source="Bảng mẫu parindex"))
        assert result.report.problems == []
        assert [leaf.code for leaf in result.report.needs_person] == ["3.4"]
        assert [(f.code, "4/5" in f.message) for f in result.report.findings] == [("2.1", True)]
        rubric = load_rubric_text(rubric_yaml(result.rubric))
        assert rubric == result.rubric and rubric.max_points == D(29)
        assert rubric.by_code["3.3"].not_applicable == "full_points"
        evidence = tmp_path / "an-phu.yaml"
        evidence.write_text(EVIDENCE, encoding="utf-8")
        [unit] = list(score(rubric, read_evidence_yaml(rubric, evidence)).results())
        assert unit.node("1.3.1").points == D("1.13")  # 3/4 × 1,5 rounded half-up
        assert unit.node("2.1").points == D(0)  # 4/5 is below the 90 % floor, whatever the example says
        assert unit.totals.points == D("22.88")


def _cells(path: Path) -> tuple[list, list, list]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    return ([(s.title, [[c.value for c in row] for row in s.iter_rows()], sorted(map(str, s.merged_cells.ranges)))
             for s in book.worksheets], [s.column_dimensions[c].width for s in book.worksheets for c in "ABCDEFGH"],
            [(c.coordinate, c.font.b, c.alignment.wrap_text) for s in book.worksheets for row in s.iter_rows()
             for c in row])


def test_sample_table_script_writes_out_not_the_tracked_example(tmp_path, monkeypatch):
    """``python examples/make_sample_table.py`` writes out/…, and the tracked example is exactly what it writes."""
    import runpy

    tracked = Path("examples/bang-tieu-chi-mau.xlsx").resolve()
    before = tracked.read_bytes()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["make_sample_table.py"])
    runpy.run_path(str(tracked.with_name("make_sample_table.py")), run_name="__main__")
    assert tracked.read_bytes() == before
    written = tmp_path / "out" / "bang-tieu-chi-mau.xlsx"
    assert _cells(written) == _cells(tracked)


# ---------------------------------------------------------------- robustness
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

CODES = ["I", "II", "1", "1.1", "1.2", "2", "2.1", "a", "b)", "", None, 1, 1.1, 2, "x y", "T", "Tổng"]
NAMES = ["Tiêu chí", "", None, "Tổng cộng", "ĐIỂM THƯỞNG", "Điểm trừ", "1.1 Tên", "- Đạt", "II. LĨNH VỰC"]
MAXIMA = [1, "0,5", "2 điểm", None, "abc", 0, -1, 2.5, "1.5"]
RULES = [None, "Đạt: 1; Không đạt: 0", "trên 90%: 1; dưới 90%: 0", "chấm theo thực tế", "Điểm thưởng: tối đa 2",
         "Điểm = tỷ lệ × điểm tối đa", "0,5"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(CODES), st.sampled_from(NAMES), st.sampled_from(MAXIMA),
                          st.sampled_from(RULES), st.sampled_from([None, "Văn bản"])), max_size=10))
def test_any_table_gives_a_valid_rubric_or_its_problems(tmp_path_factory, rows):
    path = write_xlsx(tmp_path_factory.mktemp("t") / "t.xlsx", [HEADER, *rows])
    result = import_table(path, SOURCE)
    if result.rubric is None:
        assert result.report.problems
    else:
        assert result.report.problems == []
        assert load_rubric_text(rubric_yaml(result.rubric)) == result.rubric
