"""The offline path through the portal: the unit downloads its Excel sheet, fills it, uploads it;
the draft then scores exactly as the same evidence in YAML, and a broken sheet is answered with
the sheet's own cell-precise message, nothing saved."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from criteria import load_rubric
from scoring import read_evidence, score
from scoring.evidence import validate_cells
from tests.sheet_fill import cell_of, filled_copy
from web.portal.demo import SLUG
from web.store.models import Draft

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "demo-xa-2025.yaml"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(client, unit_id: int, tmp_path: Path) -> Path:
    response = client.get(reverse("portal:unit_excel", args=[SLUG, unit_id]))
    assert response.status_code == 200
    path = tmp_path / "mau.xlsx"
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
    return path


def _upload(client, unit_id: int, path: Path):
    upload = SimpleUploadedFile("tự đánh giá.xlsx", path.read_bytes(), content_type=XLSX)
    return client.post(reverse("portal:unit_excel", args=[SLUG, unit_id]), {"file": upload}, follow=True)


def test_a_filled_sheet_becomes_the_draft_and_scores_as_its_yaml(demo, tmp_path: Path) -> None:
    rubric = load_rubric(RUBRIC)
    client = demo.client("anphu")
    filled = filled_copy(_download(client, demo.anphu.pk, tmp_path), rubric, ROOT / "examples" / "xa-an-phu.yaml",
                         tmp_path / "da-dien.xlsx")
    page = _upload(client, demo.anphu.pk, filled)
    assert "vào bản nháp" in page.content.decode("utf-8")
    cells = dict(Draft.objects.get(unit=demo.anphu).cells)
    expected = score(rubric, read_evidence(rubric, ROOT / "examples" / "xa-an-phu.yaml")).result(0)
    got = score(rubric, validate_cells(rubric, ["UBND xã An Phú"], {c: [v] for c, v in cells.items()},
                                      "bản nháp")).result(0)
    survey = {leaf.code for leaf in rubric.leaves() if leaf.rule.kind == "external"}
    assert {n.code: n.points for n in got.nodes if n.is_leaf and n.code not in survey} == \
           {n.code: n.points for n in expected.nodes if n.is_leaf and n.code not in survey}


def test_a_broken_sheet_is_answered_with_its_cell_and_nothing_is_saved(demo, tmp_path: Path) -> None:
    rubric = load_rubric(RUBRIC)
    client = demo.client("anphu")
    path = filled_copy(_download(client, demo.anphu.pk, tmp_path), rubric, ROOT / "examples" / "xa-an-phu.yaml",
                       tmp_path / "hong.xlsx")
    book = load_workbook(path)
    cell = cell_of(book, "1.1.1")
    cell.value = "31/02/2025"
    book.save(path)
    before = dict(Draft.objects.filter(unit=demo.anphu).values_list("cells", flat=True).first() or {})
    page = _upload(client, demo.anphu.pk, path).content.decode("utf-8")
    assert f"ô {cell.coordinate}" in page and "1.1.1" in page, page[:2000]
    assert dict(Draft.objects.filter(unit=demo.anphu).values_list("cells", flat=True).first() or {}) == before
