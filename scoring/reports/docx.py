"""The self-assessment report a unit signs (.docx), in the layout of NĐ 30/2020 (``nd30``).

BÁO CÁO Kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm N, with the three parts the
ministry's guidance asks for: (a) the scores — overall, per field with a chart, the points
lost, and the full table as a landscape appendix; (b) the sub-criteria without evidence and
their giải trình; (c) difficulties and proposals. Numbers print with decimal commas.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Sequence

from docx.document import Document as DocxDocument
from docx.shared import Pt

from criteria.canonical import provenance_line
from criteria.numbers import format_vn
from scoring.office import nd30
from scoring.reports.charts import chart_png
from scoring.reports.data import (
    EvidenceGap,
    documents_text,
    evidence_gaps,
    sentence,
    unit_documents,
)
from scoring.reports.text import lost_lines
from scoring.result import ScoreSheet, UnitResult
from scoring.workbook.details import UnitDetails

PORTRAIT_WIDTH_CM = 16.5  # A4 less the NĐ 30 margins (30 + 15 mm)
APPENDIX_WIDTHS_CM = (1.5, 7.6, 1.7, 1.9, 1.7, 5.2, 5.6)  # landscape: 25,2 cm


def build_report(sheet: ScoreSheet, unit: int | str = 0, details: UnitDetails | None = None,
                 chart: bool = True) -> DocxDocument:
    """The report of one unit of ``sheet``; ``details`` from its workbook, or defaults."""
    result = sheet.result(unit)
    details = details or UnitDetails(unit=result.unit)
    return _Report(sheet, result, details).build(chart)


def write_report_docx(sheet: ScoreSheet, path: str | Path, unit: int | str = 0,
                      details: UnitDetails | None = None, chart: bool = True) -> Path:
    document = build_report(sheet, unit, details, chart)
    add_provenance_footer(document, provenance_line(sheet.rubric))
    return nd30.save(document, path)


def add_provenance_footer(document: DocxDocument, line: str) -> None:
    """The rubric's id, year, content hash and the engine version in small type at the foot of every page."""
    for section in document.sections:
        footers = [section.footer] + ([section.first_page_footer] if section.different_first_page_header_footer else [])
        for footer in footers:
            footer.is_linked_to_previous = False
            paragraph = footer.add_paragraph()
            run = paragraph.add_run(line)
            run.font.size = Pt(7)


