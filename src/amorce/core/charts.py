"""Vector charts built on the server: horizontal bars, lines and box plots, as SVG strings for the templates.

Plain string building (no plotting library, no script): every text is XML-escaped, every length a
number with a dot. The SVG has a ``viewBox`` and no fixed size, so it stays crisp at any zoom and
takes the width of its column. No ``style`` attribute and no ``<style>`` element (the Content
Security Policy keeps ``style-src 'self'``): colours and dashes come from the classes of
``web/static/amorce/charts.css`` (DSFR colours), sizes from SVG presentation attributes.

Each chart is an image for assistive technologies (``role="img"``, ``<title>`` and ``<desc>``) and
never relies on colour alone (signs and words on the bars, dashes on the lines); the page puts the
data table with the same numbers next to it. Numbers are French (``amorce.core.formats``). Pure: no
Django import; the result is an :class:`Svg`, which templates show as it is.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from amorce.core import formats

# The charts' style sheet, served to pages as static/amorce/charts.css (no inline style: strict CSP);
# put inside a standalone SVG file by :func:`stylesheet`.
STYLESHEET = Path(__file__).resolve().parents[1] / "web" / "static" / "amorce" / "charts.css"


class Svg(str):
    """An SVG document built here with every text escaped: safe to put in a page as it is (it has
    ``__html__``, the protocol Django's templates and Jinja read, so no ``mark_safe`` is needed)."""

    def __html__(self) -> str:
        return str(self)


def stylesheet() -> str:
    """The charts' CSS, for an SVG file that must look the same outside the platform's pages."""
    return STYLESHEET.read_text(encoding="utf-8")

WIDTH = 400  # user units of the viewBox; the chart scales to its column
FONT = 13  # font size in user units (charts.css sets the same on every text)
CHAR = FONT * 0.56  # average width of a character, to wrap labels and make room for values
LINE = FONT + 4  # height of one line of text
PAD = 8
BAR = 14  # thickness of a bar
SERIES_CLASSES = 6  # charts.css styles amorce-chart__line--0 … --5

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, the value as written at the bar's end (default: the chart's
    formatter) and a tone (a class suffix of charts.css: ``hausse``, ``baisse``, ``alerte``)."""

    label: str
    value: float
    text: str = ""
    tone: str = ""


@dataclass(frozen=True)
class Rule:
    """A reference line across the bars (« taux global »), labelled at the top."""

    value: float
    label: str


@dataclass(frozen=True)
class Series:
    """One line: (x, y) points in order; a ``None`` y leaves a gap. ``strong`` draws it thicker."""

    name: str
    points: Sequence[tuple[float, float | None]]
    strong: bool = False


def decimal(value: float) -> str:
    """The default value format: « 0,25 », « −1,50 » (a real minus sign)."""
    return formats.number(value, 2).replace("-", "\u2212")


def _esc(text) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate: a dot, one decimal, no « -0 »."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _ident(title: str, prefix: str) -> str:
    return f"{prefix}-{hashlib.sha1(title.encode()).hexdigest()[:8]}"  # noqa: S324 - an id, not a secret


def _text_width(text: str) -> float:
    return len(text) * CHAR


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round values (1, 2 or 5 × 10ⁿ apart) that cover [lo, hi] with about ``count`` intervals."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("bornes non finies")
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(i * step, 12) for i in range(first, last + 1)]


def wrap(text: str, width: float) -> list[str]:
    """``text`` cut between words into lines that fit ``width`` user units (a long word stays whole)."""
    limit = max(8, int(width / CHAR))
    words: list[str] = []
    for token in str(text).split():  # French spacing: « and » stay with their word, : ; ! ? % with the one before
        if words and (token in {"»", ":", ";", "!", "?", "%"} or words[-1] == "«"):
            words[-1] += "\u00a0" + token
        else:
            words.append(token)
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _svg(title: str, desc: str, width: float, height: float, body: list[str], prefix: str, css: str, *,
         role: str = "img") -> Svg:
    ident = _ident(title, prefix)
    return Svg(  # every text in body and the title/desc are escaped here
        f'<svg xmlns="http://www.w3.org/2000/svg" class="amorce-chart__svg {css}" viewBox="0 0 {math.ceil(width)} '
        f'{math.ceil(height)}" role="{role}" aria-labelledby="{ident}-titre {ident}-desc" focusable="false">'
        f'<title id="{ident}-titre">{_esc(title)}</title><desc id="{ident}-desc">{_esc(desc)}</desc>'
        + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, *, anchor: str = "start", css: str = "amorce-chart__text") -> str:
    return f'<text class="{css}" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}">{_esc(text)}</text>'


def _line(x1: float, y1: float, x2: float, y2: float, css: str) -> str:
    return f'<line class="{css}" x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"/>'


def bar_chart(bars: Sequence[Bar], *, title: str, desc: str, fmt: Formatter | None = None,
              rules: Sequence[Rule] = (), width: int = WIDTH) -> Svg:
    """Horizontal bars, each under its label, from zero: negative values to the left of the zero
    line, positive ones to the right, the value written at the bar's end; ``rules`` are dashed
    reference lines; an axis with round ticks below."""
    fmt = fmt or decimal
    values = [float(b.value) for b in bars] + [float(r.value) for r in rules]
    if any(not math.isfinite(v) for v in values):
        raise ValueError("valeur non finie dans un graphique en barres")
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]), 4)
    lo, hi = ticks[0], ticks[-1]
    texts = [b.text or fmt(b.value) for b in bars]
    left = max([_text_width(t) for b, t in zip(bars, texts, strict=True) if b.value < 0] or [0]) + 4
    right = max([_text_width(t) for b, t in zip(bars, texts, strict=True) if b.value >= 0] or [0]) + 4
    x0, x1 = PAD + left, width - PAD - right

    def x(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    label_x = x(0.0) + 2 if lo >= 0 else PAD  # all bars to the right: labels start with them
    rects: list[str] = []
    words: list[str] = []  # texts go over the lines, lines over the bars
    bands: list[float] = []  # the y of each bar
    y = PAD
    for rule in rules:  # labels of the reference lines, one line each, above the bars
        y += LINE
        anchor = "end" if x(rule.value) > width / 2 else "start"
        words.append(_text(x(rule.value), y - 4, rule.label, anchor=anchor,
                           css="amorce-chart__text amorce-chart__rule-label"))
    top = y + 4
    for bar, text in zip(bars, texts, strict=True):
        for line in wrap(bar.label, width - PAD - label_x):
            y += LINE
            words.append(_text(label_x, y - 4, line))
        start, end = sorted((x(0.0), x(float(bar.value))))
        tone = f" amorce-chart__bar--{_esc(bar.tone)}" if bar.tone else ""
        rects.append(f'<rect class="amorce-chart__bar{tone}" x="{_n(start)}" y="{_n(y)}" width="{_n(end - start)}" '
                     f'height="{BAR}"><title>{_esc(bar.label)} : {_esc(text)}</title></rect>')
        if bar.value < 0:
            words.append(_text(start - 4, y + BAR - 3, text, anchor="end", css="amorce-chart__text amorce-chart__value"))
        else:
            words.append(_text(end + 4, y + BAR - 3, text, css="amorce-chart__text amorce-chart__value"))
        bands.append(y)
        y += BAR + 8
    bottom = y
    # a reference line runs from its label down along the bars, never through the labels of the bars
    # (charts.css gives every text a white halo besides)
    rule_lines = [_line(x(r.value), a, x(r.value), b, "amorce-chart__rule") for r in rules
                  for a, b in [(top - 4, top), *((band - 3, band + BAR + 3) for band in bands)]]
    body = [*rects, _line(x(0.0), top, x(0.0), bottom, "amorce-chart__zero"), *rule_lines, *words]
    body.append(_line(x0, bottom, x1, bottom, "amorce-chart__axis"))
    for tick in ticks:
        body.append(_line(x(tick), bottom, x(tick), bottom + 4, "amorce-chart__axis"))
        anchor = "start" if tick == lo and len(ticks) > 1 and x(tick) < PAD + 20 else "middle"
        body.append(_text(x(tick), bottom + 4 + LINE, fmt(tick), anchor=anchor,
                          css="amorce-chart__text amorce-chart__tick"))
    return _svg(title, desc, width, bottom + 4 + LINE + PAD, body, "barres", "amorce-chart__svg--barres")



# -------------------------------------------------------------------------------------------------
# A map of points (sites) without tiles: the bounding box in an equirectangular projection

EARTH_KM_PER_DEGREE = 6371.0088 * math.pi / 180  # mean Earth radius: one degree of latitude, in km


@dataclass(frozen=True)
class Point:
    """One place on a :func:`point_map`: its label, WGS84 coordinates, the value that sizes its
    marker (area proportional to the value) and the value as written next to the label."""

    label: str
    latitude: float
    longitude: float
    value: float = 0.0
    text: str = ""

    @property
    def caption(self) -> str:
        """« label (value) », written beside the marker."""
        return f"{self.label} ({self.text or formats.number(self.value)})"


def map_frame(points: Sequence[Point], *, width: int = WIDTH, height: int = 300, margin: float = 0.12,
              min_span_km: float = 1.0) -> dict:
    """The projection of :func:`point_map` (shared by the PNG rendering): the points' bounding box
    widened by ``margin`` on each side (at least ``min_span_km`` across), longitudes scaled by the
    cosine of the middle latitude (equirectangular), fitted in the plot area without distortion.
    Returns ``x``/``y`` (functions of longitude/latitude), the plot area and the scale bar
    (``scale_km``, its length in km, and ``scale_px``)."""
    if not points:
        raise ValueError("carte sans aucun point")
    lats, lons = [float(p.latitude) for p in points], [float(p.longitude) for p in points]
    if any(not math.isfinite(v) for v in lats + lons) or any(abs(v) > 90 for v in lats) \
            or any(abs(v) > 180 for v in lons):
        raise ValueError("coordonnées hors des bornes WGS84")
    mid = (min(lats) + max(lats)) / 2
    cos = max(math.cos(math.radians(mid)), 0.01)
    km_y = EARTH_KM_PER_DEGREE
    km_x = EARTH_KM_PER_DEGREE * cos
    # the box in km from its south-west corner, widened to a minimal span and a margin
    span_x = max((max(lons) - min(lons)) * km_x, min_span_km)
    span_y = max((max(lats) - min(lats)) * km_y, min_span_km)
    cx, cy = (max(lons) + min(lons)) / 2, mid
    span_x, span_y = span_x * (1 + 2 * margin), span_y * (1 + 2 * margin)
    left, right, top, bottom = PAD, width - PAD, PAD + LINE + 4, height - PAD - 2 * LINE - 4
    scale = min((right - left) / span_x, (bottom - top) / span_y)  # px per km, same on both axes
    ox, oy = (left + right) / 2, (top + bottom) / 2
    target = (right - left) / 4 / scale  # a round distance about a quarter of the plot wide
    power = 10 ** math.floor(math.log10(target))
    scale_km = max(m * power for m in (1, 2, 5) if m * power <= target * 1.0001)
    return {"x": lambda lon: ox + (lon - cx) * km_x * scale, "y": lambda lat: oy - (lat - cy) * km_y * scale,
            "left": left, "right": right, "top": top, "bottom": bottom, "scale_km": scale_km,
            "scale_px": scale_km * scale, "width": width, "height": height}


def distance_text(km: float) -> str:
    """A scale bar's length: « 500 m », « 2 km »."""
    return f"{formats.number(km, 0)}\u00a0km" if km >= 1 else f"{formats.number(km * 1000, 0)}\u00a0m"


