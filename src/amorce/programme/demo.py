"""Demo data: the 2018 call for AI projects and ~50 generated applications (seeded, reproducible).

The call is the real one: « Programme d'amorçage pour développer le recours à l'intelligence
artificielle pour la transformation des métiers et de l'action publique », open from 14 June to
14 September 2018, 1 000 000 €, 4 to 5 laureates, 10 months of technical and business coaching,
information meeting on 27 June 2018 (10:00–12:30, 20 avenue de Ségur, Paris 7e), five criteria.

The applications are generated: structure names are real kinds of French public bodies, but the
projects, people, SIRET numbers (valid checksums, not real establishments), budgets, jury marks and
impact-assessment answers are synthetic. Everything is plain dataclasses / dicts, so the web layer
can persist them and the CLI can export them.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from stdnum import luhn

from amorce.core.progress import Progress

from .assessment import QUESTIONS_FR, assess
from .eligibility import ELIGIBLE_2018, EligibilityRules, check_eligibility
from .scoring import CRITERIA_2018, Criterion, average_marks, weighted_score
from .selection import Candidate, Constraints


@dataclass
class InfoMeeting:
    starts: datetime
    ends: datetime
    address: str
    capacity: int
    registration_required: bool = True


@dataclass
class Call:
    slug: str
    title: str
    summary: str
    opens: date
    closes: date
    budget: float
    min_laureates: int
    max_laureates: int
    coaching_months: int
    criteria: list[Criterion]
    eligible_kinds: list[str]
    info_meeting: InfoMeeting
    administration: str
    contact: str

    @property
    def constraints(self) -> Constraints:
        return Constraints(budget=self.budget, min_count=self.min_laureates, max_count=self.max_laureates)

    @property
    def eligibility_rules(self) -> EligibilityRules:
        return EligibilityRules(eligible_kinds=frozenset(self.eligible_kinds), opens=self.opens, closes=self.closes,
                                max_budget=self.budget, max_duration_months=self.coaching_months)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def call_2018() -> Call:
    return Call(
        slug="amorcage-ia-2018",
        title="Programme d'amorçage pour développer le recours à l'intelligence artificielle pour la "
              "transformation des métiers et de l'action publique",
        summary="Appel à manifestation d'intérêt ouvert aux administrations de l'État et à leurs opérateurs : "
                "les lauréats bénéficient d'un financement et de dix mois d'accompagnement technique et métier "
                "pour développer un prototype d'intelligence artificielle au service de leurs missions.",
        opens=date(2018, 6, 14),
        closes=date(2018, 9, 14),
        budget=1_000_000.0,
        min_laureates=4,
        max_laureates=5,
        coaching_months=10,
        criteria=list(CRITERIA_2018),
        eligible_kinds=sorted(ELIGIBLE_2018),
        info_meeting=InfoMeeting(starts=datetime(2018, 6, 27, 10, 0), ends=datetime(2018, 6, 27, 12, 30),
                                 address="20 avenue de Ségur, 75007 Paris", capacity=120),
        administration="la direction interministérielle du numérique (DINUM)",
        contact="par courriel à ia@numerique.gouv.fr",
    )


# ---------------------------------------------------------------------------------- applications

STRUCTURES: tuple[tuple[str, str, str], ...] = (
    # (structure, ministry, kind)
    ("Direction générale des finances publiques", "Économie et finances", "administration_centrale"),
    ("Direction générale des douanes et droits indirects", "Économie et finances", "administration_centrale"),
    ("Direction générale de la concurrence, de la consommation et de la répression des fraudes",
     "Économie et finances", "administration_centrale"),
    ("Insee", "Économie et finances", "administration_centrale"),
    ("Direction générale de la gendarmerie nationale", "Intérieur", "administration_centrale"),
    ("Direction générale de la police nationale", "Intérieur", "administration_centrale"),
    ("Préfecture de la région Hauts-de-France", "Intérieur", "service_deconcentre"),
    ("Direction des services judiciaires", "Justice", "administration_centrale"),
    ("Direction de l'administration pénitentiaire", "Justice", "administration_centrale"),
    ("Cour de cassation", "Justice", "administration_centrale"),
    ("Direction générale de la santé", "Solidarités et santé", "administration_centrale"),
    ("Agence régionale de santé Grand Est", "Solidarités et santé", "operateur_national"),
    ("Caisse nationale d'assurance vieillesse", "Solidarités et santé", "operateur_national"),
    ("Pôle emploi", "Travail", "operateur_national"),
    ("Direction régionale des entreprises, de la concurrence, de la consommation, du travail et de l'emploi "
     "d'Occitanie", "Travail", "service_deconcentre"),
    ("Direction générale de l'alimentation", "Agriculture et alimentation", "administration_centrale"),
    ("Agence de services et de paiement", "Agriculture et alimentation", "operateur_national"),
    ("Direction régionale de l'environnement, de l'aménagement et du logement de Bretagne",
     "Transition écologique et solidaire", "service_deconcentre"),
    ("Météo-France", "Transition écologique et solidaire", "operateur_national"),
    ("Institut national de l'information géographique et forestière", "Transition écologique et solidaire",
     "operateur_national"),
    ("Office national de la chasse et de la faune sauvage", "Transition écologique et solidaire",
     "operateur_national"),
    ("Direction générale de l'enseignement scolaire", "Éducation nationale", "administration_centrale"),
    ("Rectorat de l'académie de Lyon", "Éducation nationale", "service_deconcentre"),
    ("Direction générale des patrimoines", "Culture", "administration_centrale"),
    ("Bibliothèque nationale de France", "Culture", "operateur_national"),
    ("Direction générale des armées — secrétariat général pour l'administration", "Armées",
     "administration_centrale"),
    ("Commission nationale de l'informatique et des libertés", "Services du Premier ministre",
     "autorite_independante"),
    ("Service d'information du Gouvernement", "Services du Premier ministre", "administration_centrale"),
    # not eligible in 2018 (local authorities)
    ("Région Occitanie", "Collectivités", "collectivite_territoriale"),
    ("Ville de Nantes", "Collectivités", "collectivite_territoriale"),
    ("Département de la Gironde", "Collectivités", "collectivite_territoriale"),
)

FAMILIES: dict[str, list[str]] = {
    "Traitement automatique de documents": [
        "Lecture automatique des {doc} reçus par {who}",
        "Pseudonymisation des {doc} avant leur diffusion",
        "Classement automatique des {doc} entrants",
    ],
    "Aide au contrôle et au ciblage": [
        "Ciblage des contrôles {ctl} par apprentissage automatique",
        "Détection d'anomalies dans les déclarations {ctl}",
    ],
    "Relation avec les usagers": [
        "Assistant conversationnel pour répondre aux questions sur {topic}",
        "Tri et routage automatique des courriels des usagers sur {topic}",
    ],
    "Analyse d'images": [
        "Reconnaissance automatique {img}",
        "Détection de changements {img}",
    ],
    "Prévision et aide à la décision": [
        "Prévision de la charge {load}",
        "Anticipation des besoins {load}",
    ],
    "Recherche d'information": [
        "Moteur de recherche sémantique dans les {doc}",
        "Rapprochement automatique de {doc} similaires",
    ],
}
FILL = {
    "doc": ["courriers", "décisions", "rapports d'inspection", "pièces justificatives", "fiches de procédure",
            "avis"],
    "who": ["les services", "le bureau du courrier", "les plateformes régionales"],
    "ctl": ["sanitaires", "fiscaux", "des établissements", "douaniers", "de conformité"],
    "topic": ["les démarches administratives", "les droits des usagers", "les prestations", "les examens"],
    "img": ["sur les images aériennes", "des espèces sur les photographies", "sur les images satellitaires",
            "des documents numérisés"],
    "load": ["des services d'accueil", "des centres d'appel", "des urgences", "de traitement des dossiers"],
}
FIRST = ["Camille", "Claire", "Julien", "Sophie", "Nicolas", "Amélie", "Thomas", "Nadia", "Hugo", "Léa", "Karim",
         "Isabelle", "Mathieu", "Chloé", "Antoine", "Inès", "Pierre", "Sarah", "Yann", "Manon"]
LAST = ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia",
        "Roux", "Fournier", "Girard", "Bonnet", "Mercier", "Blanc", "Guérin", "Faure", "Chevalier", "Benali"]
ROLES = ["Chef de projet", "Expert métier", "Data scientist", "Développeur", "Référent juridique", "Responsable données"]
BUDGET_LINES = ["Prestations de développement", "Hébergement et calcul", "Acquisition ou annotation de données",
                "Formation des agents", "Accompagnement au changement"]


def fake_siret(rng: random.Random) -> str:
    """A syntactically valid SIRET (Luhn) that is not meant to designate a real establishment."""
    siren = "1" + "".join(rng.choice("0123456789") for _ in range(7))  # 1xxxxxxxx: public bodies' range
    siren += luhn.calc_check_digit(siren)
    nic = "".join(rng.choice("0123456789") for _ in range(4))
    nic += luhn.calc_check_digit(siren + nic)
    return siren + nic


@dataclass
class DemoApplication:
    ref: str
    structure: str
    structure_kind: str
    ministry: str
    siret: str
    contact_name: str
    contact_email: str
    title: str
    use_case_family: str
    problem: str
    benefits: str
    data: dict[str, Any]
    team: list[dict[str, Any]]
    aia_answers: dict[str, Any]
    budget: float
    budget_breakdown: list[dict[str, Any]]
    start: date
    end: date
    submitted_on: date
    state: str
    jury_marks: list[dict[str, float]] = field(default_factory=list)

    def marks(self, criteria: list[Criterion] | None = None) -> dict[str, float]:
        return average_marks(self.jury_marks, criteria or list(CRITERIA_2018))

    def score(self, criteria: list[Criterion] | None = None) -> float:
        criteria = criteria or list(CRITERIA_2018)
        return weighted_score(self.marks(criteria), criteria)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("start", "end", "submitted_on"):
            out[key] = out[key].isoformat()
        return out


@dataclass
class DemoProgramme:
    call: Call
    applications: list[DemoApplication]

    def eligible(self) -> list[DemoApplication]:
        rules = self.call.eligibility_rules
        return [a for a in self.applications if check_eligibility(a.to_dict(), rules).eligible]

    def candidates(self, *, only_eligible: bool = True) -> list[Candidate]:
        """Selection input: weighted score, budget, ministry and use-case family as groups."""
        apps = self.eligible() if only_eligible else self.applications
        return [Candidate(id=a.ref, score=round(a.score(self.call.criteria), 2), budget=a.budget,
                          groups={"ministry": a.ministry, "family": a.use_case_family}, label=a.title)
                for a in apps]


def _aia_answers(rng: random.Random, sensitivity: float) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in QUESTIONS_FR:
        if q.multiple:
            answers[q.code] = [c.code for c in q.choices if rng.random() < 0.25 + 0.4 * sensitivity]
        elif q.kind == "risk":
            weights = [1.0 + (sensitivity * 3 if c.points > 0 else 0) * (i + 1) / len(q.choices)
                       for i, c in enumerate(q.choices)]
            answers[q.code] = rng.choices(q.choices, weights=weights)[0].code
        else:
            answers[q.code] = "oui" if rng.random() < 0.55 + 0.3 * (1 - sensitivity) else "non"
    return answers


def generate_applications(call: Call, *, count: int = 52, seed: int = 2018) -> list[DemoApplication]:
    rng = random.Random(seed)
    apps = []
    for number in range(1, count + 1):
        structure, ministry, kind = rng.choice(STRUCTURES)
        family = rng.choice(list(FAMILIES))
        title = rng.choice(FAMILIES[family]).format(**{k: rng.choice(v) for k, v in FILL.items()})
        quality = rng.betavariate(3, 2.5)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        budget = float(rng.randrange(60, 460, 5) * 1000)
        shares = [rng.random() + 0.2 for _ in BUDGET_LINES]
        amounts = [round(budget * s / sum(shares), -2) for s in shares]
        amounts[0] += budget - sum(amounts)  # keep the breakdown exact
        personal = rng.random() < 0.6
        sensitivity = rng.random() * (1.0 if personal else 0.5)
        # a few applications arrive after the closing date
        submitted = call.opens + timedelta(days=rng.randrange(0, (call.closes - call.opens).days + 1))
        if rng.random() < 0.04:
            submitted = call.closes + timedelta(days=rng.randrange(1, 5))
        start = date(2018, 11, 5)
        months = rng.choice([8, 9, 10, 10, 10])
        end = date(2019, (10 + months) % 12 + 1, 1) - timedelta(days=1)
        jurors = []
        for _ in range(3):
            jurors.append({c.code: float(min(5, max(0, round(rng.gauss(1 + 4 * quality, 0.7)))))
                           for c in call.criteria})
        team = [{"role": role, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                 "time_share": rng.choice([0.2, 0.3, 0.5, 0.8, 1.0])}
                for role in rng.sample(ROLES, k=rng.randint(2, 5))]
        apps.append(DemoApplication(
            ref=f"AMI-IA-2018-{number:03d}",
            structure=structure,
            structure_kind=kind,
            ministry=ministry,
            siret=fake_siret(rng),
            contact_name=f"{first} {last}",
            contact_email=f"{first.lower()}.{last.lower()}@exemple.gouv.fr".replace("é", "e").replace("è", "e")
            .replace("ï", "i"),
            title=title,
            use_case_family=family,
            problem=f"Les agents consacrent une part importante de leur temps à des tâches répétitives : "
                    f"{title[0].lower() + title[1:]} permettrait de les recentrer sur l'analyse.",
            benefits=rng.choice(["Gain de temps pour les agents et délais de réponse réduits pour les usagers.",
                                 "Meilleur ciblage des interventions et réduction des contrôles inutiles.",
                                 "Qualité de service accrue et traitement plus homogène sur le territoire."]),
            data={"exists": rng.random() < 0.9, "access": rng.choice(["interne", "convention à signer", "open data"]),
                  "volume": rng.choice(["quelques milliers", "centaines de milliers", "plusieurs millions"]) + " d'enregistrements",
                  "personal_data": personal,
                  "legal_basis": rng.choice(["mission d'intérêt public (art. 6.1.e RGPD)", "obligation légale"])
                  if personal else ""},
            team=team,
            aia_answers=_aia_answers(rng, sensitivity),
            budget=budget,
            budget_breakdown=[{"line": line, "amount": amount} for line, amount in zip(BUDGET_LINES, amounts,
                                                                                     strict=True)],
            start=start,
            end=end,
            submitted_on=submitted,
            state="en_instruction",
            jury_marks=jurors,
        ))
    return apps


def generate_demo(*, count: int = 52, seed: int = 2018) -> DemoProgramme:
    """The 2018 call and its generated applications (same seed → same data)."""
    call = call_2018()
    return DemoProgramme(call=call, applications=generate_applications(call, count=count, seed=seed))


def impact_levels(programme: DemoProgramme) -> dict[str, str]:
    """Impact level (I–IV) of each application's questionnaire."""
    return {a.ref: assess(a.aia_answers).level for a in programme.applications}


