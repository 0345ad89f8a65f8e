"""The README is kept honest: its rubric example loads, and every command it shows runs."""

from __future__ import annotations

import glob
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from criteria import load_rubric_text

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


WALKTHROUGH = ROOT / "docs" / "campaign.md"  # its sh blocks run in order, in tests/campaign/test_campaign_docs.py


_COMMAND = re.compile(r"^(?:\$\s+)?(?:pip install [^&]*&&\s*)?(parindex\s.*)$")
_SERVER = re.compile(r"^parindex serve\b(?!.*--(?:help|prepare-only))")


def shown_commands() -> list[str]:
    """Every line of a shell block (bash, sh, console) of the README and of the docs whose command
    is ``parindex`` (not a line that merely names a database or a user called parindex)."""
    docs = [p for p in sorted((ROOT / "docs").glob("*.md")) if p != WALKTHROUGH]
    texts = [README] + [p.read_text(encoding="utf-8") for p in docs]
    commands = []
    for text in texts:
        for block in re.findall(r"```(?:bash|sh|shell|console)\n(.*?)```", text, re.S):
            for line in block.splitlines():
                found = _COMMAND.match(line.strip())
                if found:
                    commands.append(found.group(1).split("  #")[0].strip())
    return commands


def readme_commands() -> list[str]:
    """The commands that finish: run in-process, each must exit 0."""
    return [c for c in shown_commands() if not _SERVER.match(c)]


def server_commands() -> list[str]:
    """``parindex serve …``: the portal runs until stopped; each is started, must answer, is stopped."""
    return sorted({c for c in shown_commands() if _SERVER.match(c)})


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


def _answers(port: int, process: subprocess.Popen, seconds: float = 90) -> int:
    """The HTTP status of the portal's first page once it answers (any status below 500)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"máy chủ dừng với mã {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:  # a redirect to the login page, say
            return exc.code
        except (urllib.error.URLError, ConnectionError, socket.timeout):
            time.sleep(0.5)
    raise AssertionError("máy chủ không trả lời sau 90 giây")


def _wait_until_free(port: int, seconds: float = 120) -> None:
    """Wait while another program (another test run on a shared machine) listens on ``port``:
    otherwise that program's answer would be taken for the command's."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(1)
    raise AssertionError(f"cổng {port} vẫn bận sau {seconds:.0f} giây: một chương trình khác đang dùng nó")


def test_the_server_commands_are_collected() -> None:
    commands = server_commands()
    assert "parindex serve --demo" in commands  # the README's third command
    assert any("--workers" in c for c in commands)  # docs/portal.md, production


def test_every_server_command_serves(tmp_path: Path) -> None:
    """Each ``parindex serve`` line, as written, serves the portal: the demo on a fresh folder; the
    production lines with the environment docs/portal.md sets before them (a throwaway database and
    keys here). One after another: they share the documented port."""
    for number, command in enumerate(server_commands()):
        args = shlex.split(command)[1:]
        port = int(args[args.index("--port") + 1]) if "--port" in args else 8000
        work = tmp_path / str(number)
        work.mkdir()
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        if "--demo" not in args:
            env.update(DATABASE_URL=f"sqlite:///{work / 'portal.db'}", PARINDEX_SECRET_KEY=secrets.token_urlsafe(50),
                       PARINDEX_ALLOWED_HOSTS="127.0.0.1,localhost", PARINDEX_MEDIA_ROOT=str(work / "media"),
                       PARINDEX_STATIC_ROOT=str(work / "static"), PARINDEX_SIGNING_KEY=str(work / "khoa.pem"))
            for name in ("PARINDEX_DEMO", "PARINDEX_STORAGE"):
                env.pop(name, None)
        process = subprocess.Popen([sys.executable, "-m", "cli", *args], cwd=work, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            status = _answers(port, process)
        finally:
            os.killpg(process.pid, 15)
            output = process.communicate(timeout=30)[0]
        assert status < 500, f"{command}: HTTP {status}\n{output}"
        if "--demo" in args:
            assert "quan-tri" in output or "Quản trị" in output, output  # the demo accounts are printed
