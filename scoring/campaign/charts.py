"""Charts for publication (PNG): all units' indices as bars, and field sub-indices as a heat map.

Numbers on the charts use decimal commas (``format_vn``); bars are coloured by the rubric's
classification bands, whose thresholds are drawn as dashed lines.
"""

from __future__ import annotations

import functools
import io
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from criteria import Rubric  # noqa: E402
from criteria.numbers import format_vn  # noqa: E402
from scoring.office.atomic import write_atomic  # noqa: E402
from scoring.reports.charts import FONT  # noqa: E402

from .standings import Standing  # noqa: E402

BAND_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#a50026")
NO_BAND = "#9e9e9e"
DPI = 150


def _styled(draw: Callable[..., Path]) -> Callable[..., Path]:
    """Draw with the project's chart font (every Vietnamese glyph)."""

    @functools.wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Path:
        with plt.rc_context({"font.family": FONT}):
            return draw(*args, **kwargs)

    return wrapper


def _save(figure: plt.Figure, path: str | Path) -> Path:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": "parindex"})
    plt.close(figure)
    return write_atomic(path, buffer.getvalue())


def _percent_axis(value: float, _position: int) -> str:
    return format_vn(Decimal(str(value)), 0)


def band_colours(rubric: Rubric) -> dict[str, str]:
    return {band.label: BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)] for i, band in enumerate(rubric.classification)}


@_styled
def index_bars(rows: Sequence[Standing], rubric: Rubric, title: str, path: str | Path) -> Path:
    """Horizontal bars of every unit's index, best at the top, labelled with rank and value."""
    colours = band_colours(rubric)
    n = len(rows)
    labelled = n <= 80
    height = max(2.5, 0.32 * n + 1.6) if labelled else 8.0
    figure, axes = plt.subplots(figsize=(10, height))
    values = [float(r.index) if r.index is not None else 0.0 for r in rows]
    positions = np.arange(n)
    axes.barh(positions, values, color=[colours.get(r.classification or "", NO_BAND) for r in rows], height=0.7)
    axes.set_ylim(n - 0.5, -1.2 if rubric.classification else -0.5)  # best on top; a strip for band labels
    if labelled:
        axes.set_yticks(positions, [f"{r.rank}. {r.unit}" for r in rows], fontsize=9)
        for y, r in zip(positions, rows):
            axes.text((float(r.index) if r.index is not None else 0) + 0.8, y, format_vn(r.index, rubric.precision),
                      va="center", fontsize=8)
    else:
        axes.set_yticks([])
        axes.set_ylabel(f"{n} đơn vị, xếp theo hạng")
    upper = 105.0
    for band in rubric.classification:  # highest band first: each label centred in its own range
        low = float(band.min)
        if low > 0:
            axes.axvline(low, color="#555555", linestyle="--", linewidth=0.8)
        axes.text((low + upper) / 2, -0.8, band.label, fontsize=7.5, ha="center", va="center",
                  color="#333333")
        upper = low
    axes.set_xlim(0, 105)
    axes.xaxis.set_major_formatter(FuncFormatter(_percent_axis))
    axes.set_xlabel("Chỉ số CCHC (%)")
    axes.set_title(title, fontsize=12, pad=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colours.values()]
    if handles:
        axes.legend(handles, list(colours), loc="lower right", fontsize=8, title="Xếp loại", title_fontsize=8)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return _save(figure, path)


@_styled
def field_heat_map(rows: Sequence[Standing], rubric: Rubric, title: str, path: str | Path) -> Path:
    """Units (by rank) × fields: each cell the field's sub-index (%), “—” where nothing applies."""
    fields = [node for node in rubric.nodes]
    n, m = len(rows), len(fields)
    data = np.full((n, m), np.nan)
    for i, r in enumerate(rows):
        for j, node in enumerate(fields):
            value = r.fields.get(node.code)
            if value is not None:
                data[i, j] = float(value)
    labelled = n <= 80
    figure, axes = plt.subplots(figsize=(max(6.0, 1.25 * m + 4.0), max(2.5, 0.36 * n + 2.2) if labelled else 9.0))
    cmap = LinearSegmentedColormap.from_list("chi_so", ["#d73027", "#fee08b", "#1a9850"]).with_extremes(bad="#e0e0e0")
    image = axes.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    axes.set_xticks(np.arange(m), [_wrap(f"{node.code}. {node.name}", 18) for node in fields], fontsize=8)
    axes.xaxis.tick_top()
    if labelled:
        axes.set_yticks(np.arange(n), [f"{r.rank}. {r.unit}" for r in rows], fontsize=9)
        for i in range(n):
            for j in range(m):
                value = rows[i].fields.get(fields[j].code)
                axes.text(j, i, format_vn(value, rubric.precision), ha="center", va="center", fontsize=7.5,
                          color="black" if value is None or 25 <= value <= 85 else "white")
    else:
        axes.set_yticks([])
    bar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.02)
    bar.formatter = FuncFormatter(_percent_axis)
    bar.update_ticks()
    bar.set_label("Chỉ số thành phần (%)")
    axes.set_title(title, fontsize=12, pad=12)
    return _save(figure, path)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:4]) + ("…" if len(lines) > 4 else "")
