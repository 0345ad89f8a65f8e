"""The unit's profile for plan drafts: who issues the plan, its offices, căn cứ, signer, Nơi nhận.

A rubric's remediation hints name ROLES (“Văn phòng”, “công chức Tư pháp – Hộ tịch”); the
profile lists the offices that really exist at the unit and which roles each one covers, so a
task lands on a real office. Loaded with the safe YAML loader; every problem names file and line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from criteria import InputError, Problem
from criteria.frozen import Frozen
from criteria.loader import model_from_data
from criteria.rules.base import norm_text
from criteria.rules.deadline import parse_date
from criteria.yaml_lines import load_yaml


class ProfileError(InputError):
    """A profile file that cannot be used."""


class Office(Frozen):
    """An office (phòng, bộ phận, công chức) that exists at the unit, and the roles it covers."""

    name: str = Field(min_length=1, description="tên thật: “Công chức Văn phòng – Thống kê”")
    roles: tuple[str, ...] = Field(default=(), description="vai trò trong gợi ý của bộ chỉ số")
    short: str | None = Field(default=None, description="viết tắt trong dòng Lưu: “VP”")


class DocumentInfo(Frozen):
    """Number, date and căn cứ of one plan (the remediation plan and the annual plan differ)."""

    number: int | str | None = Field(default=None, description="số văn bản; trống: để văn thư điền")
    date: dt.date | None = Field(default=None, description="ngày ký; trống: để văn thư điền")
    bases: tuple[str, ...] = Field(default=(), description="căn cứ, mỗi dòng một văn bản")
    recipients: tuple[str, ...] | None = Field(default=None, description="Nơi nhận riêng của văn bản này")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return None if value in (None, "") else parse_date(value)

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("số văn bản phải là số hoặc chuỗi")
        return value


class PublicationInfo(Frozen):
    """The Quyết định that published the evaluated year's index (the plan's first căn cứ)."""

    number: str = Field(default="", description="số, ký hiệu: “313/QĐ-UBND”")
    date: dt.date | None = Field(default=None, description="ngày ký")
    by: str = Field(default="", description="cơ quan ban hành: “Ủy ban nhân dân tỉnh Bình Định”")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return None if value in (None, "") else parse_date(value)

    @field_validator("number", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return "" if value is None else str(value)


class SignatureInfo(Frozen):
    authority: tuple[str, ...] = Field(default=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"), min_length=1)
    signer: str = ""


class Profile(Frozen):
    """One unit, as its plans need it."""

    unit: str = Field(min_length=1, description="tên đơn vị đúng như trong kết quả chấm điểm")
    issuer: str = Field(min_length=1, description="cơ quan ban hành: “Ủy ban nhân dân xã An Phú”")
    parent: str = Field(default="", description="cơ quan chủ quản: “UBND huyện Đức Thọ”")
    issuer_code: str = Field(default="UBND", min_length=1, pattern=r"^\S+$", description="ký hiệu: KH-UBND")
    short_name: str = Field(min_length=1, description="tên dùng trong câu: “xã An Phú”")
    place: str = Field(min_length=1, description="địa danh ở dòng ngày tháng")
    superior: str = Field(default="", description="cấp trên nhận báo cáo: “UBND huyện Đức Thọ”")
    peer_group: str = Field(default="đơn vị", description="nhóm xếp hạng: “xã, thị trấn”")
    published_by: str = Field(default="", description="văn bản công bố Chỉ số năm đánh giá")
    plan_year: int | None = Field(default=None, ge=2000, le=2100, description="mặc định: năm đánh giá + 1")
    publication: PublicationInfo = PublicationInfo()
    offices: tuple[Office, ...] = Field(min_length=1)
    coordinator: str = Field(min_length=1, description="vai trò hoặc cơ quan theo dõi, tổng hợp kế hoạch")
    default_office: str = Field(min_length=1, description="chủ trì nhiệm vụ không có gợi ý trong bộ chỉ số")
    default_cooperate: tuple[str, ...] = Field(default=("Các bộ phận có liên quan",), min_length=1)
    target: str | None = Field(default=None, description="mục tiêu mặc định: “tăng ít nhất 2 bậc”, …")
    index_targets: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="chỉ số khác → mã nội dung → mục tiêu (“8”, “85%”)"
    )
    budget: dict[str, str] = Field(default_factory=dict, description="mã tiêu chí → dự kiến kinh phí (kế hoạch năm)")
    remediation: DocumentInfo = DocumentInfo()
    annual: DocumentInfo = DocumentInfo()
    signature: SignatureInfo = SignatureInfo()
    recipients: tuple[str, ...] = ()
    archive: str = "Lưu: VT."

    @field_validator("offices")
    @classmethod
    def _roles_once(cls, offices: tuple[Office, ...]) -> tuple[Office, ...]:
        seen: dict[str, str] = {}
        for office in offices:
            for role in (office.name, *office.roles):
                key = norm_text(role)
                if key in seen and seen[key] != office.name:
                    raise ValueError(f"vai trò “{role}” thuộc hai cơ quan: “{seen[key]}” và “{office.name}”")
                seen[key] = office.name
        return offices

    def document(self, kind: str) -> DocumentInfo:
        return self.remediation if kind == "remediation" else self.annual

    def with_unit(self, unit: str) -> "Profile":
        """A copy for ``unit`` (a template profile): ``{unit}`` becomes the unit's name as in
        the results (“UBND xã An Phú”), ``{name}`` the name without “UBND”/“Ủy ban nhân dân”
        (“xã An Phú”)."""
        words = {"{unit}": unit, "{name}": bare_name(unit)}
        data = _replace(self.model_dump(), words)
        data["unit"] = unit
        return Profile.model_validate(data)


def bare_name(unit: str) -> str:
    """“UBND xã An Phú” → “xã An Phú”."""
    text = unit.strip()
    for head in ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd "):
        if text.casefold().startswith(head):
            return text[len(head):].strip()
    return text


def _replace(value: Any, words: dict[str, str]) -> Any:
    if isinstance(value, str):
        for key, word in words.items():
            value = value.replace(key, word)
        return value
    if isinstance(value, dict):
        return {k: _replace(v, words) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_replace(v, words) for v in value]
    return value


@dataclass(frozen=True)
class Offices:
    """Roles → real offices for one profile; remembers roles it could not place."""

    profile: Profile

    def _table(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for office in self.profile.offices:
            for role in (office.name, *office.roles):
                table[norm_text(role)] = office.name
        return table

    def resolve(self, role: str) -> tuple[str, bool]:
        """(office, known): an unknown role is kept as written, and reported by the caller."""
        office = self._table().get(norm_text(role))
        if office:
            return office, True
        text = role.strip()
        return text[:1].upper() + text[1:], False

    def short(self, office_name: str) -> str | None:
        return next((o.short for o in self.profile.offices if o.name == office_name), None)


def profile_from_data(data: Any, name: str) -> Profile:
    return model_from_data(Profile, data, name, ProfileError, "hồ sơ đơn vị")


def load_profile(path: str | Path) -> Profile:
    """Load and validate one profile; raises ``ProfileError`` naming file and line."""
    return profile_from_data(load_yaml(path, ProfileError), str(path))


def load_profiles(path: str | Path) -> list[Profile]:
    """A profile file, or the profiles of a folder (batch mode): its ``profile*.yaml`` files if
    it has any (a folder shared with evidence files), else every ``*.yaml``."""
    path = Path(path)
    if not path.is_dir():
        return [load_profile(path)]
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    named = [p for p in files if p.name.startswith("profile")]
    files = named or files  # a folder shared with evidence files: only profile-*.yaml are profiles
    if not files:
        raise ProfileError.single(str(path), "", "thư mục không có tệp hồ sơ .yaml nào")
    problems: list[Problem] = []
    profiles: list[Profile] = []
    for file in files:
        try:
            profiles.append(load_profile(file))
        except ProfileError as exc:
            problems.extend(exc.problems)
    seen: dict[str, str] = {}
    for profile, file in zip(profiles, files):
        if profile.unit in seen:
            problems.append(Problem(str(file), "", f"đơn vị “{profile.unit}” đã có hồ sơ {seen[profile.unit]}"))
        seen[profile.unit] = str(file)
    if problems:
        raise ProfileError(problems)
    return profiles


def profile_for(profiles: list[Profile], unit: str, source: str) -> Profile:
    """The profile of ``unit``; else a template (``unit: "*"``) filled in; else an error."""
    for profile in profiles:
        if norm_text(profile.unit) == norm_text(unit):
            return profile
    template = next((p for p in profiles if p.unit == "*"), None)
    if template is not None:
        return template.with_unit(unit)
    known = ", ".join(f"“{p.unit}”" for p in profiles[:5])
    raise ProfileError.single(source, "", f"không có hồ sơ cho đơn vị “{unit}” (hồ sơ có: {known}; "
                                          "hồ sơ mẫu cho mọi đơn vị ghi unit: \"*\")")
