"""``parindex rubric import`` and ``rubric export``: thin commands, one clear line per problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from criteria import load_rubric

from .tables import HEADER, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "cli.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, encoding="utf-8")


ROWS = [HEADER, ("I", "Lĩnh vực", 2, None, None),
        (1, "Ban hành kế hoạch", 1, "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0", "KH"),
        (2, "Chất lượng", 1, "Hội đồng xem xét, chấm theo thực tế", None)]


def test_import_writes_a_rubric_that_loads_and_prints_the_report(tmp_path):
    table = write_xlsx(tmp_path / "bang-xa-2025.xlsx", ROWS)
    out, report = tmp_path / "out" / "xa.yaml", tmp_path / "bao-cao.txt"
    done = run("rubric", "import", table, "-o", out, "--source", "QĐ 1880/QĐ-UBND", "--report", report)
    assert done.returncode == 0, done.stderr
    rubric = load_rubric(out)
    assert rubric.source == "QĐ 1880/QĐ-UBND" and rubric.level == "xã" and rubric.year == 2025
    assert "CẦN NGƯỜI XEM" in done.stdout and "Cần người xem: 1.2" in done.stdout
    assert report.read_text(encoding="utf-8") == done.stdout
    assert out.read_text(encoding="utf-8").startswith("# Nhập từ bang-xa-2025.xlsx")
    strict = run("rubric", "import", table, "-o", out, "--strict")
    assert strict.returncode == 1


def test_a_table_without_header_is_one_line_and_exit_code_2(tmp_path):
    table = write_xlsx(tmp_path / "t.xlsx", [("Tên", "Điểm"), ("A", 1)])
    done = run("rubric", "import", table, "-o", tmp_path / "x.yaml")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi: ") and "dòng tiêu đề" in lines[0]
    assert "Traceback" not in done.stderr and not (tmp_path / "x.yaml").exists()


def test_bad_files_never_end_in_a_traceback(tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK not really")
    for args in (("rubric", "import", broken, "-o", tmp_path / "x.yaml"),
                 ("rubric", "import", tmp_path / "khong-co.docx", "-o", tmp_path / "x.yaml"),
                 ("rubric", "import", tmp_path, "-o", tmp_path / "x.yaml"),
                 ("rubric", "export", tmp_path / "khong-co.yaml", "-o", tmp_path / "x.xlsx")):
        done = run(*args)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr and done.stderr.startswith("lỗi: "), done.stderr


def test_children_that_do_not_add_up_are_listed_and_nothing_is_written(tmp_path):
    rows = [HEADER, (1, "Lĩnh vực", 3, None, None), ("1.1", "A", 1, "Đạt: 1; Không đạt: 0", None),
            ("1.2", "B", 1, "Đạt: 1; Không đạt: 0", None), (2, "Lĩnh vực 2", 5, None, None),
            ("2.1", "C", 1, "Đạt: 1; Không đạt: 0", None)]
    table = write_xlsx(tmp_path / "t.xlsx", rows)
    done = run("rubric", "import", table, "-o", tmp_path / "x.yaml")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and all("tổng điểm tối đa các tiêu chí con" in line for line in lines)
    assert "dòng 2" in lines[0] and "dòng 5" in lines[1]
    assert not (tmp_path / "x.yaml").exists()
    fixed = run("rubric", "import", table, "-o", tmp_path / "x.yaml", "--use-child-sums")
    assert fixed.returncode == 0 and load_rubric(tmp_path / "x.yaml").max_points == 3


def test_export_then_import_on_the_command_line(tmp_path):
    table = write_xlsx(tmp_path / "bang.xlsx", ROWS)
    first = tmp_path / "a.yaml"
    assert run("rubric", "import", table, "-o", first, "--source", "QĐ 1").returncode == 0
    for suffix in (".xlsx", ".docx"):
        exported = tmp_path / f"bang-xuat{suffix}"
        done = run("rubric", "export", first, "-o", exported)
        assert done.returncode == 0, done.stderr
        again = tmp_path / f"b{suffix}.yaml"
        assert run("rubric", "import", exported, "-o", again).returncode == 0
        assert load_rubric(again) == load_rubric(first)
    wrong = run("rubric", "export", first, "-o", tmp_path / "bang.pdf")
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1