def marker_radius(value: float, largest: float, *, smallest: float = 3.0, biggest: float = 14.0) -> float:
    """A marker's radius: its area grows with the value (0 gives the smallest marker)."""
    if largest <= 0 or value <= 0:
        return smallest
    return smallest + (biggest - smallest) * math.sqrt(value / largest)


def map_layout(points: Sequence[Point], frame: dict) -> list[dict]:
    """Where each marker and its label go (shared by the PNG rendering): markers at their place,
    largest first (small ones drawn over them); labels beside their marker, toward the middle of
    the map, moved down a line while they would overlap a label already placed."""
    largest = max((float(p.value) for p in points), default=0.0)
    middle = (frame["left"] + frame["right"]) / 2
    placed: list[tuple[float, float, float]] = []  # (left, right, baseline) of the labels placed
    out = []
    for p in sorted(points, key=lambda p: (float(p.latitude) * -1, float(p.longitude))):
        px, py = frame["x"](float(p.longitude)), frame["y"](float(p.latitude))
        r = marker_radius(float(p.value), largest)
        anchor = "end" if px > middle else "start"
        tx = px - (r + 3) if anchor == "end" else px + r + 3
        width = _text_width(p.caption)
        lo, hi = (tx - width, tx) if anchor == "end" else (tx, tx + width)
        ty = py + FONT / 3
        while any(a < hi and lo < b and abs(ty - y) < LINE for a, b, y in placed):
            ty += LINE
        placed.append((lo, hi, ty))
        out.append({"point": p, "x": px, "y": py, "r": r, "anchor": anchor, "tx": tx, "ty": ty})
    return sorted(out, key=lambda m: -float(m["point"].value))


