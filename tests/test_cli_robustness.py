"""The command line as a clerk meets it: wrong files, wrong encodings, unwritable outputs.

Each bad input ends in one Vietnamese line naming the file (and the place), exit code 2,
no traceback and no file left half-written.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
COMMUNES = ROOT / "examples" / "communes.csv"
SHEET = ROOT / "examples" / "xa-dong-tien-tu-danh-gia.xlsx"
AN_PHU = ROOT / "examples" / "xa-an-phu.yaml"


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def refused(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, result.output
    assert "codec" not in result.output and "No such file" not in result.output
    return result.output


def _docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("không phải bảng tính")
    document.save(str(path))
    return path


# ------------------------------------------------------------ CSV read by every reader
def test_windows_1258_csv_names_the_encoding_and_line(tmp_path: Path) -> None:
    text = COMMUNES.read_text(encoding="utf-8")
    path = tmp_path / "communes.csv"
    path.write_bytes(text.encode("cp1258", errors="replace"))
    out = refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 1:", "không phải văn bản UTF-8", "CSV UTF-8")
    assert "0xd0" not in out


def test_xlsx_named_csv_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(SHEET.read_bytes())
    refused(run("score", "-r", DEMO, "-e", path), str(path), "tệp Excel (.xlsx), không phải tệp CSV")


def test_semicolon_csv_is_named_not_read_as_one_column(tmp_path: Path) -> None:
    path = tmp_path / "communes.csv"
    path.write_text(COMMUNES.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    out = refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 1:", "dấu chấm phẩy")
    assert len(out.splitlines()) == 1


def test_empty_csv(tmp_path: Path) -> None:
    path = tmp_path / "trong.csv"
    path.write_text("", encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", path), str(path), "tệp trống")


def test_row_longer_than_header_is_refused_not_shifted(tmp_path: Path) -> None:
    path = tmp_path / "lech.csv"
    path.write_text("Đơn vị,1.1.1\nUBND xã A,Ban hành kịp thời,Có\n", encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", path), f"{path}: dòng 2:", "có 3 ô, dòng tiêu đề có 2 cột")


def test_trailing_empty_cell_does_not_shift_columns(tmp_path: Path) -> None:
    path = tmp_path / "thua-dau-phay.csv"
    path.write_text("Đơn vị,1.1.1\nUBND xã A,Ban hành kịp thời,\n", encoding="utf-8")
    result = run("score", "-r", DEMO, "-e", path, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert "UBND xã A,1.1.1," in result.output


def test_bad_csv_in_campaign_and_plan_readers_too(tmp_path: Path) -> None:
    path = tmp_path / "ky-truoc.csv"
    path.write_bytes("Đơn vị,Chỉ số\nUBND xã Đồng Tiến,80\n".encode("cp1258", errors="replace"))
    refused(run("plan", "-r", DEMO, "--result", COMMUNES, "--unit", "UBND xã Bình Minh",
                "-p", ROOT / "examples" / "profiles" / "xa-binh-minh.yaml", "-o", tmp_path / "k.docx",
                "--peers", path), str(path), "không phải văn bản UTF-8")
    db = tmp_path / "c.db"
    env = {"PARINDEX_USER": "Kiểm thử"}
    assert run("campaign", "init", "--db", db, "-r", DEMO, "--name", "Thử", env=env).exit_code == 0
    refused(run("campaign", "rank", "--db", db, "--previous", path, env=env), str(path), "không phải văn bản UTF-8")
    assert not (tmp_path / "k.docx").exists()


# ------------------------------------------------------------ Office files in disguise
def test_docx_renamed_xlsx_as_evidence(tmp_path: Path) -> None:
    path = _docx(tmp_path / "so-lieu.xlsx")
    refused(run("score", "-r", DEMO, "-e", path), f"{path}:", "tệp Word (.docx), không phải tệp Excel .xlsx")


def test_docx_renamed_xlsx_as_criteria_table(tmp_path: Path) -> None:
    path = _docx(tmp_path / "bang.xlsx")
    out = tmp_path / "bo.yaml"
    refused(run("rubric", "import", path, "-o", out), f"{path}:", "tệp Word (.docx)")
    assert not out.exists()


def test_text_file_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.xlsx"
    path.write_text("Đơn vị,1.1.1\n", encoding="utf-8")
    out = refused(run("score", "-r", DEMO, "-e", path), str(path), "không phải tệp Excel .xlsx")
    assert "zip" not in out


# ------------------------------------------------------------ outputs that cannot be written
@pytest.mark.parametrize("args", [
    ["score", "-r", DEMO, "-e", AN_PHU, "-f", "docx", "-o", "{bad}/bao-cao.docx"],
    ["score", "-r", DEMO, "-e", AN_PHU, "-f", "json", "-o", "{bad}/ket-qua.json"],
    ["score", "-r", DEMO, "-e", AN_PHU, "--chart", "{bad}/bieu-do.png"],
    ["template", "-r", DEMO, "-o", "{bad}/tu-danh-gia.xlsx"],
    ["rubric", "export", DEMO, "-o", "{bad}/bang.xlsx"],
    ["rubric", "schema", "-o", "{bad}/schema.json"],
])
def test_unwritable_output_names_the_target(tmp_path: Path, args: list) -> None:
    blocker = tmp_path / "la-tep"  # a file where a folder is needed
    blocker.write_text("x", encoding="utf-8")
    args = [str(a).replace("{bad}", str(blocker)) for a in args]
    target = next(a for a in args if str(blocker) in a)
    out = refused(run(*args), f"{target}: không ghi được tệp")
    assert ".tmp" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["la-tep"]


def test_output_that_is_a_folder(tmp_path: Path) -> None:
    out = refused(run("score", "-r", DEMO, "-e", AN_PHU, "-f", "json", "-o", tmp_path), str(tmp_path), "thư mục")
    assert ".tmp" not in out
    assert list(tmp_path.iterdir()) == []


def test_campaign_in_unwritable_place(tmp_path: Path) -> None:
    blocker = tmp_path / "la-tep"
    blocker.write_text("x", encoding="utf-8")
    db = blocker / "c.db"
    refused(run("campaign", "init", "--db", db, "-r", DEMO, "--name", "Thử", env={"PARINDEX_USER": "A"}),
            f"{db}: không tạo được tệp chiến dịch")


def test_campaign_db_that_is_a_folder(tmp_path: Path) -> None:
    refused(run("campaign", "status", "--db", tmp_path), str(tmp_path), "thư mục")


def test_broken_json_result_for_plan(tmp_path: Path) -> None:
    path = tmp_path / "ket-qua.json"
    path.write_text('{"rubric": "demo-xa-2025",\n "units": [', encoding="utf-8")
    out = refused(run("plan", "-r", DEMO, "--result", path, "-p", ROOT / "examples" / "profiles" / "xa-binh-minh.yaml",
                      "-o", tmp_path / "k.docx"), f"{path}: dòng 2, cột", "JSON hỏng")
    assert "Expecting" not in out


def _ready_to_publish(tmp_path: Path) -> tuple[Path, dict]:
    db, env = tmp_path / "c.db", {"PARINDEX_USER": "Sở Nội vụ"}
    assert run("campaign", "init", "--db", db, "-r", DEMO, "--name", "Thử", env=env).exit_code == 0
    assert run("campaign", "add-unit", "--db", db, "--from", COMMUNES, env=env).exit_code == 0
    assert run("campaign", "submit", "--db", db, COMMUNES, env=env).exit_code == 0
    for phase in ("tu-danh-gia", "tham-dinh-1", "giai-trinh", "tham-dinh-2"):
        assert run("campaign", "close-phase", "--db", db, phase, env=env).exit_code == 0
    return db, env


def test_publish_that_cannot_write_records_nothing_and_leaves_no_files(tmp_path: Path) -> None:
    db, env = _ready_to_publish(tmp_path)
    out = tmp_path / "cong-bo"
    (out / "quyet-dinh-cong-bo.docx").mkdir(parents=True)  # the second file cannot be written
    refused(run("campaign", "publish", "--db", db, "-o", out, "--issuer", "UBND tỉnh", "--place", "Hà Tĩnh", env=env),
            str(out / "quyet-dinh-cong-bo.docx"), "thư mục")
    assert sorted(p.name for p in out.iterdir()) == ["quyet-dinh-cong-bo.docx"]  # the .xlsx written first is gone
    status = run("campaign", "status", "--db", db, env=env)
    assert "chưa công bố" in status.output
    assert run("campaign", "verify", "--db", db, env=env).exit_code == 0


def test_publish_into_a_file_path(tmp_path: Path) -> None:
    db, env = _ready_to_publish(tmp_path)
    blocker = tmp_path / "la-tep"
    blocker.write_text("x", encoding="utf-8")
    refused(run("campaign", "publish", "--db", db, "-o", blocker / "cong-bo", "--issuer", "UBND tỉnh",
                "--place", "Hà Tĩnh", env=env), str(blocker / "cong-bo"), "không tạo được thư mục")
    assert "chưa công bố" in run("campaign", "status", "--db", db, env=env).output


# ------------------------------------------------------------ numbers beyond exact arithmetic
@pytest.mark.parametrize("written", ["99999999999999999999999999999", '"99999999999999999999999999999"'])
def test_huge_max_in_a_rubric_is_refused_at_its_line(tmp_path: Path, written: str) -> None:
    text = DEMO.read_text(encoding="utf-8")
    assert "\n    max: 12\n" in text
    path = tmp_path / "bo.yaml"
    path.write_text(text.replace("\n    max: 12\n", f"\n    max: {written}\n", 1), encoding="utf-8")
    line = text[: text.index("\n    max: 12\n")].count("\n") + 2
    refused(run("rubric", "check", path), f"{path}: dòng {line}:", "quá lớn")
    refused(run("score", "-r", path, "-e", AN_PHU), f"{path}: dòng {line}:", "quá lớn")


def test_huge_number_in_test_cases_and_evidence(tmp_path: Path) -> None:
    cases = tmp_path / "ca.yaml"
    cases.write_text('rubric: demo-xa-2025\ncases:\n  - name: x\n    evidence: {"3.1.2": 5}\n'
                     '    expect: {"3.1.2": 99999999999999999999999999999}\n', encoding="utf-8")
    refused(run("rubric", "test", DEMO, "--cases", cases), f"{cases}: dòng 5:", "quá lớn")
    evidence = tmp_path / "so-lieu.yaml"
    evidence.write_text((ROOT / "examples" / "xa-dong-tien.yaml").read_text(encoding="utf-8")
                        .replace('"1.1.4": "40/46"', '"1.1.4": "99999999999999999999/99999999999999999999"'),
                        encoding="utf-8")
    refused(run("score", "-r", DEMO, "-e", evidence), str(evidence), "tiêu chí “1.1.4”", "quá lớn")


def test_import_with_unwritable_report_writes_no_rubric(tmp_path: Path) -> None:
    blocker = tmp_path / "la-tep"
    blocker.write_text("x", encoding="utf-8")
    out = tmp_path / "bo.yaml"
    refused(run("rubric", "import", ROOT / "examples" / "bang-tieu-chi-mau.xlsx", "-o", out,
                "--report", blocker / "bao-cao.txt"), f"{blocker / 'bao-cao.txt'}: không ghi được tệp")
    assert not out.exists()


def test_import_with_unwritable_rubric_leaves_no_report(tmp_path: Path) -> None:
    blocker = tmp_path / "la-tep"
    blocker.write_text("x", encoding="utf-8")
    report = tmp_path / "bao-cao.txt"
    refused(run("rubric", "import", ROOT / "examples" / "bang-tieu-chi-mau.xlsx", "-o", blocker / "bo.yaml",
                "--report", report), f"{blocker / 'bo.yaml'}: không ghi được tệp")
    assert not report.exists()


def test_wide_table_of_another_rubric_is_one_line_not_one_per_column() -> None:
    result = run("score", "-r", ROOT / "rubrics" / "papi-2024.yaml", "-e", COMMUNES)
    out = refused(result, f"{COMMUNES}: dòng 1, cột “1.1.1”:", "không có trong bộ chỉ số papi-2024",
                  "bộ chỉ số khác")
    assert len(out.strip().splitlines()) == 1


def test_usage_mistakes_are_answered_in_vietnamese() -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["score", "--rubric", "rubrics/demo-xa-2025.yaml"])
    assert missing.exit_code == 2
    assert "lỗi: thiếu tùy chọn bắt buộc --evidence" in missing.output and "Missing" not in missing.output
    assert "Xem hướng dẫn: parindex score --help" in missing.output
    choice = runner.invoke(main, ["score", "-r", "x.yaml", "-e", "y.yaml", "--format", "pdf"])
    assert choice.exit_code == 2 and "giá trị không hợp lệ cho --format: “pdf” không thuộc" in choice.output
    typo = runner.invoke(main, ["scor"])
    assert typo.exit_code == 2 and "không có lệnh “scor” (có phải 'score'?)" in typo.output
    bare = runner.invoke(main, [])
    assert "Cách dùng: parindex" in bare.output and "lỗi" not in bare.output


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, command in group.commands.items():
        found += _commands(command, path + (name,)) if isinstance(command, click.Group) else [path + (name,)]
    return found


@pytest.mark.parametrize("command", _commands(main), ids=" ".join)
def test_help_is_vietnamese_click_words_included(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Cách dùng: parindex" in result.output and "In hướng dẫn này rồi thoát." in result.output
    english = re.findall(r"Usage|Options|Commands|Show this|\[required\]|\[default|\bPATH\b|\bTEXT\b|INTEGER"
                         r"|\bRESULT\b|\bFILES?\b|\[OPTIONS\]|\bCOMMAND\b", result.output)
    assert not english, english


def test_option_values_are_vietnamese_and_the_english_ones_still_work(tmp_path: Path) -> None:
    plan = ["plan", "--rubric", ROOT / "rubrics" / "demo-xa-2025.yaml", "--result", ROOT / "examples" / "xa-an-phu.yaml",
            "--profile", ROOT / "examples" / "profiles" / "xa-an-phu.yaml", "--format", "md"]
    texts = {}
    for kind in ("khac-phuc", "remediation", "hang-nam", "annual"):
        result = CliRunner().invoke(main, [*map(str, plan), "--kind", kind])
        assert result.exit_code == 0, result.output
        texts[kind] = result.stdout
    assert texts["khac-phuc"] == texts["remediation"] != texts["hang-nam"] == texts["annual"]
    wrong = CliRunner().invoke(main, [*map(str, plan), "--kind", "khac"])
    assert wrong.exit_code == 2 and "“khac” không thuộc 'khac-phuc', 'hang-nam'" in wrong.output
