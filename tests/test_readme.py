"""The README is kept honest: its rubric example loads, and every command it shows runs."""

from __future__ import annotations

import glob
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from criteria import load_rubric_text

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


WALKTHROUGH = ROOT / "docs" / "campaign.md"  # its sh blocks run in order, in tests/campaign/test_campaign_docs.py


def readme_commands() -> list[str]:
    """Every `parindex …` line inside a shell block of the README and of the docs (bash or sh)."""
    docs = [p for p in sorted((ROOT / "docs").glob("*.md")) if p != WALKTHROUGH]
    texts = [README] + [p.read_text(encoding="utf-8") for p in docs]
    commands = []
    for text in texts:
        for block in re.findall(r"```(?:bash|sh|shell|console)\n(.*?)```", text, re.S):
            for line in block.splitlines():
                line = line.strip()
                if "parindex " in line:
                    commands.append(line[line.index("parindex "):])
    return commands


def test_the_rubric_example_in_the_readme_loads() -> None:
    block = re.search(r"```yaml\n(id: vi-du.*?)```", README, re.S)
    assert block is not None
    rubric = load_rubric_text(block.group(1), "README.md")
    assert rubric.max_points == 10
    assert {leaf.rule.kind for leaf in rubric.leaves()} >= {
        "deadline", "bands", "proportional", "count_ladder", "additive", "deduction", "external", "manual", "boolean"}


def test_the_docs_commands_are_collected() -> None:
    commands = readme_commands()
    assert any(c.startswith("parindex rubric import examples/") for c in commands)  # docs/import.md
    assert any(c.startswith("parindex rubric export rubrics/xuan-loc") for c in commands)
    assert not any("parindex campaign" in c for c in commands)


@pytest.mark.parametrize("command", readme_commands())
def test_every_readme_command_runs(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)[1:]
    if "&&" in args:
        args = args[: args.index("&&")]
    args = [match for arg in args for match in (sorted(glob.glob(arg)) if "*" in arg else [arg])]  # as a shell would
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