def point_map(points: Sequence[Point], *, title: str, desc: str, value_label: str, width: int = WIDTH,
              height: int = 300) -> Svg:
    """Places on a plain background (no tiles, nothing fetched): an equirectangular projection of
    their bounding box, a circle per place whose area grows with its value (an empty circle for
    zero), its label and value beside it, a scale bar and the north; the legend says what the
    circles measure. The page puts the table of the same places next to it."""
    values = [float(p.value) for p in points]
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError("valeur négative ou non finie sur une carte")
    frame = map_frame(points, width=width, height=height)
    body = [f'<rect class="amorce-chart__map" x="{_n(frame["left"])}" y="{_n(frame["top"])}" '
            f'width="{_n(frame["right"] - frame["left"])}" height="{_n(frame["bottom"] - frame["top"])}"/>']
    words = []
    for m in map_layout(points, frame):
        p = m["point"]
        css = "amorce-chart__marker" + ("" if p.value > 0 else " amorce-chart__marker--zero")
        body.append(f'<circle class="{css}" cx="{_n(m["x"])}" cy="{_n(m["y"])}" r="{_n(m["r"])}">'
                    f'<title>{_esc(p.caption)}</title></circle>')
        words.append(_text(m["tx"], m["ty"], p.caption, anchor=m["anchor"]))
    sx, sy = frame["left"] + 6, frame["bottom"] - 8
    body.append(_line(sx, sy, sx + frame["scale_px"], sy, "amorce-chart__scale"))
    body += [_line(v, sy - 4, v, sy + 1, "amorce-chart__scale") for v in (sx, sx + frame["scale_px"])]
    words.append(_text(sx, sy - 6, distance_text(frame["scale_km"])))
    nx, ny = frame["right"] - 12, frame["bottom"] - 22  # the north, bottom right (labels go top)
    body.append(f'<path class="amorce-chart__north" d="M{_n(nx)},{_n(ny)} l-5,14 l5,-4 l5,4 z"/>')
    words.append(_text(nx, ny - 4, "N", anchor="middle"))
    words.append(_text(PAD, PAD + FONT, value_label, css="amorce-chart__text amorce-chart__axis-label"))
    ly = frame["bottom"] + LINE + 2
    for line in wrap("Aire des cercles proportionnelle à la valeur ; cercle vide : zéro. Projection "
                     "équirectangulaire, sans fond de carte.", width - 2 * PAD):
        words.append(_text(PAD, ly, line, css="amorce-chart__text amorce-chart__tick"))
        ly += LINE
    return _svg(title, desc, width, ly + PAD - LINE + 4, body + words, "carte", "amorce-chart__svg--carte")


