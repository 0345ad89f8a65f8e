"""Export → import is the identity, and the YAML written for a rubric reads back to it."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from criteria import load_rubric_text
from criteria.dumper import rubric_yaml
from criteria.tables import ImportOptions, import_table, table_bytes

from .rubric_strategies import rubrics

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _export_import(rubric, suffix: str, bare: bool = False, options: ImportOptions = ImportOptions()):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bang{suffix}"
        path.write_bytes(table_bytes(rubric, path, bare=bare))
        return import_table(path, options)


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
@SETTINGS
@given(rubric=rubrics())
def test_export_then_import_gives_the_same_rubric(suffix, rubric):
    result = _export_import(rubric, suffix)
    assert result.report.problems == []
    assert result.rubric.model_dump() == rubric.model_dump()
    assert result.report.findings == []


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
@SETTINGS
@given(rubric=rubrics(with_extras=False))
def test_the_visible_table_alone_carries_the_rules(suffix, rubric):
    """Without the hidden data, every leaf's rule is read back from its rule text."""
    options = ImportOptions(id=rubric.id, title=rubric.title, level=rubric.level, year=rubric.year,
                            source=rubric.source)
    result = _export_import(rubric, suffix, bare=True, options=options)
    assert result.report.problems == [] and result.report.needs_person == []
    got = result.rubric
    assert [n.code for n in got.all_nodes()] == [n.code for n in rubric.all_nodes()]
    for before, after in zip(rubric.all_nodes(), got.all_nodes()):
        assert (after.name, after.max, after.rule, after.evidence) == (before.name, before.max, before.rule,
                                                                       before.evidence)
        if before.is_leaf:
            assert after.text == before.rule.describe(before.max)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(rubric=rubrics())
def test_yaml_reads_back_to_the_same_rubric(rubric):
    assert load_rubric_text(rubric_yaml(rubric, "đầu tệp\ndòng hai")) == rubric


def test_text_cells_are_never_formulas(tmp_path):
    from openpyxl import load_workbook

    from criteria.model import Node, Rubric
    from criteria.rules import BooleanRule

    leaf = Node(code="1.1", name="=SUM(A1:A9)", max=1, rule=BooleanRule(kind="boolean"), text="-Đạt: 1\n- Không: 0",
                evidence="@tài liệu +84", provenance="quoted", source="QĐ")
    rubric = Rubric(id="x", title="+Bộ chỉ số", level="xã", year=2025, source="=HYPERLINK(\"http://x\")",
                    nodes=(Node(code="1", name="-Lĩnh vực", max=1, children=(leaf,)),))
    path = tmp_path / "bang.xlsx"
    path.write_bytes(table_bytes(rubric, path))
    for name in zipfile.ZipFile(path).namelist():
        if name.startswith("xl/worksheets/"):
            assert b"<f>" not in zipfile.ZipFile(path).read(name)
    sheet = load_workbook(path)["Bộ chỉ số"]
    values = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"=SUM(A1:A9)", "-Đạt: 1\n- Không: 0", "@tài liệu +84", "-Lĩnh vực", "+Bộ chỉ số"} <= values
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if isinstance(c.value, str))
    assert import_table(path).rubric == rubric


def test_export_refuses_other_formats(tmp_path):
    from criteria import RubricError
    from criteria.model import Node, Rubric
    from criteria.rules import BooleanRule

    rubric = Rubric(id="x", title="T", level="xã", year=2025, source="QĐ",
                    nodes=(Node(code="1", name="A", max=1, rule=BooleanRule(kind="boolean"), provenance="quoted",
                                source="QĐ"),))
    with pytest.raises(RubricError):
        table_bytes(rubric, tmp_path / "bang.pdf")
