"""Criteria trees: the rubric model, its rule kinds, and safe loading from YAML."""

from .errors import EvidenceError, InputError, Problem, RubricError
from .loader import load_rubric, load_rubric_text
from .model import Adjustment, ClassBand, Node, Remediation, Rubric, Survey

__all__ = [
    "Adjustment", "ClassBand", "EvidenceError", "InputError", "Node", "Problem", "Remediation",
    "Rubric", "RubricError", "Survey", "load_rubric", "load_rubric_text",
]
