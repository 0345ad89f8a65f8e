"""Where a campaign stands (phases, units, counts, the log's head), its log, and its verification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max

from criteria.numbers import format_points
from web.store.models import Explanation, Publication, Submission

from . import audit, provenance
from .appraisal import CHANGES, action_words, records
from .clock import show_moment
from .phases import PHASE_VI, PhaseState, phase_states
from .store import ROLE_VI, CampaignInfo, CampaignStore
from .submissions import withdrawn_submissions
from .survey import survey_values
from .verification import entries


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    level: str
    submission: str  # “#12, 08:00 ngày 10/01/2026” | “đã rút” | “chưa nộp”
    submission_seq: int | None
    round1: int  # decisions recorded in round 1
    round1_changes: int
    explanations: int
    round2: int
    survey: bool


@dataclass(frozen=True)
class CampaignStatus:
    info: CampaignInfo
    rubric_title: str
    phases: list[PhaseState]
    units: list[UnitStatus]
    head: tuple[int, str]
    published_seq: int | None
    now: dt.datetime
    made_with: tuple[str, ...] = ()  # the rubric's id, year, canonical hash; the engine at init and now


def status(store: CampaignStore) -> CampaignStatus:
    with store.reading():
        latest_seq = dict(store.objects(Submission).values("unit__seq").annotate(last=Max("seq"))
                          .values_list("unit__seq", "last"))
        meta = store.entry_meta(list(latest_seq.values()))
        latest = {u: (s, meta[s][0]) for u, s in latest_seq.items()}
        withdrawn = withdrawn_submissions(store)
        decisions: dict[int, list] = {}
        for record in records(store):
            decisions.setdefault(record.unit_seq, []).append(record)
        answered = dict(store.objects(Explanation).values("unit__seq").annotate(n=Count("seq"))
                        .values_list("unit__seq", "n"))
        surveyed = set(survey_values(store))
        units = []
        for unit_seq, name, level in store.units():
            seq, at = latest.get(unit_seq, (None, None))
            if seq is None:
                shown, current = "chưa nộp", None
            elif seq in withdrawn:
                shown, current = f"đã rút (#{seq})", None
            else:
                shown, current = f"#{seq}, {show_moment(at)}", seq
            mine = decisions.get(unit_seq, [])
            units.append(UnitStatus(
                name, level, shown, current,
                sum(1 for d in mine if d.round == 1), sum(1 for d in mine if d.round == 1 and d.action in CHANGES),
                int(answered.get(unit_seq, 0)), sum(1 for d in mine if d.round == 2), name in surveyed))
        published = store.objects(Publication).aggregate(last=Max("seq"))["last"]
        made = provenance.made_with(store, [e for e in entries(store, seqs=[store.campaign.seq])])
        return CampaignStatus(store.info, store.rubric.title, phase_states(store), units,
                              store.head(), published, store.now(), tuple(provenance.describe(made)))


def log(store: CampaignStore, unit: str | None = None) -> list[audit.Entry]:
    """The audit log (all, or one unit's entries), oldest first."""
    with store.reading():
        return entries(store, store.unit(unit).name if unit else None)


def describe(entry: audit.Entry) -> str:
    """One log entry in a line: what was done, without the bulky content."""
    row = entry.detail.get("row", {}) if isinstance(entry.detail, dict) else {}
    words = {
        "init": lambda: f"khởi tạo chiến dịch “{row.get('name')}”, bộ chỉ số {row.get('rubric_id')}",
        "add-unit": lambda: f"thêm đơn vị (cấp {row.get('level') or '—'})",
        "submit": lambda: f"nộp bản tự đánh giá từ {row.get('source')} (mã nội dung {str(row.get('content_sha256'))[:12]}…)",
        "withdraw": lambda: f"rút bản tự đánh giá #{row.get('submission_seq')}: {row.get('reason')}",
        "appraise-1": lambda: _appraisal(row),
        "appraise-2": lambda: _appraisal(row),
        "explain": lambda: f"giải trình tiêu chí {row.get('code')}: {row.get('text')}",
        "close-phase": lambda: f"khóa giai đoạn {PHASE_VI.get(row.get('phase'), row.get('phase'))}",
        "import-survey": lambda: f"nhập điểm điều tra XHH từ {row.get('source')}",
        "publish": lambda: "công bố kết quả",
        "add-account": lambda: _account(entry.detail.get("account", {})),
        "lock-account": lambda: f"khóa tài khoản {entry.detail.get('account', {}).get('username')}",
        "unlock-account": lambda: f"mở khóa tài khoản {entry.detail.get('account', {}).get('username')}",
        "reset-password": lambda: f"đặt lại mật khẩu tài khoản {entry.detail.get('account', {}).get('username')}",
        "migrate": lambda: f"chuyển từ tệp chiến dịch cũ {entry.detail.get('source')} "
                           f"({entry.detail.get('entries')} mục nhật ký giữ nguyên)",
    }
    text = words.get(entry.action, lambda: entry.action)()
    if isinstance(entry.detail, dict) and entry.detail.get("clock") == "simulated":
        text += " [đồng hồ giả lập]"
    return text


def _appraisal(row: dict) -> str:
    value = ""
    if row.get("points") is not None:
        value = f" {format_points(Decimal(row['points']))} điểm"  # “0,5”, never “0,50” or “2E+1”
    elif row.get("cell") is not None:
        value = " (số liệu mới)"
    return f"thẩm định vòng {row.get('round')}, tiêu chí {row.get('code')}: {action_words(row.get('action'), row.get('round'))}{value}; lý do: {row.get('reason')}"


def _account(account: dict) -> str:
    return f"thêm tài khoản “{account.get('name')}” ({ROLE_VI.get(account.get('role'), account.get('role'))})"
