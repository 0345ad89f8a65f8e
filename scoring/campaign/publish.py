"""Publication: the final result stored once, the ranked table (xlsx), the Quyết định công bố
with its landscape appendix (docx, NĐ 30/2020 layout from ``scoring.office.nd30``), and two charts.

Publishing needs appraisal round 2 to have ended; it records the final result in the log
(re-publishing the same result writes the files again and nothing else) and then locks the
campaign. The workbook's footnote keeps the log's head (number and SHA-256) so anyone can later
check, with ``verify --anchor``, that the log behind the published numbers was not rewritten; the
decision itself prints no hash.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Sequence

from criteria.files import os_reason
from scoring.plans.docx import save_docx
from scoring.ranking import Standing as RankedStanding
from scoring.reports.decision import DecisionFacts, build_decision

from . import audit
from .audit import canonical, sha256_text
from .charts import field_heat_map, index_bars
from .phases import ROUND2, state_of
from .standings import Standing, rank
from .store import CampaignError, CampaignStore, PhaseLocked
from .xlsx import SheetData, write_workbook

Progress = Callable[[int, int], None]
FILES = {"xlsx": "xep-hang.xlsx", "docx": "quyet-dinh-cong-bo.docx", "bars": "chi-so.png",
         "heat_map": "chi-so-linh-vuc.png"}


@dataclass(frozen=True)
class PublishOptions:
    """What the Quyết định says about who issues it; ``issuer`` in normal case (“Ủy ban nhân dân tỉnh Hà Tĩnh”)."""

    issuer: str
    place: str
    parent: str = ""
    issuer_code: str = "UBND"
    number: str | int | None = None  # None: left blank for the văn thư
    date: dt.date | None = None
    signer: str = ""
    authority: tuple[str, ...] = ("CHỦ TỊCH",)
    subject: str | None = None  # “các xã, phường”; default from the rubric's level
    bases: tuple[str, ...] = ()  # default: the rubric's issuing document
    proposer: str = "Giám đốc Sở Nội vụ"
    recipients: tuple[str, ...] = ("Như Điều 3", "Bộ Nội vụ (để báo cáo)", "Sở Nội vụ")
    template: str | Path | None = None  # the province's Word template (None: the shipped NĐ 30 one)


@dataclass(frozen=True)
class Publication:
    seq: int  # the log entry that recorded the final result
    head: tuple[int, str]  # the log's head when published
    files: dict[str, Path] = field(default_factory=dict)
    rows: tuple[Standing, ...] = ()


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def results_json(rows: Sequence[Standing]) -> list[dict[str, object]]:
    """The final result as stored: decimal strings, never binary floats."""
    return [{
        "rank": r.rank, "unit": r.unit, "level": r.level, "appraised": _plain(r.appraised),
        "survey": _plain(r.survey), "total": _plain(r.total), "max": _plain(r.max), "index": _plain(r.index),
        "classification": r.classification, "fields": {k: _plain(v) for k, v in r.fields.items()},
    } for r in rows]


def record_result(store: CampaignStore, rows: Sequence[Standing], by: str) -> int:
    """Store the final result once (the same result again is not stored twice)."""
    results = results_json(rows)
    digest = sha256_text(canonical(results))
    with store.writing():
        state = state_of(store, ROUND2)
        if not state.has_ended:
            raise PhaseLocked.single(store.name, "", "Chưa thể công bố: giai đoạn thẩm định vòng 2 chưa kết thúc "
                                                     "(khóa bằng campaign close-phase tham-dinh-2).")
        existing = store.conn.execute("SELECT seq, content_sha256 FROM publication ORDER BY seq DESC LIMIT 1").fetchone()
        if existing is not None:
            if existing[1] != digest:
                raise CampaignError.single(store.name, "", f"kết quả hiện tại khác kết quả đã công bố (nhật ký #{existing[0]}); "
                                                           "kiểm tra bằng campaign verify")
            return int(existing[0])
        return store.record("publication", {"results": canonical(results), "content_sha256": digest},
                            action="publish", actor=by)


def publish(store: CampaignStore, out_dir: str | Path, options: PublishOptions, *, by: str,
            previous: CampaignStore | list[RankedStanding] | None = None, on_progress: Progress | None = None) -> Publication:
    """Record the final result and write the table, the decision and the charts into ``out_dir``."""
    if not by.strip():
        raise CampaignError.single(store.name, "", "cần tên người công bố (--by)")
    out = Path(out_dir)
    steps = 6
    tick = on_progress or (lambda done, total: None)
    if out.exists() and not out.is_dir():
        raise CampaignError.single(str(out), "", "đây là một tệp; --out cần một thư mục")
    try:  # before anything is recorded: a folder that cannot be made must not leave a half-done publication
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CampaignError.single(str(out), "", f"không tạo được thư mục kết quả ({os_reason(exc)})") from None
    rows = rank(store, previous)
    tick(1, steps)
    files = {key: out / name for key, name in FILES.items()}
    written: list[Path] = []
    try:
        with store.writing():  # the result is recorded only if every file is written too
            seq = record_result(store, rows, by.strip())
            head = audit.head(store.conn)
            tick(2, steps)
            title = f"{store.info.name}: Chỉ số CCHC của {len(rows)} đơn vị"
            written.append(ranked_workbook(store, rows, files["xlsx"], head))
            tick(3, steps)
            written.append(decision_document(store, rows, options, files["docx"], head, options.template))
            tick(4, steps)
            written.append(index_bars(rows, store.rubric, title, files["bars"]))
            tick(5, steps)
            written.append(field_heat_map(rows, store.rubric, f"Chỉ số thành phần theo lĩnh vực — {store.info.name}",
                                          files["heat_map"]))
            tick(6, steps)
    except BaseException:
        for path in written:  # files that speak of a publication the log no longer holds
            Path(path).unlink(missing_ok=True)
        raise
    return Publication(seq, head, files, tuple(rows))


def anchor_text(head: tuple[int, str]) -> str:
    return f"{head[0]}:{head[1]}"


def ranked_workbook(store: CampaignStore, rows: Sequence[Standing], path: Path, head: tuple[int, str]) -> Path:
    rubric = store.rubric
    compare = any(r.change is not None for r in rows)
    headers = ["Hạng", "Đơn vị", "Cấp", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm", "Điểm tối đa",
               "Chỉ số CCHC (%)", "Xếp loại"]
    if compare:
        headers += ["Hạng năm trước", "Thay đổi hạng", "Chỉ số năm trước (%)", "Thay đổi chỉ số"]
    table = []
    for r in rows:
        line: list[object] = [r.rank, r.unit, r.level, r.appraised, r.survey, r.total, r.max, r.index,
                              r.classification or ""]
        if compare and r.change is not None:
            line += [r.change.previous_rank, r.change.words(), r.change.previous_index, r.change.index_delta]
        table.append(line)
    fields = [n for n in rubric.nodes]
    sub = [[r.rank, r.unit, *(r.fields.get(n.code) for n in fields)] for r in rows]
    notes = [
        f"Bộ chỉ số: {rubric.title} ({rubric.id}). Tổng điểm = điểm thẩm định + điểm điều tra XHH; đơn vị không có "
        "điều tra XHH được quy về thang điểm 100. Đơn vị có chỉ số bằng nhau đồng hạng.",
        f"Mã kiểm tra nhật ký chiến dịch (mục #{head[0]}): {head[1]}",
    ]
    year = store.info.year
    return write_workbook(path, [
        SheetData("Xếp hạng", headers, table, (7, 30, 12, 12, 12, 11, 11, 12, 12, 10, 16, 14, 12), notes,
                  heading=f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA {len(rows)} ĐƠN VỊ"),
        SheetData("Chỉ số lĩnh vực", ["Hạng", "Đơn vị", *(f"{n.code}. {n.name}" for n in fields)], sub,
                  (7, 34, *([16] * len(fields))),
                  heading=f"CHỈ SỐ THÀNH PHẦN THEO LĨNH VỰC NĂM {year} (%)"),
    ], rubric.precision)


def decision_document(store: CampaignStore, rows: Sequence[Standing], options: PublishOptions, path: Path,
                      head: tuple[int, str], template: str | Path | None = None) -> Path:
    """The Quyết định công bố (portrait) and its appendix tables (landscape); the words are
    ``scoring.reports.decision``'s, written by filling the Word template (``template``: a province's
    restyled copy; None: the shipped NĐ 30 one). The log's head stays in the record, not in the decision."""
    closed = state_of(store, ROUND2).ended_at
    facts = DecisionFacts(
        year=store.info.year, issuer=options.issuer, place=options.place, parent=options.parent,
        issuer_code=options.issuer_code, number=options.number, date=options.date,
        decision_year=store.now().year, signer=options.signer, authority=options.authority, subject=options.subject,
        bases=options.bases, proposer=options.proposer, recipients=options.recipients,
        appraisal_closed=closed.date() if closed else None,
    )
    return save_docx(build_decision(facts, rows, store.rubric), path, template)
