"""The audit log's pure rules: the hash chain of every action, and the checks that prove it whole.

Entry ``n`` stores ``hash_n = sha256(canonical([n, at, actor, action, unit, detail, hash_{n-1}]))``
with ``hash_0`` = 64 zeros, and an Ed25519 signature of ``hash_n`` by the server's key. The
newest number and hash are also kept on the campaign's row (the head).

Threat model. Someone with write access to the database (not to the server's key file) may
edit, insert or delete entries and rows, and may even recompute every hash and the head.
The checks here catch: an entry whose hash does not match its content; a broken link; a gap;
a head that is not the last entry; a data row that differs from what its entry recorded, or
that no entry recorded, or whose entry's row is gone; a published anchor (``SỐ:HASH`` printed
in the Quyết định công bố, or a chain head printed at a phase close) that the chain no longer
holds. Signatures (``signing``) close the last gap: a rewritten chain cannot be re-signed
without the key file. These functions take plain values (no database), so they are the same
for every store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable

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
    text: str = ""  # the detail exactly as hashed
    signature: str = ""


@dataclass
class Verification:
    """What ``verify`` found: the chain's length and head, every problem, and notes (Vietnamese)."""

    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # not faults, but said loudly (demo clock, unsigned imports)
    phase_heads: list[tuple[str, int, str]] = field(default_factory=list)  # (phase, seq, hash) at each close
    simulated: int = 0  # entries written under the demo clock
    made_with: list[str] = field(default_factory=list)  # the rubric's identity and the engines (provenance.describe)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_chain(entries: Iterable[Entry], stored_head: tuple[int, str], report: Verification) -> dict[int, Entry]:
    """Every hash, link and number; the stored head. Returns the entries by number."""
    problems = report.problems
    expected_seq, previous = 1, GENESIS
    by_seq: dict[int, Entry] = {}
    for entry in entries:
        seq = entry.seq
        if seq != expected_seq:
            missing = f"#{expected_seq}" if seq == expected_seq + 1 else f"#{expected_seq}–#{seq - 1}"
            problems.append(f"nhật ký thiếu mục {missing}: mục đã bị xóa")
        if entry.prev_hash != previous:
            problems.append(f"mục #{seq} không nối với mục đứng trước (chuỗi hash bị cắt hoặc bị sửa)")
        if entry_hash(seq, entry.at, entry.actor, entry.action, entry.unit, entry.text, entry.prev_hash) != entry.hash:
            problems.append(f"mục #{seq} ({entry.action}, {entry.at}) đã bị sửa: hash không khớp nội dung")
        by_seq[seq] = entry
        expected_seq, previous = seq + 1, entry.hash
        report.entries += 1
    report.head_seq, report.head_hash = expected_seq - 1, previous
    if tuple(stored_head) != (report.head_seq, report.head_hash):
        problems.append(
            f"đầu chuỗi ghi trong cơ sở dữ liệu là mục #{stored_head[0]}, nhưng nhật ký kết thúc ở mục "
            f"#{report.head_seq}: mục cuối đã bị xóa hoặc bị thay"
        )
    return by_seq


def check_rows(by_seq: dict[int, Entry], tables: dict[str, list[tuple[int, dict[str, Any]]]],
               defaults: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """Each row equals what its entry recorded; each entry that wrote a row still has it.

    ``defaults``: per table, the value of a field that an older entry did not record yet.
    """
    recorded: dict[int, tuple[str, dict[str, Any]]] = {}
    for seq, entry in by_seq.items():
        detail = entry.detail
        if isinstance(detail, dict) and detail.get("table") in tables:
            recorded[seq] = (detail["table"], detail.get("row", {}))
    for table, rows in tables.items():
        present: set[int] = set()
        for seq, row in rows:
            present.add(seq)
            logged = recorded.get(seq)
            if logged is None or logged[0] != table:
                problems.append(f"bảng {table}, dòng #{seq}: không có trong nhật ký (được thêm ngoài phần mềm)")
                continue
            expected = {k: logged[1].get(k, defaults.get(table, {}).get(k)) for k in row}
            if canonical(expected) != canonical(row) or set(logged[1]) - set(row):
                changed = sorted(k for k in set(row) | set(logged[1]) if row.get(k) != expected.get(k))
                problems.append(f"bảng {table}, dòng #{seq}: nội dung khác với nhật ký ({', '.join(changed)} đã bị sửa)")
        for seq, (logged_table, _) in recorded.items():
            if logged_table == table and seq not in present:
                problems.append(f"mục #{seq} của nhật ký ghi một dòng vào bảng {table}, nhưng dòng đó đã bị xóa")


def check_anchor(by_seq: dict[int, Entry], anchor: tuple[int, str], problems: list[str], what: str = "đã công bố") -> None:
    seq, digest = anchor
    found = by_seq.get(seq)
    if found is None:
        problems.append(f"không có mục #{seq} {what} trong nhật ký")
    elif found.hash != digest.lower():
        problems.append(f"mục #{seq} khác với mã {what} ({digest[:16]}…): nhật ký đã bị viết lại")


def check_times(entries: Iterable[Entry], problems: list[str]) -> None:
    """Timestamps never go backwards along the chain."""
    last: tuple[int, dt.datetime] | None = None
    for entry in entries:
        try:
            moment = dt.datetime.fromisoformat(entry.at)
        except ValueError:
            problems.append(f"mục #{entry.seq}: thời điểm “{entry.at}” không hợp lệ")
            continue
        if last is not None and moment < last[1]:
            problems.append(f"mục #{entry.seq} ghi lúc {entry.at}, trước mục #{last[0]} ({last[1].isoformat()}): "
                            "thời điểm đi lùi")
        last = (entry.seq, moment)
