"""The campaign database: append-only tables, each row keyed by the log entry that wrote it.

Plain SQL (``TEXT`` and ``INTEGER`` columns, no engine-specific types, no JSON functions, no
autoincrement), so the same schema runs on SQLite today and another SQL database later. Points
and evidence are stored as text (decimal strings, JSON of integers), never as ``REAL``.

Every table except ``meta`` is insert-only. A row's ``seq`` is the sequence number of the audit
log entry that created it, and that entry's detail holds the row's exact content, so
``verify`` can prove that no row was edited, added or deleted behind the log's back.
"""

from __future__ import annotations

SCHEMA_VERSION = "1"

# table → content columns (besides ``seq``), in insertion order
TABLES: dict[str, tuple[str, ...]] = {
    "campaign": ("name", "year", "rubric_id", "rubric_sha256", "rubric_text", "deadlines"),
    "unit": ("name", "level"),
    "submission": ("unit_seq", "content_sha256", "cells", "explanations", "documents", "source"),
    "withdrawal": ("submission_seq", "reason"),
    "appraisal": ("unit_seq", "submission_seq", "round", "code", "action", "cell", "points", "reason"),
    "explanation": ("unit_seq", "code", "text"),
    "phase_close": ("phase",),
    "survey_import": ("source", "content_sha256", "cells"),
    "publication": ("results", "content_sha256"),
}

INTEGER_COLUMNS = frozenset({"year", "unit_seq", "submission_seq", "round"})

DDL = [
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        unit TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
]
for _table, _columns in TABLES.items():
    _cols = ",\n        ".join(
        f"{c} {'INTEGER' if c in INTEGER_COLUMNS else 'TEXT'}" for c in _columns
    )
    DDL.append(f"CREATE TABLE IF NOT EXISTS {_table} (\n        seq INTEGER PRIMARY KEY,\n        {_cols}\n    )")
DDL += [
    "CREATE UNIQUE INDEX IF NOT EXISTS unit_name ON unit (name)",
    "CREATE INDEX IF NOT EXISTS submission_unit ON submission (unit_seq, seq)",
    "CREATE INDEX IF NOT EXISTS appraisal_unit ON appraisal (unit_seq, code, round, seq)",
    "CREATE INDEX IF NOT EXISTS explanation_unit ON explanation (unit_seq, code, seq)",
]
