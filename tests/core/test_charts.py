"""Server-side SVG charts (amorce.core.charts): valid XML, escaped labels, values at scale, negative
bars left of zero, an accessible name and description, nothing the CSP blocks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from amorce.core import formats
from amorce.core.charts import Bar, Rule, Series, bar_chart, box_plot, line_chart, nice_ticks, wrap

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if "amorce-chart__bar" in r.get("class", "")]


def zero_x(root: ET.Element) -> float:
    return float(next(e for e in root.iter(f"{SVG}line") if e.get("class") == "amorce-chart__zero").get("x1"))


def test_bar_chart_is_valid_accessible_svg_with_escaped_labels():
    svg = bar_chart([Bar("Cafés <&> bars « centre »", 0.5), Bar('Autre "guillemets"', 0.25, tone="alerte")],
                    title="Taux <par> groupe & taille", desc="Deux groupes : a < b & c > d.",
                    fmt=lambda v: formats.percent(v, 0), rules=[Rule(0.3, "taux global : 30 %")])
    root = parse(svg)  # raises if the XML is not well formed
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("viewBox").startswith("0 0 400 ")
    assert root.find(f"{SVG}title").text == "Taux <par> groupe & taille"
    assert root.find(f"{SVG}desc").text == "Deux groupes : a < b & c > d."
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}desc").get("id") == desc_id
    texts = [t.text.replace("\u00a0", " ") for t in root.iter(f"{SVG}text")]
    assert "Cafés <&> bars « centre »" in texts and 'Autre "guillemets"' in texts
    assert "<&>" not in svg and "&lt;&amp;&gt;" in svg  # escaped in the markup, read back by the parser
    assert "50\u202f%" in texts and "taux global : 30 %" in texts  # French formats, the rule's label
    assert not re.search(r"\sstyle\s*=", svg) and "<style" not in svg and "<script" not in svg
    assert "amorce-chart__bar--alerte" in svg


def test_bar_lengths_are_proportional_and_negative_bars_go_left_of_zero():
    root = parse(bar_chart([Bar("a", 2.0), Bar("b", 1.0), Bar("c", -1.0), Bar("d", 0.0)], title="t", desc="d"))
    a, b, c, d = bars_of(root)
    zero = zero_x(root)
    width = {k: float(r.get("width")) for k, r in zip("abcd", (a, b, c, d), strict=True)}
    assert width["a"] == pytest.approx(2 * width["b"], rel=0.02) and width["c"] == pytest.approx(width["b"], rel=0.02)
    assert width["d"] == 0
    assert float(a.get("x")) == pytest.approx(zero) and float(b.get("x")) == pytest.approx(zero)
    assert float(c.get("x")) + width["c"] == pytest.approx(zero)  # ends at zero: drawn on the left
    values = {t.text: float(t.get("x")) for t in root.iter(f"{SVG}text") if "amorce-chart__value" in t.get("class")}
    assert values["−1,00"] < zero < values["2,00"]  # a negative value written left of zero


def test_bar_chart_scales_to_the_largest_value_and_wraps_long_labels():
    small = parse(bar_chart([Bar("x", 0.1)], title="t", desc="d"))
    large = parse(bar_chart([Bar("x", 0.1), Bar("y", 10.0)], title="t", desc="d"))
    assert float(bars_of(small)[0].get("width")) > 10 * float(bars_of(large)[0].get("width"))
    long = "jours depuis la dernière inspection défavorable de l'établissement " * 3
    root = parse(bar_chart([Bar(long, 1.0)], title="t", desc="d"))
    lines = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "amorce-chart__text"]
    assert len(lines) >= 3 and " ".join(lines).replace("\u00a0", " ") == " ".join(long.split())  # every word, in order
    assert wrap("un deux trois", 10_000) == ["un deux trois"]
    assert wrap("résultat : « Satisfaisant »", 80) == ["résultat\u00a0:", "«\u00a0Satisfaisant\u00a0»"]


def test_line_chart_draws_each_series_with_the_diagonal_and_gaps():
    svg = line_chart([Series("Modèle <A>", [(0, 0), (0.5, 0.8), (1, 1)], strong=True),
                      Series("Hasard", [(0, 0), (0.5, None), (1, 1)])],
                     title="Courbe de gain", desc="Deux courbes.", x_label="Part contrôlée", y_label="Part trouvée",
                     x_fmt=lambda v: formats.percent(v, 0), y_fmt=lambda v: formats.percent(v, 0),
                     x_domain=(0, 1), y_domain=(0, 1), diagonal="Calibration parfaite")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Courbe de gain" and not re.search(r"\sstyle\s*=", svg)
    model, random = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}polyline") is not None
                     or (g.find(f"{SVG}title") is not None and g.find(f"{SVG}title").text == "Hasard")][:2]
    points = [tuple(map(float, p.split(","))) for p in model.find(f"{SVG}polyline").get("points").split()]
    assert len(points) == 3 and points[0][0] < points[1][0] < points[2][0]
    assert points[1][1] < points[0][1]  # 80 % is higher up than 0 % (SVG y grows downwards)
    assert (points[1][1] - points[2][1]) == pytest.approx((points[0][1] - points[2][1]) * 0.2, rel=0.02)
    assert random.find(f"{SVG}polyline") is None and len(random.findall(f"{SVG}circle")) == 2  # a gap at None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Modèle <A>", "Hasard", "Calibration parfaite", "Part contrôlée", "Part trouvée", "100\u202f%"} <= set(texts)
    assert any("amorce-chart__diagonal" in (e.get("class") or "") for e in root.iter(f"{SVG}line"))


def test_box_plot_draws_the_given_quartiles_to_scale_and_one_dot_per_value():
    values = [1000.0, 1500.0, 1500.0, 2000.0, 6000.0]
    stats = {"min": 1000.0, "q1": 1500.0, "median": 1500.0, "q3": 2000.0, "max": 6000.0}
    root = parse(box_plot(values, stats, title="Montants <dommages>", desc="d", fmt=formats.amount))
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Montants <dommages>"
    box = next(root.iter(f"{SVG}rect"))
    median = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "amorce-chart__median")
    whiskers = [e for e in root.iter(f"{SVG}line") if e.get("class") == "amorce-chart__whisker"]
    left, width = float(box.get("x")), float(box.get("width"))
    assert float(median.get("x1")) == pytest.approx(left)  # median = first quartile here
    low, high = min(float(w.get("x1")) for w in whiskers), max(float(w.get("x2")) for w in whiskers)
    # the whiskers span 5,000 € where the box spans 500 €: ten times as long
    assert high - low == pytest.approx(10 * width, rel=0.01)
    dots = [c for c in root.iter(f"{SVG}circle")]
    assert len(dots) == 5 and len({(c.get("cx"), c.get("cy")) for c in dots}) == 5  # equal values stay visible
    assert [c.find(f"{SVG}title").text for c in dots][-1] == formats.amount(6000.0)
    ticks = [t.text for t in root.iter(f"{SVG}text")]
    assert formats.amount(0.0) in ticks or formats.amount(1000.0) in ticks


def test_charts_refuse_what_they_cannot_draw():
    with pytest.raises(ValueError):
        line_chart([Series("vide", [])], title="t", desc="d", x_label="x", y_label="y", x_fmt=str, y_fmt=str)
    with pytest.raises(ValueError):
        bar_chart([Bar("nan", float("nan"))], title="t", desc="d")
    with pytest.raises(ValueError):
        box_plot([1.0, float("inf")], dict.fromkeys(("min", "q1", "median", "q3", "max"), 1.0), title="t", desc="d",
                 fmt=str)


def test_nice_ticks_cover_the_range_with_round_steps():
    assert nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(-0.3, 0.7, 4) == [-0.5, -0.25, 0, 0.25, 0.5, 0.75]
    assert nice_ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_a_chart_is_put_in_a_page_as_it_is() -> None:
    from django.utils.html import conditional_escape

    chart = bar_chart([Bar("Lyon <1>", 0.5)], title="t", desc="d")
    assert conditional_escape(chart) == str(chart) and "Lyon &lt;1&gt;" in chart
