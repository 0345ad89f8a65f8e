"""Issue 11: bad input never wins — each reproducer of the issue, as a regression test.

Every refusal is one Vietnamese line naming the file and the place, exit code 2, no traceback.
"""

from __future__ import annotations

import re
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
