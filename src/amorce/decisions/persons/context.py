"""Context cues around a mention: the words before and after a name that make it a magistrate or a
clerk, a lawyer, a party, or no person at all."""

from __future__ import annotations

import re

from ..rules import SP, UP
from ..schema import fold_chars
from ..taxonomy import LAWYER, MAGISTRATE, PERSON
from .patterns import (
    CIVILITY,
    COUNSEL_AFTER,
    FIRM_TAIL,
    LAWYER_AFTER,
    LAWYER_CIV,
    MAG_AFTER,
    MAG_BEFORE,
    NAME_SEQ,
    NOT_LAWYER_AFTER,
    PARTY_HEADING,
)


def lawyer_span(text: str, start: int, end: int) -> tuple[int, int]:
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


# « représentée par son président, Monsieur X », « sa présidente Mme Y » : a company's or an
# association's officer, not the court's; nor a role with an indefinite article (« Un délégué, M. X,
# témoigne », « une conseillère, Mme Y »): the court's members are « le président », « la conseillère »
# (a compound title too: « son administrateur délégué, M. X », « sa directrice générale déléguée, Mme Y »; and a
# relative of the role's holder: « le fils du président, M. X »; a function given: « M. X comme président et Mme Y »)
OFFICER = re.compile(
    r"\b(?:son|sa|ses|leurs?|une?)\s+(?:vice-)?"
    r"(?:(?:administrat(?:eur|rice)|directeur|directrice|g[ée]n[ée]rale?|ex[ée]cuti(?:f|ve)|adjointe?|g[ée]rante?)\s+){0,2}$"
    # a relative of the one who holds the role (« le fils du président, M. X »): the name is the relative's
    r"|\b(?:fils|filles?|[ée]pou(?:x|se)|fr[èe]re|s(?:œ|oe)ur|m[èe]re|p[èe]re|neveu|ni[èe]ce|veuve|gendre|belle-fille|"
    r"petite?-(?:fils|fille))\s+(?:du|de\s+la|de\s+l['’])\s*$"
    # a function given to someone else (« a désigné M. X comme président et Mme Y comme trésorière »)
    r"|\bcomme\s+$",
    re.I,
)


# « la société X, dont le président, M. Y, réside à … » : the head of the company just named
COMPANY_HEAD = re.compile(
    r"\b(?:soci[ée]t[ée]|association|entreprise|SASU?|SARL|EURL|SCI|fondation|club|coop[ée]rative)\b"
    r"[^;:\n()]{0,80}?,?\s*dont\s+l[ea]\s+(?:vice-)?$",
    re.I,
)


# « la société X, présidée par M. Y », « l'association Z, présidée par Mme W » : a company or an
# association is no court, its head is a person
PRESIDED_BODY = re.compile(
    r"\b(?:soci[ée]t[ée]|association|entreprise|SASU?|SARL|EURL|SCI|syndicat|fondation|f[ée]d[ée]ration|club|"
    r"mutuelle|coop[ée]rative|groupement|comit[ée]\s+d['’]entreprise)\b[^;:\n()]{0,80}?,?\s*$",
    re.I,
)


# a company named far before its head, its seat and number between (« la société X, SAS immatriculée sous le
# numéro …, dont le siège est …, présidée par M. Y »), with no word of a court's hearing after it
PRESIDED_COMPANY = re.compile(
    r"\b(?:soci[ée]t[ée]|association|SASU?|SARL|EURL|SCI|fondation|coop[ée]rative)\b"
    r"(?:(?!audience|chambre|formation|juridiction|s[ée]ance|d[ée]bats|cour\b|tribunal)[^;:\n]){0,240}?"
    r"\b(?:dont\s+le\s+si[èe]ge|immatricul[ée]e|si[èe]ge\s+social)[^;:\n]{0,160}$",
    re.I,
)


