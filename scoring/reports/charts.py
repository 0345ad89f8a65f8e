"""A unit's points against the maximum per field, as a PNG bar chart (matplotlib, no display)."""

from __future__ import annotations

import io
import textwrap
import unicodedata
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: servers, tests, CI

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from criteria.numbers import format_points  # noqa: E402

from scoring.office.atomic import write_atomic  # noqa: E402
from scoring.result import UnitResult  # noqa: E402

FONT = "DejaVu Sans"  # has every Vietnamese glyph; ships with matplotlib
MAX_COLOR, POINTS_COLOR = "#d9d9d9", "#1f4e79"


def field_chart(result: UnitResult, title: str | None = None) -> Figure:
    """Horizontal bars, one per field of the main tree: the maximum behind, the points in front.

    ``title`` None → “Điểm tự đánh giá theo lĩnh vực — unit”; "" → none (a caption says it).
    """
    fields = [n for n in result.nodes if n.depth == 0 and n.section is None]
    labels = [textwrap.fill(unicodedata.normalize("NFC", f"{n.code}. {n.name}"), 34) for n in fields]
    height = 1.1 + 0.42 * max(len(fields), 1) + 0.1 * sum(label.count("\n") for label in labels)
    with plt.rc_context({"font.family": FONT, "font.size": 9}):
        figure, axes = plt.subplots(figsize=(6.2, height), dpi=200, layout="constrained")
        positions = list(range(len(fields)))[::-1]
        axes.barh(positions, [float(n.max) for n in fields], color=MAX_COLOR, height=0.6, label="Điểm tối đa")
        axes.barh(positions, [float(n.points) for n in fields], color=POINTS_COLOR, height=0.6,
                  label="Điểm tự đánh giá")
        top = max([float(n.max) for n in fields] + [1.0])
        for y, node in zip(positions, fields):
            text = (f"{format_points(node.points)}/{format_points(node.max)}" if node.max
                    else "không tính (loại khỏi điểm tối đa)")
            axes.text(float(max(node.max, node.points)) + top * 0.01, y, text, va="center", fontsize=8)
        axes.set_yticks(positions, labels)
        axes.set_xlim(0, top * 1.22)
        axes.xaxis.set_major_formatter(lambda value, _: format_points(Decimal(repr(round(float(value), 2)))))
        axes.set_xlabel("Điểm")
        axes.spines[["top", "right"]].set_visible(False)
        figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
        if title is None:
            title = f"Điểm tự đánh giá theo lĩnh vực — {result.unit}"
        if title:
            axes.set_title(title, fontsize=10)
    return figure


def chart_png(result: UnitResult, title: str | None = None) -> bytes:
    figure = field_chart(result, title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def write_chart(result: UnitResult, path: str | Path, title: str | None = None) -> Path:
    return write_atomic(path, chart_png(result, title))
