"""The peers table of ``plan --peers`` obeys the same rule as every earlier-period table
(``scoring.previous``): each unit once (“Hòa”/“Hoà” too), each index within 0–100 % — also when
it is given as points and a maximum (350 points of 100 is not a 350 % commune)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parents[1]
PLAN = ["plan", "-r", ROOT / "rubrics" / "demo-xa-2025.yaml", "--result", ROOT / "examples" / "xa-an-phu.yaml",
        "-p", ROOT / "examples" / "profiles" / "xa-an-phu.yaml", "-f", "md", "--peers"]


def refused(path: Path) -> list[str]:
    result = CliRunner().invoke(main, [str(a) for a in [*PLAN, path]])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert all(line.startswith(f"lỗi: {path}: dòng ") for line in lines), lines
    return lines


def test_points_outside_the_maximum_are_refused_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "peers.csv"
    path.write_text('Đơn vị,Tổng điểm,Điểm tối đa\nUBND xã A,350,100\nUBND xã B,-20,100\nUBND xã C,"88,5",100\n',
                    encoding="utf-8")
    lines = refused(path)
    assert len(lines) == 2 and "dòng 2: chỉ số 350% ngoài khoảng 0–100%" in lines[0] and "dòng 3: chỉ số -20%" in lines[1]


def test_a_unit_written_twice_another_way_is_refused_naming_the_first(tmp_path: Path) -> None:
    path = tmp_path / "peers.csv"
    path.write_text("Đơn vị,Chỉ số\nUBND xã Hòa Bình,80\nUBND xã Hoà  Bình,70\nUBND xã X,101\n", encoding="utf-8")
    lines = refused(path)
    assert "dòng 3: đơn vị “UBND xã Hoà  Bình” trùng với “UBND xã Hòa Bình”" in lines[0]
    assert "dòng 4: chỉ số 101% ngoài khoảng 0–100%" in lines[1]
