"""``-o`` (and every other file a command writes) never replaces one of the command's inputs: one
helper (``criteria.files.refuse_overwriting``), one message, exit 2, the input left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
TABLE = ROOT / "examples" / "bang-tieu-chi-mau.xlsx"


def refused(args: list[object], victim: Path) -> str:
    before = victim.read_bytes()
    result = CliRunner().invoke(main, [str(a) for a in args])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert "trùng với tệp đầu vào" in lines[0] and "sẽ bị ghi đè" in lines[0]
    assert victim.read_bytes() == before
    return lines[0]


@pytest.mark.parametrize("kind", ["same", "symlink"])
def test_template_and_rubric_export_refuse_to_write_over_their_rubric(tmp_path: Path, kind: str) -> None:
    for suffix, command in ((".xlsx", ["template", "-r"]), (".docx", ["rubric", "export"])):
        rubric = tmp_path / f"bo-chi-so{suffix}"  # a rubric file named like the output it would become
        shutil.copyfile(DEMO, rubric)
        target = rubric
        if kind == "symlink":
            target = tmp_path / f"lien-ket{suffix}"
            target.symlink_to(rubric)
        line = refused([*command, rubric, "-o", target], rubric)
        assert line.startswith(f"lỗi: {target}: --output trùng với tệp đầu vào “{rubric}”")


def test_rubric_import_refuses_an_output_or_report_that_is_the_table(tmp_path: Path) -> None:
    table = tmp_path / "bang.xlsx"
    shutil.copyfile(TABLE, table)
    refused(["rubric", "import", table, "-o", table], table)
    refused(["rubric", "import", table, "-o", tmp_path / "moi.yaml", "--report", table], table)
    assert not (tmp_path / "moi.yaml").exists()
