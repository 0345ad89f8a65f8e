"""Who a unit is and who signs its report: the “Thông tin đơn vị” sheet of a self-assessment
workbook, or defaults from the unit's name alone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from criteria.rules.base import nfc

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
