"""A provincial criteria table (.xlsx or .docx) → a rubric that validates, and a report.

``import_table(path, ImportOptions(source="QĐ 1880/QĐ-UBND"))`` finds the table by its header,
rebuilds the tree from the codes, reads every leaf's rule text with the rule-text parser and
keeps the text and the evidence. A leaf whose text cannot be read with certainty becomes a
manual leaf, listed in the report as "cần người xem".

Children that do not add up to their parent make a rubric the model refuses. The importer then
writes nothing and reports the rows (``result.rubric`` is None and ``report.problems`` lists
them), unless ``use_child_sums`` is set: the parent's maximum becomes the sum of its children
and the report keeps the inconsistency. Whatever is returned validates with ``load_rubric``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problem, RubricError
from ..loader import problems_of
from ..model import Adjustment, Node, Rubric
from ..rule_text import parse_rule_text
from ..rules import ManualRule
from .grid import Grid, read_workbook
from .header import LABELS_VI, REQUIRED, Header, find_header, plain
from .report import Finding, ImportReport, LeafLine
from .table_data import TableData
from .tree import Draft, check_sums, read_layout

_LEVEL_WORDS = {"xa": "xã", "phuong": "xã", "huyen": "huyện", "so": "sở", "tinh": "tỉnh", "bo": "bộ"}


@dataclass(frozen=True)
class ImportOptions:
    """Rubric fields the table does not give. ``None``: from the export's data, else from the
    file name (id and title from its stem, a 20xx year in it, the level from words like "xa")."""

    id: str | None = None
    title: str | None = None
    level: str | None = None
    year: int | None = None
    source: str | None = None
    survey: str | None = None
    use_child_sums: bool = False


@dataclass
class ImportResult:
    rubric: Rubric | None  # None when the report lists problems
    report: ImportReport


def defaults_from_name(path: Path) -> dict[str, Any]:
    stem = path.stem
    slug = re.sub(r"[^a-z0-9._-]+", "-", plain(stem).casefold()).strip("-.") or "bo-chi-so"
    tokens = re.split(r"[^a-z0-9]+", plain(stem).casefold())
    years = [int(t) for t in tokens if re.fullmatch(r"20\d\d", t)]
    level = next((_LEVEL_WORDS[t] for t in tokens if t in _LEVEL_WORDS), "đơn vị")
    return {
        "id": slug,
        "title": f"Bộ chỉ số nhập từ {path.name}",
        "level": level,
        "year": years[0] if years else dt.date.today().year,
        "source": path.name,
    }


def _locate(path: Path, grids: list[Grid]) -> tuple[Grid, Header]:
    for grid in grids:
        header = find_header(grid)
        if header is not None:
            return grid, header
    needed = ", ".join(f"“{LABELS_VI[r]}”" for r in REQUIRED)
    where = "các sheet" if path.suffix.lower() != ".docx" else "các bảng"
    raise RubricError.single(str(path), "", f"không tìm thấy dòng tiêu đề của bảng tiêu chí trong {where} "
                                            f"(cần các cột {needed})")


def import_table(path: str | Path, options: ImportOptions = ImportOptions()) -> ImportResult:
    """Read a criteria table; raises ``RubricError`` when no table is found."""
    path = Path(path)
    book = read_workbook(path)
    grid, header = _locate(path, book.grids)
    data = TableData.from_json(book.data)
    report = ImportReport(file=str(path), table=f"{grid.label}, tiêu đề ở dòng {grid.numbers[header.row]}")
    if book.data and data is None:
        report.notes.append(Finding("", None, "dữ liệu kèm bảng không đọc được; chỉ dùng bảng"))
    if "rule" not in header.columns:
        report.notes.append(Finding(grid.place(header.row), None,
                                    "bảng không có cột cách tính điểm; mọi tiêu chí thành phần cần người xem"))
    layout = read_layout(grid, header)
    sums = check_sums(layout, options.use_child_sums)
    fields = {**defaults_from_name(path), **((data.rubric if data else {})),
              **{k: v for k, v in vars(options).items() if v is not None and k not in ("survey", "use_child_sums")}}
    source = str(fields["source"])
    place = grid.place
    report.findings += [Finding(place(row), code, message) for row, message, code in sums]
    report.notes += [Finding(place(row), code, message) for row, message, code in layout.notes]
    report.problems += [Problem(str(path), place(row), message, code) for row, message, code in layout.problems]
    if not layout.top:
        report.problems.append(Problem(str(path), place(header.row), "bảng không có tiêu chí nào dưới dòng tiêu đề"))
    if report.problems:
        return ImportResult(None, report)
    builder = _NodeBuilder(grid, data, source, report)
    try:
        nodes = tuple(builder.node(d) for d in layout.top)
        adjustments = tuple(builder.section(d) for d in layout.sections)
    except _Refused as refused:
        report.problems += [Problem(str(path), place(refused.draft.row), _error_text(e), refused.draft.code)
                            for e in refused.error.errors()]
        return ImportResult(None, report)
    if options.survey:
        fields["survey"] = {"code": options.survey}
    try:
        rubric = Rubric.model_validate({**fields, "nodes": nodes, "adjustments": adjustments})
    except ValidationError as exc:
        report.problems += [Problem(str(path), p.place or "", p.message, p.code)
                            for p in problems_of(exc, {}, str(path))]
        return ImportResult(None, report)
    return ImportResult(rubric, report)


class _Refused(Exception):
    def __init__(self, draft: Draft, error: ValidationError):
        self.draft, self.error = draft, error


def _error_text(error: Any) -> str:
    return str(error.get("ctx", {}).get("error", error["msg"]))


def _make(draft: Draft, cls: type, **fields: Any) -> Any:
    try:
        return cls(**fields)
    except ValidationError as exc:
        raise _Refused(draft, exc) from None


class _NodeBuilder:
    def __init__(self, grid: Grid, data: TableData | None, source: str, report: ImportReport):
        self.grid, self.data, self.source, self.report = grid, data, source, report

    def node(self, draft: Draft) -> Node:
        if not draft.children:
            return self.leaf(draft)
        if draft.rule_lines:
            self.report.notes.append(Finding(self.grid.place(draft.row), draft.code,
                                             "có tiêu chí con; cách tính điểm ghi ở dòng này không được dùng"))
        extras = self.data.nodes.get(draft.code, {}) if self.data else {}
        return _make(draft, Node, code=draft.code, name=draft.name, max=draft.max,
                     children=tuple(self.node(c) for c in draft.children),
                     not_applicable=extras.get("not_applicable"))

    def section(self, draft: Draft) -> Adjustment:
        return _make(draft, Adjustment, code=draft.code, name=draft.name, kind=draft.section, cap=draft.max,
                     children=tuple(self.node(c) for c in draft.children))

    def leaf(self, draft: Draft) -> Node:
        place = self.grid.place(draft.row)
        max_points: Decimal = draft.max  # type: ignore[assignment]
        text = draft.rule_text
        parsed = parse_rule_text(text, max_points)
        stored = self.data.leaf(draft.code, text, max_points) if self.data else None
        rule = stored.rule if stored and stored.rule is not None else parsed.rule
        from_data = bool(stored and stored.rule is not None)
        for message in parsed.findings if not from_data else ():
            self.report.findings.append(Finding(place, draft.code, message))
        if rule is None:
            rule = ManualRule(kind="manual")
            self.report.leaves.append(LeafLine(place, draft.code, draft.name, max_points, None,
                                               parsed.reason or "không đọc chắc chắn được"))
        else:
            self.report.leaves.append(LeafLine(place, draft.code, draft.name, max_points, rule.kind,
                                               rule.describe(max_points), from_data))
        provenance, source = "quoted", self.source
        not_applicable = parsed.not_applicable
        remediation = None
        if stored is not None and stored.found:
            if stored.provenance in ("quoted", "adapted", "illustrative"):
                provenance, source = stored.provenance, stored.source
            not_applicable, remediation = stored.not_applicable, stored.remediation
        for clause in parsed.ignored:
            self.report.notes.append(Finding(place, draft.code, f"không tính điểm, chỉ giữ trong văn bản: “{clause}”"))
        keep_text = stored is None or stored.keep_text
        return _make(
            draft, Node, code=draft.code, name=draft.name, max=max_points, rule=rule,
            text=(text or None) if keep_text else None,
            evidence=draft.evidence or None, provenance=provenance, source=source,
            not_applicable=not_applicable, remediation=remediation,
        )
