"""Blank rows in a wide CSV are skipped, and problems still name the file's own line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteria import EvidenceError, load_rubric
from scoring import read_evidence

ROOT = Path(__file__).parent.parent
RUBRIC = load_rubric(ROOT / "rubrics" / "xuan-loc-2022.yaml")


def test_blank_and_space_only_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "xa.csv"
    path.write_text("Đơn vị,4.1,4.2\nXã A,9/10,1; 3\n,,\n  , ,\nXã B,95%,\n", encoding="utf-8")
    table = read_evidence(RUBRIC, path)
    assert table.units == ["Xã A", "Xã B"]


def test_a_problem_after_blank_rows_names_the_line_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "xa.csv"
    path.write_text("Đơn vị,4.1,4.2\nXã A,9/10,1\n,,\n,,\nXã B,120%,\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        read_evidence(RUBRIC, path)
    assert "dòng 5, cột “4.1”" in str(caught.value)
