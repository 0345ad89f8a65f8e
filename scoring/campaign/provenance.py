"""What a campaign's records were computed with: the rubric's id, year and canonical SHA-256
(``criteria.canonical``) and the engine version.

The campaign row keeps the rubric's text and, since this format, the SHA-256 of its *canonical*
form (campaigns made before keep the SHA-256 of the raw text: both are accepted when the text
still gives them). Each entry that computes or fixes points — ``init``, ``submit``,
``import-survey``, ``publish`` — carries ``provenance`` in its hashed content, so the log says
which rubric and which engine stood behind every submission, survey import and publication.
A publication is refused when the stored text no longer gives the stored hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from criteria.canonical import provenance, rubric_sha256

from . import audit
from .store import RECORDED_WITH, CampaignError, CampaignStore

__all__ = ["RECORDED_WITH", "MadeWith", "describe", "made_with", "problems", "recorded", "require_intact"]


@dataclass(frozen=True)
class MadeWith:
    """The campaign's rubric as stored now, and what its entries recorded."""

    current: dict[str, Any]  # provenance(rubric) of the stored text, with this program's engine
    stored_hash: str  # the hash kept on the campaign row
    legacy: bool  # the stored hash is the raw text's (a campaign made before canonical hashes)
    engines: dict[str, list[int]]  # engine version → entry numbers that recorded it
    other_rubrics: list[tuple[int, str]]  # (entry, hash) of entries recorded with another rubric hash

    @property
    def hash_matches(self) -> bool:
        return self.legacy or self.stored_hash == self.current["rubric_sha256"]


def recorded(log: Iterable[audit.Entry]) -> list[tuple[int, dict[str, Any]]]:
    """(entry number, provenance) of every entry that carries one."""
    found = []
    for entry in log:
        made = entry.detail.get("provenance") if isinstance(entry.detail, dict) else None
        if isinstance(made, dict):
            found.append((entry.seq, made))
    return found


def made_with(store: CampaignStore, log: Iterable[audit.Entry]) -> MadeWith:
    """The rubric's identity now, checked against the campaign row and every entry's record."""
    rubric = store.rubric
    current = provenance(rubric)
    stored = store.campaign.rubric_hash
    legacy = stored != current["rubric_sha256"] and stored == audit.sha256_text(store.campaign.rubric_text)
    engines: dict[str, list[int]] = {}
    others = []
    for seq, made in recorded(log):
        engines.setdefault(str(made.get("engine")), []).append(seq)
        if made.get("rubric_sha256") != current["rubric_sha256"]:
            others.append((seq, str(made.get("rubric_sha256"))))
    return MadeWith(current, stored, legacy, engines, others)


def problems(found: MadeWith) -> list[str]:
    """What ``verify`` reports: a stored text that no longer gives its hash, entries of another rubric."""
    lines = []
    if not found.hash_matches:
        lines.append(f"bộ chỉ số lưu trong chiến dịch không còn khớp mã SHA-256 ghi khi tạo ({found.stored_hash[:16]}…; "
                     f"tính lại từ văn bản: {found.current['rubric_sha256'][:16]}…): đã bị sửa ngoài phần mềm")
    lines += [f"mục #{seq} ghi với bộ chỉ số SHA-256 {digest[:16]}…, không phải bộ chỉ số của chiến dịch"
              for seq, digest in found.other_rubrics]
    return lines


def describe(found: MadeWith) -> list[str]:
    """The lines ``status`` and ``verify`` print."""
    now = found.current
    lines = [f"Bộ chỉ số {now['rubric']} năm {now['year']}, SHA-256 (dạng chuẩn) {now['rubric_sha256']}"
             + (" — chiến dịch tạo trước khi ghi mã dạng chuẩn" if found.legacy else "")]
    for engine, seqs in found.engines.items():
        shown = ", ".join(f"#{s}" for s in seqs[:6]) + ("…" if len(seqs) > 6 else "")
        lines.append(f"  tính bằng {engine}: {len(seqs)} mục ({shown})")
    if not found.engines:
        lines.append("  nhật ký chưa ghi phiên bản phần mềm (chiến dịch tạo bằng phiên bản cũ)")
    lines.append(f"  phiên bản đang chạy: {now['engine']}")
    return lines


def require_intact(store: CampaignStore) -> None:
    """Refuse to go on (publish) when the stored rubric text no longer gives the stored hash."""
    rubric = store.rubric
    digest = rubric_sha256(rubric)
    stored = store.campaign.rubric_hash
    if stored not in (digest, audit.sha256_text(store.campaign.rubric_text)):
        raise CampaignError.single(store.name, "", "Không công bố được: bộ chỉ số lưu trong chiến dịch không còn khớp "
                                                   f"mã SHA-256 ghi khi tạo chiến dịch ({stored[:16]}…, tính lại: "
                                                   f"{digest[:16]}…), tức là đã bị sửa ngoài phần mềm; kiểm tra bằng "
                                                   "campaign verify")
