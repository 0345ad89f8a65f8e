"""The words of the Quyết định công bố Chỉ số CCHC, as a neutral document (the same blocks a
plan is made of, rendered by ``scoring.plans.docx``): letterhead, title, enacting authority,
căn cứ (the law, the rubric's own decision, the appraisal of the campaign's year), three
articles, Nơi nhận without the bodies Điều 3 already names, and two landscape appendices.

It takes plain data — the campaign's year and decision details, the ranked rows, the rubric —
and knows nothing about the campaign's store. No audit hash is printed in a decision: the log's
head stays in the campaign's record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Protocol, Sequence

from criteria import Rubric
from criteria.numbers import format_vn

from scoring.office.nd30 import Letterhead, Signature, document_number
from scoring.plans.document import Appendix, Article, Decides, PlanDocument, TableSpec


class Change(Protocol):
    previous_rank: int | None

    def words(self) -> str: ...


class Row(Protocol):
    """One ranked unit (``scoring.campaign.standings.Standing`` is one)."""

    rank: int
    unit: str
    appraised: Decimal
    survey: Decimal | None
    total: Decimal
    max: Decimal
    index: Decimal | None
    classification: str | None
    fields: Mapping[str, Decimal | None]
    change: Change | None


@dataclass(frozen=True)
class DecisionFacts:
    """Who decides, when, and for which year (the campaign's calendar)."""

    year: int  # the evaluated year
    issuer: str  # “Ủy ban nhân dân tỉnh Hà Tĩnh”
    place: str
    parent: str = ""
    issuer_code: str = "UBND"
    number: str | int | None = None  # None: blank for the văn thư
    date: dt.date | None = None  # None: blank; the year of the date line is then ``decision_year``
    decision_year: int | None = None  # the year the decision is signed (default: ``year`` + 1)
    signer: str = ""
    authority: tuple[str, ...] = ("CHỦ TỊCH",)
    subject: str | None = None  # “các xã, phường”; default from the rubric's level
    bases: tuple[str, ...] = ()  # more căn cứ, after those derived from the law, the rubric and the calendar
    proposer: str = "Giám đốc Sở Nội vụ"
    recipients: tuple[str, ...] = ("Như Điều 3", "Bộ Nội vụ (để báo cáo)", "Sở Nội vụ")
    appraisal_closed: dt.date | None = None  # end of appraisal round 2, from the campaign's calendar


_DECISION_SOURCE = re.compile(r"^\s*(QĐ|Quyết định)\s*(số\s*)?(\d+[^\s,;]*)", re.IGNORECASE)


def rubric_basis(rubric: Rubric) -> tuple[str, str | None]:
    """(căn cứ line, drafter's note or None) for the decision that issued the rubric."""
    match = _DECISION_SOURCE.match(rubric.source)
    if match:
        source = rubric.source.strip().rstrip(".;")
        source = re.sub(r"^\s*QĐ\b", "Quyết định", source)
        return f"Căn cứ {source} ban hành {rubric.title}", None
    return (f"Căn cứ Quyết định số      /QĐ-UBND ngày      /     /      ban hành {rubric.title}",
            f"Nguồn của bộ chỉ số không ghi số, ngày quyết định ban hành (“{rubric.source.strip()}”): "
            "điền căn cứ trước khi trình ký.")


def subject_count(count: int, subject: str) -> str:
    """“05 xã, phường” for “các xã, phường”; “05 đơn vị cấp sở” for “các đơn vị cấp sở”."""
    number = f"{count:02d}"
    plain = subject[4:] if subject.startswith("các ") else subject
    return f"{number} {plain}"


def labels(count: int) -> str:
    """“Phụ lục I” or “Phụ lục I, II” (an appendix per table)."""
    romans = ("I", "II", "III", "IV")
    return "Phụ lục " + ", ".join(romans[:count])


def recipients_after(article: str, recipients: Sequence[str]) -> tuple[str, ...]:
    """Nơi nhận without a body that Điều 3 already names (“Như Điều 3” covers it)."""
    named = article.casefold()
    out = []
    for item in recipients:
        text = item.strip().rstrip(";.")
        if not text:
            continue
        bare = re.sub(r"\s*\(.*\)$", "", text).casefold()
        if text.casefold() != "như điều 3" and bare in named:
            continue
        out.append(text)
    return tuple(dict.fromkeys(out))


def summary(rows: Sequence[Row], precision: int, bands: Sequence[str]) -> str:
    scored = [r for r in rows if r.index is not None]
    if not scored:
        return ""
    average = sum((r.index for r in scored), Decimal(0)) / len(scored)  # type: ignore[misc]
    best, worst = scored[0], scored[-1]
    counts = [(label, sum(1 for r in rows if r.classification == label)) for label in bands]
    classes = "; ".join(f"{label}: {count:02d} đơn vị" for label, count in counts if count)
    text = (f"Chỉ số trung bình đạt {format_vn(average, precision)}%; cao nhất là {best.unit} "
            f"({format_vn(best.index, precision)}%), thấp nhất là {worst.unit} ({format_vn(worst.index, precision)}%).")
    return f"{text} Xếp loại {classes}." if classes else text


def build_decision(facts: DecisionFacts, rows: Sequence[Row], rubric: Rubric) -> PlanDocument:
    year = facts.year
    precision = rubric.precision
    subject = facts.subject or f"các đơn vị cấp {rubric.level}"
    signed = facts.date.year if facts.date else (facts.decision_year or year + 1)
    number = document_number(facts.number, "QĐ", facts.issuer_code)
    notes: list[str] = []
    rubric_line, rubric_note = rubric_basis(rubric)
    if rubric_note:
        notes.append(rubric_note)
    closed = f" (kết thúc ngày {facts.appraisal_closed:%d/%m/%Y})" if facts.appraisal_closed else ""
    bases = ("Căn cứ Luật Tổ chức chính quyền địa phương", rubric_line,
             *(b.strip().rstrip(";.") for b in facts.bases if b.strip()),
             f"Căn cứ kết quả thẩm định Chỉ số cải cách hành chính năm {year} của {subject}{closed}")
    notes.append("Căn cứ Luật Tổ chức chính quyền địa phương: ghi số, ngày của Luật đang có hiệu lực.")
    doc = PlanDocument(
        letterhead=Letterhead(facts.issuer, facts.parent, number, facts.place, facts.date), year=signed,
        kind_title="QUYẾT ĐỊNH",
        summary=f"Về việc công bố Chỉ số cải cách hành chính năm {year} của {subject}",
        bases=(*bases, f"Theo đề nghị của {facts.proposer}"),
        enacting=f"CHỦ TỊCH {facts.issuer}", notes=notes,
    )
    doc.body.append(Decides())
    appendices = labels(2)
    doc.body.append(Article(1, f"Công bố Chỉ số cải cách hành chính năm {year} của {subject_count(len(rows), subject)} "
                               f"theo {rubric.title}, gồm điểm thẩm định, điểm điều tra xã hội học, tổng điểm, chỉ số, "
                               f"thứ hạng và xếp loại (chi tiết tại {appendices} kèm theo). "
                               f"{summary(rows, precision, [b.label for b in rubric.classification])}".rstrip()))
    doc.body.append(Article(2, "Các đơn vị căn cứ kết quả được công bố, xác định những tồn tại, hạn chế và xây dựng kế "
                               "hoạch khắc phục, nâng cao Chỉ số cải cách hành chính năm "
                               f"{year + 1}; {facts.proposer} theo dõi, đôn đốc và tổng hợp kết quả thực hiện."))
    third = (f"Quyết định này có hiệu lực kể từ ngày ký. {facts.proposer}, Thủ trưởng các cơ quan, đơn vị có tên "
             "tại Phụ lục I và các cơ quan, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.")
    doc.body.append(Article(3, third))
    doc.signature = Signature(facts.authority, facts.signer, recipients_after(third, facts.recipients))
    when = (f"ngày {facts.date:%d/%m/%Y}" if facts.date else f"ngày      tháng      năm {signed}")
    doc.attached_to = f"Kèm theo Quyết định số{number.removeprefix('Số:')} {when} của Chủ tịch {facts.issuer}"
    doc.appendices.append(_ranked(rows, year, subject, precision))
    doc.appendices.append(_fields(rows, rubric, year, subject))
    return doc


def _ranked(rows: Sequence[Row], year: int, subject: str, precision: int) -> Appendix:
    compare = any(r.change is not None for r in rows)
    headers = ["Hạng", "Đơn vị", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm", "Điểm tối đa",
               "Chỉ số CCHC (%)", "Xếp loại"]
    widths = [1.7, 6.3, 2.6, 2.6, 2.4, 2.2, 2.5, 2.5]
    if compare:
        headers.append("So với năm trước")
        widths = [1.7, 5.4, 2.4, 2.4, 2.2, 2.0, 2.3, 2.3, 4.3]
    table = []
    for r in rows:
        line = [str(r.rank), r.unit, format_vn(r.appraised, precision),
                format_vn(r.survey, precision) if r.survey is not None else "Không điều tra",
                format_vn(r.total, precision), format_vn(r.max, precision),
                format_vn(r.index, precision) if r.index is not None else "—", r.classification or "—"]
        if compare:
            change = r.change
            line.append("—" if change is None else upper(change.words()) if change.previous_rank is None else
                        f"Năm trước xếp thứ {change.previous_rank}; {change.words()}")
        table.append(tuple(line))
    align = ("center", "left", "right", "right", "right", "right", "right", "center", "left")[:len(headers)]
    footnote = ("Ghi chú: Tổng điểm = điểm thẩm định + điểm điều tra xã hội học; đơn vị không có điều tra xã hội học "
                "được quy về thang điểm 100. Đơn vị có chỉ số bằng nhau đồng hạng.")
    return Appendix("Phụ lục I", f"Kết quả Chỉ số cải cách hành chính năm {year} của {subject}",
                    TableSpec(tuple(headers), tuple(table), tuple(widths), align), footnotes=(footnote,))


def _fields(rows: Sequence[Row], rubric: Rubric, year: int, subject: str) -> Appendix:
    fields = list(rubric.nodes)
    share = (25.2 - 7.7) / max(len(fields), 1)
    table = tuple((str(r.rank), r.unit, *(format_vn(r.fields.get(n.code), rubric.precision)
                                          if r.fields.get(n.code) is not None else "—" for n in fields)) for r in rows)
    headers = ("Hạng", "Đơn vị", *(f"{n.code}. {n.name} (%)" for n in fields))
    return Appendix("Phụ lục II", f"Chỉ số thành phần theo lĩnh vực năm {year} của {subject}",
                    TableSpec(headers, table, (1.7, 6.0, *([share] * len(fields))),
                              ("center", "left", *(["right"] * len(fields))), size=10 if len(fields) > 5 else 12))


def upper(text: str) -> str:
    return text[:1].upper() + text[1:]
