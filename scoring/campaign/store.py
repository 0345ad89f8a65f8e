"""One campaign's database: opening it, transactions, and writing a row with its log entry.

The default backend is the standard library's ``sqlite3`` (one file per campaign). A location
is a file path or a URL ``sqlite:///path/to/file.db``; other SQL databases can be added behind
the same ``CampaignStore`` later (the SQL in this package is kept to the portable subset;
the one SQLite-specific statement, ``BEGIN IMMEDIATE``, lives in ``writing``).

Concurrency: every change runs in one write transaction that takes the database's write lock
first (``BEGIN IMMEDIATE``), reads the log head and the phase state inside it, appends, and
commits. Two appraisers at once therefore queue for a moment and neither update is lost; a
crash before the commit leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator

from criteria import InputError, Rubric, load_rubric_text
from criteria.files import os_reason
from criteria.rules.base import nfc

from . import audit
from .clock import Clock, SystemClock
from .schema import DDL, SCHEMA_VERSION, TABLES

BUSY_TIMEOUT_SECONDS = 60.0


class CampaignError(InputError):
    """An action the campaign refuses (unknown unit, wrong phase, …): one clear line."""


class PhaseLocked(CampaignError):
    """The phase that allows this action is closed (or not open yet)."""


@dataclass(frozen=True)
class CampaignInfo:
    name: str
    year: int
    rubric_id: str
    deadlines: dict[str, str | None]  # phase key → ISO moment or None
    created_at: str
    created_by: str


def sqlite_path(location: str | Path) -> Path:
    """A campaign location → the SQLite file (``sqlite:///x.db`` or a plain path)."""
    text = str(location)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        if scheme.lower() != "sqlite":
            raise CampaignError.single(text, "", f"chưa hỗ trợ cơ sở dữ liệu “{scheme}”: hiện dùng SQLite "
                                                 "(đường dẫn tệp hoặc sqlite:///đường/dẫn.db)")
        rest = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel.db → rel.db; sqlite:////abs → /abs
        return Path(rest)
    return Path(text)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except sqlite3.OperationalError:  # “unable to open database file”: the folder is missing or not writable
        raise CampaignError.single(str(path), "", "không mở hay tạo được tệp chiến dịch (thư mục không tồn tại "
                                                  "hoặc không có quyền ghi)") from None
    return conn


class CampaignStore:
    """An open campaign. Use ``open_campaign`` (or ``setup.init`` for a new one)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, clock: Clock):
        self.path = path
        self.conn = conn
        self.clock = clock
        self._in_write = False
        self._reads = 0

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def create(cls, location: str | Path, clock: Clock | None = None) -> "CampaignStore":
        path = sqlite_path(location)
        if path.exists():
            raise CampaignError.single(str(path), "", "tệp đã tồn tại: mỗi chiến dịch một tệp mới")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CampaignError.single(str(path), "", f"không tạo được tệp chiến dịch ({os_reason(exc)})") from None
        conn = _connect(path)
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in DDL:
                conn.execute(statement)
            conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", [
                ("schema_version", SCHEMA_VERSION), ("head_seq", "0"), ("head_hash", audit.GENESIS),
            ])
            conn.execute("COMMIT")
        except sqlite3.Error:  # e.g. a read-only folder: leave no half-made file behind
            conn.close()
            path.unlink(missing_ok=True)
            raise CampaignError.single(str(path), "", "không tạo được tệp chiến dịch (không có quyền ghi "
                                                      "vào thư mục)") from None
        return cls(path, conn, clock or SystemClock())

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "CampaignStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return str(self.path)

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it (rollback on any error)."""
        if self._in_write:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._in_write = True
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._in_write = False
        self._reads = 0

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads (nothing changes underneath)."""
        if self._in_write or self._reads:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        self._reads += 1
        try:
            yield self.conn
        finally:
            self._reads -= 1
            self.conn.execute("COMMIT")

    def now(self) -> dt.datetime:
        return self.clock.now()

    def record(self, table: str, row: dict[str, Any], *, action: str, actor: str, unit: str = "") -> int:
        """Append a log entry for ``row`` and insert the row under the entry's number."""
        if not self._in_write:
            raise RuntimeError("record() must run inside writing()")
        columns = TABLES[table]
        if set(row) != set(columns):
            raise ValueError(f"row for {table} needs exactly {columns}")
        detail: dict[str, Any] = {"table": table, "row": row}
        if self.clock.simulated:
            detail["clock"] = "simulated"
        entry = audit.append(self.conn, at=self.now().isoformat(), actor=actor, action=action,
                             unit=unit, detail=detail)
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        self.conn.execute(f"INSERT INTO {table} (seq, {', '.join(columns)}) VALUES ({marks})",
                          (entry.seq, *(row[c] for c in columns)))
        return entry.seq

    # ------------------------------------------------------------------ reads
    @cached_property
    def info(self) -> CampaignInfo:
        row = self.conn.execute(
            "SELECT c.name, c.year, c.rubric_id, c.deadlines, a.at, a.actor FROM campaign c "
            "JOIN audit_log a ON a.seq = c.seq ORDER BY c.seq LIMIT 1").fetchone()
        if row is None:
            raise CampaignError.single(self.name, "", "chiến dịch chưa được khởi tạo (parindex campaign init)")
        name, year, rubric_id, deadlines, at, actor = row
        return CampaignInfo(name, int(year), rubric_id, json.loads(deadlines), at, actor)

    @cached_property
    def rubric(self) -> Rubric:
        (text,) = self.conn.execute("SELECT rubric_text FROM campaign ORDER BY seq LIMIT 1").fetchone()
        return load_rubric_text(text, f"{self.name} (bộ chỉ số)")

    def units(self) -> list[tuple[int, str, str]]:
        """(seq, name, level) of every unit, in the order they were added."""
        return [(s, n, lv) for s, n, lv in self.conn.execute("SELECT seq, name, level FROM unit ORDER BY seq")]

    def unit_seq(self, name: str) -> int:
        """The unit's number, or a clear refusal naming the units that exist."""
        row = self.conn.execute("SELECT seq FROM unit WHERE name = ?", (nfc(name),)).fetchone()
        if row is None:
            known = [n for _, n, _ in self.units()]
            hint = f"; các đơn vị: {', '.join(known[:8])}{'…' if len(known) > 8 else ''}" if known else ""
            raise CampaignError.single(self.name, "", f"không có đơn vị “{name}” trong chiến dịch "
                                                      f"(thêm bằng campaign add-unit){hint}")
        return int(row[0])

    def published(self) -> bool:
        return self.conn.execute("SELECT 1 FROM publication LIMIT 1").fetchone() is not None


def open_campaign(location: str | Path, clock: Clock | None = None) -> CampaignStore:
    """Open an existing campaign; refuses a missing file or one that is not a campaign."""
    path = sqlite_path(location)
    if path.is_dir():
        raise CampaignError.single(str(path), "", "đây là một thư mục; cần tệp chiến dịch (.db) do campaign init tạo")
    if not path.is_file():
        raise CampaignError.single(str(path), "", "không tìm thấy tệp chiến dịch (tạo bằng parindex campaign init)")
    conn = _connect(path)
    try:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        raise CampaignError.single(str(path), "", "không phải tệp chiến dịch parindex") from None
    if version is None or version[0] != SCHEMA_VERSION:
        conn.close()
        raise CampaignError.single(str(path), "", f"phiên bản cơ sở dữ liệu {version[0] if version else '?'} "
                                                  f"không được hỗ trợ (cần {SCHEMA_VERSION})")
    return CampaignStore(path, conn, clock or SystemClock())
