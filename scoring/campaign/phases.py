"""The four phases of a campaign, their deadlines, and the locks they put on actions.

Order: tự đánh giá → thẩm định vòng 1 → giải trình → thẩm định vòng 2. A phase is open when
every phase before it has ended and it has not; it ends at its deadline or when closed by
hand (``close_phase``), whichever comes first. What a phase allows is refused once it ends,
with the deadline or the closing in the message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from criteria.rules.base import norm_text
from django.db.models import CharField, Value

from web.store.models import PhaseClose, Publication

from .clock import parse_moment, show_moment
from .store import CampaignError, CampaignStore, PhaseLocked

SELF, ROUND1, EXPLAIN, ROUND2 = "tu-danh-gia", "tham-dinh-1", "giai-trinh", "tham-dinh-2"
PHASES = (SELF, ROUND1, EXPLAIN, ROUND2)
PHASE_VI = {SELF: "tự đánh giá", ROUND1: "thẩm định vòng 1", EXPLAIN: "giải trình", ROUND2: "thẩm định vòng 2"}
_ALIASES = {
    "self": SELF, "self-assessment": SELF, "tự đánh giá": SELF, "tu danh gia": SELF,
    "round1": ROUND1, "round-1": ROUND1, "thẩm định vòng 1": ROUND1, "vong-1": ROUND1, "1": ROUND1,
    "explanation": EXPLAIN, "explain": EXPLAIN, "giải trình": EXPLAIN,
    "round2": ROUND2, "round-2": ROUND2, "thẩm định vòng 2": ROUND2, "vong-2": ROUND2, "2": ROUND2,
}


def phase_key(name: str) -> str:
    """A phase named as a user types it (``tu-danh-gia``, ``round1``, “giải trình”…) → its key."""
    key = norm_text(name)
    if key in PHASES:
        return key
    if key in _ALIASES:
        return _ALIASES[key]
    raise ValueError(f"không có giai đoạn “{name}”; cần một trong: {', '.join(PHASES)}")


def parse_deadlines(given: dict[str, str]) -> dict[str, str | None]:
    """{phase name: “31/01/2026”} → {phase key: ISO moment}; deadlines must follow the phase order."""
    result: dict[str, str | None] = {key: None for key in PHASES}
    for name, text in given.items():
        key = phase_key(name)
        result[key] = parse_moment(text, end_of_day=True).isoformat()
    moments = [(key, dt.datetime.fromisoformat(v)) for key, v in result.items() if v]
    for (k1, m1), (k2, m2) in zip(moments, moments[1:]):
        if m2 <= m1:
            raise ValueError(f"hạn {PHASE_VI[k2]} ({show_moment(m2)}) phải sau hạn {PHASE_VI[k1]} ({show_moment(m1)})")
    return result


@dataclass(frozen=True)
class PhaseState:
    key: str
    deadline: dt.datetime | None
    closed_at: dt.datetime | None  # by hand
    closed_by: str | None
    state: str  # "chưa mở" | "đang mở" | "đã kết thúc"
    ended_at: dt.datetime | None  # when it ended (by hand or deadline), if it has

    @property
    def name(self) -> str:
        return PHASE_VI[self.key]

    @property
    def is_open(self) -> bool:
        return self.state == "đang mở"

    @property
    def has_ended(self) -> bool:
        return self.state == "đã kết thúc"

    def why_ended(self) -> str:
        if self.closed_at is not None and (self.deadline is None or self.closed_at <= self.deadline):
            return f"đã khóa lúc {show_moment(self.closed_at)} ({self.closed_by})"
        return f"đã hết hạn lúc {show_moment(self.deadline)}"


def phase_states(store: CampaignStore) -> list[PhaseState]:
    """Every phase as of the store's clock (read inside the caller's transaction)."""
    return states_at(dict(store.deadlines()), _closes_and_publication(store)[0], store.now())


_PUBLISHED = "*"  # marks the publication's rows among the phase closings of ``_closes_and_publication``


def _closes_and_publication(store: CampaignStore) -> tuple[dict[str, tuple[dt.datetime, str]], bool]:
    """The phases closed by hand (when, by whom) and whether the campaign is published — one query
    (a second only once a phase has been closed by hand): the check every save makes."""
    published = (store.objects(Publication).order_by().annotate(phase=Value(_PUBLISHED, CharField()))
                 .values_list("phase", "seq"))
    rows = list(store.objects(PhaseClose).order_by().values_list("phase", "seq").union(published, all=True))
    closed = sorted((seq, phase) for phase, seq in rows if phase != _PUBLISHED)
    meta = store.entry_meta([seq for seq, _ in closed])
    closes = {phase: (dt.datetime.fromisoformat(meta[seq][0]), meta[seq][1]) for seq, phase in closed}
    return closes, len(closed) != len(rows)


def states_at(deadlines: dict[str, str | None], closes: dict[str, tuple[dt.datetime, str]],
              now: dt.datetime) -> list[PhaseState]:
    """Every phase at ``now``, from the deadlines and the closings by hand made until then."""
    states: list[PhaseState] = []
    previous_ended = True
    for key in PHASES:
        deadline_text = deadlines.get(key)
        deadline = dt.datetime.fromisoformat(deadline_text) if deadline_text else None
        closed_at, closed_by = closes.get(key, (None, None))
        if closed_at is not None and closed_at > now:
            closed_at = closed_by = None
        ends = [m for m in (closed_at, deadline) if m is not None and m <= now]
        ended_at = min(ends) if ends else None
        if ended_at is not None:
            state = "đã kết thúc"
        elif previous_ended:
            state = "đang mở"
        else:
            state = "chưa mở"
        states.append(PhaseState(key, deadline, closed_at, closed_by, state, ended_at))
        previous_ended = ended_at is not None
    return states


def state_of(store: CampaignStore, key: str) -> PhaseState:
    return next(s for s in phase_states(store) if s.key == key)


def require_not_published(store: CampaignStore, doing: str) -> None:
    if store.published():
        raise PhaseLocked.single(store.name, "", f"Chiến dịch đã công bố kết quả: không thể {doing}.")


def require_open(store: CampaignStore, key: str, doing: str) -> PhaseState:
    """Refuse ``doing`` (“nộp bản tự đánh giá của …”) unless phase ``key`` is open now."""
    closes, published = _closes_and_publication(store)
    if published:
        raise PhaseLocked.single(store.name, "", f"Chiến dịch đã công bố kết quả: không thể {doing}.")
    states = states_at(dict(store.deadlines()), closes, store.now())
    state = next(s for s in states if s.key == key)
    if state.is_open:
        return state
    if state.has_ended:
        raise PhaseLocked.single(store.name, "", f"Giai đoạn {state.name} {state.why_ended()}: không thể {doing}.")
    blocking = next(s for s in states if not s.has_ended)
    until = f" (hạn {show_moment(blocking.deadline)})" if blocking.deadline else ""
    raise PhaseLocked.single(store.name, "", f"Giai đoạn {state.name} chưa mở: giai đoạn {blocking.name} chưa kết "
                                             f"thúc{until}, nên chưa thể {doing}.")


def open_appraisal_round(store: CampaignStore, doing: str) -> int:
    """1 or 2: the appraisal round open now; otherwise a refusal that says why."""
    states = {s.key: s for s in phase_states(store)}
    if states[ROUND1].is_open:
        require_open(store, ROUND1, doing)
        return 1
    if states[ROUND2].is_open:
        require_open(store, ROUND2, doing)
        return 2
    if states[EXPLAIN].is_open:
        raise PhaseLocked.single(store.name, "", f"Đang trong giai đoạn giải trình: vòng 1 {states[ROUND1].why_ended()}, "
                                                 f"vòng 2 chưa mở, nên chưa thể {doing}.")
    key = ROUND2 if states[ROUND2].has_ended else ROUND1
    require_open(store, key, doing)
    raise AssertionError("unreachable")  # pragma: no cover


def close_phase(store: CampaignStore, phase: str, by: str | None = None) -> int:
    """End an open phase now, by hand (Quản trị); returns the log entry's number.

    The entry records the chain's head just before it (number and hash), printed by the
    command line, so that a later rewrite of the whole chain is caught against it.
    """
    try:
        key = phase_key(phase)
    except ValueError as exc:
        raise CampaignError.single(store.name, "", str(exc)) from None
    actor = store.account(by)
    with store.writing():
        store.require(actor, "store.manage_campaign", None, f"khóa giai đoạn {PHASE_VI[key]}")
        require_open(store, key, f"khóa giai đoạn {PHASE_VI[key]}")
        head_seq, head_hash = store.campaign.head_seq, store.campaign.head_hash
        return store.record("phase_close", {"phase": key, "chain_seq": head_seq, "chain_head": head_hash},
                            action="close-phase", actor=actor)