class _Report:
    def __init__(self, sheet: ScoreSheet, result: UnitResult, details: UnitDetails):
        self.sheet, self.result, self.details = sheet, result, details
        self.rubric = sheet.rubric
        self.year = self.rubric.year
        self.precision = self.rubric.precision
        self.doc = nd30.new_document()
        self.number = nd30.document_number(details.number or None, "BC", details.issuer_code)

    def _n(self, value: Decimal | None) -> str:
        return format_vn(value, self.precision, trim=True)

    def build(self, chart: bool) -> DocxDocument:
        doc, d = self.doc, self.details
        nd30.add_letterhead(doc, nd30.Letterhead(issuer=d.issuing_body, parent=d.parent, number=self.number,
                                                 place=d.place_name, date=d.date))
        nd30.add_title(doc, "BÁO CÁO", f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {self.year}")
        nd30.body(doc, f"Căn cứ {self.rubric.title}, {self.result.unit} báo cáo kết quả tự đánh giá, "
                       f"chấm điểm Chỉ số cải cách hành chính năm {self.year} như sau:")
        self._scores(chart)
        self._gaps(evidence_gaps(self.result, self.sheet.evidence))
        self._closing()
        nd30.paragraph(doc, f"Trên đây là báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
                            f"năm {self.year} của {self.result.unit}./.", indent=True, keep_with_next=True)
        recipients, archive = split_archive(d.recipients)
        nd30.add_signature(doc, nd30.Signature(authority=d.authority, signer=d.signer, recipients=recipients,
                                               archive=archive))
        self._appendix()
        return doc

    # ------------------------------------------------------------------ I. scores
    def _scores(self, chart: bool) -> None:
        doc, t = self.doc, self.result.totals
        nd30.heading(doc, "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM")
        nd30.heading(doc, "1. Kết quả chung")
        text = f"Tổng điểm tự đánh giá: {self._n(t.points)}/{self._n(t.max)} điểm"
        parts = [f"điểm thưởng {self._n(t.bonus)} điểm" if t.bonus else "",
                 f"điểm trừ {self._n(t.penalty)} điểm" if t.penalty else ""]
        if any(parts):
            text += f" (điểm các lĩnh vực {self._n(t.tree_points)} điểm; {'; '.join(p for p in parts if p)})"
        text += f"; Chỉ số cải cách hành chính đạt {self._n(t.index)}%"
        text += f", xếp loại {t.classification}." if t.classification else "."
        nd30.body(doc, text)
        survey = self.rubric.survey
        if survey is not None and self.result.node(survey.code).max == 0:
            nd30.body(doc, "Chưa có kết quả điều tra xã hội học: điểm tối đa tính trên các nội dung đã chấm "
                           "(quy về thang điểm 100).", italic=True)
        nd30.body(doc, "Kết quả theo từng lĩnh vực:")
        fields = [n for n in self.result.nodes if n.depth == 0 and n.section is None]
        for position, node in enumerate(fields):
            end = "." if position == len(fields) - 1 else ";"
            if node.index is None:
                nd30.bullet(doc, f"{node.name}: không tính vào điểm tối đa (không phát sinh hoặc chưa có kết quả){end}")
            else:
                nd30.bullet(doc, f"{node.name}: {self._n(node.points)}/{self._n(node.max)} điểm "
                                 f"(đạt {self._n(node.index)}%){end}")
        if chart:
            nd30.add_figure(doc, chart_png(self.result, title=""),
                            PORTRAIT_WIDTH_CM - 1.5, "Biểu đồ: Điểm tự đánh giá so với điểm tối đa theo lĩnh vực")
        nd30.heading(doc, "2. Các tiêu chí thành phần bị mất điểm")
        scored = self.result.model_copy(update={"nodes": tuple(n for n in self.result.nodes if n.status != "missing")})
        lost = lost_lines(scored, self.precision)  # the leaves without data are part II
        if not lost:
            nd30.body(doc, "Không có tiêu chí thành phần đã chấm nào bị mất điểm.")
        for position, line in enumerate(lost):
            nd30.bullet(doc, line + ("." if position == len(lost) - 1 else ";"))
        nd30.heading(doc, "3. Bảng điểm chi tiết")
        nd30.body(doc, "Chi tiết điểm tự đánh giá từng lĩnh vực, tiêu chí, tiêu chí thành phần tại Phụ lục kèm theo "
                       "Báo cáo này.")

    # ------------------------------------------------------------------ II. gaps
    def _gaps(self, gaps: list[EvidenceGap]) -> None:
        """The leaves without data, with their giải trình; then, in one line, those without documents."""
        doc = self.doc
        nd30.heading(doc, "II. CÁC TIÊU CHÍ THÀNH PHẦN CHƯA CÓ TÀI LIỆU KIỂM CHỨNG VÀ GIẢI TRÌNH")
        missing = [gap for gap in gaps if gap.kind == "missing"]
        undocumented = [gap for gap in gaps if gap.kind == "no_document"]
        if not gaps:
            nd30.body(doc, "Tất cả tiêu chí thành phần đều có số liệu và tài liệu kiểm chứng kèm theo.")
            return
        if missing:
            nd30.body(doc, f"Có {len(missing)} tiêu chí thành phần chưa có số liệu, tài liệu kiểm chứng (tạm tính "
                           "0 điểm); đơn vị giải trình như sau:")
            rows = [[gap.code, gap.name, self._n(gap.max), gap.explanation or "Chưa có giải trình"] for gap in missing]
            nd30.add_table(doc, ["Mã", "Tiêu chí thành phần", "Điểm tối đa", "Giải trình"], rows,
                           (1.4, 6.4, 1.7, 7.0), align=("center", "left", "center", "left"))
            nd30.paragraph(doc, "", space_after=0)
        else:
            nd30.body(doc, "Tất cả tiêu chí thành phần đều có số liệu.")
        if undocumented:
            codes = ", ".join(gap.code for gap in undocumented)
            nd30.body(doc, f"Các tiêu chí thành phần đã kê khai số liệu nhưng chưa ghi tài liệu kiểm chứng "
                           f"({len(undocumented)}): {codes}; đơn vị bổ sung tài liệu kiểm chứng trước khi gửi "
                           "thẩm định.")

    # ------------------------------------------------------------------ III. closing
    def _closing(self) -> None:
        doc, d = self.doc, self.details
        nd30.heading(doc, "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ")
        for title, text, empty in (
            ("1. Khó khăn, vướng mắc", d.difficulties, "[Nêu khó khăn, vướng mắc (nếu có).]"),
            ("2. Đề xuất, kiến nghị", d.proposals, "[Nêu đề xuất, kiến nghị (nếu có).]"),
        ):
            nd30.heading(doc, title)
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            if not lines:
                nd30.body(doc, empty, italic=True)
            for line in lines:
                if line[:1] in "-+•":
                    nd30.bullet(doc, line[1:].strip(), sign="+" if line[0] == "+" else "-")
                else:
                    nd30.body(doc, line)

    # ------------------------------------------------------------------ appendix
    def _appendix(self) -> None:
        doc, result = self.doc, self.result
        nd30.add_landscape_section(doc)
        number = self.number.removeprefix("Số:")  # keeps the blank a văn thư fills in
        date = f"{self.details.date:%d/%m/%Y}" if self.details.date else "     "
        nd30.appendix_heading(doc, "Phụ lục", f"Bảng tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {self.year}",
                              f"Kèm theo Báo cáo số{number} ngày {date} của {result.unit}")
        gaps = {gap.code: gap for gap in evidence_gaps(result, self.sheet.evidence)}
        sections = {a.code: a for a in self.rubric.adjustments}
        rows: list[list[str]] = []
        bold: list[int] = []
        indents: list[int] = []
        section = None
        for node in result.nodes:
            if node.section != section:
                section = node.section
                adjustment = sections[section]
                word = "cộng" if adjustment.kind == "bonus" else "trừ"
                bold.append(len(rows))
                indents.append(0)
                rows.append([adjustment.code, f"{adjustment.name.upper()} (tối đa {word} "
                                              f"{self._n(adjustment.cap)} điểm)", "", "", "", "", ""])
            note, evidence = "", ""
            if node.is_leaf:
                gap = gaps.get(node.code)
                documents = documents_text(unit_documents(self.sheet.evidence, result.unit, node.code))
                evidence = gap.words if gap else documents
                note = sentence(node.trace.explanation) if node.trace else ""
            explanation = result.explanations.get(node.code)
            if explanation:
                note = f"{note}\nGiải trình: {explanation}" if note else f"Giải trình: {explanation}"
            if not node.is_leaf and node.depth <= 1:
                bold.append(len(rows))
            indents.append(node.depth)
            rows.append([node.code, node.name, self._n(node.max), self._n(node.points), self._n(node.lost),
                         evidence, note])
        t = result.totals
        totals = [["", "Tổng điểm các lĩnh vực", self._n(t.max), self._n(t.tree_points), "", "", ""]]
        if self.rubric.adjustments:
            totals += [["", "Điểm thưởng", "", self._n(t.bonus), "", "", ""],
                       ["", "Điểm trừ", "", self._n(t.penalty), "", "", ""]]
        totals += [["", "TỔNG ĐIỂM", self._n(t.max), self._n(t.points), self._n(t.lost), "", ""],
                   ["", "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "", f"{self._n(t.index)}%", "", "",
                    f"Xếp loại: {t.classification}" if t.classification else ""]]
        bold += range(len(rows), len(rows) + len(totals))
        indents += [0] * len(totals)
        rows += totals
        nd30.add_table(doc, ["STT", "Tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
                             "Điểm bị mất", "Tài liệu kiểm chứng", "Ghi chú"], rows, APPENDIX_WIDTHS_CM,
                       size=11, bold_rows=bold, indents=indents,
                       align=("center", "left", "center", "center", "center", "left", "left"))


def split_archive(recipients: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """The clerk may type the “Lưu: VT, …” line among the recipients: it becomes the archive
    line (printed once, last) instead of a second “Lưu: VT.”."""
    def bare(line: str) -> str:
        return line.strip().lstrip("-–•").strip()

    kept = [r for r in recipients if not bare(r).casefold().startswith("lưu")]
    typed = [bare(r) for r in recipients if bare(r).casefold().startswith("lưu")]
    return tuple(kept), (typed[-1] if typed else "Lưu: VT.")
