"""What a published criteria table cannot show, carried inside an export so that importing
the export gives back the same rubric.

The visible table holds codes, names, maxima, rule texts and evidence. The rest — the rubric's
id, year, classification, survey, policies, each leaf's provenance and remediation, and a rule
a person wrote by hand beside a text that says something else — travels as JSON in a hidden
sheet (xlsx) or a custom XML part (docx). On import it is used only where the table still says
what was exported: a leaf whose rule text or maximum was edited in the table is read afresh
from the table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable
from xml.sax.saxutils import escape, unescape

from pydantic import TypeAdapter, ValidationError

from ..model import Node, Remediation, Rubric
from ..numbers import parse_decimal
from ..rule_text import parse_rule_text
from ..rules import Rule

FORMAT = "parindex-table/1"
DOCX_PART_SUFFIX = "/customXml/parindex.xml"
_RUBRIC_FIELDS = {"id", "title", "level", "year", "source", "note", "precision", "not_applicable",
                  "classification", "survey", "bonus_may_exceed_max"}
_RULE = TypeAdapter(Rule)
_XML = re.compile(r"<parindex[^>]*>(?P<body>.*)</parindex>", re.DOTALL)


@dataclass
class TableData:
    rubric: dict[str, Any] = field(default_factory=dict)
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "rubric": self.rubric, "nodes": self.nodes}, ensure_ascii=False,
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> "TableData | None":
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        rubric, nodes = data.get("rubric"), data.get("nodes")
        if not isinstance(rubric, dict) or not isinstance(nodes, dict):
            return None
        return cls({k: v for k, v in rubric.items() if k in _RUBRIC_FIELDS},
                   {k: v for k, v in nodes.items() if isinstance(v, dict)})

    # ------------------------------------------------------------ per leaf, on import
    def leaf(self, code: str, cell: str, max_points: Decimal) -> "LeafData":
        """What the export kept for this leaf; the rule only if the table row is unchanged."""
        extras = self.nodes.get(code, {})
        unchanged = extras.get("cell") == cell and _decimal(extras.get("max")) == max_points
        rule = None
        if unchanged and "rule" in extras:
            try:
                rule = _RULE.validate_python(extras["rule"])
            except ValidationError:
                rule = None
        remediation = None
        if isinstance(extras.get("remediation"), dict):
            try:
                remediation = Remediation.model_validate(extras["remediation"])
            except ValidationError:
                remediation = None
        return LeafData(
            found=bool(extras), unchanged=unchanged, rule=rule,
            keep_text=not (unchanged and extras.get("text") is False),
            provenance=extras.get("provenance"), source=extras.get("source"), remediation=remediation,
            not_applicable=extras.get("not_applicable"),
        )


@dataclass(frozen=True)
class LeafData:
    found: bool
    unchanged: bool
    rule: Any
    keep_text: bool
    provenance: str | None
    source: str | None
    remediation: Remediation | None
    not_applicable: str | None


def _decimal(value: Any) -> Decimal | None:
    try:
        return parse_decimal(str(value)) if value is not None else None
    except ValueError:
        return None


def collect(rubric: Rubric, cell_of: Callable[[Node], str]) -> TableData:
    """The table data of a rubric whose leaves are exported with ``cell_of(leaf)`` as rule text."""
    data = TableData(rubric=rubric.model_dump(mode="json", include=_RUBRIC_FIELDS, exclude_none=True))
    for node in rubric.all_nodes():
        extras: dict[str, Any] = {}
        if node.not_applicable is not None:
            extras["not_applicable"] = node.not_applicable
        if node.is_leaf:
            cell = cell_of(node)
            extras.update(cell=cell, max=str(node.max), provenance=node.provenance)
            if node.source is not None:
                extras["source"] = node.source
            if node.text is None:
                extras["text"] = False
            if node.remediation is not None:
                extras["remediation"] = node.remediation.model_dump(mode="json", exclude_none=True)
            if parse_rule_text(cell, node.max).rule != node.rule:
                extras["rule"] = node.rule.model_dump(mode="json")  # type: ignore[union-attr]
        if extras:
            data.nodes[node.code] = extras
    return data


def docx_part_xml(text: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<parindex xmlns="urn:parindex:table">{escape(text)}</parindex>').encode("utf-8")


def read_docx_part(blob: bytes) -> str | None:
    match = _XML.search(blob.decode("utf-8", errors="replace"))
    return unescape(match["body"]) if match else None
