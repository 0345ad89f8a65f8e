"""A criteria table straight into a rubric file (with its report, all or nothing), and back.

The caller passes how to write a file (the command line passes ``scoring.office.atomic.write_atomic``,
so a file appears whole or not at all); this package does not depend on ``scoring``."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from criteria.dumper import rubric_yaml
from criteria.files import refuse_overwriting
from criteria.loader import load_rubric, load_rubric_text
from criteria.tables.exporter import table_bytes
from criteria.tables.importer import ImportOptions, import_table
from criteria.tables.report import ImportReport

Write = Callable[[Path, str], Any]


def import_to_file(table: Path, output: Path, options: ImportOptions, write: Write,
                   report_path: Path | None = None) -> ImportReport:
    """Read ``table``, write the rubric to ``output`` (only if it has no problems, and only a text that
    loads) and the report to ``report_path``: if the rubric cannot be written, no report is left behind.
    Neither may be the table itself, nor one the other."""
    refuse_overwriting(output, [table])
    refuse_overwriting(report_path, [table, output], "--report")
    result = import_table(table, options)
    report = result.report
    text = ""
    if result.rubric is not None:
        waiting = ", ".join(leaf.code for leaf in report.needs_person) or "không có"
        header = (f"Nhập từ {table.name} bằng “parindex rubric import”.\n{report.summary()}.\n"
                  f"Cần người xem (quy tắc manual, giữ nguyên văn bản ở “text”): {waiting}")
        text = rubric_yaml(result.rubric, header)
        load_rubric_text(text, str(output))  # what is written always loads
        report.written = str(output)
    if report_path is not None:  # first: a report that cannot be written must not leave a rubric behind
        write(report_path, report.render())
    if result.rubric is not None:
        try:
            write(output, text)
        except BaseException:
            if report_path is not None:
                report_path.unlink(missing_ok=True)
            raise
    return report


def export_to_file(rubric_path: Path, output: Path, bare: bool, write: Callable[[Path, bytes], Any]) -> Path:
    """The rubric file as a criteria table (.xlsx or .docx, chosen by ``output``'s extension)."""
    refuse_overwriting(output, [rubric_path])
    write(output, table_bytes(load_rubric(rubric_path), output, bare))
    return output