# A role word that is also a lay function (« président » of a company, « conseillère » of a probation
# service, a job centre or a bank, « rapporteur » of an authority, « délégué » of an association or of the
# prosecutor, « assesseur » of a polling station) names a member of the court only when something
# positively says so: a court's qualifier right after it (« de chambre », « référendaire », « doyen »,
# « à la cour », « salarié » at a labour court) or, the role standing bare, a word of the court's hearing,
# composition or signature in its sentence (« audience », « greffière », « COMPOSITION », « délibéré »,
# « signé »). Otherwise the role is no evidence: the name is a person's, unless the same name is the
# court's elsewhere in the decision.
AMBIGUOUS_ROLE = re.compile(
    r"^[\s,]*(?:\(|en sa qualité de |en qualité de |ayant fonction de )?(?:(?:premi[eè]re?|vice-|1er|1[èe]re)\s*)*"
    # a disciplinary board's chair and secretary « de séance » are its own only in a composition (« La
    # chambre, composée de …, assistée de Mme X, secrétaire de séance »), not an owners' meeting's
    r"(?:(?:pr[ée]sidente?|secr[ée]taire)[ \t]+de[ \t]+s[ée]ance|"
    r"pr[ée]sidente?s?|conseill[eè]re?s?|rapporteure?s?|d[ée]l[ée]gu[ée]e?s?|assesseure?s?|"
    # a board's members (« membres titulaires », « Dr X et Dr Y, membres ; », the item closed) are the court's only in a composition
    r"membres?[ \t]+(?:titulaires?|suppl[ée]ante?s?)|membres(?=[ \t]*(?:;|\n|$)))\b",
    re.I,
)
COURT_QUALIFIER = re.compile(
    r"[ \t]*(?:-|\(|,[ \t]*(?=faisant|charg|qui\s+a\s+fait|pr[ée]sidant|agissant))?[ \t]*(?:"
    r"(?:de|d['’])\s*(?:la\s+|l['’]\s*)?(?:[\w-]+\s+){0,2}(?:chambre|section|formation|cour|juridiction|mise\s+en|audience)|"
    r"prud['’]?\s*hom|"
    r"(?:du|au)\s+(?:tribunal|conseil\s+de\s+prud|p[ôo]le|bureau\s+de\s+jugement|d[ée]lib[ée]r[ée]|premier\s+pr[ée]sident)|"
    r"[àa]\s+la\s+(?:cour|chambre)|aux\s+affaires|d['’][ÉE]tat|doyen|le\s+plus\s+ancien|r[ée]f[ée]rendaire|rapporteure?|"
    r"public|publique|faisant\s+fonction|charg[ée]e?\s+(?:des\s+fonctions|du\s+rapport|d['’]instruire|de\s+la\s+mise)|"
    # a labour court's composition (« Président Conseiller (S) », « Assesseur Conseiller (E) »)
    r"conseill[eè]re?s?[ \t]*\(|\([SE]\)|"
    # a lay judge's college (« assesseurs consulaires », « assesseur coutumier »,
    # « assesseur (conseiller salarié) », « conseiller prud'homme employeur »)
    r"consulaires?|coutumi[eè]re?s?|[ée]chevin|non[ \t-]+professionnel|"
    # a rural lease court's assessors (« assesseur preneur », « assesseur représentant les bailleurs »)
    r"(?:repr[ée]sentant\s+(?:des|les)\s+)?(?:bailleurs?|preneurs?|non[ \t-]+salari)|"
    # the college the assessor comes from (« assesseur (collège employeurs) », « du collège des salariés »)
    r"(?:du\s+)?coll[èe]ge\s+(?:des\s+)?(?:salari|employeur|non|ind[ée]pendant|bailleur|preneur|travailleur)|"
    r"conseill[eè]re?s?[ \t]+(?:prud|salari|employeur|travailleur|du\s+coll[èe]ge)|"
    r"qui\s+a\s+fait|"
    # a judge sitting alone or in a given matter (« vice-présidente statuant à juge unique », « statuant en
    # référé », « statuant seul »)
    r"statuant\s+(?:[àa]\s+juge\s+unique|seule?\b|en\s+(?:r[ée]f[ée]r[ée]|mati[èe]re|qualit[ée])|comme\s+juge|par\s+d[ée]l[ée]gation)|"
    r"pr[ée]sidant|d[ée]l[ée]gu[ée]e?|(?:repr[ée]sentant\s+les\s+)?(?:salari[ée]|employeur|travailleur)|assesseure?|"
    r"ou\s+son|plac[ée]|suppl[ée]ante?|stagiaire|honoraire|titulaire|par\s+int[ée]rim|en\s+service|juges?\b|magistrat)",
    re.I,
)
# a president in charge of one of the court's functions (« vice-présidente chargée de l'application des
# peines », « chargé des affaires familiales », « chargée du contentieux de la protection »)
COURT_FUNCTION = re.compile(
    r"[ \t]*,?[ \t]*charg[ée]e?\s+(?:de\s+l['’]\s*|des?\s+|du\s+|d['’]\s*)(?:application|affaires|instruction|"
    r"contentieux|protection|tutelles?|mineurs|enfants|r[ée]f[ée]r[ée]s|ex[ée]cution|libert[ée]s|surendettement|"
    r"expropriation|p[ôo]le|proc[ée]dures?\s+collectives|service\s+de\s+la\s+juridiction)",
    re.I,
)
# nothing qualifies the role: a comma, a full stop, the end of the line, another name
BARE_ROLE_TAIL = re.compile(r"[ \t]*(?:[,;.:)]|\n|$|et\s)")
COURT_CUE = re.compile(
    r"\b(?:(?:cour|tribunal|chambre|audiences?|d[ée]bats|juridiction|formation|juges?|procureure?|substitut|"
    r"avocate?s?\s+g[ée]n[ée]ra(?:l|le|ux)|minist[èe]re\s+public|conseil\s+d['’][ÉEée]tat|pr[ée]sents?|"
    # the court naming itself (« Le conseil, présidé par »), not a board (« le conseil d'administration »)
    r"conseil(?=\s*,)|"
    # a judge's order in the first person (« Nous, X, présidente chargée de … »)
    r"(?-i:Nous)(?=\s*,))\b|"
    # the words of a hearing, a composition, a signature, whatever their ending (« délibéraient »,
    # « siégeaient », « composée », « greffière », « prud'hommes », « signé »)
    r"(?:d[ée]lib[ée]r|si[ée]ge(?:ai|an)|si[ée]g[ée]|compos[ée]|composition|greff|prud['’]\s*hom|magistrat|"
    r"plaidoi|prononc|sign[ée]))",
    re.I,
)
# a court's body that a composition names (« le bureau de jugement, composé de », « la section … composée de »)
COMPOSED_BODY = re.compile(r"\b(?:bureau\s+de\s+(?:jugement|conciliation)|section|commission|coll[èe]ge|conseil)\b", re.I)
SENTENCE_END = re.compile(r"(?<=[a-zà-ÿ0-9)»])[.!?](?=\s)")


FIRST_JUDGE = re.compile(r"\b(?:le|du|au|par)\s+premier\s+$", re.I)


