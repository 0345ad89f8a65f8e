"""Campaign records name what they were computed with: the rubric's id, year and canonical SHA-256,
and the engine version; a publication is refused when the stored rubric no longer gives its hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from criteria import load_rubric, load_rubric_text
from criteria.canonical import canonical_text, engine_version, provenance
from scoring import campaign as c
from scoring.campaign.audit import sha256_text
from scoring.campaign.provenance import require_intact
from scoring.campaign.verification import entries
from web.store import models as m

from .conftest import ROUND2_TIME, SMALL, SURVEY
from .test_campaign_workflow import OPTIONS

RUBRIC = load_rubric(SMALL)


def _closed(store: c.CampaignStore, clock: c.FixedClock) -> c.CampaignStore:
    clock.set(ROUND2_TIME)
    for phase in ("tu-danh-gia", "tham-dinh-1", "giai-trinh", "tham-dinh-2"):
        if not c.phase_states(store)[c.PHASES.index(phase)].has_ended:
            c.close_phase(store, phase, by="Sở Nội vụ")
    return store


def test_every_entry_that_computes_points_names_the_rubric_hash_and_the_engine(small, clock, tmp_path: Path) -> None:
    c.import_survey(small, SURVEY, by="Sở Nội vụ")
    _closed(small, clock)
    c.publish(small, tmp_path / "cong-bo", OPTIONS, by="Sở Nội vụ")
    expected = {"rubric": RUBRIC.id, "year": RUBRIC.year, "engine": engine_version(),
                "rubric_sha256": hashlib.sha256(canonical_text(RUBRIC).encode()).hexdigest()}
    assert expected["rubric_sha256"] != sha256_text(SMALL.read_text(encoding="utf-8"))  # canonical, not the raw text
    log = entries(small)
    carrying = {e.action for e in log if "provenance" in e.detail}
    assert carrying == {"init", "submit", "import-survey", "publish"}
    assert all(e.detail["provenance"] == expected for e in log if "provenance" in e.detail)
    assert small.campaign.rubric_hash == expected["rubric_sha256"]
    report = c.verify(small)
    assert report.ok, report.problems
    assert any(expected["rubric_sha256"] in line for line in report.made_with)
    assert any(engine_version() in line for line in report.made_with)


def test_status_and_verify_print_the_rubric_hash_and_the_engine(small) -> None:
    digest = provenance(RUBRIC)["rubric_sha256"]
    for command in ("status", "verify"):
        result = CliRunner().invoke(main, ["campaign", command, "-d", str(small.path), "--as", "Sở Nội vụ"])
        assert result.exit_code == 0, result.output
        assert f"SHA-256 (dạng chuẩn) {digest}" in result.output and engine_version() in result.output


def test_a_publication_is_refused_when_the_stored_rubric_no_longer_gives_its_hash(small, clock, tmp_path: Path) -> None:
    _closed(small, clock)
    text = small.campaign.rubric_text
    edited = text.replace("max: 10", "max: 10  # chú thích", 1)
    assert edited != text
    m.Campaign.objects.using(small.alias).filter(pk=small.campaign.pk).update(rubric_text=edited)
    small.campaign.refresh_from_db(using=small.alias)
    require_intact(small)  # a comment does not change the canonical form
    changed = text.replace("Báo cáo", "Bao cao", 1)
    assert changed != text and load_rubric_text_ok(changed)
    m.Campaign.objects.using(small.alias).filter(pk=small.campaign.pk).update(rubric_text=changed)
    small.campaign.refresh_from_db(using=small.alias)
    before = small.head()
    with pytest.raises(c.CampaignError, match="Không công bố được: bộ chỉ số lưu trong chiến dịch không còn khớp"):
        c.publish(small, tmp_path / "cong-bo", OPTIONS, by="Sở Nội vụ")
    assert small.head() == before and not list((tmp_path / "cong-bo").glob("*.xlsx"))
    assert any("không còn khớp mã SHA-256" in p for p in c.verify(small).problems)


def load_rubric_text_ok(text: str) -> bool:
    return load_rubric_text(text, "thử").id == RUBRIC.id


def test_a_campaign_made_before_canonical_hashes_stays_readable_and_publishable(small, clock) -> None:
    """Older campaigns stored the raw text's SHA-256 and no provenance: accepted when the text still gives it."""
    raw = sha256_text(small.campaign.rubric_text)
    m.Campaign.objects.using(small.alias).filter(pk=small.campaign.pk).update(rubric_hash=raw)
    small.campaign.refresh_from_db(using=small.alias)
    require_intact(small)
    _closed(small, clock)
    status = c.status(small)
    assert any("tạo trước khi ghi mã dạng chuẩn" in line for line in status.made_with)
