"""The audit log: an append-only hash chain of every action, and its verification.

Entry ``n`` stores ``hash_n = sha256(canonical([n, at, actor, action, unit, detail, hash_{n-1}]))``
with ``hash_0`` = 64 zeros. The newest sequence number and hash are also kept in ``meta``
(the head). ``verify`` recomputes every hash, follows every link, checks the head, and checks
that each data row equals the row its log entry recorded, so an edited, inserted or deleted
entry or row is reported. Someone able to rewrite the whole chain and the head could hide a
change: publish the head (the Quyết định công bố prints it) and check it later with
``verify(anchor=…)``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .schema import TABLES

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_hash(seq: int, at: str, actor: str, action: str, unit: str, detail: str, prev_hash: str) -> str:
    return sha256_text(canonical([seq, at, actor, action, unit, detail, prev_hash]))


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    unit: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(sequence number, hash) of the newest entry; (0, GENESIS) for an empty log."""
    rows = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('head_seq', 'head_hash')").fetchall())
    return int(rows.get("head_seq", 0)), rows.get("head_hash", GENESIS)


def append(conn: sqlite3.Connection, *, at: str, actor: str, action: str, unit: str,
           detail: dict[str, Any]) -> Entry:
    """Add one entry after the head; call inside a write transaction (the head is read there)."""
    last_seq, last_hash = head(conn)
    seq = last_seq + 1
    text = canonical(detail)
    digest = entry_hash(seq, at, actor, action, unit, text, last_hash)
    conn.execute(
        "INSERT INTO audit_log (seq, at, actor, action, unit, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, unit, text, last_hash, digest),
    )
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head_seq'", (str(seq),))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (digest,))
    return Entry(seq, at, actor, action, unit, detail, last_hash, digest)


def entries(conn: sqlite3.Connection, unit: str | None = None) -> list[Entry]:
    """Every entry in order (or one unit's)."""
    sql = "SELECT seq, at, actor, action, unit, detail, prev_hash, hash FROM audit_log"
    rows = conn.execute(sql + (" WHERE unit = ?" if unit else "") + " ORDER BY seq", (unit,) if unit else ())
    return [Entry(s, a, ac, act, u, json.loads(d), p, h) for s, a, ac, act, u, d, p, h in rows]


@dataclass
class Verification:
    """What ``verify`` found: the chain's length and head, and every problem (Vietnamese)."""

    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(conn: sqlite3.Connection, anchor: tuple[int, str] | None = None) -> Verification:
    """Check the chain, the head, every table against the log, and an optional published anchor."""
    report = Verification()
    problems = report.problems
    expected_seq, previous = 1, GENESIS
    by_seq: dict[int, tuple[str, str]] = {}  # seq → (detail text, hash)
    for seq, at, actor, action, unit, detail, prev_hash, digest in conn.execute(
        "SELECT seq, at, actor, action, unit, detail, prev_hash, hash FROM audit_log ORDER BY seq"
    ):
        if seq != expected_seq:
            missing = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}–#{seq - 1}"
            problems.append(f"nhật ký thiếu mục {missing}: mục đã bị xóa")
        if prev_hash != previous:
            problems.append(f"mục #{seq} không nối với mục đứng trước (chuỗi hash bị cắt hoặc bị sửa)")
        if entry_hash(seq, at, actor, action, unit, detail, prev_hash) != digest:
            problems.append(f"mục #{seq} ({action}, {at}) đã bị sửa: hash không khớp nội dung")
        by_seq[seq] = (detail, digest)
        expected_seq, previous = seq + 1, digest
        report.entries += 1
    report.head_seq, report.head_hash = expected_seq - 1, previous
    stored_seq, stored_hash = head(conn)
    if (stored_seq, stored_hash) != (report.head_seq, report.head_hash):
        problems.append(
            f"đầu chuỗi ghi trong cơ sở dữ liệu là mục #{stored_seq}, nhưng nhật ký kết thúc ở mục "
            f"#{report.head_seq}: mục cuối đã bị xóa hoặc bị thay"
        )
    _check_tables(conn, by_seq, problems)
    if anchor is not None:
        seq, digest = anchor
        found = by_seq.get(seq)
        if found is None:
            problems.append(f"không có mục #{seq} đã công bố trong nhật ký")
        elif found[1] != digest.lower():
            problems.append(f"mục #{seq} khác với mã đã công bố ({digest[:16]}…): nhật ký đã bị viết lại")
    return report


def _check_tables(conn: sqlite3.Connection, by_seq: dict[int, tuple[str, str]], problems: list[str]) -> None:
    """Each row equals what its entry recorded; each entry that wrote a row still has it."""
    recorded: dict[int, tuple[str, dict[str, Any]]] = {}
    for seq, (text, _) in by_seq.items():
        detail = json.loads(text)
        if isinstance(detail, dict) and detail.get("table") in TABLES:
            recorded[seq] = (detail["table"], detail.get("row", {}))
    for table, columns in TABLES.items():
        present: set[int] = set()
        for values in conn.execute(f"SELECT seq, {', '.join(columns)} FROM {table} ORDER BY seq"):
            seq, row = values[0], dict(zip(columns, values[1:]))
            present.add(seq)
            logged = recorded.get(seq)
            if logged is None or logged[0] != table:
                problems.append(f"bảng {table}, dòng #{seq}: không có trong nhật ký (được thêm ngoài phần mềm)")
            elif canonical(logged[1]) != canonical(row):
                changed = sorted(k for k in set(row) | set(logged[1]) if row.get(k) != logged[1].get(k))
                problems.append(f"bảng {table}, dòng #{seq}: nội dung khác với nhật ký ({', '.join(changed)} đã bị sửa)")
        for seq, (logged_table, _) in recorded.items():
            if logged_table == table and seq not in present:
                problems.append(f"mục #{seq} của nhật ký ghi một dòng vào bảng {table}, nhưng dòng đó đã bị xóa")
