"""Reading a rubric file: safe YAML → validated ``Rubric``, or one line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, RubricError
from .model import Rubric
from .yaml_lines import load_yaml, load_yaml_text, locate

_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép (kiểm tra chính tả hoặc vị trí)",
    "string_type": "phải là chuỗi (mã tiêu chí viết trong dấu nháy, ví dụ \"1.10\")",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "không đúng dạng (không chứa khoảng trắng)",
    "decimal_parsing": "phải là một số",
    "decimal_type": "phải là một số",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "bool_type": "phải là true hoặc false",
    "literal_error": "giá trị không hợp lệ",
    "union_tag_invalid": "loại quy tắc (kind) không hợp lệ",
    "union_tag_not_found": "quy tắc cần trường kind",
    "too_short": "cần nhiều phần tử hơn",
    "too_long": "quá nhiều phần tử",
    "tuple_type": "phải là một danh sách",
    "dict_type": "phải là một bảng khóa–giá trị",
    "model_type": "phải là một bảng khóa–giá trị",
    "model_attributes_type": "phải là một bảng khóa–giá trị",
    "greater_than": "phải lớn hơn giới hạn",
    "greater_than_equal": "nhỏ hơn giới hạn cho phép",
    "less_than_equal": "lớn hơn giới hạn cho phép",
}


def _message(error: dict[str, Any]) -> str:
    field = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "")
    if error["type"] in ("value_error", "assertion_error"):
        text = str(error.get("ctx", {}).get("error", error["msg"]))
        last = error["loc"][-1] if error["loc"] else None
        return f"“{last}”: {text}" if isinstance(last, str) else text
    text = _MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "literal_error":
        text = f"{text}; cần {error.get('ctx', {}).get('expected', '')}"
    if error["type"] == "union_tag_invalid":
        text = f"{text}; cần {error.get('ctx', {}).get('expected_tags', '')}"
    if error["type"].endswith("_type") and "input" in error and not isinstance(error["input"], (dict, list)):
        text = f"{text}; nhận được {error['input']}"
    return f"“{field}”: {text}" if field else text


def problems_of(error: ValidationError, data: Any, name: str) -> list[Problem]:
    problems = []
    items = error.errors()
    deeper = [tuple(i["loc"]) for i in items]
    for item in items:
        loc = tuple(item["loc"])
        if item["type"] in ("too_short", "tuple_type") and any(
            other[: len(loc)] == loc and len(other) > len(loc) for other in deeper
        ):
            continue  # a consequence of the child's own error, reported below
        loc = tuple(item["loc"])
        line, code = locate(data, loc)
        problems.append(Problem(name, f"dòng {line}" if line else "", _message(item), code))
    return problems


Model = TypeVar("Model", bound=BaseModel)


def model_from_data(model: type[Model], data: Any, name: str, error: type[InputError], what: str) -> Model:
    """Validate YAML data read with lines into ``model``; problems name file, line and code."""
    if not isinstance(data, dict):
        raise error.single(name, "dòng 1", f"tệp {what} phải là một bảng khóa–giá trị")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(problems_of(exc, data, name)) from None


def rubric_from_data(data: Any, name: str) -> Rubric:
    return model_from_data(Rubric, data, name, RubricError, "bộ chỉ số")


def load_rubric(path: str | Path) -> Rubric:
    """Load and validate one rubric file; raises ``RubricError`` naming file, line and code."""
    return rubric_from_data(load_yaml(path, RubricError), str(path))


def load_rubric_text(text: str, name: str = "<rubric>") -> Rubric:
    return rubric_from_data(load_yaml_text(text, name, RubricError), name)
