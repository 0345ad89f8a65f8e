"""``draft_all`` on every core: the same files as one process writes, names never twice, every
unit reported to the progress callback once."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from criteria import load_rubric
from scoring.plans import api
from scoring.plans.api import draft_all, plan_filenames
from scoring.plans.profile import load_profiles
from scoring.plans.scored import load_scored

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = load_rubric(ROOT / "rubrics" / "demo-xa-2025.yaml")
SCORED = load_scored(RUBRIC, ROOT / "examples" / "communes.csv")
PROFILES = load_profiles(ROOT / "examples" / "profiles")


def contents(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: re.sub(rb' w:date="[^"]*"', b"", archive.read(name)) for name in archive.namelist()}


def test_names_that_read_the_same_without_accents_are_numbered() -> None:
    names = plan_filenames(["UBND xã Đồng Tâm", "UBND xã Đông Tâm", "UBND xã Dong Tam", "UBND xã An Phú"],
                           "remediation", "docx")
    assert list(names.values()) == ["ke-hoach-khac-phuc-xa-dong-tam.docx", "ke-hoach-khac-phuc-xa-dong-tam-2.docx",
                                    "ke-hoach-khac-phuc-xa-dong-tam-3.docx", "ke-hoach-khac-phuc-xa-an-phu.docx"]


@pytest.mark.parametrize("kind", ["remediation", "annual"])
def test_two_processes_write_the_same_plans_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    serial = draft_all(RUBRIC, SCORED, PROFILES, tmp_path / "one", kind=kind, workers=1, target="nhóm Tốt")
    monkeypatch.setattr(api, "CHUNK", 2)  # 5 units → 3 chunks over 2 processes
    seen: list[tuple[int, int, str]] = []
    parallel = draft_all(RUBRIC, SCORED, PROFILES, tmp_path / "two", kind=kind, workers=2, target="nhóm Tốt",
                         on_progress=lambda done, total, unit: seen.append((done, total, unit)))
    assert [done for done, _, _ in seen] == list(range(1, 6)) and {total for _, total, _ in seen} == {5}
    assert sorted(unit for _, _, unit in seen) == sorted(SCORED.units)
    assert [w.unit for w in parallel] == [w.unit for w in serial] == list(SCORED.units)
    assert [(w.tasks, w.warnings) for w in parallel] == [(w.tasks, w.warnings) for w in serial]
    for one, two in zip(serial, parallel):
        assert one.path.name == two.path.name
        assert contents(one.path) == contents(two.path)  # every part, comments' dates aside
