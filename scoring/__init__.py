"""Evidence in, points out — the library that the command line and the portal both call.

The core (this folder: ``engine``, ``compiled``, ``fused``, ``evidence``, ``result``, ``ranking``, ``cases``)
is framework-free and imports nothing from the subpackages around it:

- ``inputs``: every evidence reader (YAML, CSV, wide XLSX, the filled self-assessment sheet);
- ``workbook``: the self-assessment sheet itself (layout, cell inputs, writer, reader);
- ``reports``: results out (JSON, CSV, terminal tables, .xlsx, .docx, charts);
- ``plans``: the remediation and annual plan drafts;
- ``campaign``: Nội vụ's campaign of many units;
- ``office``: what documents share (NĐ 30 layout, workbook cells, atomic writes).

The names below load on first use, so ``import scoring`` costs nothing a command does not need.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {
    "score": "scoring.engine", "score_totals": "scoring.engine",
    "Document": "scoring.evidence", "EvidenceTable": "scoring.evidence", "validate_frame": "scoring.evidence",
    "Standing": "scoring.ranking", "competition_ranks": "scoring.ranking", "rank": "scoring.ranking",
    "NodeResult": "scoring.result", "ScoreSheet": "scoring.result", "ScoreTotals": "scoring.result",
    "Totals": "scoring.result",
    "UnitResult": "scoring.result",
    "read_evidence": "scoring.inputs.readers",
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
