"""French legal heuristics for people: civilities, names in capitals, compound names and
particles, the role of each person (party, magistrate or clerk, lawyer), and propagation of
every detected name to its other mentions in the decision.

A *mention* is a run of name words (« Marie-Claire de LA FONTAINE »). Parties and court staff are
split into *units* the way Label annotates them (first name and surname are separate spans, a
particle stays with its surname; a party's hyphenated name is split at the hyphen); a lawyer's
name is one span.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from amorce.core.text import COUNTRIES

from .rules import LO, SP, UP
from .schema import Entity, fold_chars
from .taxonomy import LAWYER, MAGISTRATE, PERSON

NAME_WORD = rf"[{UP}][{UP}{LO}'’]*(?:-[{UP}{LO}][{UP}{LO}'’]*)*"
PARTICLE = (
    r"(?:d['’]|(?:de|du|des|le|la|van|von|der|den|di|da|del|della|dos|das|ben|bin|el|al|ibn|ter|zu|De|Du|Di|Da|Van|Von|Le|La|Del|El|Ben|DE|DU|DES|LE|LA|DI|DA|VAN|VON|DEL|EL|BEN|AL)"
    + SP
    + r"+)"
)
# a civility never continues a name (« Me GARNIER Mme NOEL » is two people)
NOT_CIVILITY = r"(?!(?:M|MM|Mme|Mmes|Mlle|Me|Maître|Monsieur|Madame)\b)"
UNIT = rf"{PARTICLE}*{NOT_CIVILITY}{NAME_WORD}"
NAME_SEQ = rf"{UNIT}(?:{SP}+{UNIT}){{0,5}}"
# a particle is a word of its own: « allemande Maurice » has none
UNIT_RE = re.compile(rf"(?<![{UP}{LO}])(?P<particles>{PARTICLE}*)(?P<word>{NAME_WORD})")

CIVILITY = (
    r"M\.|MM\.|Mmes|Mme\.|Mme|Mr\.?|Mlles|Mlle|Melle|Monsieur|Madame|Mademoiselle|Messieurs|Mesdames|"
    r"monsieur|madame|mademoiselle|MONSIEUR|MADAME|Dr\.?|Docteur|docteur|Pr\.|Professeur|"
    r"veuve|épouse|époux|née|consorts|Consorts|Maître|Maitre|Me|enfants?|mineure?s?|fils|fille|"
    r"petite?-(?:fils|fille)|frère|sœur|soeur|mère|père|concubine?|compagne|compagnon|"
    r"M\.\s*et\s*Mme"
)
PLURAL = {
    "mm.",
    "mmes",
    "mlles",
    "messieurs",
    "mesdames",
    "consorts",
    "enfants",
    "mineurs",
    "mineures",
    "m. et mme",
}
LAWYER_CIV = {"me", "maitre"}
KINSHIP = {
    "enfant",
    "enfants",
    "fils",
    "fille",
    "petit-fils",
    "petite-fille",
    "frere",
    "sœur",
    "soeur",
    "mere",
    "pere",
    "concubin",
    "concubine",
    "compagne",
    "compagnon",
    "mineur",
    "mineure",
    "mineurs",
    "mineures",
}
PLURAL_CIV = r"MM\.|Mmes|Mlles|Messieurs|Mesdames|consorts|Consorts|enfants|mineure?s|M\.\s*et\s*Mme|époux"
LIST_ITEM = rf"(?:(?:{SP}*,{SP}*|{SP}+et{SP}+)(?:(?:{CIVILITY}){SP}*)?{NAME_SEQ})"
CIV_RE = re.compile(
    rf"(?<![\w.])(?:(?P<pciv>{PLURAL_CIV})(?:{SP}+|(?<=\.))(?P<pname>{NAME_SEQ}{LIST_ITEM}{{0,12}})"
    rf"|(?P<civ>{CIVILITY})(?:{SP}+|(?<=\.))(?P<name>{NAME_SEQ}))"
)
# a lower-case article right after a civility opens a title (« Mme la Chancelière », « M. le Maire »);
# a particle of a name is capitalised there (« M. Le Gall », « Mme de La Fontaine »)
TITLE_AFTER_CIVILITY = re.compile(rf"(?:le|la|les|l['’]){SP}*[{UP}]")
HONORIFIC = re.compile(rf"(?:le|la){SP}+(?:Professeur|Docteur|Pr\.|Dr\.?){SP}+(?=[{UP}])")
LIST_SPLIT = re.compile(rf"(?:{SP}*,{SP}*|{SP}+et{SP}+)(?:(?:{CIVILITY}){SP}*)?")

FIRST_NAMES = re.compile(rf"(?:{SP}*,{SP}*{NAME_WORD}){{1,4}}{SP}+{NAME_SEQ}")
BORN_NEXT = re.compile(rf"[ \t]*(?:,{SP}*|\n\s*)n[ée]+(?:\(e\))?{SP}+le\b")
FIRM = re.compile(
    rf"\b(?:SCP|SELARL|SARL|SAS|SELAS|SELAFA|SELEURL|AARPI|Cabinet|cabinet)\b{SP}+"
    rf"(?P<names>{NAME_SEQ}(?:(?:{SP}*,{SP}*|{SP}+et{SP}+|{SP}*-{SP}*){NAME_SEQ}){{0,6}}"
    rf"(?:{SP}+et{SP}+associ[ée]s)?){SP}*,{SP}*avocats?\b"
)
FIRM_TAIL = re.compile(
    rf"{SP}+(?:de|du){SP}+(?:la{SP}+|l['’]{SP}*)?(?:SCP|SELARL|SARL|SELAS|SELAFA|SELEURL|"
    rf"SELARLU|AARPI|SAS|S\.E\.L\.A\.R\.L\.)\b[^,\n;()]*"
)
FIRST_LAST = re.compile(
    rf"(?:(?<=\b[dD]['’])|(?<![\w.'’-]))(?P<first>[{UP}][{LO}'’]+(?:-[{UP}][{LO}'’]+)?)(?:{SP}+[{UP}][{LO}'’]+)?"
    rf"{SP}+(?P<last>(?:(?:LE|LA|DE|DU|DI|DA|VAN|VON|EL|BEN|d['’]|de|le){SP}*)?"
    rf"[{UP}]{{2,}}(?:[-'’ ][{UP}]{{2,}})*)(?![{LO}])"
)

MAG_AFTER = re.compile(
    r"^[\s,]*(?:\(|en sa qualité de |en qualité de |ayant fonction de )?(?:premi[eè]re? |vice-|1er |1[èe]re )*"
    r"(?:pr[ée]sident|pr[ée]sidente|conseill[eè]re?|greffi[eè]re?|magistrat|juges?\b|procureure?|substitut|"
    r"avocate? g[ée]n[ée]ral|doyen|doyenne|rapporteur|rapporteure|auditeur|auditrice|adjointe? administrati|"
    r"directeur de greffe|directrice de greffe|directeur des services de greffe|faisant fonction|"
    r"d[ée]l[ée]gu[ée]|assesseur|commis greffier|agent de greffe|greffe|lors des d[ée]bats|lors du d[ée]lib[ée]r[ée]|"
    r"avocat g|premier avocat|président de chambre|conseiller référendaire|référendaire|"
    # a prefect signing an order acts in office: Label keeps the name, like a magistrate's
    r"(?:sous-)?pr[ée]f[eè]te?\s+(?:de|du|des|d['’])\s)",
    re.I,
)
MAG_BEFORE = re.compile(
    r"\b(?:greffi[eè]re?s?|pr[ée]sident(?:e|s)?|conseill[eè]re?s?|magistrat(?:e|s)?|juges?|procureure?|substitut|"
    r"avocate? g[ée]n[ée]ral|compos[ée]e? de|lors des d[ée]bats|lors du d[ée]lib[ée]r[ée]|"
    r"d[ée]l[ée]gu[ée]e?|assesseurs?|rapport de|composition(?: de la cour| du tribunal)?)\b"
    r"(?:\s+(?:de\s+chambre|plac[ée]e?|stagiaire|rapporteur|r[ée]f[ée]rendaire|d[ée]l[ée]gu[ée]e?|honoraire|"
    r"suppl[ée]ante?|aux affaires familiales|de la mise en [ée]tat|des libert[ée]s et de la d[ée]tention|"
    r"de l['’]ex[ée]cution|des contentieux de la protection|par int[ée]rim|en chef|"
    r"faisant fonction(?: de \w+)?|pr[ée]sente? aux d[ée]bats|pr[ée]sente? lors des d[ée]bats))*"
    r"[\s:,]*(?:et\s+)?(?:de\s+|d['’]\s*)?(?:(?:" + CIVILITY + r")\s*)?$",
    re.I,
)
LAWYER_AFTER = re.compile(
    r"^[\s,]*(?:avocate?s?\b(?!\s+g[ée]n[ée]ral)|postulant|plaidant|substitu[ée]|toque|vestiaire|"
    r"du barreau|inscrit au barreau)",
    re.I,
)
# counsel for sure: « avocat au barreau », « avocat postulant », « toque », « vestiaire »
COUNSEL_AFTER = re.compile(
    r"^[\s,]*(?:avocate?s?\s+(?:au|du|à|près|inscrit|plaidant|postulant|associ|constitu|de\s+(?:M|Mme|la|l['’]|le|"
    r"ma|sa))|postulant|plaidant|substitu|toque|vestiaire|du barreau|inscrit au barreau)",
    re.I,
)
NOT_LAWYER_AFTER = re.compile(
    r"^[^\n]{0,80}?(?:mandataire|liquidateur|administrat(?:eur|rice) judiciaire|"
    r"commissaire (?:de justice|à l'exécution)|huissier|notaire|commissaire-priseur)",
    re.I,
)
NOT_PERSON_CONTEXT = re.compile(
    r"(?:soci[ée]t[ée]|SCI|SAS|SA|SARL|EURL|SNC|SELARL|SELAS|association|syndicat|banque|caisse|groupe|compagnie|"
    r"entreprise|commune de|ville de|rue|avenue|boulevard|chemin|tribunal|cour|(?<![\w.])(?:[A-Z]\.){2,}[A-Z]?)\s*$",
    re.I,
)
# A brand, a shop sign or a place, not a person: « la marque verbale française Rosalie Dumont »,
# « le site de Vénissieux », « l'enseigne X ».
BRAND_OR_PLACE_BEFORE = re.compile(
    r"\b(?:marques?(?:\s+(?:verbales?|semi-figuratives?|figuratives?|fran[çc]aises?|europ[ée]ennes?|"
    r"internationales?|communautaires?|de\s+l['’]Union))*|enseignes?|magasins?|sites?|plateformes?|PPDC|"
    r"agences?|boutiques?|restaurants?|h[ôo]tel|clinique|lyc[ée]e|coll[èe]ge|[ée]cole|gare|a[ée]roport|"
    r"quartier|centre\s+commercial|r[ée]sidence|lotissement|ZAC|commune|ville|village|d[ée]partement|"
    r"r[ée]gion|barreaux?|centre(?:\s+hospitalier)?(?:\s+sp[ée]cialis[ée])?|h[ôo]pital|fondation|association|"
    r"refuge|maison\s+d['’]arr[êe]t|p[ôo]le\s+emploi|institut|EHPAD|cabinet|[ée]tablissement|"
    r"(?:sous-)?pr[ée]fecture(?:\s+de\s+police)?|(?:sous-)?pr[ée]f[eè]te?|mairie|maire|[ée]tat[ -]civil|navire|bateau|produits?\s+marqu[ée]s|celui|celle)\s+(?:de\s+|d['’]\s*|du\s+)?$",
    re.I,
)
# « JCP de METZ », « A.J. Totale », « TJ de Lyon » : an acronym, not a name
ACRONYM = re.compile(rf"^[{UP}]{{2,4}}{SP}+(?:de|DE|d['’]|D['’])|\b[{UP}]\.[{UP}]\.")
# an infinitive opening a claim (« Juger que », « Rejeter la demande », « Débouter la société »)
INFINITIVE_CLAUSE = re.compile(
    rf"[{UP}][{LO}]+(?:er|ir){SP}+(?:le|la|les|l['’]|que|qu['’]|toutes?|tous|irrecevables?|recevables?|"
    rf"mal|bien|nulle?s?|en|au|aux|d[ée]finitivement)\b"
)
SAINT = re.compile(r"^(?:Saint|Sainte|St|Ste|SAINT|SAINTE)\b")

STOP = {
    fold_chars(w)
    for w in """
