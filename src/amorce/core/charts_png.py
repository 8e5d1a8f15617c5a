"""PNG renderings of the charts of :mod:`amorce.core.charts`, for documents that take no SVG.

Each function takes the same arguments as its SVG twin (``line_chart_png`` as ``line_chart``,
``point_map_png`` as ``point_map``), so a caller builds the series once and gets both files from
the same numbers: the SVG for pages and prints, the PNG for office documents and slides. Drawn with
matplotlib's Agg canvas (no pyplot, no global state: safe in a web process), with the colours and
dash patterns of ``charts.css``. Pure: no Django; matplotlib is imported on first use.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from amorce.core.charts import Formatter, Point, Series, distance_text, line_values, map_frame, map_layout

# charts.css: one colour and one dash pattern per series (amorce-chart__line--0 … --5)
COLOURS = ("#000091", "#b34000", "#18753c", "#a558a0", "#ce0500", "#3a3a3a")
DASHES = ((), (8, 4), (2, 3), (10, 3, 2, 3), (4, 2), (12, 4))
TEXT = "#161616"
DPI = 150
PX = 1 / 72  # charts.py sizes are user units; one unit is drawn as one point


def _figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width * PX * 1.6, height * PX * 1.6), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white",
                   metadata={"Software": "amorce"})
    return buffer.getvalue()


def line_chart_png(series: Sequence[Series], *, title: str, desc: str = "", x_label: str, y_label: str,
                   x_fmt: Formatter, y_fmt: Formatter, x_domain: tuple[float, float] | None = None,
                   y_domain: tuple[float, float] | None = None, x_ticks: Sequence[tuple[float, str]] | None = None,
                   diagonal: str = "", width: int = 400, height: int = 280) -> bytes:
    """:func:`amorce.core.charts.line_chart` as a PNG image (same arguments, same refusals)."""
    from matplotlib.ticker import FuncFormatter

    xs, ys = line_values(series)
    figure = _figure(width, height)
    axes = figure.add_subplot()
    for i, s in enumerate(series):
        px = [float(p[0]) for p in s.points]
        py = [math.nan if p[1] is None else float(p[1]) for p in s.points]
        (line,) = axes.plot(px, py, color=COLOURS[i % len(COLOURS)], linewidth=3.5 if s.strong else 2,
                            marker="o", markersize=4, label=s.name)
        if DASHES[i % len(DASHES)]:
            line.set_dashes(DASHES[i % len(DASHES)])
    if diagonal:
        lo = max(x_domain[0] if x_domain else min(xs), y_domain[0] if y_domain else min(ys))
        hi = min(x_domain[1] if x_domain else max(xs), y_domain[1] if y_domain else max(ys))
        axes.plot([lo, hi], [lo, hi], color="#929292", linestyle=(0, (3, 3)), label=diagonal)
    if x_domain:
        axes.set_xlim(*x_domain)
    if y_domain:
        axes.set_ylim(*y_domain)
    else:
        axes.set_ylim(bottom=min(0.0, *ys))
    if x_ticks is not None:
        axes.set_xticks([t for t, _ in x_ticks], [text for _, text in x_ticks])
    else:
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: x_fmt(v)))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: y_fmt(v)))
    axes.grid(True, color="#dddddd", linewidth=1)
    axes.set_axisbelow(True)
    axes.set_title(title, color=TEXT, fontweight="bold")
    axes.set_xlabel(x_label, color=TEXT, fontweight="bold")
    axes.set_ylabel(y_label, color=TEXT, fontweight="bold")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False, ncol=1)
    return _png(figure)


def point_map_png(points: Sequence[Point], *, title: str, desc: str = "", value_label: str, width: int = 400,
                  height: int = 300) -> bytes:
    """:func:`amorce.core.charts.point_map` as a PNG image: the same projection (:func:`map_frame`),
    marker sizes, labels and scale bar."""
    values = [float(p.value) for p in points]
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError("valeur négative ou non finie sur une carte")
    frame = map_frame(points, width=width, height=height)
    figure = _figure(width, height)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, width)
    axes.set_ylim(height, 0)  # SVG coordinates: y grows downwards
    axes.set_aspect("equal")
    axes.axis("off")
    from matplotlib.patches import Circle, Rectangle

    axes.add_patch(Rectangle((frame["left"], frame["top"]), frame["right"] - frame["left"],
                             frame["bottom"] - frame["top"], facecolor="#f6f6f6", edgecolor="#dddddd"))
    for m in map_layout(points, frame):
        zero = not m["point"].value > 0
        axes.add_patch(Circle((m["x"], m["y"]), m["r"], facecolor="none" if zero else (0, 0, 145 / 255, 0.55),
                              edgecolor="#3a3a3a" if zero else "#000091", linewidth=1.5))
        axes.text(m["tx"], m["ty"], m["point"].caption, ha="right" if m["anchor"] == "end" else "left",
                  va="baseline", color=TEXT, fontsize=8)
    sx, sy = frame["left"] + 6, frame["bottom"] - 8
    axes.plot([sx, sx + frame["scale_px"]], [sy, sy], color=TEXT, linewidth=2)
    axes.text(sx, sy - 4, distance_text(frame["scale_km"]), color=TEXT, fontsize=8, va="bottom")
    nx, ny = frame["right"] - 12, frame["bottom"] - 22
    axes.fill([nx, nx - 5, nx, nx + 5], [ny, ny + 14, ny + 10, ny + 14], color=TEXT)
    axes.text(nx, ny - 4, "N", ha="center", va="baseline", color=TEXT, fontsize=8)
    axes.text(frame["left"], frame["top"] - 4, value_label, color=TEXT, fontsize=9, fontweight="bold", va="bottom")
    axes.set_title(title, color=TEXT, fontweight="bold")
    return _png(figure)
