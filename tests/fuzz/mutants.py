"""Hostile versions of every input parindex reads: generated with hypothesis from the real examples.

Two kinds of mutant:

- *blind* (byte flips, cut files, lines repeated or dropped, hostile text spliced in): nothing is
  known about the right answer, so only the promises every run keeps are checked (no traceback,
  a refusal names the file, bounded time and memory, no half-written output);
- *known bad* (``expect_refusal=True``): one change an independent rule says must be refused
  (points above the maximum, an ambiguous number, a near-duplicate unit, an alias bomb…):
  an exit code 0 is a *silent acceptance*.

Campaign databases get both: bytes flipped at random (blind), and the damage a file meets — cut,
header zeroed, a table dropped, a row or a log entry edited behind the program's back, not a
database at all, made by a newer parindex — each with the commands that must refuse it.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"

# Text a careless or hostile user puts in a cell: markup, formulas, YAML 1.1 numbers, ambiguous
# numbers, control characters, huge numbers, decomposed Vietnamese, tone placement variants.
HOSTILE = [
    "[/b]", "[red]x[/red]", ":smile:", "=1+1", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", "0x10", "1:30", "1_0",
    "017", "97.685", "0,95", "1", "1e999999999", "9" * 4301, "-0", ".inf", "NaN", "\x01", "\x00", "\u202e",
    "Hoà", "Ho\u0300a", "  ", "", "null", "~", "*a", "&a", "!!python/object:os.system", "[" * 200,
    "{" * 100, "1/0", "0/0", "5/3", "-1", "101%", "3 | lý do", "2 điểm", "1.234.567", "31/02/2025", "\"", "'",
]


@dataclass(frozen=True)
class Mutant:
    name: str  # the file name to write
    data: bytes
    expect_refusal: bool = False
    why: str = ""


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def blind(draw: st.DrawFn, source: Path, suffix: str) -> Mutant:
    """A blind mutant of a text file: one to three edits of several kinds."""
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "drop", "splice", "swap"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:]
        elif kind in ("repeat", "drop", "swap"):
            lines = _lines(bytes(data))
            i = draw(st.integers(0, len(lines) - 1))
            if kind == "repeat":
                lines.insert(i, lines[i])
            elif kind == "drop":
                del lines[i]
            else:
                j = draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            data[at:at] = draw(st.sampled_from(HOSTILE)).encode("utf-8", "surrogatepass")
    return Mutant(f"blind{suffix}", bytes(data))


def blind_zip(draw: st.DrawFn, source: Path) -> Mutant:
    """A damaged workbook: bytes flipped inside the zip, or the file cut."""
    data = bytearray(source.read_bytes())
    if draw(st.booleans()):
        del data[draw(st.integers(1, len(data) - 1)):]
    else:
        start = draw(st.integers(0, len(data) - 64))
        for k in range(start, start + draw(st.integers(1, 64))):
            data[k] ^= 0x5A
    return Mutant("blind.xlsx", bytes(data))


# ---------------------------------------------------------------- campaign databases
@dataclass(frozen=True)
class DatabaseMutant:
    """A damaged copy of a campaign file; ``refused_by``: the commands that must not succeed on it."""

    path: Path
    why: str
    refused_by: frozenset[str]


ALL_COMMANDS = frozenset({"verify", "status", "rank", "diff", "log", "add-unit", "submit", "import-survey", "plan"})
VERIFY = frozenset({"verify"})


def _edit(source: Path, target: Path, *statements: str) -> Path:
    shutil.copyfile(source, target)
    connection = sqlite3.connect(target)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return target


def database_mutants(source: Path, folder: Path) -> list[DatabaseMutant]:
    """The damage a campaign file meets: cut, overwritten, a table dropped, a row or an entry edited
    behind the program's back, not a database at all, made by a newer parindex."""
    data = source.read_bytes()
    folder.mkdir(parents=True, exist_ok=True)
    cut = folder / "cut.db"
    cut.write_bytes(data[: len(data) // 2])
    header = folder / "header.db"
    header.write_bytes(data[:16] + bytes(84) + data[100:])  # the page size and counters zeroed
    text = folder / "text.db"
    text.write_bytes("Đây không phải cơ sở dữ liệu\n".encode() * 200)
    empty = folder / "empty.db"
    empty.write_bytes(b"")
    return [
        DatabaseMutant(cut, "cut in half", frozenset()),
        DatabaseMutant(header, "header zeroed", frozenset()),
        DatabaseMutant(text, "not a database", ALL_COMMANDS),
        DatabaseMutant(empty, "empty file", ALL_COMMANDS),
        DatabaseMutant(_edit(source, folder / "dropped.db", "DROP TABLE store_submission"), "a table dropped",
                       ALL_COMMANDS),
        DatabaseMutant(_edit(source, folder / "no-log.db", "DROP TABLE store_auditentry"), "the log dropped",
                       ALL_COMMANDS),
        DatabaseMutant(_edit(source, folder / "newer.db", "INSERT INTO django_migrations(app, name, applied) "
                                                          "VALUES ('store', '9999_tu_phien_ban_moi', '2030-01-01')"),
                       "a newer schema", ALL_COMMANDS),
        DatabaseMutant(_edit(source, folder / "entry-json.db",
                             "UPDATE store_auditentry SET payload = '{\"table\": \"unit\", ' WHERE seq = 2"),
                       "an entry's content no longer JSON", VERIFY),
        DatabaseMutant(_edit(source, folder / "row-json.db", "UPDATE store_submission SET cells = '{\"1.1.1\": ['"),
                       "a row's JSON cut", VERIFY | {"rank", "diff", "plan"}),
        DatabaseMutant(_edit(source, folder / "row-edit.db",
                             "UPDATE store_submission SET cells = replace(cells, '[0,1,1,null]', '[0,9,1,null]')"),
                       "a row's JSON edited", VERIFY),
        DatabaseMutant(_edit(source, folder / "deadlines.db", "UPDATE store_campaign SET deadlines = '{'"),
                       "the deadlines no longer JSON", VERIFY | {"status", "rank", "add-unit", "submit"}),
        DatabaseMutant(_edit(source, folder / "rubric.db",
                             "UPDATE store_campaign SET rubric_text = replace(rubric_text, 'max:', 'max: -')"),
                       "the stored rubric edited", ALL_COMMANDS - {"log", "add-unit"}),
        DatabaseMutant(_edit(source, folder / "head.db", "UPDATE store_campaign SET head_seq = head_seq - 1"),
                       "the chain head moved", VERIFY),
    ]


@st.composite
def flipped_database(draw: st.DrawFn, source: Path, folder: Path) -> DatabaseMutant:
    """Random bytes of a campaign file overwritten (anything may follow: nothing is known but the promises)."""
    data = bytearray(source.read_bytes())
    for _ in range(draw(st.integers(1, 40))):
        at = draw(st.integers(100, len(data) - 1))
        data[at] ^= draw(st.integers(1, 255))
    path = folder / f"flip-{draw(st.integers(0, 10**9))}.db"
    path.write_bytes(bytes(data))
    return DatabaseMutant(path, "bytes flipped", frozenset())
