"""Nội vụ's forms turned into the store's arguments: the rubric of a new campaign (a shipped one,
an uploaded YAML, or a criteria table imported with its report), the accounts asked for, charts."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from criteria import InputError, Problem, Rubric, load_rubric
from criteria.dumper import rubric_yaml
from criteria.loader import load_rubric_text
from criteria.tables.importer import import_table
from scoring.campaign.charts import field_heat_map, index_bars
from web.portal.paths import shipped
from web.store.models import DON_VI, THAM_DINH, Campaign, Unit


@dataclass(frozen=True)
class Shipped:
    id: str
    title: str
    path: Path


def shipped_rubrics() -> list[Shipped]:
    found = []
    for path in sorted(shipped("rubrics").glob("*.yaml")):
        rubric = load_rubric(path)
        found.append(Shipped(rubric.id, rubric.title, path))
    return found


def year_of(text: str) -> int:
    try:
        year = int(text.strip())
    except ValueError:
        raise InputError(Problem("biểu mẫu", "Năm đánh giá", f"“{text}” không phải là năm")) from None
    if not 2000 <= year <= 2100:
        raise InputError(Problem("biểu mẫu", "Năm đánh giá", "năm phải từ 2000 đến 2100"))
    return year


def rubric_from_form(choice: str, upload: tuple[str, bytes] | None) -> tuple[str, list[str]]:
    """(rubric YAML, report lines): an uploaded file wins over the shipped choice."""
    if upload is not None:
        name, data = upload
        suffix = Path(name).suffix.lower()
        if suffix in (".yaml", ".yml"):
            text = data.decode("utf-8-sig", errors="strict") if data else ""
            load_rubric_text(text, name)  # refuses with the file's line numbers
            return text, []
        if suffix in (".xlsx", ".docx"):
            with tempfile.TemporaryDirectory(prefix="parindex-bang-") as folder:
                path = Path(folder) / Path(name).name
                path.write_bytes(data)
                result = import_table(path)
            lines = result.report.render().splitlines()
            if result.rubric is None:
                raise InputError(result.report.problems or [Problem(name, "", "không nhập được bảng tiêu chí")])
            return rubric_yaml(result.rubric), [line for line in lines if line.strip()]
        raise InputError(Problem(name, "", "cần tệp bộ chỉ số .yaml hoặc bảng tiêu chí .xlsx/.docx"))
    for found in shipped_rubrics():
        if found.id == choice:
            return found.path.read_text(encoding="utf-8"), []
    raise InputError(Problem("biểu mẫu", "Bộ chỉ số", "chưa chọn bộ chỉ số có sẵn hoặc tải lên một tệp"))


def accounts_from_form(post: Mapping[str, object], units: Sequence[Unit]) -> list[dict[str, object]]:
    """The accounts asked for: one per chosen unit (Đơn vị), or one named account with its units/fields."""
    role = str(post.get("role", "")).strip()
    name = str(post.get("username", "")).strip()
    by_id = {str(u.pk): u for u in units}
    chosen = [by_id[i] for i in post.getlist("units") if i in by_id] if hasattr(post, "getlist") else []
    fields = list(post.getlist("fields")) if hasattr(post, "getlist") else []
    if role == DON_VI:
        if not chosen:
            raise InputError(Problem("biểu mẫu", "Đơn vị", "chọn ít nhất một đơn vị để cấp tài khoản đơn vị"))
        if name and len(chosen) == 1:
            return [{"username": name, "role": role, "unit": chosen[0], "fields": []}]
        return [{"username": u.name, "role": role, "unit": u, "fields": []} for u in chosen]
    if not name:
        raise InputError(Problem("biểu mẫu", "Tên", "cần họ tên (hoặc tên đăng nhập) của người được cấp tài khoản"))
    item: dict[str, object] = {"username": name, "role": role, "unit": None, "fields": fields if role == THAM_DINH else []}
    if role == THAM_DINH and chosen:
        item["units"] = [u.name for u in chosen]
    return [item]


def chart_png(campaign: Campaign, rubric: Rubric, rows: Sequence, kind: str) -> bytes:
    """The bar chart of every unit's index (“cot”) or the heat map of sub-indices (“nhiet”)."""
    draw = index_bars if kind == "cot" else field_heat_map
    title = f"{campaign.title}: " + ("chỉ số của các đơn vị" if kind == "cot" else "chỉ số thành phần theo lĩnh vực")
    with tempfile.TemporaryDirectory(prefix="parindex-bieu-do-") as folder:
        path = Path(folder) / "bieu-do.png"
        draw(rows, rubric, title, path)
        return path.read_bytes()