def line_values(series: Sequence[Series]) -> tuple[list[float], list[float]]:
    """Every x and every known y of the series; ``ValueError`` when there is none or one is not finite."""
    xs = [float(p[0]) for s in series for p in s.points]
    ys = [float(p[1]) for s in series for p in s.points if p[1] is not None]
    if not xs or not ys:
        raise ValueError("graphique en lignes sans aucun point")
    if any(not math.isfinite(v) for v in xs + ys):
        raise ValueError("valeur non finie dans un graphique en lignes")
    return xs, ys


def line_chart(series: Sequence[Series], *, title: str, desc: str, x_label: str, y_label: str,
               x_fmt: Formatter, y_fmt: Formatter, x_domain: tuple[float, float] | None = None,
               y_domain: tuple[float, float] | None = None, x_ticks: Sequence[tuple[float, str]] | None = None,
               diagonal: str = "", width: int = WIDTH, height: int = 280) -> Svg:
    """Lines with a dot at each point, on a grid of round ticks; ``diagonal`` (its legend) draws
    y = x (calibration); ``x_ticks`` replaces the round x ticks by given (x, label) pairs (weeks).
    The y label sits above the plot, the x label under it, the legend (one line per series) below."""
    xs, ys = line_values(series)
    x_lo, x_hi = x_domain or (min(xs), max(xs))
    if x_hi <= x_lo:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    y_ticks = nice_ticks(*(y_domain or (min(0.0, *ys), max(ys))), 5)
    y_lo, y_hi = (y_domain if y_domain else (y_ticks[0], y_ticks[-1]))
    y_ticks = [t for t in y_ticks if y_lo - 1e-9 <= t <= y_hi + 1e-9]
    ticks = list(x_ticks) if x_ticks is not None else [(t, x_fmt(t)) for t in nice_ticks(x_lo, x_hi, 5)
                                                         if x_lo - 1e-9 <= t <= x_hi + 1e-9]
    legend = [(f"amorce-chart__line--{i % SERIES_CLASSES}{' amorce-chart__line--fort' if s.strong else ''}", s.name)
              for i, s in enumerate(series)]
    if diagonal:
        legend.append(("amorce-chart__diagonal", diagonal))
    left = PAD + max(_text_width(y_fmt(t)) for t in y_ticks) + 6
    right = width - PAD - max(8.0, _text_width(ticks[-1][1]) / 2 if ticks else 0)
    top = PAD + LINE + 8
    bottom = height - PAD - 2 * LINE - 8

    def x(v: float) -> float:
        return left + (v - x_lo) / (x_hi - x_lo) * (right - left)

    def y(v: float) -> float:
        return bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top)

    body = [_text(PAD, PAD + FONT, y_label, css="amorce-chart__text amorce-chart__axis-label")]
    for t in y_ticks:
        body.append(_line(left, y(t), right, y(t), "amorce-chart__grid"))
        body.append(_text(left - 6, y(t) + FONT / 3, y_fmt(t), anchor="end", css="amorce-chart__text amorce-chart__tick"))
    body.append(_line(left, bottom, right, bottom, "amorce-chart__axis"))
    body.append(_line(left, top, left, bottom, "amorce-chart__axis"))
    for value, label in ticks:
        body.append(_line(x(value), bottom, x(value), bottom + 4, "amorce-chart__axis"))
        body.append(_text(x(value), bottom + 4 + LINE - 2, label, anchor="middle", css="amorce-chart__text amorce-chart__tick"))
    body.append(_text((left + right) / 2, bottom + 4 + 2 * LINE, x_label, anchor="middle",
                      css="amorce-chart__text amorce-chart__axis-label"))
    if diagonal:
        lo, hi = max(x_lo, y_lo), min(x_hi, y_hi)
        body.append(_line(x(lo), y(lo), x(hi), y(hi), "amorce-chart__diagonal"))
    for (css, _), s in zip(legend, series, strict=False):
        segments: list[list[tuple[float, float]]] = [[]]
        for px, py in s.points:
            if py is None:
                segments.append([])
            else:
                segments[-1].append((x(float(px)), y(float(py))))
        group = [f'<g class="amorce-chart__series {css}"><title>{_esc(s.name)}</title>']
        for segment in segments:
            if len(segment) > 1:
                group.append('<polyline class="amorce-chart__path" points="'
                             + " ".join(f"{_n(a)},{_n(b)}" for a, b in segment) + '"/>')
            group += [f'<circle class="amorce-chart__dot" cx="{_n(a)}" cy="{_n(b)}" r="3"/>' for a, b in segment]
        body.append("".join(group) + "</g>")
    ly = height - PAD
    extra = []
    for css, name in legend:  # legend rows under the x label, then the height grows to hold them
        ly += LINE
        swatch = _line(PAD, ly - FONT / 3, PAD + 28, ly - FONT / 3, "amorce-chart__path amorce-chart__swatch")
        extra.append(f'<g class="amorce-chart__series {css}">{swatch}</g>')
        for i, line in enumerate(wrap(name, width - 2 * PAD - 34)):
            ly += LINE if i else 0
            extra.append(_text(PAD + 34, ly, line))
    return _svg(title, desc, width, ly + PAD, body + extra, "lignes", "amorce-chart__svg--lignes")


