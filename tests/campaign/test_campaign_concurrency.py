"""Two appraisers at once lose no update; a crash in the middle of an import changes nothing.

The processes are real (``multiprocessing``, spawn): each opens the campaign file itself.
A crash is ``os._exit`` from inside the import's progress callback, i.e. while the import's
transaction is open and rows have been written but not committed.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sqlite3
from pathlib import Path

from scoring import campaign as c
from scoring.campaign.appraisal import records

from .conftest import ROUND1_TIME, SURVEY, UNITS

LEAVES = ("1.1", "1.2", "1.3", "2.1", "2.2", "2.3")
UNIT_NAMES = ("UBND xã An Phú", "UBND xã Bình Hòa", "UBND xã Cát Tiên", "UBND phường Đông Hải")
PER_APPRAISER = 30


def _appraiser(path: str, name: str, start: "mp.synchronize.Event", queue: "mp.Queue") -> None:
    store = c.open_campaign(path, c.FixedClock(ROUND1_TIME))
    start.wait(30)
    done = []
    for i in range(PER_APPRAISER):
        unit, leaf = UNIT_NAMES[i % 4], LEAVES[i % 6]
        done.append(c.appraise(store, unit, leaf, points="0", reason=f"{name}, lượt {i}", by=name))
    store.close()
    queue.put((name, done))


def test_two_appraisers_at_once_lose_no_update(small, clock) -> None:
    clock.set(ROUND1_TIME)
    path = str(small.path)
    small.close()
    ctx = mp.get_context("spawn")
    start, queue = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_appraiser, args=(path, name, start, queue)) for name in ("Thẩm định A", "Thẩm định B")]
    for worker in workers:
        worker.start()
    start.set()
    results = dict(queue.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    store = c.open_campaign(path, c.FixedClock(ROUND1_TIME))
    seqs = results["Thẩm định A"] + results["Thẩm định B"]
    assert len(seqs) == len(set(seqs)) == 2 * PER_APPRAISER
    stored = records(store.conn)
    assert sorted(r.seq for r in stored) == sorted(seqs)
    assert {r.by for r in stored} == {"Thẩm định A", "Thẩm định B"}
    assert sum(1 for r in stored if r.reason.startswith("Thẩm định A")) == PER_APPRAISER
    assert c.verify(store).ok
    store.close()


def _crash_after(rows_written: int):  # noqa: ANN202
    def progress(done: int, total: int) -> None:
        if done == rows_written:
            os._exit(7)  # the process dies here: no rollback, no commit, no cleanup
    return progress


def _submit_and_crash(path: str, changed: str) -> None:
    store = c.open_campaign(path, c.FixedClock("10/01/2026 08:00"))
    c.submit(store, [changed], on_progress=_crash_after(1))  # crashes with one of two rows written


def _import_and_crash(path: str, _changed: str) -> None:
    store = c.open_campaign(path, c.FixedClock("10/01/2026 08:00"))
    c.import_survey(store, SURVEY, by="Sở", on_progress=_crash_after(2))


def _snapshot(path: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [conn.execute(f"SELECT COUNT(*), MAX(seq) FROM {t}").fetchone()
                for t in ("audit_log", "submission", "survey_import")] + \
            conn.execute("SELECT key, value FROM meta ORDER BY key").fetchall()
    finally:
        conn.close()


def test_a_crash_in_the_middle_of_an_import_leaves_the_database_as_it_was(small, tmp_path: Path) -> None:
    path = str(small.path)
    small.close()
    changed = tmp_path / "cat-tien-moi.csv"
    changed.write_text((UNITS / "cat-tien.csv").read_text(encoding="utf-8").replace("92%", "93%").replace(",60%", ",61%"),
                       encoding="utf-8")
    before = _snapshot(path)
    ctx = mp.get_context("spawn")
    for target in (_submit_and_crash, _import_and_crash):
        worker = ctx.Process(target=target, args=(path, str(changed)))
        worker.start()
        worker.join(120)
        assert worker.exitcode == 7, target.__name__
        assert _snapshot(path) == before, target.__name__
    store = c.open_campaign(path, c.FixedClock("10/01/2026 08:00"))
    assert c.verify(store).ok
    outcomes = c.submit(store, [changed])  # and the same import then goes through whole
    assert [o.status for o in outcomes] == ["thay thế bản trước", "thay thế bản trước"]
    store.close()