le la les l un une des du de et ou en par pour sur sous dans vu dit attendu que qui ce cette ces son sa ses
president presidente procureur prefet bâtonnier batonnier directeur directrice ministre juge maire
conseiller conseillere avocat avocate avocats greffier greffiere rapporteur premier premiere general generale
cour tribunal chambre republique francaise francais peuple nom conseil etat tresor public ministere
demandeur demanderesse defendeur defenderesse appelant appelante intime intimee partie parties requerant
monsieur madame mademoiselle maitre docteur professeur societe association syndicat caisse banque
decision ordonnance arret jugement audience article code loi motifs dispositif expose litige faits procedure
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
lundi mardi mercredi jeudi vendredi samedi dimanche
condamne ordonne rejette casse annule confirme infirme declare deboute renvoie constate fixe dit juge
sur en a au aux non pas oui cass civ soc com crim ca tj tgi cph rg n
urssaf cpam caf pole emploi france paris etranger etrangers prefecture sas sarl sa sci scp selarl eurl snc
saint sainte sud nord est ouest vice statuant ordonner contradictoire dr docteur maitre me
inconnu inconnue x y z
mme mmes mlle mlles mr mm messieurs mesdames epouse epoux veuve nee ne
notaire notaires associe associes associee associees mandataire mandataires judiciaire judiciaires
plaidant plaidante postulant postulante procureure prefete prefecture substitut commissaire directrice
lrar bull dommages ouvrage retention retentions administrative administratives arrets travail
infirmant remplacer fondation centre hospitalier
portalis pourvoi grosse delivree expedition parquet mel se gie sasu selas selafa seleurl aarpi
magistrat magistrate delegue deleguee
""".split()
}


@dataclass
class Mention:
    start: int
    end: int
    units: list[tuple[int, int]]
    category: str | None = None
    score: float = 0.9
    source: str = ""
    evidence: bool = False
    whole: tuple[int, int] | None = None  # the lawyer's span (name plus firm)


@dataclass
class PersonContext:
    """Names seen in a decision, by category, for propagation and disambiguation."""

    tokens: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, key: str, category: str, weight: int = 1) -> None:
        self.tokens[key][category] += weight

    def category(self, key: str) -> str | None:
        counts = self.tokens.get(key)
        if not counts:
            return None
        return counts.most_common(1)[0][0]

    def categories(self, key: str) -> set[str]:
        return set(self.tokens.get(key, ()))


def is_name_word(word: str) -> bool:
    key = fold_chars(word).strip("'’")
    return len(key) >= 2 and key not in STOP and not key.isdigit()


def split_units(text: str, start: int, end: int, *, split_hyphens: bool) -> list[tuple[int, int]]:
    """Cut a name run into Label-style units; a particle stays with the next word."""
    units: list[tuple[int, int]] = []
    chunk = text[start:end]
    for m in UNIT_RE.finditer(chunk):
        word = m.group("word")
        if not is_name_word(word):
            continue
        s, e = start + m.start(), start + m.end()
        if (
            m.group("particles")
            and units
            and text[units[-1][0] : units[-1][1]].split()[0].lower()
            in ("de", "du", "des", "d'", "d’", "le", "la", "di", "da", "van", "von")
        ):
            units[-1] = (units[-1][0], e)  # « de Larosière de Champfeu »
            continue
        if (
            units
            and word.isupper()
            and re.sub(r"^[dD]['’]", "", text[units[-1][0] : units[-1][1]]).isupper()
            and re.match(PARTICLE, text[units[-1][0] : units[-1][1]] + " ")
        ):
            units[-1] = (units[-1][0], e)  # « d'ARDAILHON MIRAMON », « LE BRAS »
            continue
        if split_hyphens and "-" in word and not m.group("particles") and not word.isupper():
            base = start + m.start("word")
            pos = 0
            for part in word.split("-"):
                if part and is_name_word(part):
                    units.append((base + pos, base + pos + len(part)))
                pos += len(part) + 1
            continue
        units.append((s, e))
    return units


def _lawyer_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The lawyer's name plus the firm written after it (« Denis ROUANET de la SELARL BENOIT -
    LALLIARD - ROUANET »), as Label annotates it."""
    inner = FIRM_TAIL.search(text, start, end)
    if inner and inner.start() > start:
        end = inner.start()
    tail = FIRM_TAIL.match(text[end : end + 160])
    return (start, end + len(tail.group(0).rstrip(" .")) if tail else end)


