"""How long a campaign's batch steps take at the size of the country (3,321 communes).

    python benchmarks/campaign_workflow.py                 # 3,321 units
    python benchmarks/campaign_workflow.py --units 500
    python benchmarks/campaign_workflow.py --db postgresql://postgres@127.0.0.1:5432/parindex_bench

Builds N units by cycling the five example communes (renamed), then times each step of the
workflow on one SQLite file (or a PostgreSQL database given with ``--db``; the database must exist):
submit one wide CSV, one round of N appraisal decisions, one
survey import, the appraised sheet, ranking, one unit's diff, status, verification of the whole log,
and publication (xlsx, the Quyết định with its appendix, two charts). Reference: every step
of a national campaign within a minute on a laptop. Speed targets live here, not in tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd

from scoring import campaign as c

TARGET_SECONDS = 60.0


def timed(label: str, action: Callable[[], object], rows: list[tuple[str, float]]) -> object:
    start = time.perf_counter()
    result = action()
    rows.append((label, time.perf_counter() - start))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--db", default="", help="postgresql://… (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()
    n = args.units
    examples = pd.read_csv(ROOT / "examples" / "communes.csv", dtype=str, keep_default_na=False)
    survey_codes = ["8.1", "8.2", "8.3"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        frame = pd.concat([examples] * (n // len(examples) + 1), ignore_index=True).iloc[:n].copy()
        frame["Đơn vị"] = [f"UBND xã Thử {i:05d}" for i in range(n)]
        frame.drop(columns=survey_codes).to_csv(work / "tu-danh-gia.csv", index=False)
        frame[["Đơn vị", *survey_codes]].to_csv(work / "khao-sat.csv", index=False)
        pd.DataFrame({"Đơn vị": frame["Đơn vị"], "Mã": "3.4.2", "Điểm": "0,5",
                      "Lý do": "Kiểm tra thực tế"}).to_csv(work / "quyet-dinh.csv", index=False)
        clock = c.FixedClock("05/01/2026 08:00")
        rows: list[tuple[str, float]] = []
        location = f"{args.db}#thu-tai-{uuid.uuid4().hex[:8]}" if args.db else work / "bench.db"
        store = c.init(location, ROOT / "rubrics" / "demo-xa-2025.yaml", "Thử tải", by="Sở", clock=clock, demo=True)
        timed("add-unit", lambda: c.add_unit(store, frame["Đơn vị"], by="Sở"), rows)
        c.add_account(store, "Hội đồng", "tham-dinh", by="Sở")
        timed("submit (one wide CSV)", lambda: c.submit(store, [work / "tu-danh-gia.csv"]), rows)
        timed("submit again (unchanged)", lambda: c.submit(store, [work / "tu-danh-gia.csv"]), rows)
        c.close_phase(store, "tu-danh-gia", by="Sở")
        decisions = c.read_decisions(work / "quyet-dinh.csv")
        timed(f"appraise {n} decisions", lambda: c.appraise_many(store, decisions, by="Hội đồng"), rows)
        timed("import-survey", lambda: c.import_survey(store, work / "khao-sat.csv", by="Sở"), rows)
        for phase in ("tham-dinh-1", "giai-trinh", "tham-dinh-2"):
            c.close_phase(store, phase, by="Sở")
        timed("appraised sheet (all units)", lambda: c.appraised_sheet(store), rows)
        timed("rank", lambda: c.rank(store), rows)
        timed("diff (one unit)", lambda: c.diff(store, "UBND xã Thử 00000"), rows)
        timed("status", lambda: c.status(store), rows)
        report = timed("verify (whole log)", lambda: c.verify(store), rows)
        options = c.PublishOptions("Ủy ban nhân dân tỉnh Thử", "Thử")
        timed("publish (xlsx, docx, 2 PNG)", lambda: c.publish(store, work / "cong-bo", options, by="Sở"), rows)
        size = "" if args.db else f"; tệp {(work / 'bench.db').stat().st_size / 1e6:,.1f} MB"
        store.close()
    where = "PostgreSQL" if args.db else "SQLite"
    print(f"Chiến dịch {n:,} đơn vị ({where}), bộ chỉ số demo-xa-2025; nhật ký {report.entries:,} mục{size}")
    for label, seconds in rows:
        flag = "" if seconds <= TARGET_SECONDS else f"  > {TARGET_SECONDS:.0f} s"
        print(f"  {label:<32} {seconds:8.2f} s{flag}")


if __name__ == "__main__":
    main()
