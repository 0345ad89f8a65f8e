"""``parindex score`` as one call: read the evidence, score it, write the results in the format asked.

    written = score_files("rubrics/demo-xa-2025.yaml", ["examples/xa-an-phu.yaml"], "docx", Path("bao-cao.docx"))

The writers of .xlsx, .docx and charts are loaded only for the format asked (openpyxl, python-docx
and matplotlib take longer to load than a unit takes to score)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

from criteria import InputError, load_rubric
from criteria.files import need_suffix, refuse_overwriting
from criteria.names import unit_key
from criteria.rules.base import nfc
from scoring.engine import score
from scoring.evidence import EvidenceTable
from scoring.inputs.readers import read_with_details
from scoring.office.atomic import write_atomic, write_atomic_with
from scoring.reports.compact import COMPACT_FROM, write_compact_csv, write_compact_json
from scoring.reports.stream import write_sheet_csv, write_sheet_json
from scoring.result import ScoreSheet
from scoring.workbook.details import UnitDetails

FORMATS = ("table", "json", "csv", "xlsx", "docx")
LAYOUTS = ("auto", "detailed", "compact")  # of json and csv: auto = detailed up to COMPACT_FROM units


def pick_unit(table: EvidenceTable, name: str) -> EvidenceTable:
    """The one unit called ``name`` (as written in the evidence), or the names there are."""
    wanted, units = nfc(name), table.units
    keys = [unit_key(u) for u in units]
    if unit_key(wanted) in keys:
        wanted = units[keys.index(unit_key(wanted))]
    if wanted not in units:
        shown = ", ".join(f"“{u}”" for u in units[:5]) + (f" và {len(units) - 5} đơn vị khác" if len(units) > 5 else "")
        raise InputError.single("", "", f"không có đơn vị “{wanted}” trong số liệu; có: {shown}")
    return table.take([units.index(wanted)])


def _through_text(handle: Any, write: Callable[[IO[str]], None]) -> None:
    """Run a text writer on a binary handle (UTF-8, ``\n`` kept), unit by unit, not held whole."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)
    write(text)
    text.flush()
    text.detach()


def compact_layout(layout: str, units: int) -> bool:
    """Whether JSON/CSV of ``units`` units is written in the compact layout (``scoring.reports.compact``)."""
    return layout == "compact" or (layout == "auto" and units > COMPACT_FROM)


def _write_compact(sheet: ScoreSheet, fmt: str, output: Path | None, traces: bool) -> Path | None:
    """The compact layout, with a progress bar on a terminal (it takes seconds for 100 000 units)."""
    from scoring.reports.terminal import progress_bar  # rich: loaded only for a long write

    def write(handle: IO[bytes], advance: Callable[[int, int], None]) -> None:
        if fmt == "json":
            write_compact_json(sheet, handle, traces, advance)
        else:
            write_compact_csv(sheet, handle, advance)

    with progress_bar(f"Ghi {fmt.upper()} dạng gọn") as advance:
        if output is None:
            sys.stdout.flush()
            write(sys.stdout.buffer, advance)
            sys.stdout.buffer.flush()
            return None
        return write_atomic_with(output, lambda handle: write(handle, advance))


def write_results(sheet: ScoreSheet, fmt: str, output: Path | None, *, detail: bool | None = None,
                  traces: bool = True, details: UnitDetails | None = None, layout: str = "auto") -> Path | None:
    """Write ``sheet`` as ``fmt``: to ``output`` (atomically) and return it, or to stdout and return None.
    JSON and CSV in the ``layout`` asked (``LAYOUTS``)."""
    if fmt == "xlsx":
        from scoring.reports.xlsx import write_score_xlsx  # openpyxl: loaded only for this format

        return write_score_xlsx(sheet, output)  # type: ignore[arg-type]
    if fmt == "docx":
        from scoring.reports.docx import write_report_docx  # python-docx: loaded only for this format

        return write_report_docx(sheet, output, 0, details)  # type: ignore[arg-type]
    if fmt in ("json", "csv") and compact_layout(layout, len(sheet)):
        return _write_compact(sheet, fmt, output, traces)
    if fmt in ("json", "csv"):
        def write(out: IO[str]) -> None:
            if fmt == "json":
                write_sheet_json(sheet, out, traces)
            else:
                write_sheet_csv(sheet, out)

        if output is None:
            write(sys.stdout)
            return None
        return write_atomic_with(output, lambda handle: _through_text(handle, write))
    else:
        from scoring.reports import terminal  # rich tables: loaded only for the terminal

        if output is None:
            terminal.print_sheet(sheet, terminal.out, detail)
            return None
        text = terminal.sheet_text(sheet, detail)
    if output is None:
        print(text, end="")
        return None
    return write_atomic(output, text)


def score_files(rubric_path: Path, evidence: Sequence[Path], fmt: str = "table", output: Path | None = None, *,
                unit: str | None = None, chart: Path | None = None, detail: bool | None = None,
                traces: bool = True, layout: str | None = None,
                on_note: Callable[[str], None] | None = None) -> list[Path]:
    """Score the evidence files with the rubric; write the results (and a chart); the files written.
    ``layout`` of JSON/CSV (``LAYOUTS``; None = auto); ``on_note`` hears why the automatic layout is compact."""
    if layout is not None and layout != "auto" and fmt not in ("json", "csv"):
        raise InputError.single("", "", f"--layout chỉ dùng với --format json hoặc csv (không dùng với {fmt})")
    if fmt in ("xlsx", "docx"):
        if output is None:
            raise InputError.single("", "", f"--format {fmt} cần --output TỆP.{fmt}")
        need_suffix(output, f".{fmt}", "--output")
    if chart is not None:
        need_suffix(chart, ".png", "--chart")
    refuse_overwriting(output, [rubric_path, *evidence])
    refuse_overwriting(chart, [rubric_path, *evidence], "--chart")
    rb = load_rubric(rubric_path)
    table, details = read_with_details(rb, evidence)
    if len(table) == 0:
        raise InputError.single(", ".join(map(str, evidence)), "", "không có đơn vị nào: tệp chỉ có dòng tiêu đề")
    if unit is not None:
        table = pick_unit(table, unit)
    elif len(table) > 1 and (fmt == "docx" or chart is not None):
        raise InputError.single("", "", f"số liệu có {len(table)} đơn vị; báo cáo và biểu đồ lập cho một đơn vị: "
                                        f"chọn bằng --unit (ví dụ --unit “{table.units[0]}”)")
    sheet = score(rb, table)
    layout = layout or "auto"
    if fmt in ("json", "csv") and layout == "auto" and compact_layout(layout, len(sheet)) and on_note is not None:
        count, limit = (f"{value:,}".replace(",", ".") for value in (len(sheet), COMPACT_FROM))
        on_note(f"ghi chú: {count} đơn vị (trên {limit}): {fmt.upper()} ghi dạng gọn, mỗi đơn vị một dòng "
                "(docs/robustness.md); dạng chi tiết từng tiêu chí: --layout chi-tiet")
    written = [path for path in [write_results(sheet, fmt, output, detail=detail, traces=traces,
                                               details=details.get(sheet.units[0]), layout=layout)]
               if path is not None]
    if chart is not None:
        from scoring.reports.charts import write_chart  # matplotlib: loaded only for a chart

        written.append(write_chart(sheet.result(0), chart))
    return written
