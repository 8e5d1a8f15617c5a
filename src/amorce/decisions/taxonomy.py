"""Label's category taxonomy, replacement patterns and the masking policy.

The categories and their replacement patterns are those of the Cour de cassation's annotation tool
Label (``packages/courDeCassation/settings/settings.json``, MIT licence): ``%c`` is replaced by a
letter (A, B, C…) and ``%d`` by a number (1, 2, 3…), one per distinct entity of the category in a
decision. The default policy is that of French judicial open data: natural persons and what
identifies them are masked; magistrates, clerks and lawyers are detected but left in clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import DecisionsError


@dataclass(frozen=True)
class Category:
    name: str
    label_fr: str
    pattern: str
    order: int


CATEGORIES: dict[str, Category] = {c.name: c for c in [
    Category("personnePhysique", "Personne physique", "[%c]", 1),
    Category("dateNaissance", "Date de naissance/anniversaire", "[Date naissance %d]", 2),
    Category("dateMariage", "Date de mariage/PACS", "[Date mariage %d]", 3),
    Category("dateDeces", "Date de décès", "[Date décès %d]", 4),
    Category("numeroIdentifiant", "Numéro identifiant", "[Numéro identifiant %d]", 5),
    Category("personneMorale", "Personne morale", "[%d]", 6),
    Category("etablissement", "Établissement", "[%d]", 7),
    Category("numeroSiretSiren", "N° SIREN/SIRET", "[N° SIREN/SIRET %d]", 8),
    Category("adresse", "Adresse", "[Adresse %d]", 9),
    Category("localite", "Localité", "[Localité %d]", 10),
    Category("telephoneFax", "Téléphone/Fax", "[XXXXXXXX0%d]", 11),
    Category("email", "Email", "[Courriel %d]", 12),
    Category("siteWebSensible", "Site web sensible", "[0%d]", 13),
    Category("compteBancaire", "Compte bancaire", "[XXXXXXXXXX0%d]", 14),
    Category("cadastre", "Cadastre", "[Cadastre %d]", 15),
    Category("plaqueImmatriculation", "Plaque d'immatriculation", "[Immatriculation %d]", 16),
    Category("professionnelMagistratGreffier", "Magistrat / membre du greffe", "[%c]", 17),
    Category("professionnelAvocat", "Avocat", "", 18),
]}

PERSON = "personnePhysique"
MAGISTRATE = "professionnelMagistratGreffier"
LAWYER = "professionnelAvocat"
PROFESSIONALS = frozenset({MAGISTRATE, LAWYER})
#: Label's block category for a hidden reasoning section (never produced by detection).
MOTIVATIONS = "motivations"
DEFAULT_KEEP = PROFESSIONALS


def check_categories(names, *, what: str = "catégorie") -> frozenset[str]:
    unknown = [n for n in names if n not in CATEGORIES]
    if unknown:
        raise DecisionsError(
            f"{what.capitalize()} inconnue : {', '.join(unknown)}. Catégories de Label : "
            + ", ".join(CATEGORIES), unknown=unknown)
    return frozenset(names)


@dataclass(frozen=True)
class Policy:
    """Which categories are replaced. ``keep``: detected but left in clear (Label's
    ``categoriesToOmit``); ``professionnelAvocat`` has no replacement pattern and is never replaced."""

    keep: frozenset[str] = field(default=DEFAULT_KEEP)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keep", check_categories(self.keep))

    def is_masked(self, category: str) -> bool:
        return category in CATEGORIES and category not in self.keep and bool(CATEGORIES[category].pattern)

    @classmethod
    def from_option(cls, value: str | None) -> Policy:
        """Build from a comma-separated list of categories to keep ("" keeps nothing)."""
        if value is None:
            return cls()
        names = [v.strip() for v in value.split(",") if v.strip()]
        return cls(keep=check_categories(names))


def letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA… (spreadsheet-style)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def render(pattern: str, index: int) -> str:
    """Fill a Label pattern for the ``index``-th (0-based) entity of its category."""
    return pattern.replace("%c", letters(index)).replace("%d", str(index + 1))
