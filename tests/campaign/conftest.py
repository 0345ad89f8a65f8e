"""Shared fixtures: a small rubric campaign with four units, and a clock tests move by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import campaign as c

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SMALL = HERE / "rubric-nho.yaml"
UNITS = HERE / "don-vi"
SURVEY = HERE / "khao-sat.csv"
DEADLINES = {"tu-danh-gia": "31/01/2026", "tham-dinh-1": "28/02/2026", "giai-trinh": "10/03/2026",
             "tham-dinh-2": "20/03/2026"}
SELF_TIME, ROUND1_TIME, EXPLAIN_TIME, ROUND2_TIME = ("10/01/2026 08:00", "05/02/2026 08:00",
                                                     "02/03/2026 08:00", "12/03/2026 08:00")
FILES = [UNITS / "an-phu.yaml", UNITS / "binh-hoa.yaml", UNITS / "cat-tien.csv"]


@pytest.fixture
def clock() -> c.FixedClock:
    return c.FixedClock(SELF_TIME)


@pytest.fixture
def small(tmp_path: Path, clock: c.FixedClock):  # noqa: ANN201 - CampaignStore
    """A campaign of the small rubric: four units added and submitted, self-assessment open."""
    store = c.init(tmp_path / "nho.db", SMALL, "Thử nghiệm", by="Sở Nội vụ", deadlines=DEADLINES, clock=clock)
    c.add_unit(store, c.unit_names_from_files(store, FILES), by="Sở Nội vụ", level="xã")
    c.submit(store, FILES)
    yield store
    store.close()