ROLE_WORDS = re.compile(
    r"(?:le|la|les|l['’]|et|greffi[eè]re?s?|pr[ée]sident(?:e|s)?|conseill[eè]re?s?|magistrat(?:e|s)?|juges?|"
    r"d[ée]l[ée]gu[ée]e?|assesseurs?|placée?|stagiaire|aux|affaires|familiales|de|la|mise|en|[ée]tat|"
    r"composition|cour|tribunal|du|pr[ée]sente?|d[ée]bats|lors|des|vice|premier|premi[eè]re|chambre)",
    re.I,
)


def _mag_before(before: str) -> bool:
    """A role just before the name; across a line break only under a heading (« LE GREFFIER »)."""
    m = MAG_BEFORE.search(before)
    if not m:
        return False
    if "\n" not in before[m.start() :].strip():
        return True
    line_start = before.rfind("\n", 0, m.start()) + 1
    prefix = ROLE_WORDS.sub(" ", before[line_start : m.start()])
    return not re.search(r"\w", prefix)


# « M. Boutié, Mme Bellino, conseillers référendaires » : the role after a run of names
OTHER_NAMES = re.compile(rf"^(?:{SP}*(?:,|et){SP}*(?:{CIVILITY}){SP}*{NAME_SEQ}){{1,8}}")


