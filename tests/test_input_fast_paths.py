"""The quick ways of reading a 100,000-unit CSV give what the plain ways give.

Each fast path (unit identity word by word, the control-character search in bytes, the CSV lines
split a block at a time, the header read from the first lines only, the table parsed from the bytes,
rounding with a shared context) is compared with the plain definition it replaced, written out here,
on random and hostile input: the same values, the same refusal, word for word.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import warnings
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import criteria.files as files
from criteria.errors import InputError
from criteria.names import unit_key
from criteria.numbers import format_vn, round_half_up

from .fuzz.mutants import HOSTILE

TONES = "\u0300\u0301\u0303\u0309\u0323"


def plain_unit_key(name: str) -> str:
    """The definition: decompose, split, move each word's tone marks to its end, recompose, fold case."""
    words = []
    for word in unicodedata.normalize("NFD", name).split():
        tones = "".join(ch for ch in word if ch in TONES)
        bare = "".join(ch for ch in word if ch not in TONES)
        words.append(unicodedata.normalize("NFC", bare + tones).casefold())
    return " ".join(words)


NAME_PIECES = list("aAoOeEiIuUyYdDđĐß İı0123456789") + list(TONES) + [
    "\u0302", "\u0306", "\u031b", "\u0308", "\u0345", "\u00a0", "\u2000", "\u2001", "\u3000", "\t", "\n", "\x85",
    "\u2028", "\u212b", "\u1e9b", "\ufb01", "\u0f73", "\u1100", "\u1161", "\uac00", "\u0344", "Hòa", "Hoà", "Thuỷ",
    "Thủy", "UBND", "xã", "Nghiệm", "  ",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NAME_PIECES), max_size=12), st.sampled_from([None, "NFC", "NFD", "NFKC"]))
def test_unit_key_is_its_definition(pieces: list[str], form: str | None) -> None:
    name = "".join(pieces)
    if form:
        name = unicodedata.normalize(form, name)
    assert unit_key(name) == plain_unit_key(name)


def test_unit_key_is_its_definition_around_many_characters() -> None:
    """Every code point up to U+33FF (Latin, combining marks, spaces, jamo …), Hangul syllables
    (they decompose), and a sample of the rest: inside a word and as a word of its own."""
    codes = [*range(0x3400), *range(0xAC00, 0xAD00), *range(0x3400, 0x110000, 97)]
    for code in codes:
        if 0xD800 <= code <= 0xDFFF:
            continue
        name = f"a{chr(code)}b {chr(code)}"
        assert unit_key(name) == plain_unit_key(name), hex(code)


def plain_read(path: Path, **options: object) -> tuple[pd.DataFrame, str]:
    """``read_csv_frame`` as it was first written: every check on the decoded text, the table parsed
    from the text."""
    name = str(path)
    data = path.read_bytes()
    kind = files.file_kind(path)
    if kind not in ("text", "unreadable"):
        raise InputError.single(name, "", f"đây là {files._KIND_VI[kind]}, không phải tệp CSV; "
                                          "hãy đổi đuôi tệp cho đúng hoặc lưu lại dạng CSV UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.single(name, *files.decode_problem(data, exc)) from None
    if not text.strip():
        raise InputError.single(name, "", "tệp trống; cần dòng tiêu đề và các dòng số liệu")
    control = files._CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        raise InputError.single(name, f"dòng {line}", f"ký tự điều khiển không được phép (mã U+{ord(control.group()):04X}); "
                                                      "hãy xóa ký tự này hoặc lưu lại dạng CSV UTF-8")
    header = text.lstrip("\r\n").splitlines()[0]
    if ";" in header and "," not in header:
        raise InputError.single(name, "dòng 1", "các cột phân cách bằng dấu chấm phẩy (;); cần dấu phẩy — "
                                                "hãy lưu lại dạng “CSV UTF-8 (phân cách bằng dấu phẩy)”")
    lines = list(files._csv_lines(text))
    assert lines == list(io.StringIO(text, newline=""))  # the block-wise lines are StringIO's
    files.check_csv_shape(text, name, InputError)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pd.read_csv(io.StringIO(text, newline=""), dtype=str, keep_default_na=False, index_col=False,
                                **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError.single(name, *files.csv_parse_problem(exc)) from None
    return frame, text


def outcome(read, path: Path, **options: object) -> tuple:  # noqa: ANN001 - one of the two readers
    try:
        frame, text = read(path, **options)
    except InputError as exc:
        return ("refused", str(exc))
    return ("read", frame.to_dict("split"), [str(t) for t in frame.dtypes], text)


SEEDS = [
    "Đơn vị,1.1.1,1.1.2\nUBND xã Hòa Bình,Có,\"0,5\"\nUBND xã An Phú,x,1\n",
    "\ufeffa,b\r\n1,2\r\n\r\n3,4\r\n",
    "a;b\n1;2\n",
    "a,b\n\"x\ny\",2\n\"unclosed,3\n",
    "\n\r\na,b\n1,2,3\n4\n",
    "a,b\r1,2\r3,\"4\"\"5\"\r",
]
CSV_PIECES = [*HOSTILE, "\r", "\n", "\r\n", ",", '"', ";", "\ufeff", "\x85", "\u2028", "\u2029", "\x0b", "\x1c",
              "\x7f", " ", "\t", "ớ", "a,b,c,d"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SEEDS), st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(CSV_PIECES)), max_size=5),
       st.booleans(), st.booleans())