def _mag_before(before: str, wide: str = "") -> bool:
    """A role just before the name; across a line break only under a heading (« LE GREFFIER »).
    ``wide``: more of the text before, to find the company a « présidée par » refers to."""
    m = MAG_BEFORE.search(before)
    if not m or OFFICER.search(before, max(0, m.start() - 50), m.start()):
        return False
    # « le premier juge » is the court below, not a role naming who follows (« les témoins entendus par le
    # premier juge, M. X, ancien maire, et Mme Y »)
    if m.group().lower().startswith("juge") and FIRST_JUDGE.search(before, 0, m.start()):
        return False
    # « la société X, dont le président, M. Y » : the company's head, a person
    if COMPANY_HEAD.search(before, 0, m.start()):
        return False
    presided = re.match(r"pr[ée]sid[ée]e?s?\s+par|sous\s+la\s+pr[ée]sidence", m.group(0), re.I)
    # « composé(e) de » is a court's composition only where its sentence names the court or its hearing (« la
    # cour, composée de »), or the cue opens a line; a patrol, a partnership, a family are composed too
    if presided or re.match(r"compos[ée]e?\s+de", m.group(0), re.I):
        head = wide[: len(wide) - (len(before) - m.start())] if wide else before[: m.start()]
        if presided and (PRESIDED_BODY.search(before, 0, m.start()) or PRESIDED_COMPANY.search(head if wide else "")):
            return False
        # presiding is the court's only where its sentence names the court or its hearing (« le tribunal,
        # présidé par », « Audience publique tenue sous la présidence de »), or the cue opens a line of
        # the composition (« Présidé par M. X »); a company, a club, a board are presided too
        ends = list(SENTENCE_END.finditer(head))
        line_open = not head[head.rfind("\n") + 1 :].strip()
        if not line_open and not COURT_CUE.search(head, ends[-1].end() if ends else 0) and not (
            not presided and COMPOSED_BODY.search(head, ends[-1].end() if ends else 0)
        ):
            return False
    if "\n" not in before[m.start() :].strip():
        return True
    line_start = before.rfind("\n", 0, m.start()) + 1
    prefix = ROLE_WORDS.sub(" ", before[line_start : m.start()])
    return not re.search(r"\w", prefix)


# « Composition de la cour : M. Vial, Mme Arnaud et M. Cros » : a name of an enumeration takes the
# role of the cue heading it. The enumeration is read backwards, item by item: a name (with its
# civility) or a role in lower case (« Mme Roux, présidente, M. Brun »), separated by « , » or « et ».
NAME_ITEM = re.compile(rf"(?:(?:{CIVILITY}){SP}*)?{NAME_SEQ}")
NAME_ITEM_END = re.compile(rf"(?<![\w'’-])(?:(?:{CIVILITY}){SP}*)?{NAME_SEQ}$")
ROLE_ITEM = re.compile(r"[a-zàâçéèêëîïôûùüÿœ'’ -]{1,60}")
ITEM_END = re.compile(rf"(?:,|{SP}et){SP}*$")
# a word any composition cue holds, to skip most mentions cheaply
MAG_WORD = re.compile(
    r"compos|pr[ée]sid|greff|conseill|juge|magistrat|assesseur|d[ée]l[ée]gu|rapport|avocate? g|lors d|tenue?s? ",
    re.I,
)
# an enumeration closed by another role (« composé de Mme A, présidente, M. B et Mme C, arbitres »)
OTHER_ROLE_AFTER = re.compile(
    r"^[\s,]*(?:arbitres?|experts?|t[ée]moins?|associ[ée]e?s?|h[ée]ritiers?|enfants?|parties|demandeu|d[ée]fendeu|"
    r"requ[ée]rante?s?|appelante?s?|intim[ée]e?s?|g[ée]rante?s?|salari[ée]e?s?|interpr[èe]tes?|traduct(?:eur|rice)s?)\b",
    re.I,
)


def _enumeration_cue(text: str, start: int, end: int, civ: str) -> bool:
    """The mention continues an enumeration of names headed by a composition cue."""
    line = text.rfind("\n", 0, start)
    line = text.rfind("\n", 0, line) if line > 0 else -1  # the cue is on this line or the one above
    before = text[max(0, start - 300, line + 1) : start].rstrip()
    if civ and before.endswith(civ):
        before = before[: len(before) - len(civ)].rstrip()
    if not ITEM_END.search(before, max(0, len(before) - 6)) or not MAG_WORD.search(before):
        return False
    if OTHER_ROLE_AFTER.match(OTHER_NAMES.sub("", text[end : end + 90], count=1)):
        return False
    names = 0
    for _ in range(24):
        sep = ITEM_END.search(before, max(0, len(before) - 6))
        if sep is None:
            return False
        head = before[: sep.start()]
        cut = max(head.rfind(","), head.rfind(" et "), head.rfind(":"), head.rfind("\n"))
        item = head[cut + 1 :].strip()
        if item.startswith("et "):
            item = item[3:]
        if NAME_ITEM.fullmatch(item):
            names += 1
        elif not ROLE_ITEM.fullmatch(item):
            # the first item, after its cue: « composé de Mme Roux, M. Brun »
            first = NAME_ITEM_END.search(head, max(0, len(head) - 80))
            return bool(first) and _mag_before(head[: first.start()].rstrip())
        before = head[: cut + 1].rstrip() if cut >= 0 else ""
        if names and _mag_before(before):
            return True
    return False


