"""Input errors that name the file, the place and what was expected, in one line each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what was expected."""

    file: str
    place: str  # "dòng 12", "sheet Tự đánh giá, ô F14", …
    message: str
    code: str | None = None  # criterion code, when the problem belongs to one

    def __str__(self) -> str:
        where = "".join(f"{part}: " for part in (self.file, self.place) if part)
        node = f"tiêu chí “{self.code}”: " if self.code else ""
        return f"{where}{node}{self.message}"


class InputError(Exception):
    """Bad input: one or more problems, each printed on its own line."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, place: str, message: str, code: str | None = None) -> "InputError":
        return cls(Problem(file, place, message, code))


class RubricError(InputError):
    """A criteria file that cannot be used."""


class EvidenceError(InputError):
    """Evidence that does not fit the rubric."""
