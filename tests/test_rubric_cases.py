"""Each shipped rubric's own cases pass, and a wrong expectation is reported, not ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from criteria import InputError, load_rubric
from scoring.cases import cases_file_for, run_cases

ROOT = Path(__file__).resolve().parent.parent
RUBRICS = sorted((ROOT / "rubrics").glob("*.yaml"))


@pytest.mark.parametrize("path", RUBRICS, ids=lambda p: p.name)
def test_every_shipped_rubric_has_cases_and_they_pass(path: Path) -> None:
    cases = cases_file_for(path)
    assert cases.exists(), f"{cases} is missing"
    outcomes = run_cases(load_rubric(path), cases)
    assert outcomes and all(o.passed for o in outcomes), [o for o in outcomes if not o.passed]


def test_a_wrong_expectation_fails_with_what_was_expected(tmp_path: Path) -> None:
    cases = tmp_path / "sai.cases.yaml"
    cases.write_text('rubric: xuan-loc-2022\ncases:\n  - name: sai\n    evidence: {"4.1": "4/5"}\n'
                     '    expect: {"4.1": 0.8}\n', encoding="utf-8")
    rubric = ROOT / "rubrics" / "xuan-loc-2022.yaml"
    (outcome,) = run_cases(load_rubric(rubric), cases)
    assert outcome.failures == ("4.1: mong đợi 0,8, được 0",)
    result = CliRunner().invoke(main, ["rubric", "test", str(rubric), "--cases", str(cases)])
    assert result.exit_code == 1 and "0/1 ca đạt" in result.output


def test_a_cases_file_for_another_rubric_is_refused(tmp_path: Path) -> None:
    cases = tmp_path / "khac.cases.yaml"
    cases.write_text("rubric: khac\ncases: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="dành cho bộ chỉ số “khac”"):
        run_cases(load_rubric(ROOT / "rubrics" / "xuan-loc-2022.yaml"), cases)