def test_read_csv_frame_reads_and_refuses_as_the_plain_reader(tmp_path: Path, seed: str, edits: list[tuple[int, str]],
                                                              bom: bool, blank_rows_kept: bool) -> None:
    text = seed
    for at, piece in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8", "surrogatepass")
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    options = {"skip_blank_lines": False} if blank_rows_kept else {}
    assert outcome(lambda p, **o: files.read_csv_frame(p, InputError, **o), path, **options) == \
        outcome(plain_read, path, **options)


@pytest.mark.parametrize("block", [1, 2, 3, 7])
def test_csv_lines_split_across_blocks_as_stringio(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    monkeypatch.setattr(files, "_BLOCK", block)
    for text in ["", "a", "a\r\nb\rc\nd", "\r\n\r\n", "x\r", "\n\n\r\r", "ab,\"c\r\nd\"\r\n", "\x85a\nb", "a\u2028b\r\nc"]:
        assert list(files._csv_lines(text)) == list(io.StringIO(text, newline=""))


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(["a", ",", '"', "\r", "\n", " ", "ớ", "\x85", "\u2028"]), max_size=30))
def test_csv_header_is_the_first_record(text: str) -> None:
    assert files.csv_header(text) == next(csv.reader(io.StringIO(text, newline="")), [])


def test_a_control_character_far_into_the_file_is_found_with_its_line(tmp_path: Path) -> None:
    """The byte search runs a block at a time: a control character past the first block, in a line of
    multi-byte characters, is named with its own line and code."""
    line = "UBND xã Hòa Bình," + "ờ" * 50 + "\n"
    rows = 3000  # about 300 KB: several 64 KiB blocks
    for where, code in ((rows - 1, 0x07), (1500, 0x1F), (2, 0x7F)):
        text = "".join(line if k != where else line.replace("Bình", f"Bì{chr(code)}nh") for k in range(rows))
        path = tmp_path / "c.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as caught:
            files.read_csv_text(path, InputError)
        assert f"dòng {where + 1}:" in str(caught.value) and f"U+{code:04X}" in str(caught.value)


def plain_round_half_up(value: Decimal | Fraction, digits: int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-digits)
    context = Context(prec=max(28, value.adjusted() + digits + 2)) if value.is_finite() else None
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=context)


def plain_format_vn(value: Decimal | Fraction | int, digits: int, trim: bool) -> str:
    rounded = plain_round_half_up(Decimal(value) if isinstance(value, int) else value, digits)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    frac = frac.rstrip("0") if trim else frac
    return f"{sign}{'.'.join(groups)},{frac}" if frac else f"{sign}{'.'.join(groups)}"


NUMBERS = st.one_of(
    st.integers(-10**40, 10**40),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=6, min_value=-10**7, max_value=10**7),
    st.fractions(max_denominator=10**12),
    st.sampled_from([Decimal("-0"), Decimal("0.005"), Decimal("-0.005"), Decimal("999.995"), Decimal("1E+30"),
                     Decimal("12345678901234567890123456789.5"), Fraction(10**30 + 1, 3)]),
)


@settings(max_examples=1000, deadline=None)
@given(NUMBERS, st.integers(0, 14), st.booleans())
def test_rounding_and_printing_are_their_definitions(value: Decimal | Fraction | int, digits: int, trim: bool) -> None:
    assert format_vn(value, digits, trim) == plain_format_vn(value, digits, trim)
    if not isinstance(value, int):
        assert str(round_half_up(value, digits)) == str(plain_round_half_up(value, digits))


SHAPE_PIECES = ["a", "b", "ớ", ",", ",", '"', '"', '""', "\r\n", "\n", "\r", " ", "x" * 5, "\x00"]


@pytest.mark.parametrize("cell_chars, rows", [(4, 3), (6, 5), (files.MAX_CELL_CHARS, files.MAX_CSV_ROWS)])
@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(SHAPE_PIECES), max_size=30), header=st.booleans(), bom=st.booleans(),
       block=st.sampled_from([3, 7, 1 << 18]))
def test_a_shape_plainly_fine_is_one_the_row_by_row_check_accepts(cell_chars: int, rows: int, pieces: list[str],
                                                                 header: bool, bom: bool, block: int) -> None:
    """The byte-level look may send a fine file to the row-by-row check, never let a bad one through
    (limits made small, so that lines and cells reach them)."""
    text = ("a,b,c\n" if header else "") + "".join(pieces)
    start = 3 if bom else 0
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "MAX_CELL_CHARS", cell_chars)
        patch.setattr(files, "MAX_CSV_ROWS", rows)
        patch.setattr(files, "_BLOCK", block)
        if files.shape_plainly_fine(data, start):
            files.check_csv_shape(text, "e.csv", InputError)  # raises nothing


def test_usual_files_are_plainly_fine() -> None:
    """A wide table with quoted decimal commas, saved with \\n or \\r\\n line ends, with or without a
    BOM, skips the row-by-row check; a longer row, a quote inside a cell and a lone \\r do not."""
    rows = ["Đơn vị,1.1.1,1.1.2,1.1.3"] + [f"UBND xã Hòa Bình {k},Có,\"0,{k}\",{k}/10" for k in range(3000)]
    for end in ("\n", "\r\n"):
        text = end.join(rows) + end
        assert files.shape_plainly_fine(text.encode()) and files.shape_plainly_fine(codecs.BOM_UTF8 + text.encode(), 3)
    assert not files.shape_plainly_fine("a,b\n1,2,3\n".encode())
    assert not files.shape_plainly_fine('a,b\n1,x"y"\n'.encode())
    assert not files.shape_plainly_fine("a,b\r1,2\r".encode())
    assert not files.shape_plainly_fine('a,b\n"1\n2",3\n'.encode())
