"""Publishing runs in the background (3,321 units take a while): a thread per campaign calls the
store's ``publish`` and keeps its progress for the page to poll. The progress lives in this
process; with several app servers the page shows it on the server that started it, and the
result (the Publication row and its files) is visible everywhere once done."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from django.db import close_old_connections, connection

from criteria import InputError
from web.store import services
from web.store.models import Campaign

logger = logging.getLogger(__name__)
_jobs: dict[int, Job] = {}
_lock = threading.Lock()
STEP_WORDS = {0: "Bắt đầu", 1: "Xếp hạng", 2: "Ghi kết quả vào nhật ký", 3: "Bảng xếp hạng (.xlsx)",
              4: "Quyết định công bố (.docx)", 5: "Biểu đồ", 6: "Hoàn tất tệp", 7: "Xong"}


@dataclass
class Job:
    done: int = 0
    total: int = 1
    running: bool = True
    error: str = ""

    @property
    def step(self) -> str:
        return STEP_WORDS.get(self.done, "") if self.running or self.error else "Đã công bố xong."


def job_of(campaign: Campaign) -> Job | None:
    return _jobs.get(campaign.pk)


def _run(user, campaign: Campaign, number: str, date: dt.date | None, job: Job) -> None:
    def tick(done: int, total: int) -> None:
        job.done, job.total = done, total

    try:
        services.publish(user, campaign, number or None, date, progress=tick)
    except InputError as exc:
        job.error = str(exc)
    except Exception as exc:
        logger.exception("công bố %s không thành công", campaign.slug)
        job.error = f"Lỗi khi công bố: {type(exc).__name__}: {exc}"
    finally:
        job.running = False


def _in_thread(*args) -> None:
    try:
        _run(*args)
    finally:
        close_old_connections()  # the thread's own database connection


def start(user, campaign: Campaign, number: str = "", date: str = "") -> Job:
    """Start publishing unless a run is going; refuses a malformed date before starting."""
    day = None
    if date:
        try:
            day = dt.date.fromisoformat(date)
        except ValueError:
            raise InputError.single("biểu mẫu", "Ngày ký", f"“{date}” không phải là ngày") from None
    with _lock:
        current = _jobs.get(campaign.pk)
        if current is not None and current.running:
            return current
        job = _jobs[campaign.pk] = Job()
    if _in_memory_database():  # another thread cannot see an in-memory SQLite database (the tests'): run here
        _run(user, campaign, number, day, job)
        return job
    threading.Thread(target=_in_thread, args=(user, campaign, number, day, job), daemon=True,
                     name=f"cong-bo-{campaign.slug}").start()
    return job


def _in_memory_database() -> bool:
    name = str(connection.settings_dict.get("NAME") or "")
    return connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)
