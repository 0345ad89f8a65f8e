"""One fresh process doing what ``parindex score`` does to a campaign file, for its peak memory.

    python -m benchmarks.pipeline RUBRIC EVIDENCE.csv

reads and validates the file, scores every unit, ranks them (arrays and the ranked list),
and prints one JSON line: seconds per step and the process's peak resident memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from criteria import load_rubric
from scoring import competition_ranks, rank, read_evidence, score


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far.

    Linux's ``ru_maxrss`` keeps the high-water mark of the memory a process had before
    ``exec``: started from a parent holding gigabytes, a child reports the parent's size.
    ``VmHWM`` belongs to the current program only, so it is read first.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(rubric_path: str, evidence_path: str) -> dict[str, float]:
    rubric = load_rubric(rubric_path)
    start = time.perf_counter()
    table = read_evidence(rubric, evidence_path)
    read = time.perf_counter()
    sheet = score(rubric, table)
    competition_ranks(sheet.index_order_keys())
    scored = time.perf_counter()
    ranked = rank(sheet)
    listed = time.perf_counter()
    return {
        "units": len(ranked), "read_s": read - start, "score_s": scored - read,
        "rank_list_s": listed - scored, "peak_rss_mib": peak_rss_mib(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
