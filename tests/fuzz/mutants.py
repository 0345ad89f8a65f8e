"""Hostile versions of every input parindex reads: generated with hypothesis from the real examples.

Two kinds of mutant:

- *blind* (byte flips, cut files, lines repeated or dropped, hostile text spliced in): nothing is
  known about the right answer, so only the promises every run keeps are checked (no traceback,
  a refusal names the file, bounded time and memory, no half-written output);
- *known bad* (``expect_refusal=True``): one change an independent rule says must be refused
  (points above the maximum, an ambiguous number, a near-duplicate unit, an alias bomb…):
  an exit code 0 is a *silent acceptance*.
"""

from __future__ import annotations

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
