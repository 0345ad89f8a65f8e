"""Publishing runs in the background (3,321 units take a while): a thread calls the store's
``publish`` and records its progress in the database (the shared cache table), so the page polling
it sees the same progress whichever app server answers, and a second start from another server
while one runs is refused. The result (the Publication row and its files) is in the database too."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import asdict, dataclass

from django.core.cache import cache
from django.db import connection, connections

from criteria import InputError
from web.store import services
from web.store.models import Campaign

logger = logging.getLogger(__name__)
STEP_WORDS = {0: "Bắt đầu", 1: "Xếp hạng", 2: "Ghi kết quả vào nhật ký", 3: "Bảng xếp hạng (.xlsx)",
              4: "Quyết định công bố (.docx)", 5: "Biểu đồ", 6: "Hoàn tất tệp", 7: "Xong"}
STALE_SECONDS = 30 * 60  # a run whose server died says nothing more: after this, another may start
KEEP_SECONDS = 7 * 24 * 3600


@dataclass
class Job:
    done: int = 0
    total: int = 1
    running: bool = True
    error: str = ""
    at: float = 0.0  # when the run last reported (seconds since the epoch)

    @property
    def step(self) -> str:
        return STEP_WORDS.get(self.done, "") if self.running or self.error else "Đã công bố xong."

    @property
    def stale(self) -> bool:
        return self.running and time.time() - self.at > STALE_SECONDS


def _key(campaign: Campaign) -> str:
    return f"cong-bo:{campaign.pk}"


def _save(campaign: Campaign, job: Job) -> None:
    job.at = time.time()
    cache.set(_key(campaign), asdict(job), KEEP_SECONDS)


def job_of(campaign: Campaign) -> Job | None:
    """The campaign's last publication run as recorded in the database (any app server's)."""
    found = cache.get(_key(campaign))
    return Job(**found) if found else None


def _run(user, campaign: Campaign, number: str, date: dt.date | None, job: Job) -> None:
    def tick(done: int, total: int) -> None:
        job.done, job.total = done, total
        _save(campaign, job)

    try:
        services.publish(user, campaign, number or None, date, progress=tick)
    except InputError as exc:
        job.error = str(exc)
    except Exception as exc:
        logger.exception("công bố %s không thành công", campaign.slug)
        job.error = f"Lỗi khi công bố: {type(exc).__name__}: {exc}"
    finally:
        job.running = False
        _save(campaign, job)
        cache.delete(_key(campaign) + ":chay")


def _in_thread(*args) -> None:
    try:
        _run(*args)
    finally:
        connections.close_all()  # the thread's own connections (kept ones would outlive the thread)


def start(user, campaign: Campaign, number: str = "", date: str = "") -> Job:
    """Start publishing unless a run is going (on any server); refuses a malformed date before starting."""
    day = None
    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise InputError.single("biểu mẫu", "Ngày ký", f"“{date}” không phải là ngày") from None
    current = job_of(campaign)
    if current is not None and current.running and not current.stale:
        return current
    # one row insert decides between two servers starting at once: the loser shows the winner's run
    if not cache.add(_key(campaign) + ":chay", True, STALE_SECONDS) and not (current and current.stale):
        return job_of(campaign) or Job()
    job = Job()
    _save(campaign, job)
    if _in_memory_database():  # another thread cannot see an in-memory SQLite database (the tests'): run here
        _run(user, campaign, number, day, job)
        return job
    threading.Thread(target=_in_thread, args=(user, campaign, number, day, job), daemon=True,
                     name=f"cong-bo-{campaign.slug}").start()
    return job


def _in_memory_database() -> bool:
    name = str(connection.settings_dict.get("NAME") or "")
    return connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)
