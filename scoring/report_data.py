"""What a unit's score report is built from, beyond the points: who signs it and what it lacks.

``UnitDetails`` comes from the “Thông tin đơn vị” sheet of a self-assessment workbook (or
defaults from the unit's name); ``evidence_gaps`` lists the sub-criteria the guidance asks a
unit to explain: those without data and those without any tài liệu kiểm chứng.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Literal

from criteria import Rubric
from criteria.rules.base import nfc

from .evidence import Document, EvidenceTable
from .result import UnitResult

GapKind = Literal["missing", "no_document"]
GAP_WORDS: dict[GapKind, str] = {
    "missing": "Chưa có số liệu, tài liệu kiểm chứng",
    "no_document": "Chưa kê khai tài liệu kiểm chứng",
}
_UBND = "ỦY BAN NHÂN DÂN"
_PREFIX = re.compile(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", re.IGNORECASE)
_LEVEL = re.compile(r"^(xã|phường|thị trấn|đặc khu|thị xã|thành phố|quận|huyện|tỉnh)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class UnitDetails:
    """The unit and the signing of its report (every field but ``unit`` may be empty)."""

    unit: str
    level: str = ""
    year: int | None = None
    parent: str = ""  # "UBND TỈNH HÀ TĨNH": the first line of the letterhead
    issuer: str = ""  # "ỦY BAN NHÂN DÂN XÃ AN PHÚ"; empty → from ``unit``
    place: str = ""  # the place in the date line
    number: str = ""  # the report's number, "15" → "Số: 15/BC-UBND"
    date: dt.date | None = None
    signer: str = ""
    signer_title: str = ""  # "Chủ tịch", "Phó Chủ tịch", "Giám đốc", …
    recipients: tuple[str, ...] = ()
    difficulties: str = ""
    proposals: str = ""

    @property
    def issuing_body(self) -> str:
        """The issuer in full: “UBND xã An Phú” → “ỦY BAN NHÂN DÂN XÃ AN PHÚ”."""
        text = nfc(self.issuer or self.unit).upper()
        if text.startswith("UBND "):
            text = f"{_UBND} {text[5:]}"
        return text

    @property
    def place_name(self) -> str:
        """The place of the date line: given, or the unit's name without “UBND xã …”."""
        if self.place:
            return nfc(self.place)
        name = _PREFIX.sub("", nfc(self.unit), count=1)
        return _LEVEL.sub("", name, count=1) or nfc(self.unit)

    @property
    def issuer_code(self) -> str:
        """The issuer's part of the number: UBND, or the initials (“SỞ NỘI VỤ” → “SNV”)."""
        body = self.issuing_body
        if body.startswith(_UBND):
            return "UBND"
        return "".join(word[0] for word in body.split() if word[:1].isalpha()) or "UBND"

    @property
    def authority(self) -> tuple[str, ...]:
        """The signature block's lines above the signer's name (NĐ 30: TM., KT.)."""
        council = self.issuing_body.startswith(_UBND)
        title = nfc(self.signer_title).upper() or ("CHỦ TỊCH" if council else "THỦ TRƯỞNG CƠ QUAN")
        if council:
            if title.startswith("PHÓ "):
                return (f"TM. {_UBND}", f"KT. {title[4:]}", title)
            return (f"TM. {_UBND}", title)
        if title.startswith("PHÓ "):
            return (f"KT. {title[4:]}", title)
        return (title,)


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


def read_for_report(rubric: Rubric, paths: Iterable[str | Path]) -> tuple[EvidenceTable, dict[str, UnitDetails]]:
    """Evidence files as one table, with the unit details any self-assessment workbook carries."""
    from .readers import combine, read_evidence
    from .xlsx_evidence import read_workbook  # imports this module: only when called

    tables, details = [], {}
    for path in paths:
        if Path(path).suffix.lower() == ".xlsx":
            read = read_workbook(rubric, path)
            tables.append(read.table)
            details.update(read.details)
        else:
            tables.append(read_evidence(rubric, path))
    return combine(tables), details
