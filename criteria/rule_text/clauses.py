"""Cutting a rule text into clauses: "A: 1; B: 0,5. C: 0" → ["A: 1", "B: 0,5", "C: 0"].

Cuts only at the top level (never inside parentheses), at ";", at a sentence end (". "
before a capital letter) and at a line break that ends an option. Worked examples
("(ví dụ 4/5 × 1 = 0,8 điểm)") are taken out first: they are checked, not parsed as rules.
"""

from __future__ import annotations

import re
import unicodedata

from .values import NUMBER

_FLAGS = re.IGNORECASE
_BULLET = re.compile(r"^(?:[-+•*–]|[a-zđ][).]|\d{1,2}\))\s+", _FLAGS)
_EXAMPLE_PAREN = re.compile(r"\(\s*(?:ví dụ|vd|chẳng hạn|thí dụ)\s*[:.,]?\s*(?P<body>[^()]*)\)", _FLAGS)
_EXAMPLE_TAIL = re.compile(r"(?:^|[\s;.,])(?:ví dụ|vd|chẳng hạn|thí dụ)\s*:\s*(?P<body>[^;\n]*)", _FLAGS)
_ENDS_OPTION = re.compile(rf"(?:[;.:]|{NUMBER}\s*(?:điểm|đ)?|tối đa|\))\s*$", _FLAGS)


def clean_text(text: str) -> str:
    """NFC, spaces folded inside each line, blank lines dropped: how cell text is kept."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def one_line(text: str) -> str:
    """Names and labels: every run of whitespace (line breaks too) becomes one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def take_examples(text: str) -> tuple[str, list[str]]:
    """The text without its worked examples, and the examples."""
    examples: list[str] = []

    def keep(match: re.Match[str]) -> str:
        examples.append(match["body"].strip())
        return ""

    def keep_tail(match: re.Match[str]) -> str:
        keep(match)
        lead = match.group(0)[:1]
        return lead if lead in (";", ".") else ""

    text = _EXAMPLE_PAREN.sub(keep, text)
    text = _EXAMPLE_TAIL.sub(keep_tail, text)
    return text, examples


def top_level_positions(text: str, pattern: str) -> list[int]:
    """Start positions of ``pattern`` (a literal) outside parentheses."""
    positions, depth, index = [], 0, 0
    while index < len(text):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and text.startswith(pattern, index):
            positions.append(index)
        index += 1
    return positions


def split_top(text: str, separator: str) -> list[str]:
    parts, start = [], 0
    for position in top_level_positions(text, separator):
        parts.append(text[start:position])
        start = position + len(separator)
    parts.append(text[start:])
    return parts


def _sentences(text: str) -> list[str]:
    """Cut at ". " followed by a capital letter, outside parentheses."""
    parts, start = [], 0
    for position in top_level_positions(text, ". "):
        rest = text[position + 2:].lstrip()
        if rest and rest[0].isupper() and not text[max(0, position - 2):position].endswith(".."):
            parts.append(text[start:position])
            start = position + 2
    parts.append(text[start:])
    return parts


def _join_lines(text: str) -> str:
    """A line break ends a clause where the line ends an option or the next is a bullet;
    elsewhere it is wrapped text and becomes a space."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    out = lines[0]
    for line in lines[1:]:
        if _ENDS_OPTION.search(out) or _BULLET.match(line):
            out = out.rstrip(";") + "; " + line
        else:
            out += " " + line
    return out


def strip_bullet(text: str) -> str:
    return _BULLET.sub("", text.strip()).strip()


def clauses(text: str) -> list[str]:
    """The clauses of a rule text (examples already taken out)."""
    result = []
    for part in split_top(_join_lines(text), ";"):
        for sentence in _sentences(part):
            clause = strip_bullet(sentence).strip().rstrip(".,;").strip()
            if clause:
                result.append(clause)
    return result
