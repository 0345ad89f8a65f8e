"""Issue 11: bad input never wins — each reproducer of the issue, as a regression test.

Every refusal is one Vietnamese line naming the file and the place, exit code 2, no traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def refused(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


def evidence(tmp_path: Path, text: str, name: str = "e.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------ 1. text reaching the terminal
def test_unit_names_with_square_brackets_are_printed_as_written(tmp_path: Path) -> None:
    for name in ("UBND xã [/b]", "UBND xã [red]Đỏ[/red] :smile:"):
        path = evidence(tmp_path, f'unit: "{name}"\nevidence: {{"1.1.1": Ban hành kịp thời}}\n')
        result = run("score", "-r", DEMO, "-e", path)
        assert result.exit_code == 0, result.output
        assert name in result.output


def test_no_console_is_made_outside_the_one_safe_function() -> None:
    offenders = []
    for path in [ROOT / "cli.py", *(ROOT / "scoring").rglob("*.py"), *(ROOT / "criteria").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bConsole\(", text) and path != ROOT / "scoring" / "reports" / "terminal.py":
            offenders.append(str(path))
        if re.search(r"print\(f?\"\[(bold|red|green)", text):
            offenders.append(f"{path}: markup in a print")
    assert offenders == []


# ------------------------------------------------------------ 2. points above the maximum
def test_points_above_the_maximum_are_refused_with_the_place(tmp_path: Path) -> None:
    path = evidence(tmp_path, 'unit: X\nevidence: {"7.2": "3 | lý do"}\n')
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 2", "7.2", "3 điểm vượt điểm tối đa 2")
