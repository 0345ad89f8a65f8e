"""A ``PlanDocument`` as Markdown, for a quick look (``parindex plan --format md``)."""

from __future__ import annotations

from scoring.office.nd30 import Span, date_line, issuer_lines
from scoring.plans.document import Article, Bullet, Decides, Heading, Para, PlanDocument, TableSpec


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", "<br>")


def _table(table: TableSpec) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in table.headers) + " |",
             "|" + "|".join("---:" if a == "right" else ":---:" if a == "center" else "---" for a in table.align) + "|"]
    for number, row in enumerate(table.rows):
        cells: list[str] = []
        for value in row:
            span = value if isinstance(value, Span) else Span(str(value))
            text = _cell(span.text)
            cells.append(f"**{text}**" if number in table.bold_rows else text)
            cells.extend([""] * (span.columns - 1))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render_markdown(plan: PlanDocument) -> str:
    head = plan.letterhead
    out: list[str] = []
    left = ([head.parent.upper()] if head.parent else []) + issuer_lines(head.issuer)
    out.append(" / ".join(left) + f" — {head.number or 'Số:      /KH-UBND'}")
    out.append("")
    out.append("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc")
    out.append("")
    out.append(f"*{date_line(head.place, head.date, plan.year)}*")
    out.append("")
    out.append(f"# {plan.kind_title.upper()}")
    out.append(f"**{plan.summary.replace(chr(10), ' ')}**")
    out.append("")
    if plan.enacting:
        out.append(f"**{plan.enacting.upper()}**")
        out.append("")
    cleaned = [b.strip().rstrip(";.") for b in plan.bases if b.strip()]
    for position, base in enumerate(cleaned):
        out.append(f"*{base}{'.' if position == len(cleaned) - 1 else ';'}*")
        out.append("")
    for block in plan.body:
        if isinstance(block, Heading):
            out.append(f"{'#' * (block.level + 1)} {block.text}")
        elif isinstance(block, Para):
            lead = f"**{block.lead}** " if block.lead else ""
            text = f"*{block.text}*" if block.italic else block.text
            out.append(f"{lead}{text}")
        elif isinstance(block, Bullet):
            lead = f"**{block.lead}** " if block.lead else ""
            indent = "  " if block.sign == "+" else ""
            more = "".join(f" **{part_lead}** {part_text}" for part_lead, part_text in block.parts)
            out.append(f"{indent}- {lead}{block.text}{more}")
        elif isinstance(block, Article):
            out.append(f"**Điều {block.number}.** {block.text}")
        elif isinstance(block, Decides):
            out.append("**QUYẾT ĐỊNH:**")
        out.append("")
    sig = plan.signature
    out.append("**Nơi nhận:**")
    for item in sig.recipients:
        out.append(f"- {item.strip().rstrip(';.')};")
    out.append(f"- {sig.archive.rstrip('.')}.")
    out.append("")
    out.append("**" + " / ".join(sig.authority) + "**" + (f" — {sig.signer}" if sig.signer else ""))
    for appendix in plan.appendices:
        out.append("")
        out.append("---")
        out.append(f"## {appendix.label}: {appendix.title.upper()}")
        out.append(f"*({plan.attached_to})*")
        out.append("")
        out.extend(_table(appendix.table))
        for line in appendix.footnotes:
            out.append("")
            out.append(f"*{line}*")
        if appendix.closing:
            out.append("")
            out.append(f"*{appendix.closing}*")
    review = plan.review()
    if review:  # the drafter's notes stay outside the text, as Word keeps them in comments
        out.append("")
        out.append("<!-- Ghi chú cho người soạn (không thuộc văn bản):")
        out.extend(f"  - {note}" for note in review)
        out.append("-->")
    return "\n".join(out) + "\n"