# « M. Boutié, Mme Bellino, conseillers référendaires » : the role after a run of names
# (with or without civility: « Gérard X et Samia Y, conseillers employeurs »; « assisté de Mme A et
# de M. B, juges »)
# a capitalised role word, never a name of the run (« Présidente Conseiller (E) »)
ROLE_START = (
    r"(?i:pr[ée]sid|conseill|juge|greffi|assesseur|magistrat|substitut|procureur|membre|vice|premi|rapporteur|"
    r"d[ée]l[ée]gu|avocat|expert|docteur|doyen)"
)
OTHER_NAMES = re.compile(
    rf"^(?:{SP}*(?:,|et)(?:{SP}+de)?{SP}*(?:(?:{CIVILITY}){SP}*|(?!{ROLE_START})){NAME_SEQ}"
    rf"|{SP}+et{SP}+(?!{ROLE_START}){NAME_SEQ}){{1,8}}"
)

# A composition line opened by a role and a colon, the name further on that line (« Juge aux affaires
# familiales : Catherine X », « Assesseur collège salariés : Fatima Y », « Greffier : lors des débats
# et du prononcé, Madame Z », « La secrétaire : Signé : Mme W »).
ROLE = (
    r"(?:premi[eè]re?\s+|vice-)?(?:pr[ée]sidente?|juges?|assesseurs?|greffi[eè]re?s?|conseill[eè]re?s?|"
    r"magistrate?s?|secr[ée]taire|procureure?|substitut|avocate?\s+g[ée]n[ée]ral(?:e)?|minist[eè]re\s+public|"
    r"rapporteure?|d[ée]l[ée]gu[ée]e?|auditeur|auditrice|doyen(?:ne)?|"
    # the head of a chamber or of the registry signing with the president (« Le chef de chambre : X »,
    # « La cheffe de greffe : Y »)
    r"chef(?:fe)?\s+de\s+(?:chambre|greffe|juridiction)|"
    # a board's members listed after their heading (« Membres présents : M. X (président de séance), Mme Y »)
    r"membres\s+(?:pr[ée]sents|si[ée]geants))"
)
# … never a sentence whose subject is the role, closed by a colon (« Le procureur de la République en
# demande l'annulation : … M. X … »): a verb of procedure between the role and the colon
PROSE_VERB = (
    r"[^\n:]{0,60}?\b(?:demandent|demande|requi[eè]rent|requiert|soutiennent|soutient|concluent|conclut|"
    r"sollicitent|sollicite|exposent|expose|rel[eè]vent|rel[eè]ve|observent|observe|invoquent|invoque|"
    r"estiment|estime|indiquent|indique|pr[ée]cisent|pr[ée]cise|rappellent|rappelle|contestent|conteste|"
    r"opposent|oppose|affirment|affirme|font\s+valoir|fait\s+valoir)\b"
)
ROLE_LINE = re.compile(rf"[ \t]*(?:(?:le|la|les|l['’])\s*)?{ROLE}\b(?!{PROSE_VERB})[^\n:]{{0,60}}:[^\n]*$", re.I)
# … unless a birth follows the name: a company's officer in its register entry (« Président : M. ZHENG
# Wenjie, né le … »), a member's civil status; no judge is given a birth date
BORN_AFTER = re.compile(r"[^\n,;:]{0,60}?,[ \t]*n[ée]e?[ \t]+(?:le|en|à|vers)\b")
# The same role alone on its line, the name signed on the next one (« Le président : ⏎ Signé : M. X »)
ROLE_HEADING = re.compile(rf"[ \t]*(?:(?:le|la|les|l['’])\s*)?{ROLE}\b[^\n:]{{0,60}}:[ \t]*\n", re.I)
SIGNED_LINE = re.compile(rf"[ \t]*(?:sign[ée]e?[ \t]*:?[ \t]*)?(?:(?:{CIVILITY})[ \t]*)?$", re.I)
# A heading closed by a comma (« La greffière, ⏎ Signé : X ») only with « Signé » on the name's line:
# a comma ends many lines of running text
ROLE_HEADING_COMMA = re.compile(rf"[ \t]*(?:(?:le|la|les|l['’])\s*)?{ROLE}\b[^\n:,]{{0,60}},[ \t]*\n", re.I)
SIGNED_ALONE = re.compile(r"[ \t]*\(?sign[ée]e?\)?[ \t]*:?[ \t]*", re.I)
SIGNED_ONLY = re.compile(rf"[ \t]*sign[ée]e?[ \t]*:?[ \t]*(?:(?:{CIVILITY})[ \t]*)?$", re.I)
# The role alone on its line, capitalised, with no punctuation (« La greffière ⏎ Signé : X », « LE
# PRÉSIDENT ⏎ M. Y »): a signature in a single column
ROLE_HEADING_BARE = re.compile(
    rf"[ \t]*(?=[{UP}])(?:(?i:le|la|les|l['’])\s*)?(?i:{ROLE})\b[^\n:,.;]{{0,40}}\n"
)


