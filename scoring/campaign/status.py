"""Where a campaign stands (phases, units, counts, the log's head), its log, and its verification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from criteria.numbers import format_points

from . import audit
from .appraisal import CHANGES, action_words, records
from .clock import show_moment
from .phases import PHASE_VI, PhaseState, phase_states
from .store import CampaignError, CampaignInfo, CampaignStore
from .survey import survey_values


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


def status(store: CampaignStore) -> CampaignStatus:
    with store.reading():
        latest = {u: (s, at) for u, s, at in store.conn.execute(
            "SELECT s.unit_seq, s.seq, a.at FROM submission s JOIN audit_log a ON a.seq = s.seq "
            "WHERE s.seq IN (SELECT MAX(seq) FROM submission GROUP BY unit_seq)")}
        withdrawn = {s for (s,) in store.conn.execute("SELECT submission_seq FROM withdrawal")}
        decisions: dict[int, list] = {}
        for record in records(store.conn):
            decisions.setdefault(record.unit_seq, []).append(record)
        answered = dict(store.conn.execute("SELECT unit_seq, COUNT(*) FROM explanation GROUP BY unit_seq").fetchall())
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
        published = store.conn.execute("SELECT MAX(seq) FROM publication").fetchone()[0]
        return CampaignStatus(store.info, store.rubric.title, phase_states(store), units,
                              audit.head(store.conn), published, store.now())


def log(store: CampaignStore, unit: str | None = None) -> list[audit.Entry]:
    """The audit log (all, or one unit's entries), oldest first."""
    with store.reading():
        return audit.entries(store.conn, store.conn.execute(
            "SELECT name FROM unit WHERE seq = ?", (store.unit_seq(unit),)).fetchone()[0] if unit else None)


def verify(store: CampaignStore, anchor: tuple[int, str] | str | None = None) -> audit.Verification:
    """Check the log's hash chain, its head, every table against it, and a published anchor
    (``"57:3f2a…"`` as printed in the Quyết định công bố)."""
    if isinstance(anchor, str):
        number, _, digest = anchor.partition(":")
        if not number.strip().lstrip("#").isdigit() or len(digest.strip()) != 64:
            raise CampaignError.single(store.name, "", f"mã kiểm tra “{anchor}” không đúng dạng SỐ:SHA256 (64 ký tự)")
        anchor = (int(number.strip().lstrip("#")), digest.strip())
    with store.reading():
        return audit.verify(store.conn, anchor)


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
