"""Eight appraisers at once lose no update and never fork the chain; a crash in the middle of an
import changes nothing — on SQLite (write lock) and on PostgreSQL (row lock on the chain head).

The processes are real (``multiprocessing``, spawn): each opens the campaign itself. A crash is
``os._exit`` from inside the import's progress callback, i.e. while the import's transaction is
open and rows have been written but not committed.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from pathlib import Path

from scoring import campaign as c
from scoring.campaign.appraisal import records
from web.store import models as m

from .conftest import ROUND1_TIME, SURVEY, UNITS

LEAVES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")
UNIT_NAMES = ("UBND xã An Phú", "UBND xã Bình Hòa", "UBND xã Cát Tiên", "UBND phường Đông Hải")
APPRAISERS = tuple(f"Thẩm định {i}" for i in range(1, 9))
PER_APPRAISER = 8


def _appraiser(location: str, name: str, start: "mp.synchronize.Event", queue: "mp.Queue") -> None:
    store = c.open_campaign(location, c.FixedClock(ROUND1_TIME), as_=name)
    start.wait(30)
    done = []
    for i in range(PER_APPRAISER):
        # even turns: everyone on the same unit and leaf; odd turns: spread over units and leaves
        unit, leaf = (UNIT_NAMES[0], "1.2") if i % 2 == 0 else (UNIT_NAMES[i % 4], LEAVES[i % 6])
        done.append(c.appraise(store, unit, leaf, points="0", reason=f"{name}, lượt {i}"))
    store.close()
    queue.put((name, done))


def test_eight_appraisers_at_once_lose_no_update(small, clock) -> None:
    for name in APPRAISERS:
        c.add_account(small, name, "tham-dinh", by="Sở Nội vụ")
    clock.set(ROUND1_TIME)
    location = str(small.location)
    small.close()
    ctx = mp.get_context("spawn")
    start, queue = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_appraiser, args=(location, name, start, queue)) for name in APPRAISERS]
    for worker in workers:
        worker.start()
    start.set()
    results = dict(queue.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = c.open_campaign(location, c.FixedClock(ROUND1_TIME))
    seqs = [s for name in APPRAISERS for s in results[name]]
    assert len(seqs) == len(set(seqs)) == len(APPRAISERS) * PER_APPRAISER
    stored = records(store)
    assert sorted(r.seq for r in stored) == sorted(seqs)
    assert {r.by for r in stored} == set(APPRAISERS)
    for name in APPRAISERS:
        assert sum(1 for r in stored if r.reason.startswith(f"{name},")) == PER_APPRAISER
    log = list(store.objects(m.AuditEntry).order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [s for s, _, _ in log] == list(range(1, len(log) + 1))  # one chain, no fork, no gap
    assert all(b[1] == a[2] for a, b in zip(log, log[1:]))
    assert c.verify(store).ok
    store.close()


def _crash_after(rows_written: int):  # noqa: ANN202
    def progress(done: int, total: int) -> None:
        if done == rows_written:
            os._exit(7)  # the process dies here: no rollback, no commit, no cleanup
    return progress


def _submit_and_crash(location: str, changed: str) -> None:
    store = c.open_campaign(location, c.FixedClock("10/01/2026 08:00"), as_="Sở Nội vụ")
    c.submit(store, [changed], on_progress=_crash_after(1))  # crashes with one of two rows written


def _import_and_crash(location: str, _changed: str) -> None:
    store = c.open_campaign(location, c.FixedClock("10/01/2026 08:00"))
    c.import_survey(store, SURVEY, by="Sở", on_progress=_crash_after(2))


def _snapshot(store: c.CampaignStore) -> list[tuple]:
    counts = [(store.objects(model).count(), max(store.objects(model).values_list("seq", flat=True), default=0))
              for model in (m.AuditEntry, m.Submission, m.SurveyImport)]
    return [*counts, store.head()]


def test_a_crash_in_the_middle_of_an_import_leaves_the_database_as_it_was(small, tmp_path: Path) -> None:
    location = str(small.location)
    changed = tmp_path / "cat-tien-moi.csv"
    changed.write_text((UNITS / "cat-tien.csv").read_text(encoding="utf-8").replace("92%", "93%").replace(",60%", ",61%"),
                       encoding="utf-8")
    before = _snapshot(small)
    ctx = mp.get_context("spawn")
    for target in (_submit_and_crash, _import_and_crash):
        worker = ctx.Process(target=target, args=(location, str(changed)))
        worker.start()
        worker.join(120)
        assert worker.exitcode == 7, target.__name__
        assert _snapshot(small) == before, target.__name__
    assert c.verify(small).ok
    outcomes = c.submit(small, [changed])  # and the same import then goes through whole
    assert [o.status for o in outcomes] == ["thay thế bản trước", "thay thế bản trước"]