def write_decision_letters(programme: DemoProgramme, out_dir: Any, *, constraints: Constraints | None = None,
                           pdf: bool = True, progress: Progress | None = None) -> dict[str, str]:
    """Select the laureates of the demo call and write one letter per application (HTML, and PDF).

    Eligible applications get the R311-3-1-2 explanation of their case appended; ineligible ones
    are refused with the eligibility reasons. Returns ``{ref: decision}``.
    """
    from pathlib import Path

    from amorce.core.files import atomic_write

    from .letters import DecisionLetter, applicant_explanation, render_letter_html, render_letter_pdf
    from .selection import explain, select

    call = programme.call
    constraints = constraints or call.constraints
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    candidates = programme.candidates()
    best = select(candidates, constraints)
    notes = {e.id: e for e in explain(candidates, constraints, best, score_max=20)}
    decisions: dict[str, str] = {}
    issued_on = date(2018, 11, 2)
    for app in programme.applications:
        eligibility = check_eligibility(app.to_dict(), call.eligibility_rules)
        explanation = None
        if not eligibility.eligible:
            decision, motivation = "refuse", "Dossier non éligible : " + " ".join(eligibility.reasons)
        else:
            decision = "accepte" if app.ref in best.selected else "refuse"
            motivation = "" if decision == "accepte" else (
                "Au regard des notes du jury et de l'enveloppe de l'appel, le projet ne fait pas partie de la "
                "combinaison de projets retenue : " + notes[app.ref].reasons[1].split(" : ", 1)[-1])
            explanation = applicant_explanation(
                call_title=call.title, administration=call.administration, contact=call.contact,
                dossier_ref=app.ref, criteria=call.criteria, marks=app.marks(call.criteria),
                juror_count=len(app.jury_marks), constraints=constraints, selection_explanation=notes[app.ref],
                laureate_count=len(best.selected))
            explanation.generated_on = issued_on.isoformat()
        letter = DecisionLetter(call_title=call.title, administration=call.administration, structure=app.structure,
                                recipient=app.contact_name, project_title=app.title, dossier_ref=app.ref,
                                decision=decision, motivation=motivation, contact=call.contact,
                                issued_on=issued_on, amount=app.budget if decision == "accepte" else None,
                                coaching_months=call.coaching_months if decision == "accepte" else None)
        with atomic_write(out / f"{app.ref}.html") as handle:
            handle.write(render_letter_html(letter, explanation))
        if pdf:
            render_letter_pdf(letter, out / f"{app.ref}.pdf", explanation)
        decisions[app.ref] = decision
        if progress:
            progress(len(decisions), len(programme.applications), f"Lettres : {len(decisions)}")
    return decisions
