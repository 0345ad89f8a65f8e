"""Starting a campaign (``init``) and registering its units (``add_unit``)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from criteria import load_rubric
from criteria.rules.base import nfc

from scoring.inputs.readers import read_evidence

from .audit import sha256_text
from .cells import dumps
from .clock import Clock
from .phases import SELF, parse_deadlines, require_open
from .store import CampaignError, CampaignStore

Progress = Callable[[int, int], None]  # (done, total)


def init(location: str | Path, rubric_path: str | Path, name: str, *, by: str,
         deadlines: dict[str, str] | None = None, year: int | None = None,
         clock: Clock | None = None) -> CampaignStore:
    """Create a campaign file for one rubric and year; the rubric text is frozen inside it.

    ``deadlines`` maps phase names (``tu-danh-gia``, ``tham-dinh-1``, ``giai-trinh``,
    ``tham-dinh-2``) to moments (“31/01/2026” = end of that day, or “31/01/2026 17:00”).
    ``year`` is the year assessed (default: the rubric's year).
    """
    rubric = load_rubric(rubric_path)  # validates, with lines, before anything is written
    text = Path(rubric_path).read_text(encoding="utf-8")
    if not name.strip():
        raise CampaignError.single(str(location), "", "cần tên chiến dịch (--name)")
    if not by.strip():
        raise CampaignError.single(str(location), "", "cần tên người khởi tạo (--by)")
    if year is not None and not 2000 <= year <= 2100:
        raise CampaignError.single(str(location), "", f"năm đánh giá {year} không hợp lệ")
    try:
        phases = parse_deadlines(deadlines or {})
    except ValueError as exc:
        raise CampaignError.single(str(location), "hạn giai đoạn", str(exc)) from None
    store = CampaignStore.create(location, clock)
    try:
        with store.writing():
            store.record("campaign", {
                "name": nfc(name), "year": year or rubric.year, "rubric_id": rubric.id,
                "rubric_sha256": sha256_text(text), "rubric_text": text, "deadlines": dumps(phases),
            }, action="init", actor=by.strip())
    except BaseException:
        store.close()
        store.path.unlink(missing_ok=True)
        raise
    return store


def add_unit(store: CampaignStore, names: Iterable[str], *, by: str, level: str = "",
             on_progress: Progress | None = None) -> list[str]:
    """Register units (unique names); a name already there is skipped. Returns those added.

    Units are added while self-assessment is open; ``level`` is free text (xã, phường, sở…).
    """
    wanted = [nfc(n) for n in names if nfc(n)]
    if not wanted:
        raise CampaignError.single(store.name, "", "cần ít nhất một tên đơn vị")
    if not by.strip():
        raise CampaignError.single(store.name, "", "cần tên người thêm đơn vị (--by)")
    added: list[str] = []
    with store.writing():
        require_open(store, SELF, "thêm đơn vị")
        existing = {n for _, n, _ in store.units()}
        for done, unit in enumerate(wanted, 1):
            if unit not in existing:
                store.record("unit", {"name": unit, "level": nfc(level)}, action="add-unit",
                             actor=by.strip(), unit=unit)
                existing.add(unit)
                added.append(unit)
            if on_progress:
                on_progress(done, len(wanted))
    return added



def unit_names_from_files(store: CampaignStore, paths: Iterable[str | Path]) -> list[str]:
    """The units named in evidence files (.yaml, or the unit column of .csv/.xlsx), in order."""
    names: list[str] = []
    for path in paths:
        names.extend(u for u in read_evidence(store.rubric, path).units if u not in names)
    return names