# A lawyer who is a party (« APPELANTE : Maître Michèle MICHEL, née le …, demeurant … ») is not
# acting as counsel: Label masks them as a person. Counsel is introduced by the words below.
COUNSEL_BEFORE = re.compile(
    r"(?:représentée?s?|assistée?s?|substituée?s?|conseils?|plaidant|postulant|avocats?|Représentant|"
    r"pour\s+avocat|par|de|et|à|contre|ccc|copies?|délivrées?|notifiée?s?|exp[ée]ditions?|-)\s*(?:par|de|:)?"
    r"\s*(?:la\s+|le\s+)?(?:SCP|SELARL|SELAS)?[^\n]{0,40}?(?:" + CIVILITY + r")?\s*$",
    re.I,
)
# « la SELARL MJ, mandataire liquidateur, prise en la personne de Maître X » : a judicial
# representative, masked as a person by Label
MANDATARY_BEFORE = re.compile(
    r"(?:mandataire|liquidat|administrat(?:eur|rice)\s+judiciaire|commissaire\s+à\s+l)[^\n]{0,160}"
    r"en\s+la\s+personne\s+de\s+(?:Me|Ma[îi]tre)\s*$",
    re.I,
)
PARTY_AFTER = re.compile(
    r"n[ée]+(?:\(e\))?\s+le\b|demeurant|domicili[ée]|r[ée]sidant|de nationalit[ée]|"
    r"(?:pris|prise|agissant)\s+en\s+(?:son|sa)\s+(?:nom\s+)?personnel|en\s+son\s+nom\s+propre|"
    r"a\s+form[ée]\s+le\s+pourvoi|comparante?\s+en\s+personne",
    re.I,
)
PARTY_AFTER_STOP = re.compile(
    r"représent|assist|substitu|avocats?\s+(?:de|du|des)\s|conseil\s+de|\n[ \t]*\n", re.I
)
# a label on its own line after a blank one (« Maître A⏎⏎Maître B⏎⏎⏎Avocats associés de la SELARL »)
DETACHED_LABEL = re.compile(r"^[ \t,]*\n[ \t]*\n")
ADDRESS_LINE = re.compile(r"^[^\n]*\n+[ \t]*(?:\d{1,4}(?:\s?(?:bis|ter))?,?\s+\w|\[Adresse|\d{5}\s)", re.I)


