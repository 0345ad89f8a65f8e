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
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from criteria.canonical import provenance_line
from criteria.files import os_reason
from scoring.plans.docx import save_docx
from scoring.ranking import Standing as RankedStanding
from scoring.reports.decision import DecisionFacts, build_decision

from django.contrib.auth.models import User

from web.store import models as m

from .audit import canonical, sha256_text
from .charts import field_heat_map, index_bars
from .phases import ROUND2, state_of
from .provenance import require_intact
from .snapshot import rank
from .standings import Standing, results_json
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
    simulated: int = 0  # log entries written under the demo clock (said loudly)


def record_result(store: CampaignStore, rows: Sequence[Standing], actor: User, options: PublishOptions | None = None,
                  files: Sequence[str] = ()) -> int:
    """Store the final result once (the same result again is not stored twice)."""
    results = results_json(rows)
    digest = sha256_text(canonical(results))
    with store.writing():
        store.require(actor, "store.publish", None, "công bố kết quả")
        state = state_of(store, ROUND2)
        if not state.has_ended:
            raise PhaseLocked.single(store.name, "", "Chưa thể công bố: giai đoạn thẩm định vòng 2 chưa kết thúc "
                                                     "(khóa bằng campaign close-phase tham-dinh-2).")
        existing = store.objects(m.Publication).order_by("-seq").values_list("seq", "content_sha256").first()
        if existing is not None:
            if existing[1] != digest:
                raise CampaignError.single(store.name, "", f"kết quả hiện tại khác kết quả đã công bố (nhật ký #{existing[0]}); "
                                                           "kiểm tra bằng campaign verify")
            return int(existing[0])
        number = "" if options is None or options.number is None else str(options.number)
        date = "" if options is None or options.date is None else options.date.isoformat()
        return store.record("publication", {
            "results": canonical(results), "content_sha256": digest, "number": number, "date": date,
            "files": canonical(list(files)), "chain_seq": store.campaign.head_seq, "chain_head": store.campaign.head_hash,
        }, action="publish", actor=actor)


STAGING_PREFIX = ".cong-bo-dang-ghi-"


def _clear_stale_staging(out: Path) -> None:
    """Staging folders left by a publish that was killed before its commit: nothing refers to them."""
    for stale in out.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)


def publish(store: CampaignStore, out_dir: str | Path, options: PublishOptions, *, by: str | User | None = None,
            previous: CampaignStore | list[RankedStanding] | None = None, on_progress: Progress | None = None) -> Publication:
    """Record the final result and write the table, the decision and the charts into ``out_dir``.

    The files are written into a staging folder inside ``out_dir`` while the publication's
    transaction is open, and moved into place only after it committed: a publish killed
    half-way leaves no file that speaks of a publication the log does not hold.
    """
    actor = store.account(by)
    store.require(actor, "store.publish", None, "công bố kết quả")
    out = Path(out_dir)
    steps = 7
    tick = on_progress or (lambda done, total: None)
    if out.exists() and not out.is_dir():
        raise CampaignError.single(str(out), "", "đây là một tệp; --out cần một thư mục")
    for name in FILES.values():  # a target that cannot be replaced is refused before anything is recorded
        if (out / name).is_dir():
            raise CampaignError.single(str(out / name), "", "đây là một thư mục, không ghi đè được bằng tệp công bố")
    try:  # before anything is recorded: a folder that cannot be made must not leave a half-done publication
        out.mkdir(parents=True, exist_ok=True)
        _clear_stale_staging(out)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    except OSError as exc:
        raise CampaignError.single(str(out), "", f"không tạo được thư mục kết quả ({os_reason(exc)})") from None
    try:
        require_intact(store)  # the rubric behind the result is the one the campaign was created with
        rows = rank(store, previous)
        tick(1, steps)
        staged = {key: staging / name for key, name in FILES.items()}
        with store.writing():  # the result is recorded only if every file is written too
            seq = record_result(store, rows, actor, options, list(FILES.values()))
            head = store.head()
            tick(2, steps)
            title = f"{store.info.name}: Chỉ số CCHC của {len(rows)} đơn vị"
            ranked_workbook(store, rows, staged["xlsx"], head)
            tick(3, steps)
            decision_document(store, rows, options, staged["docx"], head, options.template)
            tick(4, steps)
            index_bars(rows, store.rubric, title, staged["bars"])
            tick(5, steps)
            field_heat_map(rows, store.rubric, f"Chỉ số thành phần theo lĩnh vực — {store.info.name}",
                           staged["heat_map"])
            tick(6, steps)
        files = {}
        for key, path in staged.items():  # committed: now the files may appear
            files[key] = out / path.name
            os.replace(path, files[key])
        tick(7, steps)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    simulated = sum(1 for e in store.objects(m.AuditEntry).values_list("payload", flat=True)
                    if '"clock":"simulated"' in e)
    return Publication(seq, head, files, tuple(rows), simulated)


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
        f"Tính theo: {provenance_line(rubric)}",
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
