"""Call for AI projects (appel à projets) — the library API, without Django.

* :mod:`.selection`: exact selection of laureates under budget (``scipy.optimize.milp``), per-dossier
  explanations, what-if on the envelope, greedy baseline.
* :mod:`.scoring`: criteria, jury marks, weighted score, disagreements.
* :mod:`.assessment`: ethical-risk questionnaire modelled on Canada's Algorithmic Impact Assessment.
* :mod:`.sus`: System Usability Scale and task success for user tests.
* :mod:`.eligibility`: automatic eligibility rules (SIRET, kind of structure, budget, dates).
* :mod:`.ds_import`: Démarche Numérique GraphQL client, field mapping, idempotent sync.
* :mod:`.letters`: decision letters (HTML/PDF) with the CRPA notice, R311-3-1-2 explanation,
  transparency sheet.
* :mod:`.demo`: the 2018 call and generated applications.
"""

from amorce.core.lazy import lazy_exports

# Imported on first use: `amorce --help` and Django's start-up must not load scipy & co.
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "ApplicationRepository": "ds_import",
    "AssessmentResult": "assessment",
    "BudgetScenario": "selection",
    "CRITERIA_2018": "scoring",
    "Call": "demo",
    "CampaignSummary": "sus",
    "Candidate": "selection",
    "Constraints": "selection",
    "Criterion": "scoring",
    "DEFAULT_MAPPING": "ds_import",
    "DecisionLetter": "letters",
    "DemarcheNumeriqueClient": "ds_import",
    "DemarcheNumeriqueError": "errors",
    "DemoApplication": "demo",
    "DemoProgramme": "demo",
    "DossierExplanation": "selection",
    "EligibilityResult": "eligibility",
    "EligibilityRules": "eligibility",
    "FieldMapping": "ds_import",
    "InMemoryRepository": "ds_import",
    "InfeasibleSelectionError": "errors",
    "ProgrammeError": "errors",
    "QUESTIONS_FR": "assessment",
    "Question": "assessment",
    "Selection": "selection",
    "SelectionModel": "selection",
    "SyncReport": "ds_import",
    "applicant_explanation": "letters",
    "assess": "assessment",
    "average_marks": "scoring",
    "budget_what_if": "selection",
    "call_2018": "demo",
    "check_eligibility": "eligibility",
    "check_siren": "eligibility",
    "check_siret": "eligibility",
    "disagreements": "scoring",
    "explain": "selection",
    "generate_demo": "demo",
    "greedy_select": "selection",
    "impact_level": "assessment",
    "map_dossier": "ds_import",
    "read_candidates_csv": "selection",
    "render_letter_html": "letters",
    "render_letter_pdf": "letters",
    "select": "selection",
    "summarise": "sus",
    "sus_score": "sus",
    "sync": "ds_import",
    "task_success": "sus",
    "transparency_sheet_html": "letters",
    "transparency_sheet_markdown": "letters",
    "weighted_score": "scoring",
})
