"""The map of points of amorce.core.charts (equirectangular projection, scale bar, sized markers) and
the PNG twins of the charts (same arguments, valid PNG images)."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from amorce.core import formats
from amorce.core.charts import EARTH_KM_PER_DEGREE, Point, Series, line_chart, map_frame, point_map
from amorce.core.charts_png import line_chart_png, point_map_png

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [Point("Combe <A>", 45.0, 6.0, 9), Point("Lac", 45.1, 6.2, 1), Point("Col", 45.05, 6.1, 0)]


def markers(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {c.find(f"{SVG}title").text: c for c in root.iter(f"{SVG}circle")}


def test_point_map_projects_without_distortion_and_sizes_markers_by_value():
    svg = point_map(POINTS, title="Carte des sites", desc="Trois sites.", value_label="événements")
    root = ET.fromstring(svg)  # well-formed, escaped
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Carte des sites"
    found = markers(svg)
    combe, lac, col = found["Combe <A> (9)"], found["Lac (1)"], found["Col (0)"]

    def xy(c):
        return float(c.get("cx")), float(c.get("cy"))

    (x1, y1), (x2, y2), (x3, y3) = xy(combe), xy(lac), xy(col)
    assert x2 > x1 and y2 < y1  # east is right, north is up
    assert (x3, y3) == pytest.approx(((x1 + x2) / 2, (y1 + y2) / 2), abs=0.1)  # linear projection
    # one km is as long east-west as north-south: 0.2° of longitude at 45° N against 0.1° of latitude
    ratio = (x2 - x1) / (y1 - y2)
    assert ratio == pytest.approx(0.2 * math.cos(math.radians(45.05)) / 0.1, rel=0.01)
    # marker area proportional to the value; zero is an empty circle
    r9, r1 = float(combe.get("r")), float(lac.get("r"))
    assert (r9 - 3) / (r1 - 3) == pytest.approx(3, rel=0.02)  # radii rounded to 0.1 in the SVG
    assert "amorce-chart__marker--zero" in col.get("class") and "--zero" not in combe.get("class")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Combe <A> (9)" in texts and "N" in texts and any(t and t.endswith("km") for t in texts)


def test_scale_bar_has_a_round_length_at_the_projection_scale():
    frame = map_frame(POINTS, width=400, height=300)
    assert frame["scale_km"] in (1, 2, 5, 10)
    px_per_km = abs(frame["y"](45.1) - frame["y"](45.0)) / (0.1 * EARTH_KM_PER_DEGREE)
    assert frame["scale_px"] == pytest.approx(frame["scale_km"] * px_per_km)
    single = map_frame([Point("seul", 48.85, 2.35, 1)])  # one site: a span of at least 1 km around it
    assert single["scale_km"] < 1 and 0 < single["x"](2.35) < 400
    assert formats.number(1, 0) in point_map([Point("seul", 48.85, 2.35, 1)], title="t", desc="d", value_label="v")


def test_point_map_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError):
        point_map([], title="t", desc="d", value_label="v")
    with pytest.raises(ValueError):
        point_map([Point("a", 95, 0, 1)], title="t", desc="d", value_label="v")
    with pytest.raises(ValueError):
        point_map([Point("a", 45, 6, -1)], title="t", desc="d", value_label="v")


def test_png_twins_take_the_same_arguments_and_give_valid_images():
    args = {"series": [Series("renard", [(0, 1), (1, 3), (2, None), (3, 2)], strong=True)], "title": "Activité",
            "desc": "d", "x_label": "heure", "y_label": "événements", "x_fmt": lambda v: f"{v:g} h",
            "y_fmt": lambda v: formats.number(v, 0), "x_domain": (0, 3), "x_ticks": [(0, "0 h"), (3, "3 h")]}
    assert line_chart(**args).startswith("<svg")
    map_args = {"points": POINTS, "title": "Carte", "desc": "d", "value_label": "événements"}
    assert point_map(**map_args).startswith("<svg")
    for png in (line_chart_png(**args), point_map_png(**map_args)):
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG" and image.size[0] > 300
            image.verify()
    with pytest.raises(ValueError):
        line_chart_png([Series("vide", [])], title="t", x_label="x", y_label="y", x_fmt=str, y_fmt=str)


def test_scatter_plot_links_titles_shapes_and_escapes():
    from amorce.core.charts import Dot, scatter_plot

    dots = [Dot(0.0, 0.0, 0, "a <b>.jpg", "/photos/1/?x=1&y=2"), Dot(1.0, 2.0, 1, "c.jpg", "/photos/2/"),
            Dot(0.5, 1.0, 5, "d.jpg")]
    svg = scatter_plot(dots, title="Carte", desc="Trois images.", x_label="Axe 1", y_label="Axe 2",
                       legend={0: "Groupe 1", 1: "Groupe 2", 5: "Groupe 6"})
    root = ET.fromstring(svg)  # well-formed: every text escaped
    # links: a named group (an image may not hold links), the markers hidden from assistive technologies
    assert root.get("role") == "group" and root.find(f"{SVG}title").text == "Carte"
    assert root.get("aria-labelledby").split() == [t.get("id") for t in (root.find(f"{SVG}title"), root.find(f"{SVG}desc"))]
    assert [g.get("aria-hidden") for g in root.findall(f"{SVG}g")][0] == "true"
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/photos/1/?x=1&y=2", "/photos/2/"]
    assert all(a.get("tabindex") == "-1" for a in links)  # the page's table carries the links for keyboards
    titles = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert titles == ["a <b>.jpg", "c.jpg", "d.jpg"]
    assert ET.fromstring(scatter_plot(dots[2:], title="t", desc="d", x_label="x", y_label="y")).get("role") == "img"
    groups = [g.get("class") for g in root.iter(f"{SVG}g") if g.get("class")]
    assert groups[:3] == ["amorce-chart__dot amorce-chart__dot--0", "amorce-chart__dot amorce-chart__dot--1",
                          "amorce-chart__dot amorce-chart__dot--5"]
    # group 0 a circle, group 1 a square, group 5 a square too but another colour (never colour alone up to 12)
    first, second = links[0].find(f"{SVG}g"), links[1].find(f"{SVG}g")
    assert first.find(f"{SVG}circle") is not None and second.find(f"{SVG}rect") is not None
    # the lowest x is left, the highest y is up
    assert float(first.find(f"{SVG}circle").get("cx")) < float(second.find(f"{SVG}rect").get("x")) + 3.2
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Axe 1", "Axe 2", "Groupe 1", "Groupe 6"} <= set(texts)
    with pytest.raises(ValueError):
        scatter_plot([Dot(math.nan, 0)], title="t", desc="d", x_label="x", y_label="y")