def _party_not_counsel(text: str, start: int, end: int, civ: str) -> bool:
    """A name that opens a party's entry rather than a counsel's: not introduced by « représenté
    par », « avocat de »…, and followed by civil-status words (« né le », « demeurant »), an address
    line, or standing alone under a party heading (« APPELANTE : »)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if civ and before.endswith(civ):
        before = before[: len(before) - len(civ)]
    if re.search(r"\w", before) and COUNSEL_BEFORE.search(before):
        return False
    after = text[end : end + 200]
    stop = PARTY_AFTER_STOP.search(after)
    if stop:
        after = after[: stop.start()]
    if PARTY_AFTER.search(after):
        return True
    if re.search(r"\w", before):
        return False
    if ADDRESS_LINE.match(text[end : end + 80]):
        return True
    previous = [ln for ln in text[max(0, line_start - 200) : line_start].split("\n") if ln.strip()]
    return bool(previous) and bool(PARTY_HEADING.search(previous[-1].strip()))


def _context_category(text: str, start: int, end: int, civ: str) -> tuple[str | None, bool]:
    """Category from the words around the mention; ``(None, False)`` when nothing says.

    A lawyer known only from « Maître » (no « avocat » after it) is *weak* evidence
    (``(LAWYER, False)``): if the same name is a party elsewhere in the decision, it is a person."""
    civ_key = fold_chars(civ).rstrip(".")
    after = text[end : end + 90]
    if civ_key in LAWYER_CIV or LAWYER_AFTER.match(after):
        if civ_key in LAWYER_CIV and (
            NOT_LAWYER_AFTER.match(after) or MANDATARY_BEFORE.search(text[max(0, start - 200) : start])
        ):
            return PERSON, True
        if _party_not_counsel(text, start, end, civ):
            return PERSON, True
        if civ_key in LAWYER_CIV and (not LAWYER_AFTER.match(after) or DETACHED_LABEL.match(after)):
            # « Maître X » alone, or above a separate « Avocats associés … » line that labels a
            # whole list: weak evidence, a party if X is a party elsewhere
            return LAWYER, False
        if civ_key not in LAWYER_CIV and not COUNSEL_AFTER.match(after):
            return LAWYER, False  # « M. Charles X, avocat, a intégré la SELARL » : a party if X is one
        return LAWYER, True
    if MAG_AFTER.match(OTHER_NAMES.sub("", after, count=1)):
        return MAGISTRATE, True
    before = text[max(0, start - 70) : start]
    if civ:
        before = before[: len(before) - len(civ)] if before.endswith(civ) else before
    before = before.rstrip()
    if _mag_before(before) and not re.search(
        r"(?:avocate?|conseil|représenté|assisté)\s+(?:de|par)\s*(?:" + CIVILITY + r")?\s*$", before, re.I
    ):
        return MAGISTRATE, True
    if civ_key in ("veuve", "epouse", "epoux", "nee"):
        return PERSON, True  # a married or maiden name is a party's, never a magistrate's title
    if civ_key in (
        "m",
        "mr",
        "mme",
        "monsieur",
        "madame",
        "mlle",
        "veuve",
        "epouse",
        "epoux",
        "nee",
        "consorts",
        "enfant",
        "enfants",
        "mineur",
        "mineure",
        "fils",
        "fille",
    ):
        return PERSON, False
    return None, False


def _mention(text: str, start: int, end: int, civ: str, source: str, score: float) -> Mention | None:
    category, evidence = _context_category(text, start, end, civ)
    if category == LAWYER:
        whole = _lawyer_span(text, start, end)
        return Mention(start, end, [whole], LAWYER, score, source, evidence, whole)
    units = split_units(text, start, end, split_hyphens=category in (PERSON, None))
    if not units:
        return None
    return Mention(start, end, units, category, score, source, evidence)


def civility_mentions(text: str) -> list[Mention]:
    out = []
    for m in CIV_RE.finditer(text):
        group = "pname" if m.group("pciv") else "name"
        civ = m.group("pciv") or m.group("civ")
        name_start = m.start(group)
        chunk = m.group(group)
        parts: list[tuple[int, int, str]] = []
        if m.group("pciv"):
            pos = 0
            for sep in LIST_SPLIT.finditer(chunk):
                parts.append((name_start + pos, name_start + sep.start(), civ))
                sub_civ = re.search(rf"({CIVILITY}){SP}*$", sep.group(0))
                civ = sub_civ.group(1) if sub_civ else civ
                pos = sep.end()
            parts.append((name_start + pos, name_start + len(chunk), civ))
        else:
            # « M. Émile, Laure, Gérard ÉLÉONORE » then « né le » : every first name of the civil status
            names = FIRST_NAMES.match(text, m.end(group))
            if names and BORN_NEXT.match(text, names.end()):
                chunk = text[name_start : names.end()]
            parts = [(name_start, name_start + len(chunk), civ)]
        # a plural list takes the role written after it (« Mmes A, B, M. C, conseillers »)
        list_role = (
            _context_category(text, name_start, name_start + len(chunk), "")
            if m.group("pciv")
            else (None, False)
        )
        for start, end, civ_part in parts:
            lead = re.match(rf"(?:de|d['’]){SP}*", text[start:end])
            if lead and fold_chars(civ_part) in KINSHIP:
                start += lead.end()
            if TITLE_AFTER_CIVILITY.match(text, start):
                # « Mme la Chancelière », « M. le Directeur régional » : a title, not a name; an
                # honorific title is followed by the name (« M. le Professeur Jean X »)
                honorific = HONORIFIC.match(text, start)
                if honorific is None or honorific.end() >= end:
                    continue
                start = honorific.end()
            words = text[start:end].split()
            if not words:
                continue
            first = UNIT_RE.match(text, start)
            if first is None or not is_name_word(first.group("word")):
                continue
            mention = _mention(text, start, end, civ_part, f"civilite:{fold_chars(civ_part).rstrip('.')}", 0.97)
            if mention and list_role[1] and list_role[0] == MAGISTRATE and not mention.evidence:
                mention = Mention(
                    start,
                    end,
                    split_units(text, start, end, split_hyphens=False),
                    MAGISTRATE,
                    0.95,
                    mention.source,
                    True,
                )
            if mention:
                out.append(mention)
    return out


def firm_mentions(text: str) -> list[Mention]:
    out = []
    for m in FIRM.finditer(text):
        start, end = m.span("names")
        out.append(
            Mention(start, end, [(start, end)], LAWYER, 0.95, "regle:cabinet-avocats", True, (start, end))
        )
    return out


def first_last_mentions(text: str, ner_spans: list[tuple[int, int]]) -> list[Mention]:
    """« Marie LE BRAS » without civility: kept when the context gives the role or spaCy agrees."""
    out = []
    for m in FIRST_LAST.finditer(text):
        start, end = m.start(), m.end()
        if not is_name_word(m.group("first")) or not is_name_word(m.group("last").split()[-1]):
            continue
        category, evidence = _context_category(text, start, end, "")
        if NOT_PERSON_CONTEXT.search(text[max(0, start - 25) : start]) and not (
            evidence and category == MAGISTRATE
        ):
            continue  # « la société Marie DUPONT », but « COMPOSITION DU TRIBUNAL⏎Marie DUPONT, juge »
        if not evidence and BRAND_OR_PLACE_BEFORE.search(text[max(0, start - 60) : start]):
            continue
        in_ner = any(s < end and start < e for s, e in ner_spans)
        if not evidence and not in_ner:
            continue
        mention = _mention(text, start, end, "", "motif:prenom-NOM", 0.9 if evidence else 0.8)
        if mention:
            out.append(mention)
    return out


DETERMINERS = {
    "le",
    "la",
    "les",
    "l",
    "du",
    "des",
    "au",
    "aux",
    "un",
    "une",
    "ce",
    "cette",
    "sa",
    "son",
    "ses",
    "leur",
    "leurs",
    "notre",
    "votre",
}


PARTY_HEADING = re.compile(
    r"(?:APPELANTE?S?|INTIM[ÉE]+E?S?|DEMANDEU(?:R|RS|RESSE|RESSES)|D[ÉE]FENDEU(?:R|RS|RESSE|RESSES)|"
    r"REQU[ÉE]RANTE?S?|PARTIES? INTERVENANTES?|INTERVENANTE?S? VOLONTAIRES?|ASSIGN[ÉE]+E?S?|"
    r"EN PR[ÉE]SENCE DE|ET|PERSONNE RETENUE|[ÉE]TRANGER|[ÉE]TRANG[ÈE]RE)\s*(?:\(?S?\)?)?\s*:?\s*$",
    re.I,
)
HEADER_LINE = re.compile(rf"^[ \t]*(?P<name>{NAME_SEQ})[ \t,]*$", re.M)
# « – Laure, née le … » : a first name alone in a list, followed by a birth date (children)
LIST_BORN = re.compile(
    rf"^[ \t]*[-–•*][ \t]*(?P<name>{NAME_SEQ})[ \t]*,?[ \t]+n[ée]+(?:\(e\))?s?[ \t]+le\b", re.M
)
# « Un enfant est issu de cette union, Lina Martin, née le … » : a name in an incise, then its birth
# date. A single word needs a family cue before it in the sentence (« enfant », « fille », « issu »).
BORN_INCISE = re.compile(
    rf"(?:[,:;(]|(?<![\w'’])(?:et|dont)){SP}+(?P<name>{NAME_SEQ}){SP}*,?{SP}*n[ée]+(?:\(e\))?{SP}+le\b"
)
FAMILY_CUE = re.compile(
    r"\b(?:enfants?|fils|filles?|mineure?s?|petite?s?-(?:fils|filles?|enfants?)|fr[èe]res?|s(?:œ|oe)urs?|"
    r"issue?s?|naissance|n[ée]e?s?\s+de)\b",
    re.I,
)
COMPANY = re.compile(
    r"\b(?:SAS|SASU|SARL|EURL|SA|SCI|SCP|SNC|SELARL|SELAS|GIE|S\.A\.S?\.?|S\.A\.R\.L\.?|(?:[A-Z]\.){3,}|SOCI[ÉE]T[ÉE]|"
    r"COMPAGNIE|BANQUE|CAISSE|ASSOCIATION|SYNDICAT|MUTUELLE|GROUPE|URSSAF|CPAM|CAF|PR[ÉE]FET|"
    r"MINIST[ÈE]RE|COMMUNE|D[ÉE]PARTEMENT|R[ÉE]GION|[ÉE]TAT|TR[ÉE]SOR|CENTRE|H[ÔO]PITAL|OFFICE|"
    r"CARSAT|MSA|CNAV|CIPAV|OPAC|OPH|AGS|CGEA|UNEDIC|FGTI|FGAO|ONIAM|P[ÔO]LE\s+EMPLOI|FRANCE\s+TRAVAIL)\b",
    re.I,
)


INITIAL_LINE = re.compile(rf"^[ \t]*[{UP}]\.[ ]?(?P<name>{NAME_WORD})[ \t]*$", re.M)
CASE_VERSUS = re.compile(r"^[ \t]*C/[ \t]*$", re.M)


def header_mentions(text: str) -> list[Mention]:
    """A name alone on its line in a party block: under « APPELANT : »/« DEMANDERESSE »… or just
    above « né(e) le … »."""
    out = []
    for m in HEADER_LINE.finditer(text):
        name = m.group("name")
        if COMPANY.search(name) or len(name.split()) > 5:
            continue
        words = re.findall(NAME_WORD, name)
        if len(words) < 2 or not all(is_name_word(w) for w in words):
            continue
        following = text[m.end() : m.end() + 80].lstrip()
        previous_lines = [ln for ln in text[max(0, m.start() - 200) : m.start()].split("\n") if ln.strip()]
        born = re.match(r"n[ée]+(?:\(e\))?s?\s+le\b", following, re.I)
        heading = bool(previous_lines) and PARTY_HEADING.search(previous_lines[-1].strip())
        if not (born or heading):
            continue
        mention = _mention(
            text, m.start("name"), m.end("name"), "", "motif:ligne-partie", 0.93 if born else 0.85
        )
        if mention:
            if mention.category is None:
                mention.category = PERSON
            out.append(mention)
    for m in LIST_BORN.finditer(text):
        if all(is_name_word(w) for w in re.findall(NAME_WORD, m.group("name"))):
            units = split_units(text, m.start("name"), m.end("name"), split_hyphens=True)
            if units:
                out.append(
                    Mention(m.start("name"), m.end("name"), units, PERSON, 0.93, "motif:enfant-ne-le", True)
                )
    for m in BORN_INCISE.finditer(text):
        name = m.group("name")
        words = re.findall(NAME_WORD, name)
        if COMPANY.search(name) or not words or not all(is_name_word(w) for w in words):
            continue
        if len(words) == 1:
            sentence = re.split(r"[.!?]\s|\n\s*\n", text[max(0, m.start() - 160) : m.start()])[-1]
            if not FAMILY_CUE.search(sentence):
                continue
        start = m.start("name")
        lead = re.match(rf"(?:de|d['’]){SP}*", name)  # « et de Lina, née le … »
        if lead:
            start += lead.end()
        units = split_units(text, start, m.end("name"), split_hyphens=True)
        if units:
            out.append(Mention(start, m.end("name"), units, PERSON, 0.9, "motif:incise-ne-le", True))
    # « A.MICHEL » alone on its line in a case heading « X C/ Y »: an initial and a party's surname
    for m in INITIAL_LINE.finditer(text):
        if is_name_word(m.group("name")) and CASE_VERSUS.search(
            text[max(0, m.start() - 250) : m.end() + 250]
        ):
            start, end = m.span("name")
            out.append(Mention(start, end, [(start, end)], PERSON, 0.85, "motif:initiale-nom", True))
    return out


def ner_mentions(text: str, ner_spans: list[tuple[int, int]]) -> list[Mention]:
    """spaCy PER spans, filtered: no determiner before a person's name, no company or place context,
    no single capitalised word opening a line (« Statuant », « Ordonner »)."""
    out = []
    for start, end in ner_spans:
        span = text[start:end]
        if any(ch.isdigit() for ch in span) or "\n" in span.strip() or len(span.split()) > 5:
            continue
        if not span[:1].isupper() or re.match(PARTICLE, span):
            continue
        country = re.search(rf"(?:^|{SP}+)({NAME_WORD})$", span)
        if country and fold_chars(country.group(1)) in COUNTRIES:
            # « Maroc » alone is a country; « Leoni Maroc » is a company's subsidiary
            end = start + country.start()
            span = text[start:end]
            if not span:
                continue
        civility = re.match(rf"(?:{CIVILITY}){SP}*", span)
        if civility and TITLE_AFTER_CIVILITY.match(span, civility.end()):
            continue  # « Mme la Chancelière allemande … »
        if (
            NOT_PERSON_CONTEXT.search(text[max(0, start - 25) : start])
            or SAINT.match(span)
            or BRAND_OR_PLACE_BEFORE.search(text[max(0, start - 60) : start])
            or ACRONYM.search(span)
        ):
            continue
        previous = re.findall(r"[\w'’]+", text[max(0, start - 20) : start])
        if previous and fold_chars(previous[-1]).rstrip("'’") in DETERMINERS:
            continue
        if previous and previous[-1] == "à" and len(span.split()) == 1:
            continue  # « un déplacement à Sanchezboeuf », « sis … à Baudry » : a place
        line_start = text.rfind("\n", 0, start) + 1
        if len(span.split()) == 1 and INFINITIVE_CLAUSE.match(text, start):
            continue  # « Juger que … », « Rejeter la demande » in a list of claims
        if len(span.split()) == 1 and (
            not text[line_start:start].strip() or re.search(r"[.:;°]\s*$", text[line_start:start])
        ):
            continue  # a capitalised word opening a line or a sentence (« Infirmant le jugement »)
        words = [w for w in re.findall(NAME_WORD, span) if is_name_word(w)]
        if not words:
            continue
        mention = _mention(text, start, end, "", "spacy:PER", 0.7)
        if mention:
            out.append(mention)
    return out


def _mention_keys(text: str, mention: Mention) -> list[str]:
    """The full name and the surname (last unit) of a mention, folded."""
    units = [fold_chars(text[s:e]) for s, e in mention.units]
    if not units:
        return []
    return list(dict.fromkeys([" ".join(units), units[-1]]))


def _overlaps(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in intervals)


def detect_people(
    text: str, ner_spans: list[tuple[int, int]], occupied: list[tuple[int, int]]
) -> list[Entity]:
    """All person entities (parties, magistrates and clerks, lawyers) of one decision."""
    candidates = (
        civility_mentions(text)
        + firm_mentions(text)
        + header_mentions(text)
        + first_last_mentions(text, ner_spans)
        + ner_mentions(text, ner_spans)
    )
    taken = list(occupied)
    mentions: list[Mention] = []
    for mention in candidates:
        spans = [mention.whole] if mention.whole else mention.units
        if any(_overlaps(taken, s, e) for s, e in spans):
            continue
        mentions.append(mention)
        taken.extend(spans)
    # registry of names whose role the context told: the full name and the surname (last unit)
    context = PersonContext()
    for mention in mentions:
        if mention.evidence and mention.category in (MAGISTRATE, PERSON):
            for key in _mention_keys(text, mention):
                context.add(key, mention.category, 2 if mention.category == MAGISTRATE else 1)
        if mention.category == LAWYER and mention.whole and mention.evidence:
            for w in re.findall(NAME_WORD, text[mention.start : mention.end]):
                if w.isupper() or mention.source.startswith("regle:cabinet"):
                    context.add(fold_chars(w), LAWYER, 2)
    # surnames of parties named with a civility (« Mme Michel »), for lawyers known only as « Maître X »
    party_names = {
        fold_chars(text[m.units[-1][0] : m.units[-1][1]])
        for m in mentions
        if m.category == PERSON
        and m.units
        and not m.source.startswith(("spacy", "civilite:ma", "civilite:me"))
    }
    entities: list[Entity] = []
    for mention in mentions:
        category = mention.category
        score = mention.score
        if category == LAWYER and not mention.evidence:
            # « Maître MICHEL » alone: a party's name when that name is a party and never counsel
            units = split_units(text, mention.start, mention.end, split_hyphens=True)
            keys = [fold_chars(text[s:e]) for s, e in units[-1:]]
            if (
                units
                and keys
                and all(
                    (context.category(k) == PERSON or k in party_names)
                    and LAWYER not in context.categories(k)
                    for k in keys
                )
            ):
                mention = Mention(mention.start, mention.end, units, PERSON, 0.8, mention.source, False)
                category = PERSON
                score = 0.8
        elif not mention.evidence:
            known = [context.category(k) for k in _mention_keys(text, mention)]
            pro = [k for k in known if k in (MAGISTRATE, LAWYER)]
            if pro:
                category = MAGISTRATE if MAGISTRATE in pro else LAWYER
                score = min(score, 0.9)
            elif category is None:
                category = PERSON
        if category == LAWYER and not mention.whole:
            whole = _lawyer_span(text, mention.start, mention.end)
            entities.append(
                Entity(whole[0], whole[1], LAWYER, text[whole[0] : whole[1]], score, mention.source)
            )
            continue
        if category == LAWYER:
            s, e = mention.whole
            entities.append(Entity(s, e, LAWYER, text[s:e], score, mention.source))
            continue
        for s, e in mention.units:
            entities.append(Entity(s, e, category, text[s:e], score, mention.source))
        if category == PERSON:
            for s, e in mention.units:
                context.add(fold_chars(text[s:e]), PERSON, 1)
    entities = _drop_company_words(text, entities, ner_spans)
    entities.extend(_names_in_company_names(text, ner_spans, entities, occupied))
    entities.extend(propagate(text, entities, context, occupied))
    return entities


COMPANY_BEFORE = re.compile(
    r"(?:soci[ée]t[ée]|SCI|SAS|SASU|SARL|EURL|SNC|SELARL|SELAS|SELEURL|SCP|cabinet|groupe|marque|enseigne|"
    r"(?<![\w.])(?:[A-Z]\.){2,}[A-Z]?\.?)\s*$",
    re.I,
)


def _drop_company_words(text: str, entities: list[Entity], ner_spans: list[tuple[int, int]]) -> list[Entity]:
    """A single word that spaCy alone took for a person, and that mostly follows « société »,
    « SELARL », « cabinet »… in the decision, is a company's name (« la société Akheos »): it is
    not propagated. A company named after a person (« la société Céline Auguste ») keeps its
    first name and surname masked, as Label does."""
    # spaCy's spans with a single name word: « Leoni », and « Leoni Maroc » (a country is no name)
    single = set()
    for s, t in ner_spans:
        inside = [e for e in entities if e.source == "spacy:PER" and s <= e.start and e.end <= t]
        units = [
            u
            for u in split_units(text, s, t, split_hyphens=False)
            if fold_chars(text[u[0] : u[1]]) not in COUNTRIES
        ]
        if len(inside) == 1 and len(units) == 1:
            single.add(fold_chars(inside[0].text))
    sure = {fold_chars(e.text) for e in entities if e.source != "spacy:PER"}
    folded = fold_chars(text)
    drop = set()
    for key in single - sure:
        starts = [
            m.start()
            for m in re.finditer(rf"(?<![\w'’]){re.escape(key)}(?!\w)", folded)
            if text[m.start()].isupper()
        ]
        company = sum(1 for st in starts if COMPANY_BEFORE.search(text[max(0, st - 30) : st]))
        if starts and company * 2 >= len(starts):
            drop.add(key)
    return [e for e in entities if not (e.source == "spacy:PER" and fold_chars(e.text) in drop)]


# a professional partnership, named after its members (« SELARL Marc-Nathalie », « SCP Durand »),
# unlike a brand or a group (« la société Groupe Alexandria Mathilde »)
PRO_FIRM = r"(?:SCP|SELARL|SELARLU|SELAS|SELAFA|SELEURL|S\.E\.L\.A\.R\.L\.|S\.C\.P\.|S\.E\.L\.A\.S\.)"
PRO_FIRM_BEFORE = re.compile(rf"(?:^|(?<![\w.])){PRO_FIRM}(?:\s*$|\s+(?=\S))")
PRO_FIRM_NAMES = re.compile(rf"(?<![\w.]){PRO_FIRM}{SP}+(?P<names>{NAME_SEQ})")


def _names_in_company_names(
    text: str, ner_spans: list[tuple[int, int]], entities: list[Entity], occupied: list[tuple[int, int]]
) -> list[Entity]:
    """« la SELARL Marc-Nathalie prise en la personne de Maître Thibault Marc » : a professional
    partnership named after its members. ``ner_mentions`` drops spaCy's span there (company
    context); when one of the words of the firm's name (spaCy's span or the capitalised words after
    « SELARL », « SCP »…) is a party's name found by a civility or a rule, and none is a
    professional's (counsel, magistrate), its other words are a person's name too, and Label masks
    them all."""
    party = {fold_chars(e.text) for e in entities if e.category == PERSON and not e.source.startswith("spacy")}
    pro = {
        fold_chars(w) for e in entities if e.category in (LAWYER, MAGISTRATE) for w in re.findall(NAME_WORD, e.text)
    }
    taken = [(e.start, e.end) for e in entities] + list(occupied)
    out: list[Entity] = []
    firm_names = [m.span("names") for m in PRO_FIRM_NAMES.finditer(text)]
    for start, end in list(ner_spans) + firm_names:
        span = text[start:end]
        if "\n" in span.strip() or any(ch.isdigit() for ch in span) or len(span.split()) > 5:
            continue
        if not (PRO_FIRM_BEFORE.search(text[max(0, start - 30) : start]) or PRO_FIRM_BEFORE.match(span)):
            continue
        units = split_units(text, start, end, split_hyphens=True)
        keys = [fold_chars(text[s:e]) for s, e in units]
        if len(units) < 2 or not any(k in party for k in keys) or any(k in pro for k in keys):
            continue
        for s, e in units:
            if not _overlaps(taken, s, e):
                out.append(Entity(s, e, PERSON, text[s:e], 0.75, "motif:raison-sociale"))
                taken.append((s, e))
    return out


def propagate(
    text: str, entities: list[Entity], context: PersonContext, occupied: list[tuple[int, int]]
) -> list[Entity]:
    """Every other capitalised mention of a detected party's or magistrate's name, whatever its case
    or accents (« DUPONT », « Dupont », « Dupônt »)."""
    names: dict[str, str] = {}
    for ent in entities:
        if ent.category in (PERSON, MAGISTRATE):
            key = fold_chars(ent.text)
            if len(key.replace(" ", "")) < 3 or key in STOP:
                continue
            if ent.category == PERSON or key not in names:
                names[key] = ent.category
    if not names:
        return []
    folded = fold_chars(text)
    taken = sorted([(e.start, e.end) for e in entities] + list(occupied))
    out: list[Entity] = []
    pattern = re.compile(
        r"(?<![\w'’])(?:"
        + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        + r")(?![\w])"
    )
    for m in pattern.finditer(folded):
        start, end = m.span()
        if not text[start].isupper() or _overlaps(taken, start, end):
            continue
        if (
            m.end() < len(text)
            and text[m.end()] in "-'’"
            and m.end() + 1 < len(text)
            and text[m.end() + 1].isalpha()
        ):
            if not text[m.end() + 1].isupper():
                continue
        if re.search(r"\b(?:saint|sainte|st|ste)[\s-]*$", folded[max(0, start - 8) : start]):
            continue
        key = m.group(0)
        category = names[key]
        cats = context.categories(key)
        if category == PERSON and MAGISTRATE in cats:
            neighbours = _neighbour_keys(folded, start, end)
            category = MAGISTRATE if any(context.category(n) == MAGISTRATE for n in neighbours) else PERSON
        exact = any(e.text == text[start:end] for e in entities)
        score = 0.9 if exact else 0.82
        if category == PERSON and (MAGISTRATE in cats or LAWYER in cats):
            score = 0.6
        out.append(Entity(start, end, category, text[start:end], score, "propagation"))
        taken.append((start, end))
    return out


def _neighbour_keys(folded: str, start: int, end: int) -> list[str]:
    before = re.findall(r"[\w'’-]+", folded[max(0, start - 40) : start])
    after = re.findall(r"[\w'’-]+", folded[end : end + 40])
    return before[-1:] + after[:1]