def _continued_role_line(text: str, start: int) -> bool:
    """« Assesseurs : Mme X, représentant les travailleurs salariés ;⏎M. Y, représentant les employeurs » : a name
    opening its line (after its civility) below a line of the composition closed by a semicolon continues it; so
    does each member listed a line apiece under a composition's cue (« dans la composition suivante :⏎M. X,
    professeur des universités, président ;⏎Mme Y, maîtresse de conférences ; »)."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or not SIGNED_LINE.match(text, line_start, start):
        return False
    for _ in range(12):
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        previous = text[previous_start : line_start - 1].rstrip()
        if previous.endswith(":"):
            return COMPOSITION_CUE_END.search(previous) is not None
        if not previous.endswith(";"):
            return False
        if ROLE_LINE.match(previous):
            return True
        if not MEMBER_LINE.match(previous):
            return False
        line_start = previous_start
        if line_start == 0:
            return False
    return False


# a line that lists a member: a civility and a name first (« M. Heikki X, professeur des universités, président ; »)
MEMBER_LINE = re.compile(rf"[ \t]*(?:{CIVILITY})[ \t]*{NAME_SEQ}")
# a line announcing the members listed below it
COMPOSITION_CUE_END = re.compile(
    r"\b(?:composition(?:\s+suivante)?|compos[ée]e?\s+(?:de|comme\s+suit)|si[ée]geant)\s*:$", re.I
)


def _role_heading_above(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or not SIGNED_LINE.match(text, line_start, start):
        return False
    heading_start = text.rfind("\n", 0, line_start - 1) + 1
    if line_start - heading_start < 20 and SIGNED_ALONE.fullmatch(text, heading_start, line_start - 1):
        # « La greffière, ⏎ Signé ⏎ X » : « Signé » alone on the line between the role and the name
        line_start = heading_start
        heading_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        if line_start == 0:
            return False
        if ROLE_HEADING.match(text, heading_start, line_start) or ROLE_HEADING_COMMA.match(
            text, heading_start, line_start
        ):
            return True
    if ROLE_HEADING.match(text, heading_start, line_start):
        return True
    bare = ROLE_HEADING_BARE.match(text, heading_start, line_start)
    if bare and bare.end() == line_start:
        return True
    return bool(
        SIGNED_ONLY.match(text, line_start, start) and ROLE_HEADING_COMMA.match(text, heading_start, line_start)
    )
# A signature in single lines at the end of a decision: the role closed by a comma, the name closing its
# line, on the same line or alone on the next (« Le greffier associé, P. X ⏎ Le président, A. Y »,
# « Le rapporteur, ⏎ T. Z ⏎ La greffière, ⏎ C. W »). A comma ends many lines of running text, so the
# line holds nothing else, and another such line or the end of the decision is next to it.
SIGNATURE_ROLE = rf"[ \t]*(?:le|la|l['’])[ \t]*{ROLE}(?-i:(?:[ \t]+[a-zà-ÿ'’-]+){{0,3}}?)[ \t]*,[ \t]*"
SIGNATURE_NAME_BEFORE = re.compile(
    SIGNATURE_ROLE + rf"(?:\n[ \t]*)?(?:(?:{CIVILITY})[ \t]*)?(?:[{UP}]\.(?:-[{UP}]\.)?[ \t]*)*$", re.I
)
SIGNATURE_ROLE_LINE = re.compile(SIGNATURE_ROLE + r"(?:\S[^\n]{0,60})?(?:\n|$)", re.I)


def _signature_lines(text: str, start: int, end: int) -> bool:
    if not re.match(r"[ \t]*(?:\n|$)", text[end : end + 20]):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    head_start = line_start
    if not text[line_start:start].strip() or re.fullmatch(rf"[ \t]*(?:[{UP}]\.(?:-[{UP}]\.)?[ \t]*)+", text[line_start:start]):
        head_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1  # the role alone on the line above
    m = SIGNATURE_NAME_BEFORE.match(text, head_start, start)
    if m is None or m.end() != start:
        return False
    if len(text) - end < 300:
        return True
    after = end + 1
    previous = text.rfind("\n", 0, max(0, head_start - 1)) + 1
    return bool(
        SIGNATURE_ROLE_LINE.match(text, after) or (head_start > 0 and SIGNATURE_ROLE_LINE.match(text, previous, head_start))
    )


# A role label opening a sentence of the composition, the name further on that line (« … premier conseiller.
# Rapporteur public : M. X. Greffière d'audience : Mme Y. »): a line of the composition run together
ROLE_LABEL_INLINE = re.compile(
    rf"(?:^|[.;][ \t]+)(?=[{UP}])(?:(?i:le|la|les|l['’])[ \t]*)?(?i:{ROLE})\b[^\n:.;,]{{0,40}}:[ \t]*"
    rf"(?:(?:{CIVILITY})[ \t]*)?$"
)


# A signature block: roles side by side on a line, the names side by side under them (« LE GREFFIER
# ␣␣␣␣ LA JUGE ⏎ Loïc X ␣␣␣␣ Catherine Y »).
ROLE_WORD = re.compile(rf"\b{ROLE}\b", re.I)
COLUMNS = re.compile(r"\S[ \t]{4,}\S")
NAMES_LINE = re.compile(rf"^[ \t]*(?:(?:(?:{CIVILITY}){SP}*)?(?:[{UP}]\.(?:-[{UP}]\.)?{SP}*)*{NAME_SEQ}[ \t]*)+$")


# « le ministère public étant représenté par M. X » : the prosecution, not counsel
PROSECUTION_BY = re.compile(
    r"minist[eè]re\s+public(?:\s+(?:[ée]tant|[ée]tait|est|a\s+[ée]t[ée]))?\s+repr[ée]sent[ée]\s+par\s*(?:" + CIVILITY + r")?\s*$", re.I
)


# The closing of an order signed by its judge (« Fait à Paris, le 2 mars 2026 ⏎ Signé : X »): the
# « Signé » line right under the place and date, at the very end of the decision
SIGNED_CLOSING = re.compile(
    rf"fait\s+[àa]\s+[^\n]{{1,60}}\d{{4}}[ \t.,]*\n[ \t]*sign[ée]e?[ \t]*:?[ \t]*(?:(?:{CIVILITY})[ \t]*)?$", re.I
)


def _signed_closing(text: str, start: int, end: int) -> bool:
    if len(text) - end > 300:
        return False
    return bool(SIGNED_CLOSING.search(text[max(0, start - 120) : start]))


def _signature_block(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    if not COLUMNS.search(line) or not NAMES_LINE.match(line):
        return False
    previous = text[max(0, line_start - 200) : max(0, line_start - 1)].split("\n")[-1]
    return bool(COLUMNS.search(previous) and ROLE_WORD.search(previous))


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
# « devant notaire, Maître X », « l'huissier de justice, Me Y » : a public officer named with
# « Maître » is no counsel; Label masks them as persons
OFFICER_BEFORE = re.compile(
    r"\b(?:notaires?|huissiers?(?:\s+de\s+justice)?|commissaires?\s+de\s+justice|commissaires?-priseurs?)"
    # the officer's seat between (« une attestation du notaire de Vico, Me X », « l'huissier à Dax, Me Y »)
    r"(?:\s+associ[ée]e?s?)?(?:\s+(?:[àa]|de|d['’]|du|instrumentaire|instrumentant)(?:\s*[\w'’-]+){0,3}?)?\s*,?\s*(?:Me|Ma[îi]tre)\s*$",
    re.I,
)
# the title of a judicial representative (insolvency office-holder), before or after the name
JUDICIAL_REPRESENTATIVE = r"mandataire|liquidat|administrat(?:eur|rice)\s+judiciaire"
# the judicial representative's title after the address of the firm or office (« Me X, membre de la SELARL Y,
# 3, cours Z, 69003 Lyon, administrateur judiciaire de … »), beyond the window of ``NOT_LAWYER_AFTER``
OFFICER_AFTER_ADDRESS = re.compile(
    r",(?:(?!avocat)[^\n]){0,110}?\b\d{5}[ \t\u00a0]+[^\n,;]{1,40},[ \t\u00a0]*"
    rf"(?:{JUDICIAL_REPRESENTATIVE})",
    re.I,
)
# a birth after the name (« Madame X ⏎ née le 3 janvier 1994 à Y ») : a party, never a member of the court
# nor counsel, even under a heading line of the public prosecutor
BIRTH_RIGHT_AFTER = re.compile(r"^[ \t\u00a0]*,?\s*n[ée]e?[ \t\u00a0]+le[ \t\u00a0]+\d")
# a judicial representative's title right after the name, civility or not (« Lierni ETXARRI, mandataire judiciaire,
# 66 rue … », « à Me X, ès qualités, 2 500 euros »): a person, as Label has them
JUDICIAL_REPRESENTATIVE_AFTER = re.compile(
    r"^[ \t\u00a0]*,[ \t\u00a0]*(?:(?:mandataire|administrat(?:eur|rice)|liquidat(?:eur|rice))s?[ \t\u00a0]+judiciaires?\b|"
    r"[èe]s[ -]?qualit[ée]s?\b(?![ \t\u00a0]+d['’]avocat))",
    re.I,
)
# (a firm of ministerial officers too: « la SELARL X, commissaires de justice associés, …, prise en la personne de
# Me Y », its officer, a party)
MANDATARY_BEFORE = re.compile(
    rf"(?:{JUDICIAL_REPRESENTATIVE}|commissaire\s+à\s+l|commissaires?\s+de\s+justice|huissiers?\s+de\s+justice|notaires)"
    rf"[^\n]{{0,160}}"
    r"en\s+la\s+personne\s+de\s+(?:Me|Ma[îi]tre)\s*$",
    re.I,
)
# the same role written after the name (« DÉSIGNE la SCP A et B, prise en la personne de Me C, 16 rue …,
# en qualité d'administrateur judiciaire »)
IN_PERSON_OF = re.compile(r"en\s+la\s+personne\s+de\s+(?:Me|Ma[îi]tre)\s*$", re.I)
ROLE_LATER = re.compile(
    r"^[^.;\n]{0,160}?\b(?:en\s+(?:sa\s+)?qualit[ée]\s+d['’]|ès\s+qualit[ée]s?\s+d['’]|comme\s+)"
    r"(?:mandataire|liquidat|administrat(?:eur|rice)|commissaire|huissier|notaire)",
    re.I,
)
PARTY_AFTER = re.compile(
    r"n[ée]+(?:\(e\))?\s+le\b|demeurant|domicili[ée]|r[ée]sidant|de nationalit[ée]|"
    r"(?:pris|prise|agissant)\s+en\s+(?:son|sa)\s+(?:nom\s+)?personnel|en\s+son\s+nom\s+propre|"
    r"a\s+form[ée]\s+le\s+pourvoi|comparante?\s+en\s+personne",
    re.I,
)
PARTY_AFTER_STOP = re.compile(
    r"représent|assist|substitu|avocats?\s+(?:de|du|des)\s|conseil\s+de|\n[ \t]*\n|"
    # the civil status of another person named after (« Me X soutient que M. Y, né le … »)
    r"(?<![\w.])(?-i:M\.|MM\.|Mmes?|Mlle|Monsieur|Madame|Me|Ma[îi]tre)\s",
    re.I,
)
PROSECUTED_BEFORE = re.compile(
    r"(?:\b[àa]\s+l['’]encontre\s+(?:de|d['’])|\b(?:contre|visant|poursuivant|poursuivie?s?|mise?\s+en\s+cause))\s*"
    r"(?:(?:Me|Ma[îi]tre)\s*)?$",
    re.I,
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
    after = text[end : end + 200]
    stop = PARTY_AFTER_STOP.search(after)
    if stop:
        after = after[: stop.start()]
    if re.search(r"\w", before) and COUNSEL_BEFORE.search(before):
        # a lawyer prosecuted or sued, with a civil status (« poursuites engagées à l'encontre de Me X, avocat
        # au barreau de Y, né le … ») is the party, not counsel
        return bool(PROSECUTED_BEFORE.search(before) and PARTY_AFTER.search(after))
    if PARTY_AFTER.search(after):
        return True
    if re.search(r"\w", before):
        return False
    if ADDRESS_LINE.match(text[end : end + 80]):
        return True
    previous = [ln for ln in text[max(0, line_start - 200) : line_start].split("\n") if ln.strip()]
    return bool(previous) and bool(PARTY_HEADING.search(previous[-1].strip()))


# a report or a follow-up by a service that is no court (probation, youth protection, job centre, an
# association): « le rapport du service pénitentiaire d'insertion et de probation, établi par Mme X,
# conseillère » names its counsellor, a person, not a judge of the bench
NON_COURT_SERVICE = re.compile(
    r"\b(?:service\s+p[ée]nitentiaire|SPIP|protection\s+judiciaire\s+de\s+la\s+jeunesse|PJJ|"
    r"service\s+(?:social|[ée]ducatif|territorial)|mission\s+locale|France\s+Travail|P[ôo]le\s+emploi|Cap\s+emploi|"
    r"association|foyer|centre\s+d['’]h[ée]bergement|aide\s+sociale\s+[àa]\s+l['’]enfance|ASE|"
    # the counsellor's own title (« conseillère pénitentiaire d'insertion et de probation »)
    r"p[ée]nitentiaire\s+d['’]insertion)\b"
)
# the apposition right after a name, up to its closing comma
APPOSITION_AFTER = re.compile(r"[ \t]*,?[^,;.\n]*")
LAY_ROLE_AFTER = re.compile(r"^[ \t]*,?[ \t]*(?:conseill[eè]re?|d[ée]l[ée]gu[ée]e?|rapporteure?)\b(?![ \t]+(?:à|de|du|des|rapporteur|r[ée]f[ée]rendaire))", re.I)

# an authority's investigators designated to carry out a search (« désigne Mme X, rapporteure, et M. Y,
# rapporteur, pour effectuer les opérations »): a rapporteur who acts on the ground is no judge
INVESTIGATOR_AFTER = re.compile(
    r"^[ \t]*,[ \t]*rapporteure?s?\b(?![ \t]+public)(?:[^.;\n]|(?<=\bM)\.){0,80}?"
    r"\bpour\s+(?:effectuer|proc[ée]der\s+aux\s+op[ée]rations)",
    re.I,
)


# a lay assessor's trade or office in lower case between the name and the role (« M. X, administrateur
# principal des affaires maritimes, assesseur ; », « M. Y, patron de pêche, assesseur »): the role is read after it
TRADE_BEFORE_ASSESSOR = re.compile(r"^[ \t]*,[ \t]*(?=[a-zàâçéèêëîïôûùüÿœ])[^,;:\n()]{3,80},(?=[ \t]*assesseure?s?\b)")
INTERPRETER_AFTER = re.compile(r"^[ \t]*,[ \t]*(?:interpr[èe]te|traduct(?:eur|rice))\b", re.I)


# a heading listing a company's or a body's representatives (« En qualité de représentants de la société X : »,
# « Pour l'association Y, ses représentants : »): the roles under it are theirs, not the court's
COMPANY_REPRESENTATIVES = re.compile(
    r"(?:\brepr[ée]sentante?s?\b[^\n]{0,40}?\b(?:soci[ée]t[ée]|association|entreprise|syndicat|f[ée]d[ée]ration|"
    r"groupement|mutuelle|banque|fondation|SA|SAS|SASU|SARL|EURL|SCI)\b[^\n]*|"
    r"\b(?:soci[ée]t[ée]|association|entreprise|syndicat|f[ée]d[ée]ration|groupement|mutuelle|banque|fondation|SA|"
    r"SAS|SASU|SARL|EURL|SCI)\b[^\n]{0,80}?\brepr[ée]sentante?s?\b[^\n]{0,20}):[ \t]*$",
    re.I,
)


def _court_role_after(text: str, start: int, end: int, after: str) -> bool:
    """The role written after the name (``after``, other names stripped) is the court's: see
    ``AMBIGUOUS_ROLE``."""
    m = AMBIGUOUS_ROLE.match(after)
    if m is None:
        return True  # « greffière », « juge », « procureur » : only the court's
    tail = after[m.end() :]
    if re.search(r"premi|1er|1[èe]re", m.group(0), re.I) and re.search(r"pr[ée]sident", m.group(0), re.I):
        return True  # « premier président », « première présidente » : only a court's
    if COURT_QUALIFIER.match(tail) or (re.search(r"pr[ée]sident", m.group(0), re.I) and COURT_FUNCTION.match(tail)):
        return True
    if not BARE_ROLE_TAIL.match(tail):
        return False  # « conseillère bancaire », « président du club », « délégué du procureur »
    line_start = text.rfind("\n", 0, start) + 1
    if line_start and COMPANY_REPRESENTATIVES.search(text, text.rfind("\n", 0, line_start - 1) + 1, line_start):
        return False  # « En qualité de représentants de la société X : ⏎ - M. Y, président ; » : the company's
    window = text[max(0, start - 400) : start]
    ends = list(SENTENCE_END.finditer(window))
    if COURT_CUE.search(window, ends[-1].end() if ends else 0):
        return True
    # a line of a composition or a signature: the name opens its line, the bare role closes it
    # (« - Mme X, présidente, », « Mme Y, conseillère »)
    line_start = text.rfind("\n", 0, start) + 1
    if re.fullmatch(rf"[ \t\-–•*]*(?:(?:{CIVILITY})[ \t]*)?", text[line_start:start]) and re.match(
        r"[ \t]*[,;.]?[ \t]*(?:\n|$)", tail
    ):
        return True
    rest = text[end : end + 300]
    stop = SENTENCE_END.search(rest)
    return bool(COURT_CUE.search(rest, 0, stop.start() if stop else len(rest)))


def _sentence_before(text: str, start: int) -> str:
    """The words of the sentence before ``start`` (at most 200 characters, back to a full stop, a
    semicolon or a line break)."""
    window = text[max(0, start - 200) : start]
    cut = max(window.rfind(". "), window.rfind(";"), window.rfind("\n"))
    return window[cut + 1 :]


def context_category(text: str, start: int, end: int, civ: str) -> tuple[str | None, bool]:
    """Category from the words around the mention; ``(None, False)`` when nothing says.

    A lawyer known only from « Maître » (no « avocat » after it) is *weak* evidence
    (``(LAWYER, False)``): if the same name is a party elsewhere in the decision, it is a person."""
    civ_key = fold_chars(civ).rstrip(".")
    after = text[end : end + 90]
    if BIRTH_RIGHT_AFTER.match(after) or JUDICIAL_REPRESENTATIVE_AFTER.match(after):
        return PERSON, True
    if civ_key in LAWYER_CIV or LAWYER_AFTER.match(after):
        if civ_key in LAWYER_CIV and (
            NOT_LAWYER_AFTER.match(after)
            or OFFICER_AFTER_ADDRESS.match(text, end, end + 200)
            or MANDATARY_BEFORE.search(text[max(0, start - 200) : start])
            or OFFICER_BEFORE.search(text[max(0, start - 60) : start])
            or (IN_PERSON_OF.search(text[max(0, start - 40) : start]) and ROLE_LATER.match(text, end))
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
    stripped = OTHER_NAMES.sub("", after, count=1)
    if INTERPRETER_AFTER.match(after):
        # « en présence de Mme X, greffière, et de M. Y, interprète en langue pachto » : the interpreter
        # named in the composition is no member of the court
        return PERSON, True
    if LAY_ROLE_AFTER.match(after) and NON_COURT_SERVICE.search(APPOSITION_AFTER.match(after).group()):
        # « le rapport de Mme X, conseillère pénitentiaire d'insertion et de probation » : the service's own
        return PERSON, True
    if MAG_AFTER.match(stripped):
        if (NON_COURT_SERVICE.search(_sentence_before(text, start)) and LAY_ROLE_AFTER.match(after)) or (
            INVESTIGATOR_AFTER.match(after)
        ):
            return PERSON, True
        if _court_role_after(text, start, end, stripped):
            return MAGISTRATE, True
    trade = TRADE_BEFORE_ASSESSOR.match(stripped)
    if trade and _court_role_after(text, start, end, stripped[trade.end() :]):
        # a lay assessor named with his trade in a composition (« - M. X, patron de pêche, assesseur ; »)
        return MAGISTRATE, True
    before = text[max(0, start - 70) : start]
    if civ:
        before = before[: len(before) - len(civ)] if before.endswith(civ) else before
    before = before.rstrip()
    wide = text[max(0, start - 400) : start]
    if civ:
        wide = wide[: len(wide) - len(civ)] if wide.endswith(civ) else wide
    # « – le rapport du Dr X ; » heard at the hearing is a board member's, an item closed by the name; « le
    # rapport du docteur X n'est pas définitif » is an expert's, a person
    expert_report = re.search(r"rapport\s+du\s*\S*$", before) and not re.match(r"[ \t]*[;.]?[ \t]*(?:\n|$)", text[end : end + 10])
    if not expert_report and _mag_before(before, wide.rstrip()) and not BORN_AFTER.match(text, end) and (
        not re.search(
            r"(?:avocate?|conseil|représenté|assisté)\s+(?:de|par)\s*(?:" + CIVILITY + r")?\s*$", before, re.I
        )
        or PROSECUTION_BY.search(before)
    ):
        return MAGISTRATE, True
    if _enumeration_cue(text, start, end, civ):
        return MAGISTRATE, True
    if (
        (ROLE_LINE.match(text, text.rfind("\n", 0, start) + 1, start) and not BORN_AFTER.match(text, end))
        or _signature_block(text, start, end)
        or _signature_lines(text, start, end)
        or (
            ROLE_LABEL_INLINE.search(text[max(0, text.rfind("\n", 0, start) + 1, start - 120) : start])
            and not BORN_AFTER.match(text, end)
            and not PARTY_AFTER.search(text, end, end + 60)
        )
        # a party listed under a heading that is a role (« INTIMÉS ⏎ Le ministère public ⏎ Mme X épouse Y, née
        # le … »): a birth's date is no magistrate's
        or (_role_heading_above(text, start) and not BORN_AFTER.match(text, end))
        or (_continued_role_line(text, start) and not BORN_AFTER.match(text, end))
        or _signed_closing(text, start, end)
    ):
        return MAGISTRATE, True
    if civ_key in ("veuve", "epouse", "epoux", "nee", "feu", "feue"):
        # a married or maiden name is a party's, never a magistrate's title; nor is a dead person's
        return PERSON, True
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
