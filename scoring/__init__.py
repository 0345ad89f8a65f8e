"""Evidence in, points out: engine, points lost, ranking, and their readers and writers."""

from .engine import score
from .evidence import Document, EvidenceTable, validate_frame
from .ranking import RankedUnit, competition_ranks, rank
from .readers import read_evidence
from .result import NodeResult, ScoreSheet, Totals, UnitResult

__all__ = [
    "Document", "EvidenceTable", "NodeResult", "RankedUnit", "ScoreSheet", "Totals", "UnitResult",
    "competition_ranks", "rank", "read_evidence", "score", "validate_frame",
]
