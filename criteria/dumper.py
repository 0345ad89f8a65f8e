"""A rubric → the YAML text ``load_rubric`` reads back to the same rubric.

Decimals are written as plain numbers (read back exactly: the loader turns floats into
``Decimal``), codes stay quoted strings, dates ISO, defaults and empty fields left out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml

from .model import Rubric


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a shared Decimal is written twice, never as an anchor


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") if text.rstrip("0").rstrip(".") != "" else "0"
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat())


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(dt.date, _date)
_Dumper.add_representer(str, _text)


def _tidy(value: Any) -> Any:
    """Drop empty tuples/lists and ``None`` recursively; tuples become lists."""
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items() if v is not None and v != () and v != []}
    if isinstance(value, (list, tuple)):
        return [_tidy(v) for v in value]
    return value


def rubric_yaml(rubric: Rubric, header: str = "") -> str:
    """YAML text of ``rubric``; ``header`` lines are written first as comments."""
    data = _tidy(rubric.model_dump(mode="python", exclude_defaults=True))
    data = {"id": rubric.id, **{k: v for k, v in data.items() if k != "id"}}
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    comments = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comments + body