def box_plot(values: Sequence[float], stats: Mapping[str, float], *, title: str, desc: str, fmt: Formatter,
             width: int = WIDTH, height: int = 150) -> Svg:
    """A horizontal box plot: the box from the first to the third quartile, a thick median, whiskers
    from the minimum to the maximum, and one dot per value (rows of dots staggered so that equal
    values stay visible), over an axis of round ticks. ``stats`` (keys ``min``, ``q1``, ``median``,
    ``q3``, ``max``) comes from the caller, which shows the same numbers in a table: the chart never
    computes its own quartiles."""
    keys = ("min", "q1", "median", "q3", "max")
    numbers = [float(stats[k]) for k in keys] + [float(v) for v in values]
    if any(not math.isfinite(v) for v in numbers):
        raise ValueError("valeur non finie dans une boîte à moustaches")
    ticks = nice_ticks(min(numbers), max(numbers), 4)
    lo, hi = ticks[0], ticks[-1]
    x0 = PAD + _text_width(fmt(lo)) / 2
    x1 = width - PAD - _text_width(fmt(hi)) / 2

    def x(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    top, box = PAD + 6, 36
    mid, bottom = top + box / 2, top + box
    body = [_line(x(stats["min"]), mid, x(stats["q1"]), mid, "amorce-chart__whisker"),
            _line(x(stats["q3"]), mid, x(stats["max"]), mid, "amorce-chart__whisker"),
            *(_line(x(stats[k]), top + 8, x(stats[k]), bottom - 8, "amorce-chart__whisker") for k in ("min", "max")),
            f'<rect class="amorce-chart__box" x="{_n(x(stats["q1"]))}" y="{_n(top)}" '
            f'width="{_n(x(stats["q3"]) - x(stats["q1"]))}" height="{box}"/>',
            _line(x(stats["median"]), top, x(stats["median"]), bottom, "amorce-chart__median")]
    dots_top = bottom + 14
    body += [f'<circle class="amorce-chart__point" cx="{_n(x(v))}" cy="{_n(dots_top + (i % 5) * 6)}" r="3.5">'
             f"<title>{_esc(fmt(v))}</title></circle>" for i, v in enumerate(sorted(float(v) for v in values))]
    axis = dots_top + 4 * 6 + 12
    body.append(_line(x0, axis, x1, axis, "amorce-chart__axis"))
    for tick in ticks:
        body.append(_line(x(tick), axis, x(tick), axis + 4, "amorce-chart__axis"))
        body.append(_text(x(tick), axis + 4 + LINE, fmt(tick), anchor="middle", css="amorce-chart__text amorce-chart__tick"))
    return _svg(title, desc, width, max(height, axis + 4 + LINE + PAD), body, "boite", "amorce-chart__svg--boite")


@dataclass(frozen=True)
class Dot:
    """One point of a :func:`scatter_plot`: coordinates, its group (colour and shape), the text of
    its ``<title>`` and, optionally, the page it links to."""

    x: float
    y: float
    group: int = 0
    label: str = ""
    href: str = ""


SHAPES = 4  # circle, square, triangle, diamond: with the 6 colours, 12 groups told apart without colour


def _marker(shape: int, x: float, y: float, r: float) -> str:
    if shape == 0:
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}">'
    if shape == 1:
        return f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}">'
    if shape == 2:
        return f'<path d="M{_n(x)},{_n(y - r * 1.2)} L{_n(x + r * 1.1)},{_n(y + r)} L{_n(x - r * 1.1)},{_n(y + r)} Z">'
    return f'<path d="M{_n(x)},{_n(y - r * 1.3)} L{_n(x + r * 1.3)},{_n(y)} L{_n(x)},{_n(y + r * 1.3)} L{_n(x - r * 1.3)},{_n(y)} Z">'


