"""Decision letters (HTML, PDF), the R311-3-1-2 explanation for an applicant, transparency sheet.

* :func:`render_letter_html` / :func:`render_letter_pdf` produce the accept / refuse / classement
  sans suite letter. Every letter carries the « mention explicite » of article L311-3-1 CRPA
  (:func:`amorce.core.transparency.mention_explicite`), because the selection of laureates is
  computed by an algorithm (weighted jury score and exact optimisation under the budget).
* :func:`applicant_explanation` builds, for one applicant who asks for it, the explanation of
  article R311-3-1-2 (criteria, weights, that applicant's marks and contributions, operations).
* :func:`transparency_sheet_markdown` / :func:`transparency_sheet_html` describe the algorithm for
  the public (rules, parameters, solver, human role).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from string import Template

from amorce.core.config import env_str
from amorce.core.files import atomic_write
from amorce.core.transparency import CrpaExplanation, DataSource, Parameter, mention_explicite

from .errors import ProgrammeError
from .scoring import SCORE_SCALE, Criterion, contributions, weighted_score
from .selection import Constraints, DossierExplanation, _eur

DECISIONS = {"accepte": "acceptation", "refuse": "refus", "sans_suite": "classement sans suite"}
PURPOSE = ("sélection des lauréats de l'appel à projets selon les notes pondérées du jury et une "
           "optimisation exacte sous contrainte de budget")


@dataclass
class DecisionLetter:
    call_title: str
    administration: str
    structure: str
    recipient: str
    project_title: str
    dossier_ref: str
    decision: str  # accepte | refuse | sans_suite
    motivation: str
    contact: str
    signatory: str = "La directrice ou le directeur du programme"
    place: str = "Paris"
    issued_on: date = field(default_factory=date.today)
    amount: float | None = None
    coaching_months: int | None = None

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ProgrammeError(f"Décision « {self.decision} » inconnue : accepte, refuse ou sans_suite attendu.")
        if self.decision != "accepte" and not (self.motivation or "").strip():
            raise ProgrammeError("Une décision de refus ou de classement sans suite doit être motivée.")

    @property
    def subject(self) -> str:
        return f"Objet : {self.call_title} — décision de {DECISIONS[self.decision]} (dossier {self.dossier_ref})"

    def paragraphs(self) -> list[str]:
        """The body of the letter, paragraph by paragraph (plain text, shared by HTML and PDF)."""
        intro = (f"Vous avez déposé le projet « {self.project_title} » au nom de {self.structure} dans le cadre de "
                 f"l'appel à projets « {self.call_title} ».")
        if self.decision == "accepte":
            body = "J'ai le plaisir de vous informer que votre projet a été retenu parmi les lauréats."
            if self.amount is not None:
                body += f" Un financement de {_eur(self.amount)} lui est attribué."
            if self.coaching_months:
                body += (f" Votre équipe bénéficiera d'un accompagnement technique et métier de "
                         f"{self.coaching_months} mois.")
        elif self.decision == "refuse":
            body = "J'ai le regret de vous informer que votre projet n'a pas été retenu."
        else:
            body = "Votre dossier a été classé sans suite."
        paragraphs = [intro, body]
        if self.motivation:
            paragraphs.append(f"Motifs : {self.motivation}")
        if self.decision != "accepte":
            paragraphs.append("Cette décision peut faire l'objet d'un recours gracieux auprès de "
                              f"{self.administration} ou d'un recours contentieux devant le tribunal administratif "
                              "compétent dans un délai de deux mois à compter de sa notification.")
        paragraphs.append(mention_explicite(PURPOSE, self.contact, administration=self.administration))
        return paragraphs


_HTML = Template("""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>$title</title>
<style>body{font-family:Marianne,Arial,sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}
.entete{display:flex;justify-content:space-between}.mention{border-left:4px solid #000091;padding-left:1rem;
font-size:.9rem}</style></head>
<body><article class="amorce-lettre">
<header class="entete"><p><strong>$administration</strong></p><p>$place, le $issued</p></header>
<p>$recipient<br>$structure</p>
<p><strong>$subject</strong></p>
<p>Madame, Monsieur,</p>
$body
<p>Je vous prie d'agréer, Madame, Monsieur, l'expression de ma considération distinguée.</p>
<p>$signatory</p>
$explanation
</article></body></html>
""")


def render_letter_html(letter: DecisionLetter, explanation: CrpaExplanation | None = None) -> str:
    """Standalone HTML page of the letter (with the applicant's explanation if given)."""
    paragraphs = letter.paragraphs()
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs[:-1])
    body += f'\n<p class="mention">{escape(paragraphs[-1])}</p>'
    return _HTML.substitute(
        title=escape(letter.subject), administration=escape(letter.administration), place=escape(letter.place),
        issued=letter.issued_on.strftime("%d/%m/%Y"), recipient=escape(letter.recipient),
        structure=escape(letter.structure), subject=escape(letter.subject), body=body,
        signatory=escape(letter.signatory), explanation=explanation.to_html() if explanation else "")


