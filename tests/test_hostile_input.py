"""Issue 11: bad input never wins — each reproducer of the issue, as a regression test.

Every refusal is one Vietnamese line naming the file and the place, exit code 2, no traceback.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def refused(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


def evidence(tmp_path: Path, text: str, name: str = "e.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------ 1. text reaching the terminal
def test_unit_names_with_square_brackets_are_printed_as_written(tmp_path: Path) -> None:
    for name in ("UBND xã [/b]", "UBND xã [red]Đỏ[/red] :smile:"):
        path = evidence(tmp_path, f'unit: "{name}"\nevidence: {{"1.1.1": Ban hành kịp thời}}\n')
        result = run("score", "-r", DEMO, "-e", path)
        assert result.exit_code == 0, result.output
        assert name in result.output


def test_no_console_is_made_outside_the_one_safe_function() -> None:
    offenders = []
    for path in [ROOT / "cli.py", *(ROOT / "scoring").rglob("*.py"), *(ROOT / "criteria").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bConsole\(", text) and path != ROOT / "scoring" / "reports" / "terminal.py":
            offenders.append(str(path))
        if re.search(r"print\(f?\"\[(bold|red|green)", text):
            offenders.append(f"{path}: markup in a print")
    assert offenders == []


# ------------------------------------------------------------ 2. points above the maximum
def test_points_above_the_maximum_are_refused_with_the_place(tmp_path: Path) -> None:
    path = evidence(tmp_path, 'unit: X\nevidence: {"7.2": "3 | lý do"}\n')
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 2", "7.2", "3 điểm vượt điểm tối đa 2")


# ------------------------------------------------------------ 3. one number reader that refuses ambiguity
def test_a_dot_before_three_digits_is_refused_with_both_readings_where_points_are_meant(tmp_path: Path) -> None:
    path = evidence(tmp_path, 'unit: X\nevidence: {"7.1": "97.685"}\n')
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 2", "97,685", "97685", "hai cách đọc")


def test_a_count_or_a_ratio_part_can_only_be_whole_so_its_dot_is_a_thousands_dot() -> None:
    from criteria.rules.base import parse_count, parse_share

    assert parse_count("1.250") == 1250
    assert parse_share("3/1.250").a * 1250 == 3 * parse_share("3/1.250").b


def test_a_bare_share_of_at_most_one_is_refused_with_both_readings() -> None:
    import pytest

    from criteria.rules.base import parse_share

    for value, words in (("0,95", ("0,95%", "95%")), (1, ("1%", "100%")), (0.5, ("0,5%", "50%"))):
        with pytest.raises(ValueError) as caught:
            parse_share(value)
        assert all(w in str(caught.value) for w in words), caught.value
    assert parse_share("95%").a * 100 == 95 * parse_share("95%").b
    assert parse_share(0).a == 0


def test_yaml_1_1_number_oddities_are_refused_with_what_yaml_would_read(tmp_path: Path) -> None:
    for text, reading in (("0x10", "16"), ("1:30", "90"), ("1_0", "10"), ("017", "15")):
        path = evidence(tmp_path, f'unit: X\nevidence: {{"3.1.2": {text}}}\n')
        refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 2", f"“{text}”", f"YAML đọc thành {reading}")


def test_huge_numbers_are_refused_where_written(tmp_path: Path) -> None:
    for text in ('"1e999999999"', "1.0e+999999999", "9" * 4301):
        rubric = DEMO.read_text(encoding="utf-8").replace("max: 3\n", f"max: {text}\n", 1)
        path = evidence(tmp_path, rubric, "r.yaml")
        refused(run("rubric", "check", path), str(path), "quá lớn")


# ------------------------------------------------------------ 4. what rubric check accepts, score accepts
def _rubric_with(tmp_path: Path, old: str, new: str) -> Path:
    text = DEMO.read_text(encoding="utf-8")
    assert old in text
    return evidence(tmp_path, text.replace(old, new, 1), "r.yaml")


def test_points_finer_than_four_decimals_are_refused_by_rubric_check(tmp_path: Path) -> None:
    path = _rubric_with(tmp_path, "kịp thời, points: 1}", "kịp thời, points: 0.33333}")
    refused(run("rubric", "check", path), f"{path}: dòng", "“0.33333” có quá 4 chữ số thập phân")


# ------------------------------------------------------------ 5. integer arithmetic whose bounds are proven
def test_products_beyond_int64_are_computed_exactly() -> None:
    import numpy as np

    from criteria.rules.bands import BandsRule
    from criteria.rules.deduction import DeductionRule
    from criteria.rules.proportional import ProportionalRule

    rule = ProportionalRule(kind="proportional", decimals=4)
    assert rule.score(np.array([999_999_999_999]), np.array([10**12]), 1000 * 10**4).tolist() == [1000 * 10**4]
    bands = BandsRule(kind="bands", measure="number",
                      bands=[{"ge": 10**12, "points": 2}, {"lt": 10**12, "points": 0}])
    assert bands.score(np.array([3, 10**12]), np.array([7 * 10**11, 1]), 2 * 10**4).tolist() == [0, 2 * 10**4]
    deduction = DeductionRule(kind="deduction", per_occurrence=10**9, floor=-(10**9))
    assert deduction.score(np.array([10**12]), np.array([1]), 10**4).tolist() == [-(10**13)]


# ------------------------------------------------------------ 6. bounded loaders
def _bomb_yaml() -> str:
    levels = "abcdefghijkl"
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]" for p, c in zip(levels, levels[1:])]
    return "unit: X\nevidence:\n  \"1.1.1\":\n" + "".join(f"    {line}\n" for line in lines)


def test_yaml_alias_bombs_deep_trees_and_control_characters_are_refused_with_the_line(tmp_path: Path) -> None:
    bomb = evidence(tmp_path, _bomb_yaml(), "bomb.yaml")
    refused(run("score", "-r", DEMO, "-e", bomb), f"{bomb}: dòng", "quá nhiều giá trị")
    deep = evidence(tmp_path, 'unit: X\nevidence: {"1.1.1": ' + "[" * 170 + "]" * 170 + "}\n", "deep.yaml")
    refused(run("score", "-r", DEMO, "-e", deep), f"{deep}: dòng 2", "lồng quá sâu")
    rubric = DEMO.read_text(encoding="utf-8").replace("nodes:\n", "deep: " + "[" * 170 + "]" * 170 + "\nnodes:\n", 1)
    deep_rubric = evidence(tmp_path, rubric, "r.yaml")
    refused(run("rubric", "check", deep_rubric), f"{deep_rubric}: dòng", "lồng quá sâu")
    control = evidence(tmp_path, 'unit: X\nevidence: {"1.1.1": "a\x01b"}\n', "c.yaml")
    refused(run("score", "-r", DEMO, "-e", control), f"{control}: dòng 2", "U+0001")


def test_csv_cells_too_long_and_control_characters_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Đơn vị,1.1.1\nX," + "a" * 140_000 + "\n", encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 2", "ký tự")
    path.write_text('Đơn vị,1.1.1\nX,"' + "a" * 140_000 + "\n", encoding="utf-8")  # an unclosed quote
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng", "ngoặc kép")
    path.write_text("Đơn vị,1.1.1\nY,1\nX\x07,2\n", encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 3", "U+0007")


def _rewritten(source: Path, target: Path, change) -> Path:
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))
    return target


def test_damaged_and_bomb_workbooks_are_refused_in_vietnamese(tmp_path: Path) -> None:
    import openpyxl

    sheet = ROOT / "examples" / "xa-dong-tien-tu-danh-gia.xlsx"
    first = "xl/worksheets/sheet1.xml"
    bomb = _rewritten(sheet, tmp_path / "bomb.xlsx", lambda n, d: d + b" " * (50 * 1024 * 1024) if n == first else d)
    refused(run("score", "-r", DEMO, "-e", bomb), str(bomb), "giải nén lớn gấp")
    cut = _rewritten(sheet, tmp_path / "cut.xlsx", lambda n, d: d[: len(d) // 2] if n == first else d)
    refused(run("score", "-r", DEMO, "-e", cut), str(cut), "bị hỏng")
    data = bytearray(sheet.read_bytes())
    for k in range(2000, 2400):
        data[k] ^= 0x55
    flipped = tmp_path / "flip.xlsx"
    flipped.write_bytes(bytes(data))
    refused(run("score", "-r", DEMO, "-e", flipped), str(flipped), "bị hỏng")
    book = openpyxl.load_workbook(sheet)
    book.worksheets[0]["A1000000"] = "x"
    book.save(tmp_path / "far.xlsx")
    refused(run("score", "-r", DEMO, "-e", tmp_path / "far.xlsx"), "ô K1000000", "xóa các ô thừa")


# ------------------------------------------------------------ 7. formulas
def _formula_book(tmp_path: Path, formula: str, stored: str) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Đơn vị", "3.1.2"])
    book.active.append(["X", formula])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    body = formula[1:].replace("&", "&amp;").replace("<", "&lt;").encode()
    return _rewritten(plain, tmp_path / "f.xlsx", lambda n, d: d.replace(
        b"<f>" + body + b"</f><v></v>", b"<f>" + body + b"</f><v>" + stored.encode() + b"</v>"))


def test_a_formula_is_computed_by_parindex_never_taken_from_the_value_the_file_stores(tmp_path: Path) -> None:
    lying = _formula_book(tmp_path, "=0*1", "4")
    refused(run("score", "-r", DEMO, "-e", lying, "-f", "csv"), "sheet Sheet, ô B2", "=0*1", "cho 0", "lưu giá trị 4")
    honest = _formula_book(tmp_path, "=10+2", "12")
    result = run("score", "-r", DEMO, "-e", honest, "-f", "json")
    assert result.exit_code == 0, result.output
    assert '"3.1.2"' in result.output
    reference = _formula_book(tmp_path, "=B5*2", "4")
    refused(run("score", "-r", DEMO, "-e", reference), "sheet Sheet, ô B2", "tham chiếu ô khác hoặc dùng hàm")


def test_codes_starting_with_formula_characters_never_become_live_formulas(tmp_path: Path) -> None:
    import csv
    import io

    import openpyxl

    from criteria import load_rubric
    from scoring.workbook.template import build_template

    text = DEMO.read_text(encoding="utf-8").replace('code: "1.1.1"', 'code: "=1+1"', 1)
    assert 'code: "=1+1"' in text
    path = evidence(tmp_path, text, "r.yaml")
    template = tmp_path / "t.xlsx"
    build_template(load_rubric(path)).save(template)
    texts = []
    for ws in openpyxl.load_workbook(template).worksheets:
        for row in ws.iter_rows():
            assert not any(cell.data_type == "f" and "1+1" in str(cell.value) for cell in row), ws.title
            texts += [cell.value for cell in row if cell.data_type == "s"]
    assert "=1+1" in texts  # the hidden sheet's key, kept as text
    ev = evidence(tmp_path, 'unit: X\nevidence: {"=1+1": Ban hành kịp thời}\n')
    result = run("score", "-r", path, "-e", ev, "-f", "csv")
    assert result.exit_code == 0, result.output
    codes = [row[1] for row in csv.reader(io.StringIO(result.output))]
    assert "'=1+1" in codes and "=1+1" not in codes


# ------------------------------------------------------------ 8. batch outputs that collide
def test_plan_all_writes_units_whose_names_read_alike_to_files_of_their_own(tmp_path: Path) -> None:
    """“An Phú” and “Ân Phú” are two communes whose names lose their difference in a file name:
    each gets its own file (“-2”), neither overwrites the other, and the count says two."""
    rows = (ROOT / "examples" / "communes.csv").read_text(encoding="utf-8").splitlines()
    first = rows[1].split(",", 1)
    data = tmp_path / "units.csv"
    data.write_text("\n".join([rows[0], f"UBND xã An Phú,{first[1]}", f"UBND xã Ân Phú,{first[1]}"]) + "\n",
                    encoding="utf-8")
    profile = ROOT / "examples" / "profiles" / "xa-an-phu.yaml"
    template = tmp_path / "p.yaml"
    template.write_text(profile.read_text(encoding="utf-8").replace("unit: UBND xã An Phú", 'unit: "*"', 1),
                        encoding="utf-8")
    out = tmp_path / "plans"
    result = run("plan", "-r", DEMO, "--result", data, "-p", template, "--all", "-o", out)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert files == ["ke-hoach-khac-phuc-xa-an-phu-2.docx", "ke-hoach-khac-phuc-xa-an-phu.docx"], files
    assert all(zipfile.ZipFile(out / name).testzip() is None for name in files)  # both whole
    assert "Đã ghi 2 kế hoạch" in result.output


def test_an_output_that_is_an_input_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    data = tmp_path / "communes.csv"
    original = (ROOT / "examples" / "communes.csv").read_bytes()
    data.write_bytes(original)
    refused(run("score", "-r", DEMO, "-e", data, "-f", "csv", "-o", data), "trùng với tệp đầu vào")
    assert data.read_bytes() == original


# ------------------------------------------------------------ 10. unit identity
def test_names_that_differ_only_in_tone_placement_spaces_or_case_are_one_unit(tmp_path: Path) -> None:
    from criteria.names import unit_key

    assert unit_key("UBND xã Hòa Bình") == unit_key("UBND  xã Hoà  Bình") == unit_key("ubnd xã hoà bình")
    assert unit_key("Thủy") == unit_key("Thuỷ")
    assert unit_key("Hòa") != unit_key("Hoa") and unit_key("An Phú") != unit_key("Ân Phú")
    rows = (ROOT / "examples" / "communes.csv").read_text(encoding="utf-8").splitlines()
    values = rows[1].split(",", 1)[1]
    data = tmp_path / "units.csv"
    data.write_text("\n".join([rows[0], f"UBND xã Hòa Bình,{values}", f"UBND xã Hoà  Bình,{values}"]) + "\n",
                    encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", data), f"{data}: dòng 3", "trùng với “UBND xã Hòa Bình”")
    one = tmp_path / "one.yaml"
    one.write_text('unit: "UBND xã Hoà Bình"\nevidence: {"1.1.1": Ban hành kịp thời}\n', encoding="utf-8")
    other = tmp_path / "two.yaml"
    other.write_text('unit: "UBND xã  Hòa Bình"\nevidence: {"1.1.1": Ban hành kịp thời}\n', encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", one, "-e", other), "trùng với")


# ------------------------------------------------------------ 11. streaming outputs, 13. provenance
def test_streamed_json_and_csv_are_the_bytes_the_per_unit_writer_made(tmp_path: Path) -> None:
    import csv
    import io
    import json

    from benchmarks.synthetic import raw_frame
    from criteria import load_rubric
    from criteria.canonical import provenance
    from criteria.numbers import round_half_up
    from scoring.engine import score
    from scoring.evidence import validate_frame
    from scoring.ranking import rank
    from scoring.reports.stream import sheet_csv_text, sheet_json_text
    from scoring.reports.text import safe_cell, unit_json

    rubric = load_rubric(DEMO)
    sheet = score(rubric, validate_frame(rubric, raw_frame(rubric, 60, seed=11), "synthetic"))
    ranks = {r.unit: r.rank for r in rank(sheet)}
    for traces in (True, False):
        units = []
        for result in sheet.results(traces):
            data = unit_json(result, rubric.precision, traces)
            data["rank"] = ranks[result.unit]
            units.append(data)
        reference = json.dumps({"rubric": rubric.id, "year": rubric.year, **provenance(rubric), "units": units},
                               ensure_ascii=False, indent=2) + "\n"
        assert sheet_json_text(sheet, traces) == reference
    made = provenance(rubric)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for result in sheet.results(traces=True):
        for n in result.nodes:
            writer.writerow([safe_cell(result.unit), safe_cell(n.code), safe_cell(n.name),
                             *("" if v is None else f"{round_half_up(v, rubric.precision)}"
                               for v in (n.points, n.max, n.lost, n.index)),
                             n.status, safe_cell(n.trace.explanation) if n.trace else "",
                             made["rubric"], made["year"], made["rubric_sha256"], made["engine"]])
    assert sheet_csv_text(sheet).split("\n", 1)[1] == buffer.getvalue()


def test_the_rubric_hash_follows_meaning_not_layout(tmp_path: Path) -> None:
    from criteria import load_rubric
    from criteria.canonical import canonical_text, rubric_sha256

    text = DEMO.read_text(encoding="utf-8")
    base = rubric_sha256(load_rubric(DEMO))
    assert len(base) == 64 and '"max":"3"' in canonical_text(load_rubric(DEMO))
    same = evidence(tmp_path, "# một dòng ghi chú\n" + text.replace("max: 3\n", "max: 3.0\n", 1), "same.yaml")
    assert rubric_sha256(load_rubric(same)) == base
    changed = evidence(tmp_path, text.replace("{gt: 5, points: 0}", "{gt: 6, points: 0}", 1)
                       .replace("{gt: 2, le: 5, points: 1}", "{gt: 2, le: 6, points: 1}", 1), "changed.yaml")
    assert rubric_sha256(load_rubric(changed)) != base


def test_every_result_names_the_rubric_hash_and_the_engine(tmp_path: Path) -> None:
    import docx
    import openpyxl

    from criteria import load_rubric
    from criteria.canonical import rubric_sha256

    digest = rubric_sha256(load_rubric(DEMO))
    an_phu = ROOT / "examples" / "xa-an-phu.yaml"
    assert f'"rubric_sha256": "{digest}"' in run("score", "-r", DEMO, "-e", an_phu, "-f", "json").output
    csv_out = run("score", "-r", DEMO, "-e", an_phu, "-f", "csv").output.splitlines()
    assert csv_out[0].endswith(",rubric,rubric_year,rubric_sha256,engine") and digest in csv_out[1]
    run("score", "-r", DEMO, "-e", an_phu, "-f", "xlsx", "-o", tmp_path / "k.xlsx")
    book = openpyxl.load_workbook(tmp_path / "k.xlsx")
    assert book.worksheets[-1]["B3"].value == digest and digest in book.worksheets[0].oddFooter.left.text
    run("score", "-r", DEMO, "-e", an_phu, "-f", "docx", "-o", tmp_path / "k.docx")
    footers = [p.text for s in docx.Document(str(tmp_path / "k.docx")).sections for p in s.footer.paragraphs]
    assert any(digest in text and "parindex" in text for text in footers)


def test_a_table_with_a_header_and_no_unit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("Đơn vị,1.1.1\n", encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", path, "-f", "json"), str(path), "không có đơn vị nào")


# ------------------------------------------------------------ 9. side files: the previous-year table
def test_previous_year_rows_with_duplicate_units_or_indices_outside_0_100_are_named() -> None:
    from decimal import Decimal

    from scoring.previous import previous_problems

    rows = [("UBND xã Hòa Bình", Decimal("80"), "dòng 2"), ("UBND xã Hoà Bình", Decimal("81"), "dòng 3"),
            ("UBND xã A", Decimal("350"), "dòng 4"), ("UBND xã B", Decimal("-20"), "dòng 5"),
            ("UBND xã C", Decimal("100"), "dòng 6")]
    problems = previous_problems("kq.csv", rows)
    assert [(p.place, p.message) for p in problems] == [
        ("dòng 3", "đơn vị “UBND xã Hoà Bình” trùng với “UBND xã Hòa Bình”: mỗi đơn vị chỉ một dòng"),
        ("dòng 4", "chỉ số 350% ngoài khoảng 0–100%"),
        ("dòng 5", "chỉ số -20% ngoài khoảng 0–100%"),
    ]


def test_the_campaigns_previous_year_table_refuses_duplicates_and_impossible_indices(tmp_path: Path) -> None:
    """Issue item 9, through the reader ``rank --previous`` and ``publish --previous`` use."""
    from criteria import InputError
    from scoring.campaign.standings import load_previous

    table = tmp_path / "ket-qua-nam-truoc.csv"
    table.write_text("Đơn vị,Chỉ số CCHC (%)\nUBND xã Hòa Bình,80\nUBND xã Hoà  Bình,70\nUBND xã Lạ,350\n"
                     "UBND xã Âm,-20\n", encoding="utf-8")
    try:
        load_previous(table)
    except InputError as exc:
        lines = [str(p) for p in exc.problems]
    else:
        raise AssertionError("a table with a duplicate unit and indices of 350 % and −20 % was accepted")
    assert any("dòng 3" in line and "trùng với “UBND xã Hòa Bình”" in line for line in lines), lines
    assert any("dòng 4" in line and "350% ngoài khoảng 0–100%" in line for line in lines), lines
    assert any("dòng 5" in line and "ngoài khoảng 0–100%" in line for line in lines), lines