def _closing(shape: int) -> str:
    return ("</circle>", "</rect>", "</path>", "</path>")[shape]


def scatter_plot(dots: Sequence[Dot], *, title: str, desc: str, x_label: str, y_label: str,
                 legend: Mapping[int, str] | None = None, width: int = WIDTH, height: int = 320) -> Svg:
    """A scatter plot: one marker per dot, its colour (``amorce-chart__dot--0 … 5``) and its shape
    (circle, square, triangle, diamond) given by its group, its ``<title>`` the dot's label (a
    tooltip), a link when it has an ``href``. The axes have no ticks (the caller says what they are);
    the legend names each group with its marker.

    With links, the chart is a named ``group`` rather than an ``img`` (an image may not hold links)
    and its markers are hidden from assistive technologies and out of the tab order (hundreds of
    points): they are for the mouse, and the page's data table carries the same links for
    keyboards and screen readers."""
    values = [float(v) for d in dots for v in (d.x, d.y)]
    if not dots or any(not math.isfinite(v) for v in values):
        raise ValueError("nuage de points vide ou non fini")
    xs, ys = [float(d.x) for d in dots], [float(d.y) for d in dots]
    legend = dict(legend or {})
    legend_rows = math.ceil(len(legend) / 3)
    left, right, top = PAD + LINE, width - PAD, PAD + 4
    bottom = height - PAD - LINE - 4 - legend_rows * LINE
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def px(v: float) -> float:
        return left + 6 + (v - min(xs)) / span_x * (right - left - 12)

    def py(v: float) -> float:
        return bottom - 6 - (v - min(ys)) / span_y * (bottom - top - 12)

    body = [_line(left, bottom, right, bottom, "amorce-chart__axis"), _line(left, top, left, bottom, "amorce-chart__axis")]
    linked = any(d.href for d in dots)
    if linked:
        body.append('<g aria-hidden="true">')
    for d in dots:
        shape, colour = d.group % SHAPES, d.group % SERIES_CLASSES
        mark = (f'<g class="amorce-chart__dot amorce-chart__dot--{colour}">' + _marker(shape, px(d.x), py(d.y), 3.2)
                + f"<title>{_esc(d.label)}</title>" + _closing(shape) + "</g>")
        if d.href:
            mark = f'<a href="{_esc(d.href)}" tabindex="-1">{mark}</a>'
        body.append(mark)
    if linked:
        body.append("</g>")
    words = [_text((left + right) / 2, bottom + LINE, x_label, anchor="middle", css="amorce-chart__text amorce-chart__tick"),
             f'<text class="amorce-chart__text amorce-chart__tick" x="{_n(PAD + FONT / 2)}" y="{_n((top + bottom) / 2)}" '
             f'text-anchor="middle" transform="rotate(-90 {_n(PAD + FONT / 2)} {_n((top + bottom) / 2)})">{_esc(y_label)}</text>']
    column = (width - 2 * PAD) / 3
    for i, (group, name) in enumerate(sorted(legend.items())):
        lx, ly = PAD + (i % 3) * column, bottom + LINE * (2 + i // 3)
        shape, colour = group % SHAPES, group % SERIES_CLASSES
        words.append(f'<g class="amorce-chart__dot amorce-chart__dot--{colour}">'
                     + _marker(shape, lx + 5, ly - FONT / 3, 4) + _closing(shape) + "</g>")
        words.append(_text(lx + 13, ly, name, css="amorce-chart__text amorce-chart__tick"))
    return _svg(title, desc, width, bottom + LINE * (1 + legend_rows) + PAD + 4, body + words, "nuage",
                "amorce-chart__svg--nuage", role="group" if linked else "img")
