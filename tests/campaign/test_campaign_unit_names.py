"""One unit, however its name is written: “Hòa”/“Hoà”, NFC/NFD, case and inner spaces name the same
unit (``criteria.names.unit_key``). Adding it again another way is refused with one line naming the
unit that exists; submissions and survey tables that write it another way reach that unit."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scoring import campaign as c
from web.store import models as m

from .conftest import SELF_TIME, SURVEY, UNITS

VARIANTS = ["UBND xã Bình Hoà", "ubnd xã bình hòa", "UBND  xã   Bình Hòa", unicodedata.normalize("NFD", "UBND xã Bình Hoà"),
            "UBND XÃ BÌNH HÒA"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_near_duplicate_unit_is_refused_naming_the_unit_that_exists(small, variant: str) -> None:
    before = small.head()
    with pytest.raises(c.CampaignError) as refused:
        c.add_unit(small, ["UBND xã Mới", variant], by="Sở Nội vụ")
    assert len(refused.value.problems) == 1
    assert "trùng với đơn vị “UBND xã Bình Hòa” đã có trong chiến dịch" in str(refused.value)
    assert small.head() == before  # nothing added, not even the good name before it


def test_the_same_name_exactly_is_skipped_and_two_spellings_in_one_list_are_refused(small) -> None:
    assert c.add_unit(small, ["UBND xã Bình Hòa", "UBND xã Mới"], by="Sở Nội vụ") == ["UBND xã Mới"]
    with pytest.raises(c.CampaignError, match="“UBND xã Hoà Lạc” trùng với đơn vị “UBND xã Hòa Lạc” cũng có trong danh"):
        c.add_unit(small, ["UBND xã Hòa Lạc", "UBND xã Hoà Lạc"], by="Sở Nội vụ")
    keys = list(small.objects(m.Unit).values_list("key", flat=True))
    assert len(keys) == len(set(keys))


def test_the_command_line_refuses_in_one_line_with_exit_2(small) -> None:
    result = CliRunner().invoke(main, ["campaign", "add-unit", "-d", str(small.path), "UBND xã Bình Hoà",
                                       "--as", "Sở Nội vụ"], env={"PARINDEX_NOW": SELF_TIME})
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert lines[0].startswith(f"lỗi: {small.path}: đơn vị “UBND xã Bình Hoà” trùng với đơn vị “UBND xã Bình Hòa”")


def test_a_submission_and_a_survey_naming_the_unit_another_way_reach_it(small, tmp_path: Path) -> None:
    text = (UNITS / "binh-hoa.yaml").read_text(encoding="utf-8")
    assert "UBND xã Bình Hòa" in text
    other = tmp_path / "binh-hoa.yaml"
    other.write_text(text.replace("UBND xã Bình Hòa", "UBND xã Bình Hoà"), encoding="utf-8")
    outcome = c.submit(small, [other])[0]
    assert outcome.unit == "UBND xã Bình Hòa"
    survey = tmp_path / "khao-sat.csv"
    survey.write_text(SURVEY.read_text(encoding="utf-8").replace("UBND xã Bình Hòa", "ubnd xã  bình hoà"),
                      encoding="utf-8")
    c.import_survey(small, survey, by="Sở Nội vụ")
    assert "UBND xã Bình Hòa" in c.status(small).units[1].unit
    assert any(u.unit == "UBND xã Bình Hòa" and u.survey for u in c.status(small).units)
