"""docs/campaign.md is run as written: every command of its ``sh`` blocks, in order, in a fresh
copy of the rubrics and examples, with the ``export`` lines applied. A line marked ``# lỗi:`` must
be refused with a message; every other line must succeed. Then the published files are checked."""

from __future__ import annotations

import glob
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from cli import main

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "campaign.md"


def doc_lines() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return [line.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S)
            for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_walkthrough_has_every_command_of_the_issue() -> None:
    used = {shlex.split(line)[2] for line in doc_lines() if line.startswith("parindex campaign ")}
    assert used == {"init", "add-unit", "account", "submit", "withdraw", "appraise", "explain", "close-phase",
                    "import-survey", "diff", "rank", "publish", "verify", "status"}


def test_the_walkthrough_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("rubrics", "examples"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    for name in ("PARINDEX_NOW", "PARINDEX_CAMPAIGN", "PARINDEX_USER"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    outputs: list[tuple[str, str]] = []
    for line in doc_lines():
        refused = "# lỗi" in line
        if line.startswith("export "):
            key, _, value = shlex.split(line[len("export "):])[0].partition("=")
            monkeypatch.setenv(key, value)
            continue
        if line.startswith("parindex "):
            args = shlex.split(line, comments=True)[1:]
            args = [m for a in args for m in (sorted(glob.glob(a)) if "*" in a else [a])]
            result = runner.invoke(main, args, catch_exceptions=False)
            code, output = result.exit_code, result.output
        else:
            done = subprocess.run(["bash", "-c", line], capture_output=True, text=True)
            code, output = done.returncode, done.stdout + done.stderr
        if refused:
            assert code != 0 and "lỗi" in output, f"{line}\n{output}"
        else:
            assert code == 0, f"{line}\n{output}"
        outputs.append((line, output))
    published = tmp_path / "out" / "chien-dich" / "cong-bo"
    assert sorted(p.name for p in published.iterdir()) == [
        "chi-so-linh-vuc.png", "chi-so.png", "quyet-dinh-cong-bo.docx", "xep-hang.xlsx"]
    diff_book = load_workbook(tmp_path / "out" / "chien-dich" / "chenh-lech-song-cau.xlsx")
    diff_cells = [str(c.value) for ws in diff_book for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("Sông Cầu" in v for v in diff_cells) and len(diff_cells) > 10
    plan_text = "\n".join(p.text for p in Document(tmp_path / "out" / "chien-dich" / "ke-hoach-khac-phuc-binh-minh.docx")
                          .paragraphs)
    assert "KẾ HOẠCH" in plan_text and "Bình Minh" in plan_text and "III. TỔ CHỨC THỰC HIỆN" in plan_text
    assert len(list((tmp_path / "out" / "chien-dich" / "ke-hoach").glob("*.docx"))) == 5
    plan_output = next(o for line, o in outputs if "--unit \"UBND xã Bình Minh\"" in line and "plan" in line)
    assert "mục tiêu (tăng ít nhất 1 bậc) đạt được" in plan_output
    rank_output = next(o for line, o in outputs if line.startswith("parindex campaign rank"))
    assert "tăng 3 bậc" in rank_output
    refused_submit = next(o for line, o in outputs if "submit examples/xa-binh-minh.yaml" in line)
    assert "Giai đoạn tự đánh giá đã hết hạn lúc 23:59 ngày 31/01/2026" in refused_submit
    tampered = [o for line, o in outputs if line.startswith("parindex campaign verify")]
    assert "Nhật ký toàn vẹn" in tampered[0] and "bảng appraisal" in tampered[-1]
    assert "ĐỒNG HỒ GIẢ LẬP" in tampered[0]  # the demo clock is said loudly
    refused_rank = next(o for line, o in outputs if line.startswith("parindex campaign rank -d"))
    assert "không còn tin cậy được" in refused_rank and "bảng appraisal" in refused_rank
    damaged = next(o for line, o in outputs if line.startswith("parindex") and "hong.db" in line)
    assert len(damaged.strip().splitlines()) == 1 and "tệp chiến dịch bị hỏng" in damaged
    near = next(o for line, o in outputs if "AN PHÚ" in line)
    assert "trùng với đơn vị “UBND xã An Phú” đã có trong chiến dịch" in near
    other_unit = next(o for line, o in outputs if "Giải trình hộ" in line)
    assert "không được gửi giải trình cho “UBND xã An Phú”" in other_unit
    python = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    scope: dict[str, object] = {}
    exec(compile(python, "docs/campaign.md", "exec"), scope)  # the Python example runs too
    assert scope["result"].unit == "UBND xã An Phú" and len(scope["rows"]) == 5
