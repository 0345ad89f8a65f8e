"""What a unit's score report lists beyond the points: what it lacks and its documents.

``evidence_gaps`` lists the sub-criteria the guidance asks a unit to explain: those without data
and those without any tài liệu kiểm chứng. Who signs comes from ``scoring.workbook.details``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


from scoring.evidence import Document, EvidenceTable
from scoring.result import UnitResult

GapKind = Literal["missing", "no_document"]
GAP_WORDS: dict[GapKind, str] = {
    "missing": "Chưa có số liệu, tài liệu kiểm chứng",
    "no_document": "Chưa kê khai tài liệu kiểm chứng",
}
@dataclass(frozen=True)
class EvidenceGap:
    """A sub-criterion of the main tree the unit must explain (guidance part b)."""

    code: str
    name: str
    max: Decimal
    points: Decimal
    kind: GapKind
    explanation: str

    @property
    def words(self) -> str:
        return GAP_WORDS[self.kind]


def sentence(text: str) -> str:
    """A note as a clerk writes it: capital first letter (traces start in lower case)."""
    return text[:1].upper() + text[1:]


def unit_documents(table: EvidenceTable, unit: str, code: str) -> list[Document]:
    return table.documents.get((unit, code), [])


def documents_text(documents: list[Document]) -> str:
    """“12/KH-UBND ngày 15/01/2025: Kế hoạch …”, one document a line."""
    lines = []
    for doc in documents:
        head = doc.number or "(không số)"
        if doc.date:
            head += f" ngày {doc.date}"
        lines.append(f"{head}: {doc.summary}" if doc.summary else head)
    return "\n".join(lines)


def evidence_gaps(result: UnitResult, table: EvidenceTable) -> list[EvidenceGap]:
    """Leaves of the main tree with no data, and — when the unit listed documents at all —
    scored leaves without a document (survey leaves excepted: their evidence is the survey's)."""
    unit = result.unit
    lists_documents = any(u == unit for u, _ in table.documents)
    gaps = []
    for node in result.nodes:
        if not node.is_leaf or node.section is not None:
            continue
        kind: GapKind | None = None
        if node.status == "missing":
            kind = "missing"
        elif (node.status == "scored" and lists_documents and not unit_documents(table, unit, node.code)
              and node.trace is not None and node.trace.kind != "external"):
            kind = "no_document"
        if kind is not None:
            gaps.append(EvidenceGap(node.code, node.name, node.max, node.points, kind,
                                    result.explanations.get(node.code, "")))
    return gaps
