"""Every malformed input gets one clear line naming file, line and criterion code."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner

from cli import main
from criteria import EvidenceError, RubricError, load_rubric_text
from scoring import validate_frame
from scoring.inputs.readers import read_evidence

GOOD = """id: thu
title: Bộ thử
level: xã
year: 2025
source: thử nghiệm
nodes:
  - code: "1"
    name: Lĩnh vực
    max: 3
    children:
      - code: "1.1"
        name: Ban hành kế hoạch
        max: 1
        provenance: illustrative
        rule: {kind: choice, options: [{label: Kịp thời, points: 1}, {label: Không kịp thời, points: 0.5}, {label: Không ban hành, points: 0}]}
      - code: "1.10"
        name: Mức độ thực hiện
        max: 2
        provenance: illustrative
        rule:
          kind: bands
          bands: [{gt: 90, points: 2}, {ge: 70, le: 90, points: 1}, {lt: 70, points: 0}]
"""


def refused(text: str) -> list[str]:
    with pytest.raises(RubricError) as caught:
        load_rubric_text(text, "thu.yaml")
    return [str(p) for p in caught.value.problems]


def test_the_good_rubric_loads_and_keeps_codes_as_strings() -> None:
    rubric = load_rubric_text(GOOD, "thu.yaml")
    assert [n.code for n in rubric.all_nodes()] == ["1", "1.1", "1.10"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    name: Lĩnh vực\n", "    name: Lĩnh vực\n    name: Lặp\n"), "thu.yaml: dòng 9: khóa “name” bị lặp (đã có ở dòng 8)"),
        (("        max: 1\n", "        max: 1\n        colour: red\n"), "thu.yaml: dòng 14: tiêu chí “1.1”: “colour”: trường không được phép"),
        (('code: "1.10"', "code: 1.10"), "thu.yaml: dòng 16: tiêu chí “1.10”: “code”: phải là chuỗi"),
        (('code: "1.10"', 'code: "1.1"'), "mã “1.1” bị lặp"),
        (("    max: 3\n", "    max: 4\n"), "thu.yaml: dòng 7: tiêu chí “1”: tổng điểm tối đa của các nút con (3) khác điểm tối đa (4)"),
        (("{ge: 70, le: 90, points: 1}", "{ge: 60, le: 95, points: 1}"), "tiêu chí “1.10”: các khoảng chồng lên nhau"),
        (("{ge: 70, le: 90, points: 1}", "{ge: 70, lt: 80, points: 1}"), "tiêu chí “1.10”: có khoảng trống"),
        (("{gt: 90, points: 2}, {ge: 70, le: 90, points: 1}", "{ge: 70, le: 90, points: 1}, {gt: 90, points: 2}"), "tiêu chí “1.10”:"),
        (("{label: Không kịp thời, points: 0.5}", "{label: Không kịp thời, points: 1.5}"), "tiêu chí “1.1”: lựa chọn “Không kịp thời” có 1,5 điểm, ngoài khoảng [0; 1]"),
        (("{label: Không ban hành, points: 0}", "{label: Không ban hành, points: -0.5}"), "ngoài khoảng [0; 1]"),
        (("max: 2\n        provenance", "max: hai\n        provenance"), "tiêu chí “1.10”: “max”: “hai” không phải là số"),
        (("year: 2025", "year: năm nay"), "dòng 4: “year”: phải là số nguyên"),
        (("rule: {kind: choice", "rule: {kind: chon"), "tiêu chí “1.1”: “rule”: loại quy tắc (kind) không hợp lệ"),
        (("        provenance: illustrative\n        rule: {kind: choice", "        rule: {kind: choice"), "tiêu chí “1.1”: tiêu chí lá cần provenance"),
        (("id: thu\n", ""), "thu.yaml: dòng 1: “id”: thiếu trường bắt buộc"),
    ],
)
def test_each_rubric_error_is_one_clear_line(change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD
    lines = refused(GOOD.replace(old, new, 1))
    assert any(expected in line for line in lines), lines
    assert all(line.startswith("thu.yaml") for line in lines)


def test_yaml_syntax_error_names_the_line() -> None:
    lines = refused(GOOD + "  - code: [unclosed\n")
    assert lines[0].startswith("thu.yaml: dòng ") and "YAML không hợp lệ" in lines[0]


def test_yaml_is_loaded_safely() -> None:
    lines = refused("!!python/object/apply:os.system ['echo hacked']\n")
    assert "YAML không hợp lệ" in lines[0]


RUBRIC = load_rubric_text(GOOD.replace("max: 3", "max: 4").replace(
    "          bands: [{gt: 90, points: 2}, {ge: 70, le: 90, points: 1}, {lt: 70, points: 0}]\n",
    "          bands: [{gt: 90, points: 2}, {ge: 70, le: 90, points: 1}, {lt: 70, points: 0}]\n"
    "      - code: \"1.2\"\n        name: Ngày ban hành\n        max: 1\n        provenance: illustrative\n"
    "        rule: {kind: deadline, due: 2024-12-31, late: 0.5}\n"), "thu.yaml")


def evidence_problems(cells: dict[str, list[object]]) -> list[str]:
    frame = pd.DataFrame(cells, index=[f"Xã {i}" for i in range(len(next(iter(cells.values()))))], dtype=object)
    with pytest.raises(EvidenceError) as caught:
        validate_frame(RUBRIC, frame, "so-lieu.csv", lambda row, code: f"dòng {row + 2}, cột “{code}”")
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"9.9": ["1"]}, "so-lieu.csv: dòng 1, cột “9.9”: mã tiêu chí “9.9” không có trong bộ chỉ số thu"),
        ({"1.1": ["Rất kịp thời"]}, "so-lieu.csv: dòng 2, cột “1.1”: tiêu chí “1.1”: cần một trong: “Kịp thời”"),
        ({"1.10": ["120%"]}, "tiêu chí “1.10”: tỷ lệ phải trong khoảng 0–100%, nhận được “120%”"),
        ({"1.10": ["-5"]}, "tỷ lệ phải trong khoảng 0–100%"),
        ({"1.10": ["51/50"]}, "tiêu chí “1.10”: tử số lớn hơn mẫu số (“51/50”)"),
        ({"1.10": ["nhiều"]}, "“nhiều” không phải là số"),
        ({"1.2": ["31/02/2025"]}, "tiêu chí “1.2”: cần ngày ban hành văn bản (ngày/tháng/năm) hoặc “Không ban hành”, nhận được “31/02/2025”"),
        ({"1.10": ["1.000,5"]}, "tỷ lệ phải trong khoảng 0–100%"),
    ],
)
def test_each_evidence_error_names_the_cell(cells: dict[str, list[object]], expected: str) -> None:
    lines = evidence_problems(cells)
    assert any(expected in line for line in lines), lines


def test_several_evidence_problems_are_reported_at_once() -> None:
    lines = evidence_problems({"1.1": ["sai", "Kịp thời", "cũng sai"], "1.10": ["200%", "50%", "x"]})
    assert len(lines) == 4
    assert {line.split(":")[1].strip() for line in lines} == {"dòng 2, cột “1.1”", "dòng 4, cột “1.1”",
                                                              "dòng 2, cột “1.10”", "dòng 4, cột “1.10”"}


def test_decimal_commas_and_percent_signs_are_accepted() -> None:
    frame = pd.DataFrame({"1.10": ["90,5%", "90,5", "181/200"]}, index=["a", "b", "c"], dtype=object)
    table = validate_frame(RUBRIC, frame, "so-lieu.csv")
    column = table.columns["1.10"]
    assert list(column.a) == [181, 181, 181] and list(column.b) == [200, 200, 200]


def test_yaml_evidence_errors_name_the_line(tmp_path) -> None:
    path = tmp_path / "xa.yaml"
    path.write_text('unit: Xã A\nevidence:\n  "1.1": Kịp thời\n  "1.10": 150%\n  "7.7": 1\n', encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        read_evidence(RUBRIC, path)
    lines = [str(p) for p in caught.value.problems]
    assert f"{path}: dòng 4: tiêu chí “1.10”: tỷ lệ phải trong khoảng 0–100%, nhận được “150%”" in lines
    assert any(line.startswith(f"{path}: dòng 5") and "7.7" in line for line in lines)


def test_yaml_evidence_refuses_unknown_top_level_keys_and_wrong_rubric(tmp_path) -> None:
    path = tmp_path / "xa.yaml"
    path.write_text("unit: Xã A\nrubric: khac\nevidense: {}\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        read_evidence(RUBRIC, path)
    text = str(caught.value)
    assert "dòng 3: trường “evidense” không được phép" in text
    assert "dòng 2: số liệu dành cho bộ chỉ số “khac”" in text


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(GOOD.replace("max: 3", "max: 5"), encoding="utf-8")
    result = CliRunner().invoke(main, ["rubric", "check", str(rubric)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"lỗi: {rubric}: dòng 7: tiêu chí “1”")


def test_cli_missing_evidence_file(tmp_path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(main, ["score", "-r", str(rubric), "-e", str(tmp_path / "none.csv")])
    assert result.exit_code == 2
    assert result.output.strip() == f"lỗi: {tmp_path / 'none.csv'}: không tìm thấy tệp"


def test_csv_repeated_column_is_refused_not_renamed(tmp_path) -> None:
    path = tmp_path / "lap.csv"
    path.write_text("Đơn vị,1.1,1.1\nXã A,Kịp thời,Kịp thời\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="dòng 1: cột bị lặp: 1.1"):
        read_evidence(RUBRIC, path)


def test_csv_blank_rows_are_skipped_and_row_numbers_stay_true(tmp_path) -> None:
    path = tmp_path / "trong.csv"
    path.write_text("Đơn vị,1.1,1.10\n\nXã A,Kịp thời,45/50\n,,\nXã B,Kịp thời,150%\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        read_evidence(RUBRIC, path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: dòng 5, cột “1.10”: tiêu chí “1.10”: tỷ lệ phải trong khoảng 0–100%, nhận được “150%”"]


def test_plan_needs_exactly_one_source_of_results() -> None:
    runner = CliRunner()
    neither = runner.invoke(main, ["plan", "--profile", "examples/profiles/xa-an-phu.yaml", "--format", "md"])
    assert neither.exit_code == 2 and "cần đúng một trong --result TỆP hoặc --campaign TỆP.db" in neither.output
    both = runner.invoke(main, ["plan", "--result", "examples/xa-an-phu.yaml", "--campaign", "x.db",
                                "--profile", "examples/profiles/xa-an-phu.yaml"])
    assert both.exit_code == 2 and "cần đúng một trong" in both.output


def test_every_number_in_a_rubric_may_be_written_with_a_decimal_comma() -> None:
    text = GOOD.replace("points: 0.5}", 'points: "0,5"}').replace("max: 2\n", 'max: "2 điểm"\n')
    rubric = load_rubric_text(text, "thu.yaml")
    assert rubric.by_code["1.1"].rule.options[1].points == Decimal("0.5")
    assert rubric.by_code["1.10"].max == 2
    lines = refused(GOOD.replace("points: 0.5}", 'points: "nửa"}'))
    assert any("tiêu chí “1.1”" in line and "“nửa” không phải là số" in line for line in lines), lines


def test_a_machine_written_number_in_a_rubric_is_read_but_not_a_huge_one() -> None:
    assert load_rubric_text(GOOD.replace("points: 0.5}", 'points: "5E-1"}'), "thu.yaml").by_code["1.1"].rule.options[1].points == Decimal("0.5")
    lines = refused(GOOD.replace("points: 0.5}", 'points: "1E+400"}'))
    assert any("quá lớn" in line and "tiêu chí “1.1”" in line for line in lines), lines
