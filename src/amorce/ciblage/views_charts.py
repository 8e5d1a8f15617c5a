"""The charts of the ciblage pages, part of the views (vector SVG from ``amorce.core.charts``), each built from the very
numbers of the table shown next to it: lift and calibration of the backtest, selection rate by group
(fairness), PSI by variable and weekly hit rates (drift), contributions of one establishment."""

from __future__ import annotations

from datetime import date

from django.utils.safestring import SafeString

from amorce.core import formats
from amorce.core.charts import Bar, Rule, Series, bar_chart, line_chart, nice_ticks

from .explain import DOWN, UP, signed

SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
PSI_WATCH, PSI_DRIFT = 0.1, 0.25  # the thresholds the drift page states
DIRECTION_TONES = {UP: "hausse", DOWN: "baisse"}  # a contribution's direction → the bar's colour (charts.css)


def _pct0(value: float) -> str:
    return formats.percent(value, 0)


def _pct1(value: float) -> str:
    return formats.percent(value, 1)


def lift_chart(backtest: dict, labels: dict[str, str]) -> SafeString | None:
    """Share of adverse outcomes found against the share of establishments inspected, per ranking."""
    rankers = backtest.get("rankings") or {}
    series = [Series(labels.get(name, name),
                     [(0.0, 0.0)] + [(p["inspected_fraction"], p["found_share"]) for p in m.get("lift_curve") or []],
                     strong=name == "model")
              for name, m in rankers.items() if m.get("lift_curve")]
    if not series:
        return None
    return line_chart(
        series, title="Courbe de gain du backtest",
        desc=("Part des contrôles défavorables trouvés (axe vertical) selon la part des établissements contrôlés "
              "en suivant chaque classement (axe horizontal) : " + ", ".join(s.name for s in series)
              + ". Plus la courbe monte vite, mieux le classement trouve les contrôles défavorables. "
                "Les valeurs du modèle figurent dans le tableau."),
        x_label="Part des établissements contrôlés", y_label="Part des contrôles défavorables trouvés",
        x_fmt=_pct0, y_fmt=_pct0, x_domain=(0.0, 1.0), y_domain=(0.0, 1.0))


def calibration_chart(backtest: dict) -> SafeString | None:
    """Mean predicted probability against the observed rate, per tenth of score, with y = x."""
    table = backtest.get("calibration") or []
    if not table:
        return None
    top = nice_ticks(0.0, max(max(r["predicted"], r["observed"]) for r in table), 5)[-1]
    return line_chart(
        [Series("Modèle (dixièmes de score)", [(r["predicted"], r["observed"]) for r in table], strong=True)],
        title="Calibration du backtest",
        desc=("Pour chaque dixième des inspections classées par score : probabilité moyenne prédite (axe horizontal) "
              "et part de contrôles défavorables observée (axe vertical). Un modèle bien calibré suit la "
              "diagonale. Les valeurs figurent dans le tableau."),
        x_label="Probabilité prédite", y_label="Part de contrôles défavorables observée",
        x_fmt=_pct0, y_fmt=_pct0, x_domain=(0.0, top), y_domain=(0.0, top), diagonal="Calibration parfaite")


def fairness_chart(group: str, rows: list[dict], overall: float, ratio: float) -> SafeString:
    """Selection rate of each group value, with the overall rate and the two alert thresholds."""
    bars = [Bar(str(r["value"]), r["rate_value"], text=_pct1(r["rate_value"]) + (" — alerte" if r["flagged"] else ""),
                tone="alerte" if r["flagged"] else "") for r in rows]
    flagged = [str(r["value"]) for r in rows if r["flagged"]]
    return bar_chart(
        bars, title=f"Taux de sélection par {group}", fmt=_pct0,
        rules=[Rule(overall, f"taux global : {_pct1(overall)}"),
               Rule(overall * ratio, f"seuil haut : {_pct1(overall * ratio)}"),
               Rule(overall / ratio, f"seuil bas : {_pct1(overall / ratio)}")],
        desc=(f"Taux de sélection de chaque {group} parmi les premiers rangs du classement, comparé au taux global "
              f"de {_pct1(overall)} et aux seuils d'alerte. "
              + (f"Groupes en alerte : {', '.join(flagged)}. " if flagged else "Aucun groupe en alerte. ")
              + "Les valeurs figurent dans le tableau."))


def psi_chart(rows: list[dict]) -> SafeString:
    """PSI of each variable (and of the score), with the two thresholds of the page."""
    bars = [Bar(r["label"], r["psi"], text=formats.number(r["psi"], 3)
                + ("" if r["stable"] else f" — {r['level_label']}"),
                tone="" if r["stable"] else "alerte") for r in rows]
    return bar_chart(
        bars, title="Dérive des variables et du score (PSI)", fmt=lambda v: formats.number(v, 2),
        rules=[Rule(PSI_WATCH, "à surveiller : 0,1"), Rule(PSI_DRIFT, "dérive : 0,25")],
        desc=("Indice de stabilité de population de chaque variable entre les données d'entraînement et le "
              "classement, du plus élevé au plus faible, avec les seuils 0,1 (à surveiller) et 0,25 (dérive). "
              "Les valeurs figurent dans le tableau."))


def short_date(day: date) -> str:
    """« 1er janv. 2024 » for the ticks of a time axis."""
    return f"{'1er' if day.day == 1 else day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def hits_chart(weeks: list[dict]) -> SafeString | None:
    """Weekly rate of adverse outcomes found by the model share and by the random share."""
    if not weeks:
        return None
    n = len(weeks)
    every = max(1, -(-n // 4))  # at most 4 or 5 dates under the axis: they stay readable on a phone
    ticks = [(i, short_date(w["day"])) for i, w in enumerate(weeks) if i % every == 0]
    series = [Series(name, [(i, w[key]["rate_value"]) for i, w in enumerate(weeks)], strong=key == "model")
              for key, name in (("model", "Part choisie par le modèle"), ("random", "Part tirée au hasard"))]
    if all(p[1] is None for s in series for p in s.points):
        return None
    return line_chart(
        series, title="Taux de contrôles défavorables par semaine",
        desc=("Pour chaque semaine prévue des plans faits avec ce modèle, part des contrôles défavorables parmi les "
              "contrôles saisis, pour la part choisie par le modèle et pour la part tirée au hasard. "
              "Une semaine sans contrôle saisi laisse un trou. Les valeurs figurent dans le tableau."),
        x_label="Semaine prévue", y_label="Part de contrôles défavorables", x_fmt=str, y_fmt=_pct0,
        x_domain=(-0.5, n - 0.5), y_domain=(0.0, 1.0), x_ticks=ticks)


def contributions_chart(contributions: list[dict]) -> SafeString | None:
    """Signed contributions (log-odds) of the strongest variables: to the right what raises the risk."""
    if not contributions:
        return None
    bars = [Bar(f"{c['label']} : {c['value']}", c["contribution"], text=signed(c["contribution"]),
                tone=DIRECTION_TONES.get(c["direction"], "")) for c in contributions]
    return bar_chart(
        bars, title="Ce qui relève ou abaisse le risque estimé", fmt=lambda v: "0" if v == 0 else signed(v),
        desc=("Contribution de chaque variable au score, en log-cote : à droite de zéro (signe plus) ce qui relève le "
              "risque, à gauche (signe moins) ce qui l'abaisse ; de la plus forte à la plus faible. "
              "Les valeurs figurent dans le tableau."))
