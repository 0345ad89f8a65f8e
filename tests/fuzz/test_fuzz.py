"""The fuzz suite: mutants of every input kind through the command line; every count must be 0.

Short mode (the normal test run): a few examples per kind, derandomised, under a minute.
Long mode for developers: ``PARINDEX_FUZZ=long python -m pytest tests/fuzz -s`` (random, many more).
Campaign databases are mutated too: every campaign command on every damaged copy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import Tally, calibrate, run_in_process, run_subprocess
from tests.fuzz.mutants import (DEMO, HOSTILE, ROOT, DatabaseMutant, Mutant, blind, blind_zip, database_mutants,
                                flipped_database)

LONG = os.environ.get("PARINDEX_FUZZ") == "long"
EXAMPLES = int(os.environ.get("PARINDEX_FUZZ_EXAMPLES", 200 if LONG else 6))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG, database=None,
                suppress_health_check=list(HealthCheck))

AN_PHU = ROOT / "examples" / "xa-an-phu.yaml"
COMMUNES = ROOT / "examples" / "communes.csv"
SHEET = ROOT / "examples" / "xa-dong-tien-tu-danh-gia.xlsx"
PROFILE = ROOT / "examples" / "profiles" / "xa-an-phu.yaml"
CRITERIA_TABLE = ROOT / "examples" / "bang-tieu-chi-mau.xlsx"
SURVEY = ROOT / "examples" / "campaign" / "khao-sat-2025.csv"
PREVIOUS = ROOT / "examples" / "campaign" / "ket-qua-2024.csv"

TALLY = Tally()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def campaign(work: Path, django_db_blocker) -> Path:  # noqa: ANN001 - pytest-django's blocker
    """A campaign with the example units, ready for survey imports and rankings (its own SQLite file,
    opened as tests/conftest.py allows every campaign: this fixture runs before that one)."""
    with django_db_blocker.unblock():
        return _new_campaign(work)


def _new_campaign(work: Path) -> Path:
    from click.testing import CliRunner

    from cli import main

    db = work / "base.db"
    runner = CliRunner()
    assert runner.invoke(main, ["campaign", "init", "-d", str(db), "-r", str(DEMO), "--name", "Thử", "--by", "A"]).exit_code == 0
    units = ["UBND xã An Phú", "UBND xã Bình Minh", "UBND xã Đồng Tiến", "UBND xã Tân Lập", "UBND phường Sông Cầu"]
    assert runner.invoke(main, ["campaign", "add-unit", "-d", str(db), *units, "--by", "A"]).exit_code == 0
    return db


def _write(work: Path, mutant: Mutant) -> Path:
    path = work / mutant.name
    path.write_bytes(mutant.data)
    return path


def _xlsx_with(source: Path, target: Path, sheet_index: int, cell: str, value: object) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(source)
    book.worksheets[sheet_index][cell] = value
    book.save(target)
    return target


# ---------------------------------------------------------------- blind mutants of every text input
@FUZZ
@given(data=st.data())
def fuzz_blind_evidence_yaml(work: Path, data: st.DataObject) -> None:
    path = _write(work, data.draw(blind(AN_PHU, ".yaml")))
    run_in_process(TALLY, "evidence yaml", ["score", "-r", DEMO, "-e", path, "-f", "csv", "-o", work / "o.csv"],
                   [path, work / "o.csv"], [work / "o.csv"])


@FUZZ
@given(data=st.data())
def fuzz_blind_evidence_csv(work: Path, data: st.DataObject) -> None:
    path = _write(work, data.draw(blind(COMMUNES, ".csv")))
    run_in_process(TALLY, "evidence csv", ["score", "-r", DEMO, "-e", path, "-f", "json", "-o", work / "o.json"],
                   [path, work / "o.json"], [work / "o.json"])


@FUZZ
@given(data=st.data())
def fuzz_blind_rubric(work: Path, data: st.DataObject) -> None:
    path = _write(work, data.draw(blind(DEMO, ".yaml")))
    run_in_process(TALLY, "rubric", ["rubric", "check", path], [path])
    run_in_process(TALLY, "rubric score", ["score", "-r", path, "-e", AN_PHU], [path, AN_PHU])


@FUZZ
@given(data=st.data())
def fuzz_blind_profile(work: Path, data: st.DataObject) -> None:
    path = _write(work, data.draw(blind(PROFILE, ".yaml")))
    run_in_process(TALLY, "profile", ["plan", "-r", DEMO, "--result", AN_PHU, "-p", path, "-f", "md"], [path])


@FUZZ
@given(data=st.data())
def fuzz_blind_peers_and_previous_year(work: Path, campaign: Path, data: st.DataObject) -> None:
    peers = _write(work, data.draw(blind(PREVIOUS, ".csv")))
    run_in_process(TALLY, "peers", ["plan", "-r", DEMO, "--result", AN_PHU, "-p", PROFILE, "--peers", peers,
                                    "-f", "md"], [peers])
    run_in_process(TALLY, "previous", ["campaign", "rank", "-d", campaign, "--previous", peers], [peers, campaign])


@FUZZ
@given(data=st.data())
def fuzz_blind_survey(work: Path, campaign: Path, data: st.DataObject) -> None:
    survey = _write(work, data.draw(blind(SURVEY, ".csv")))
    db = work / "survey.db"
    shutil.copyfile(campaign, db)
    run_in_process(TALLY, "survey", ["campaign", "import-survey", "-d", db, survey, "--by", "A"], [survey, db])


# ---------------------------------------------------------------- workbooks: damaged, and hostile cells
@FUZZ
@given(data=st.data())
def fuzz_blind_workbooks(work: Path, data: st.DataObject) -> None:
    for source, label in ((SHEET, "sheet"), (CRITERIA_TABLE, "criteria table")):
        path = _write(work, blind_zip(data.draw, source))
        if label == "sheet":
            run_in_process(TALLY, label, ["score", "-r", DEMO, "-e", path], [path])
        else:
            run_in_process(TALLY, label, ["rubric", "import", path, "-o", work / "r.yaml"], [path, work / "r.yaml"],
                           [work / "r.yaml"])


@FUZZ
@given(value=st.sampled_from(HOSTILE), row=st.integers(8, 60), column=st.sampled_from("DEFGHI"))
def fuzz_hostile_cells_in_the_filled_sheet_and_the_criteria_table(work: Path, value: str, row: int, column: str) -> None:
    try:
        sheet = _xlsx_with(SHEET, work / "cell.xlsx", 0, f"{column}{row}", value)
        table = _xlsx_with(CRITERIA_TABLE, work / "table.xlsx", 0, f"{column}{row // 4}", value)
    except Exception:
        return
    run_in_process(TALLY, "sheet cell", ["score", "-r", DEMO, "-e", sheet, "-f", "csv"], [sheet])
    run_in_process(TALLY, "table cell", ["rubric", "import", table, "-o", work / "t.yaml"], [table, work / "t.yaml"],
                   [work / "t.yaml"])


# ---------------------------------------------------------------- known bad: each must be refused
def _evidence(value: str, code: str = "3.1.2", unit: str = "X") -> bytes:
    return f'unit: "{unit}"\nevidence: {{"{code}": {value}}}\n'.encode()


def _alias_bomb() -> bytes:
    letters = "abcdefghijkl"
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]" for p, c in zip(letters, letters[1:])]
    return ('unit: X\nevidence:\n  "1.1.1":\n' + "".join(f"    {line}\n" for line in lines)).encode()


KNOWN_BAD = [
    Mutant("above-max.yaml", _evidence('"3 | lý do"', "7.2"), True, "points above the maximum"),
    Mutant("dot.yaml", _evidence('"97.685"', "7.1"), True, "97.685 as points"),
    Mutant("share.yaml", _evidence('"0,95"', "3.1.1"), True, "a share ≤ 1 without %"),
    Mutant("hex.yaml", _evidence("0x10"), True, "YAML 1.1 hex"),
    Mutant("sexagesimal.yaml", _evidence("1:30"), True, "YAML 1.1 base 60"),
    Mutant("underscore.yaml", _evidence("1_0"), True, "YAML 1.1 underscore"),
    Mutant("huge.yaml", _evidence("9" * 4301), True, "4 301 digits"),
    Mutant("control.yaml", _evidence('"a\x01b"', "1.1.1"), True, "a control character"),
    Mutant("bomb.yaml", _alias_bomb(), True, "an alias bomb"),
    Mutant("deep.yaml", _evidence("[" * 170 + "]" * 170, "1.1.1"), True, "170 levels"),
]


def fuzz_known_bad_evidence_is_refused(work: Path) -> None:
    for mutant in KNOWN_BAD:
        path = _write(work, mutant)
        run_in_process(TALLY, f"known bad: {mutant.why}", ["score", "-r", DEMO, "-e", path], [path],
                       expect_refusal=True)
    rows = COMMUNES.read_text(encoding="utf-8").splitlines()
    values = rows[1].split(",", 1)[1]
    near = work / "near.csv"
    near.write_text("\n".join([rows[0], f"UBND xã Hòa Bình,{values}", f"UBND xã Hoà  Bình,{values}"]) + "\n",
                    encoding="utf-8")
    run_in_process(TALLY, "known bad: near-duplicate units", ["score", "-r", DEMO, "-e", near], [near],
                   expect_refusal=True)
    same = work / "same.csv"
    shutil.copyfile(COMMUNES, same)
    run_in_process(TALLY, "known bad: -o is the input", ["score", "-r", DEMO, "-e", same, "-f", "csv", "-o", same],
                   [same], expect_refusal=True)
    rubric = work / "fine.yaml"
    rubric.write_text(DEMO.read_text(encoding="utf-8").replace("kịp thời, points: 1}", "kịp thời, points: 0.33333}", 1),
                      encoding="utf-8")
    run_in_process(TALLY, "known bad: 5 decimals", ["rubric", "check", rubric], [rubric], expect_refusal=True)


# ---------------------------------------------------------------- campaign databases
def _submitted(work: Path, campaign: Path) -> Path:
    from click.testing import CliRunner

    from cli import main

    db = work / "submitted.db"
    if not db.exists():
        shutil.copyfile(campaign, db)
        result = CliRunner().invoke(main, ["campaign", "submit", "-d", str(db), str(COMMUNES), "--by", "A"])
        assert result.exit_code == 0, result.output
    return db


def _campaign_commands(db: Path) -> dict[str, list[object]]:
    return {
        "verify": ["campaign", "verify", "-d", db, "--as", "A"],
        "status": ["campaign", "status", "-d", db, "--as", "A"],
        "rank": ["campaign", "rank", "-d", db, "--as", "A"],
        "diff": ["campaign", "diff", "-d", db, "UBND xã An Phú", "--as", "A"],
        "log": ["campaign", "status", "--log", "-d", db, "--as", "A"],
        "add-unit": ["campaign", "add-unit", "-d", db, "UBND xã Mới Lập", "--as", "A"],
        "submit": ["campaign", "submit", "-d", db, AN_PHU, "--as", "A"],
        "import-survey": ["campaign", "import-survey", "-d", db, SURVEY, "--as", "A"],
        "plan": ["plan", "--campaign", db, "--stage", "tu-danh-gia", "--unit", "UBND xã An Phú", "-p", PROFILE,
                 "-f", "md", "--as", "A"],
    }


def _run_campaign_commands(mutant: DatabaseMutant, only: tuple[str, ...] = ()) -> None:
    for command, args in _campaign_commands(mutant.path).items():
        if only and command not in only:
            continue
        run_in_process(TALLY, f"campaign db ({mutant.why}): {command}", args, [mutant.path],
                       expect_refusal=command in mutant.refused_by)


def fuzz_damaged_campaign_databases(work: Path, campaign: Path) -> None:
    for mutant in database_mutants(_submitted(work, campaign), work / "db-mutants"):
        _run_campaign_commands(mutant)


@FUZZ
@given(data=st.data())
def fuzz_flipped_campaign_databases(work: Path, campaign: Path, data: st.DataObject) -> None:
    folder = work / "db-flips"
    folder.mkdir(exist_ok=True)
    mutant = data.draw(flipped_database(_submitted(work, campaign), folder))
    _run_campaign_commands(mutant, ("verify", "status", "rank"))


def fuzz_bombs_in_their_own_process_stay_within_time_and_memory(work: Path) -> None:
    """A few runs in a separate interpreter, where peak memory is measured (in-process it cannot be)."""
    import zipfile

    calibrate()
    bomb = work / "zip-bomb.xlsx"
    with zipfile.ZipFile(SHEET) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, data + b" " * (300 * 1024**2) if info.filename.endswith("sheet1.xml") else data)
    far = _xlsx_with(SHEET, work / "far.xlsx", 0, "A1000000", "x")
    alias = _write(work, KNOWN_BAD[8])
    for path in (bomb, far, alias):
        run_subprocess(TALLY, f"process: {path.name}", ["score", "-r", DEMO, "-e", path], [path],
                       expect_refusal=True)


def test_fuzz_suite_counts_are_zero(work: Path, campaign: Path) -> None:
    """One test (so one worker under xdist holds the whole tally): every fuzzer, then the counts."""
    fuzz_blind_evidence_yaml(work)
    fuzz_blind_evidence_csv(work)
    fuzz_blind_rubric(work)
    fuzz_blind_profile(work)
    fuzz_blind_peers_and_previous_year(work, campaign)
    fuzz_blind_survey(work, campaign)
    fuzz_blind_workbooks(work)
    fuzz_hostile_cells_in_the_filled_sheet_and_the_criteria_table(work)
    fuzz_known_bad_evidence_is_refused(work)
    fuzz_damaged_campaign_databases(work, campaign)
    fuzz_flipped_campaign_databases(work, campaign)
    fuzz_bombs_in_their_own_process_stay_within_time_and_memory(work)
    print("\n" + TALLY.report())
    assert TALLY.runs > 50
    assert TALLY.counts() == {k: 0 for k in TALLY.counts()}, TALLY.report()
