"""The import report: per leaf, the rule read or "cần người xem", and every inconsistency
found, each with its table row — printed, and written with ``--report``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import Problem
from ..numbers import format_points
from ..rules import RULE_KINDS

NEEDS_PERSON = "cần người xem"


@dataclass(frozen=True)
class LeafLine:
    place: str
    code: str
    name: str
    max: Decimal
    kind: str | None  # None: needs a person
    rule: str  # the rule as the engine states it, or the reason a person is needed
    from_data: bool = False  # the rule came with the exported table, unchanged


@dataclass(frozen=True)
class Finding:
    place: str
    code: str | None
    message: str

    def __str__(self) -> str:
        node = f"tiêu chí “{self.code}”: " if self.code else ""
        return f"{self.place}: {node}{self.message}"


@dataclass
class ImportReport:
    file: str
    table: str = ""
    leaves: list[LeafLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: str | None = None

    @property
    def needs_person(self) -> list[LeafLine]:
        return [leaf for leaf in self.leaves if leaf.kind is None]

    def summary(self) -> str:
        parsed = len(self.leaves) - len(self.needs_person)
        text = (f"{len(self.leaves)} tiêu chí thành phần: {parsed} đã chuyển thành quy tắc, "
                f"{len(self.needs_person)} {NEEDS_PERSON}; {len(self.findings)} điểm không nhất quán")
        if self.problems:
            text += f"; {len(self.problems)} lỗi, chưa ghi bộ chỉ số"
        return text

    def render(self) -> str:
        lines = [f"Nhập bảng tiêu chí: {self.file}" + (f" ({self.table})" if self.table else "")]
        if self.leaves:
            lines += ["", "Tiêu chí thành phần:"]
            for leaf in self.leaves:
                lines.append(f"  {leaf.code} {leaf.name} ({format_points(leaf.max)} điểm) — {leaf.place}")
                if leaf.kind is None:
                    lines.append(f"      → {NEEDS_PERSON.upper()}: {leaf.rule}")
                else:
                    origin = "; theo dữ liệu kèm bảng" if leaf.from_data else ""
                    lines.append(f"      → {RULE_KINDS[leaf.kind].label}{origin}: {leaf.rule}")
        if self.findings:
            lines += ["", "Điểm không nhất quán:"]
            lines += [f"  {finding}" for finding in self.findings]
        if self.notes:
            lines += ["", "Ghi chú:"]
            lines += [f"  {note}" for note in self.notes]
        if self.problems:
            lines += ["", "Lỗi (chưa ghi bộ chỉ số):"]
            lines += [f"  {problem}" for problem in self.problems]
        lines += ["", f"Tóm tắt: {self.summary()}."]
        if self.needs_person:
            lines.append(f"{NEEDS_PERSON.capitalize()}: " + ", ".join(leaf.code for leaf in self.needs_person))
        if self.written:
            lines.append(f"Đã ghi {self.written}")
        return "\n".join(lines) + "\n"