# ------------------------------------------------------------------------------------------------ PDF

_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
)


def find_font() -> tuple[Path, Path | None]:
    """A Unicode TTF font (regular, bold): $AMORCE_PDF_FONT, Debian's DejaVu, or matplotlib's copy."""
    candidates = [env_str("AMORCE_PDF_FONT"), *_FONT_CANDIDATES]
    spec = importlib.util.find_spec("matplotlib")
    if spec and spec.origin:
        candidates.append(str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            regular = Path(candidate)
            bold = regular.with_name(regular.stem + "-Bold" + regular.suffix)
            return regular, bold if bold.is_file() else None
    raise ProgrammeError("Aucune police Unicode trouvée pour produire le PDF : installez le paquet Debian "
                         "fonts-dejavu-core ou indiquez un fichier .ttf dans la variable AMORCE_PDF_FONT.")


def _para(pdf, height: float, text: str, **kwargs) -> None:
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT", **kwargs)


def _pdf():
    from fpdf import FPDF

    regular, bold = find_font()
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("Texte", "", str(regular))
    pdf.add_font("Texte", "B", str(bold or regular))
    pdf.set_font("Texte", size=10.5)
    return pdf


def _pdf_explanation(pdf, explanation: CrpaExplanation) -> None:
    pdf.add_page()
    pdf.set_font("Texte", "B", 13)
    _para(pdf, 7, f"Explication de la décision : {explanation.subject}")
    pdf.set_font("Texte", "", 9.5)
    _para(pdf, 5, f"{explanation.administration} — explication établie le {explanation.generated_on} "
                         f"(article R311-3-1-2 du CRPA).")

    def section(title: str) -> None:
        pdf.ln(3)
        pdf.set_font("Texte", "B", 11)
        _para(pdf, 6, title)
        pdf.set_font("Texte", "", 10)

    section("1. Degré et mode de contribution du traitement algorithmique")
    _para(pdf, 5.5, f"Degré : {explanation.contribution_degree}")
    _para(pdf, 5.5, f"Mode : {explanation.contribution_mode}")
    if explanation.human_review:
        _para(pdf, 5.5, f"Intervention humaine : {explanation.human_review}")
    section("2. Données traitées et leurs sources")
    for source in explanation.data_sources:
        _para(pdf, 5.5, f"• {source.name}" + (f" — {source.description}" if source.description else "")
                       + (f" (source : {source.origin})" if source.origin else ""))
    section("3. Paramètres et pondérations appliqués à votre situation")
    def _fmt(value) -> str:
        if value is None:
            return "—"
        return f"{value:.4g}".replace(".", ",") if isinstance(value, float) else str(value)

    with pdf.table(col_widths=(70, 30, 30, 30), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT")) as table:
        header = table.row()
        for title in ("Paramètre", "Valeur pour vous", "Pondération", "Contribution"):
            header.cell(title)
        for p in explanation.parameters:
            row = table.row()
            for value in (p.name, _fmt(p.value), _fmt(p.weight), _fmt(p.contribution)):
                row.cell(value)
    section("4. Opérations effectuées par le traitement")
    for number, operation in enumerate(explanation.operations, start=1):
        _para(pdf, 5.5, f"{number}. {operation}")
    if explanation.result:
        section("Résultat")
        _para(pdf, 5.5, explanation.result)
    if explanation.contact:
        pdf.ln(2)
        _para(pdf, 5.5, f"Pour toute question ou pour contester cette décision : {explanation.contact}.")


def render_letter_pdf(letter: DecisionLetter, path: str | Path | None = None,
                      explanation: CrpaExplanation | None = None) -> bytes:
    """PDF of the letter (and the explanation on a second page); written atomically if ``path``."""
    pdf = _pdf()
    pdf.set_title(letter.subject)
    pdf.set_author(letter.administration)
    pdf.set_lang("fr-FR")
    pdf.add_page()
    pdf.set_font("Texte", "B", 11)
    _para(pdf, 6, letter.administration)
    pdf.set_font("Texte", "", 10.5)
    _para(pdf, 6, f"{letter.place}, le {letter.issued_on:%d/%m/%Y}", align="R")
    pdf.ln(4)
    _para(pdf, 6, f"{letter.recipient}\n{letter.structure}")
    pdf.ln(4)
    pdf.set_font("Texte", "B", 10.5)
    _para(pdf, 6, letter.subject)
    pdf.set_font("Texte", "", 10.5)
    pdf.ln(3)
    _para(pdf, 6, "Madame, Monsieur,")
    paragraphs = letter.paragraphs()
    for paragraph in paragraphs[:-1]:
        pdf.ln(2)
        _para(pdf, 6, paragraph)
    pdf.ln(2)
    _para(pdf, 6, "Je vous prie d'agréer, Madame, Monsieur, l'expression de ma considération distinguée.")
    pdf.ln(4)
    _para(pdf, 6, letter.signatory, align="R")
    pdf.ln(6)
    pdf.set_font("Texte", "", 8.5)
    _para(pdf, 4.5, paragraphs[-1])
    if explanation:
        _pdf_explanation(pdf, explanation)
    data = bytes(pdf.output())
    if path is not None:
        with atomic_write(path, "wb", encoding=None) as handle:
            handle.write(data)
    return data


# ------------------------------------------------------------------------------------ explanations


def applicant_explanation(*, call_title: str, administration: str, contact: str, dossier_ref: str,
                          criteria: Sequence[Criterion], marks: dict[str, float], juror_count: int,
                          constraints: Constraints, selection_explanation: DossierExplanation | None = None,
                          laureate_count: int | None = None) -> CrpaExplanation:
    """The R311-3-1-2 explanation for one applicant: their marks, the weights, the operations."""
    score = weighted_score(marks, criteria)
    parts = contributions(marks, criteria)
    total_weight = sum(c.weight for c in criteria)
    parameters = [Parameter(name=c.label, value=round(marks[c.code], 2), weight=round(c.weight / total_weight, 4),
                            contribution=round(parts[c.code], 2),
                            description=f"note moyenne sur {c.scale_max:g}") for c in criteria]
    parameters.append(Parameter(name="Score pondéré (sur 20)", value=round(score, 2)))
    caps = ", ".join(constraints.cap_phrases())
    operations = [
        f"Chaque membre du jury ({juror_count} au total) a noté le dossier sur chacun des {len(criteria)} critères, "
        "sans connaître les notes des autres membres.",
        "La note de chaque critère est la moyenne des notes des membres du jury.",
        f"Le score du dossier est la moyenne des notes pondérée par les poids des critères, ramenée sur "
        f"{SCORE_SCALE:g} points.",
        "Les lauréats sont la combinaison de dossiers qui maximise la somme des scores, sous les contraintes "
        f"suivantes : enveloppe de {_eur(constraints.budget)}, entre {constraints.min_count} et "
        f"{constraints.max_count if constraints.max_count is not None else 'un nombre illimité de'} lauréats"
        + (f", {caps}" if caps else "") + " (programme linéaire en nombres entiers résolu exactement).",
        "Le résultat est une proposition : la décision est prise par le comité de sélection, qui peut s'en écarter "
        "en le motivant.",
    ]
    result = ""
    if selection_explanation is not None:
        result = selection_explanation.summary
        if laureate_count is not None:
            result += f" Nombre de lauréats proposés : {laureate_count}."
    return CrpaExplanation(
        subject=f"{call_title} — dossier {dossier_ref}",
        administration=administration,
        contribution_degree="Aide à la décision : le traitement propose une liste de lauréats ; la décision "
                            "est prise par le comité de sélection.",
        contribution_mode="Calcul d'un score pondéré à partir des notes du jury, puis sélection optimale sous "
                          "contrainte de budget et de nombre de lauréats.",
        data_sources=[
            DataSource("Dossier de candidature", "informations déclarées par le candidat (budget demandé, "
                                                 "ministère, famille de cas d'usage)", "candidat"),
            DataSource("Notes du jury", f"{juror_count} évaluations indépendantes par critère", "jury de l'appel"),
        ],
        parameters=parameters,
        operations=operations,
        result=result,
        human_review="Le comité de sélection examine la proposition, peut l'amender et motive chaque décision.",
        contact=contact,
    )


def _sheet_items(call_title: str, administration: str, criteria: Sequence[Criterion],
                 constraints: Constraints) -> list[tuple[str, list[str]]]:
    total = sum(c.weight for c in criteria)
    caps = constraints.cap_phrases()
    return [
        ("Finalité", [f"Proposer les lauréats de l'appel à projets « {call_title} » ({administration})."]),
        ("Degré de contribution", ["Aide à la décision : la liste proposée est examinée et arrêtée par le comité "
                                   "de sélection, qui motive chaque décision."]),
        ("Données utilisées", ["Budget demandé et rattachement (ministère, famille de cas d'usage) déclarés par "
                               "les candidats.", "Notes des membres du jury, par critère."]),
        ("Critères et pondérations", [f"{c.label} : poids {c.weight / total * 100:.0f} %, note de 0 à {c.scale_max:g}"
                                      for c in criteria]),
        ("Contraintes", [f"Enveloppe totale : {_eur(constraints.budget)}.",
                         f"Nombre de lauréats : de {constraints.min_count} à "
                         f"{constraints.max_count if constraints.max_count is not None else 'sans limite'}.",
                         *[c[0].upper() + c[1:] + "." for c in caps]]),
        ("Opérations", ["Moyenne des notes du jury par critère.",
                        f"Score pondéré ramené sur {SCORE_SCALE:g} points.",
                        "Sélection de la combinaison de dossiers de score total maximal respectant les contraintes : "
                        "programme linéaire en nombres entiers résolu exactement par le solveur libre HiGHS "
                        "(scipy.optimize.milp), écart d'optimalité nul.",
                        "Pour chaque dossier, analyse marginale : meilleur total possible s'il était imposé ou "
                        "exclu, score qu'il lui aurait fallu, budget qu'il aurait pu demander."]),
        ("Vos droits", ["Tout candidat peut obtenir l'explication de la décision le concernant (article "
                        "R311-3-1-2 du CRPA) : critères, pondérations, ses notes, opérations effectuées."]),
        ("Code source", ["Logiciel libre amorce, module amorce.programme.selection."]),
    ]


def transparency_sheet_markdown(call_title: str, administration: str, criteria: Sequence[Criterion],
                                constraints: Constraints) -> str:
    out = [f"# Fiche de transparence de l'algorithme de sélection — {call_title}", ""]
    for title, items in _sheet_items(call_title, administration, criteria, constraints):
        out += [f"## {title}", ""] + [f"- {item}" for item in items] + [""]
    return "\n".join(out)


def transparency_sheet_html(call_title: str, administration: str, criteria: Sequence[Criterion],
                            constraints: Constraints) -> str:
    parts = [f'<section class="amorce-transparence"><h2>Fiche de transparence de l\'algorithme de sélection — '
             f"{escape(call_title)}</h2>"]
    for title, items in _sheet_items(call_title, administration, criteria, constraints):
        parts.append(f"<h3>{escape(title)}</h3><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
    return "".join(parts) + "</section>"


__all__ = ["DecisionLetter", "applicant_explanation", "find_font", "render_letter_html", "render_letter_pdf",
           "transparency_sheet_html", "transparency_sheet_markdown"]
