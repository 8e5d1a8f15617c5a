"""Name patterns: name words, particles, civilities (singular and plural), kinship words, firm
names, words that are never names; how a run of name words splits into units as Label annotates them."""

from __future__ import annotations

import re

from ..rules import LO, SP, UP
from ..schema import fold_chars

NAME_WORD = rf"[{UP}][{UP}{LO}'’]*(?:-[{UP}{LO}][{UP}{LO}'’]*)*"
# a first name as written in running text: a capital, lower case, a hyphenated second part (« Mirela », « Jean-Luc »)
FIRST_NAME = rf"[{UP}][{LO}]+(?:-[{UP}][{LO}]+)?"
PARTICLE = (
    r"(?:d['’]|(?:de|du|des|le|la|van|von|der|den|di|da|del|della|do|dos|das|i|ben|bin|el|al|ibn|ter|ten|zu|zur|zum|vom|Ten|Ter|De|Du|Di|Da|Van|Von|Le|La|Del|El|Ben|DE|DU|DES|LE|LA|DI|DA|VAN|VON|DEL|EL|BEN|AL|"
    r"y|"  # Spanish: « José Ortega y Gasset »
    # Catalan or Spanish in capitals, between two words in capitals only: « PUIG I CADAFALCH », « ORTEGA Y GASSET »
    rf"(?<=[{UP}][{UP}][ \t\u00a0])[IY](?=[ \t\u00a0]+[{UP}][{UP}])|"
    r"Ó|Ní|Nic|Ua|"  # Irish: « Cathal Ó Bríain », « Áine Ní Fhloinn »
    # a Bantu connector between two name words: « Ilunga wa Kabeya », « MUKENDI WA NGOY »
    rf"(?<=[{UP}{LO}][ \t\u00a0])(?:wa|WA)(?=[ \t\u00a0]+[{UP}])|"
    r"Ar|AR|AN)"  # Breton articles: « Tudual Ar Menn », « AN DU » (not « An », a first name)
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
    r"monsieur|madame|mademoiselle|MONSIEUR|MADAME|Drs\.?|Dr\.?|Docteur|docteur|Pr\.|Professeur|"
    r"veuve|épouse|époux|née|consorts|Consorts|Maître|Maitre|Me|enfants?|mineure?s?|fils|fille|"
    r"petite?-(?:fils|fille)|frère|sœur|soeur|mère|père|concubine?|compagne|compagnon|ami|amie|cousine?|neveu|nièce|"
    r"M\.\s*et\s*Mme|(?<!le )(?<!au )(?<!du )(?<!un )feue?"  # « feu Paul X », « feue Rose Y »: a dead person
)
# a police, gendarmerie or military rank used like a civility before a name (« le gardien de la paix X Y », « le
# brigadier-chef X », « l'adjudant-chef X », « le lieutenant-colonel X »): the name is a person's, never a
# professional's (not « commissaire », also « commissaire de justice » or « commissaire du Gouvernement »)
RANK = (
    r"(?:gardien(?:ne)?s?\s+de\s+la\s+paix|brigadi[eè]re?s?(?:-(?:chef|major))?|"
    r"(?:sous-|lieutenant-)?lieutenant(?:-colonel)?|capitaine|commandant|colonel|g[ée]n[ée]ral|"
    r"adjudante?(?:-chef)?|major|sergente?(?:-chef)?|caporale?(?:-chef)?|gendarme|"
    r"mar[ée]chal(?:e)?(?:-|\s+)des(?:-|\s+)logis(?:-chef)?|chef\s+d['’]escadron|aspirant|matelot|quartier-ma[iî]tre|"
    r"officier\s+de\s+police(?:\s+judiciaire)?|agent\s+de\s+police(?:\s+judiciaire)?|policier|policière)"
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
# (never a firm or a company after « de la » : « M. et Mme X, de la SCP A, B et C, avocat »)
LIST_ITEM = (
    rf"(?:(?:{SP}*,{SP}*|{SP}+et{SP}+)"
    rf"(?!(?:de{SP}+la|du|de|d['’]){SP}*(?:SCP|SELARL|SELAS|SELAFA|SELEURL|AARPI|SARL|SAS|SASU|SCI|[Ss]oci[ée]t[ée])\b)"
    rf"(?:(?:{CIVILITY}){SP}*)?{NAME_SEQ})"
)
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
PARTNERSHIP = (
    rf"SCP|SELARL|SELAS|SELAFA|SELEURL|AARPI|S\.C\.P\.|S\.E\.L\.A\.R\.L\.|soci[ée]t[ée]{SP}+civile{SP}+professionnelle|"
    rf"soci[ée]t[ée]{SP}+d['’]avocats|association{SP}+d['’]avocats"
)
# A law firm named after its partners (« la SCP Boré, Salve de Bruneton et Mégret, avocat »): the
# names are counsel, one span as Label annotates them. Without « avocat » right after the names, a
# professional partnership (``partnership``) is counsel when a counsel cue opens its sentence
# (« représenté par la SCP A et B », « Avocats : la SCP A, la SCP B, C ») and no other profession
# follows its names (« la SCP A et B, notaires associés »).
FIRM = re.compile(
    rf"(?:\b(?P<partnership>{PARTNERSHIP})\b|\b(?:SARL|SAS|Cabinet|cabinet)\b){SP}+"
    rf"(?P<names>{NAME_SEQ}(?:(?:{SP}*,{SP}*|{SP}+(?:et|&){SP}+|{SP}*-{SP}*){NAME_SEQ}){{0,6}}"
    rf"(?:{SP}+et{SP}+associ[ée]s)?)(?P<counsel>{SP}*,{SP}*avocats?\b)?"
)
# the words introducing counsel just before a firm, or before the list of firms it closes
FIRM_COUNSEL_BEFORE = re.compile(
    r"(?:(?:repr[ée]sent[ée]e?s?|assist[ée]e?s?|substitu[ée]e?s?|d[ée]fendue?s?|plaidant|postulant)\s+(?:par|de)|"
    r"avocats?(?!\s+g[ée]n[ée]ra)\s*:|conseils?\s*:|observations(?:\s+\w+)?\s+de|m[ée]moires?\s+(?:de|par)|"
    r"(?:ayant\s+)?pour\s+(?:avocats?|conseils?))"
    rf"(?:\s*(?:la|le|l['’])?\s*(?:{PARTNERSHIP})[^\n;:]{{1,120}}?(?:,|\set))?\s*(?:la\s+|le\s+|l['’]\s*)?$",
    re.I,
)
# the firm of the counsel just named (« représentée par Me A. Roux, de l'AARPI Roux & Vial »): that mention only
# (the firm's name elsewhere may be a party's, « la SCP MICHEL … » beside « Mme Michel »)
COUNSEL_NAMED_BEFORE = re.compile(
    r"(?:\bMe|\bMa[îi]tre)\s+[^\n,;:()]{1,60}?"
    # (her bar between them: « Me A. Roux, avocate au barreau de Lyon, de la SCP Roux, Vial et Bon »)
    r"(?:,\s*avocate?\s+au\s+barreau\s+(?:de|du|d['’])\s*[^\n,;:()]{1,40}?)?"
    r",?\s+(?:(?:associ[ée]e?|membre|collaborat(?:eur|rice))\s+)?(?:de|du)"
    r"\s*(?:la\s+|le\s+|l['’]\s*)?$"
)
# the acronym of a judicial representative's role in its firm's name (« SELARL AJ X », « SELAS MJA Y »): no name
ROLE_ACRONYM = re.compile(r"[AM]JA?")
FIRM_OTHER_PROFESSION = re.compile(
    rf"{SP}*,?{SP}*(?:[\w'’-]+{SP}+){{0,3}}(?:notaires?|huissiers?|commissaires?|mandataires?|liquidat|"
    rf"administrat(?:eur|rice)s?|experts?|m[ée]decins?|architectes?|g[ée]om[èe]tres?|pharmac|syndic|"
    rf"v[ée]t[ée]rinaires?|(?:pris(?:e)?{SP}+)?en{SP}+la{SP}+personne)",
    re.I,
)
FIRM_TAIL = re.compile(
    rf"{SP}+(?:de|du){SP}+(?:la{SP}+|l['’]{SP}*)?(?:SCP|SELARL|SARL|SELAS|SELAFA|SELEURL|"
    rf"SELARLU|AARPI|SAS|S\.E\.L\.A\.R\.L\.)\b[^,\n;()]*"
    # the other partners of the firm, up to « , avocat » (« de la SCP CABANES, ROIG & VIDAL, avocat au … »)
    rf"(?:(?:{SP}*,{SP}*{NOT_CIVILITY}(?!(?i:plaidant|postulant|constitu|substitu|avocat|toque|vestiaire))[{UP}][^,\n;()]*)+"
    rf"(?={SP}*,{SP}*avocats?\b))?"
)
FIRST_LAST = re.compile(
    rf"(?:(?<=\b[dD]['’])|(?<![\w.'’-]))(?P<first>[{UP}][{LO}'’]+(?:-[{UP}][{LO}'’]+)?)(?:{SP}+[{UP}][{LO}'’]+)?"
    rf"{SP}+(?P<last>(?:(?:LE|LA|DE|DU|DI|DA|VAN|VON|EL|BEN|d['’]|de|le){SP}*)?"
    rf"[{UP}]{{2,}}(?:[-'’ ][{UP}]{{2,}})*)(?![{LO}])"
)

# Role words that also name a lay function: a family or job counsellor (« conseillère en économie sociale
# et familiale », « conseiller d'orientation »), a polling station's officer (« assesseur du bureau n° 3 »),
# a list's or a union's delegate (« délégué de liste », « déléguée syndicale »): not the court's.
LAY_COUNSELLOR = (
    r"(?![ \t]+(?:en\s+(?!service)|d['’](?![ÉE]tat)|de\s+(?:client|vente|gestion|pr[ée]vention|patrimoine)|"
    r"principale?|municipa|financi|client|technique|p[ée]dagogi|conjuga|commercia|juridique|m[ée]dica|"
    r"r[ée]gional|d[ée]partemental|communautaire|territoria|p[ée]nitentiaire|"
    # an organisation's name right after the role (« conseillère Cap emploi »), not a civility
    rf"(?-i:(?!(?:M|MM|Mme|Mmes|Mlle|Me|Madame|Monsieur|Ma[îi]tre|R[ée]f[ée]rendaire|Rapporteur|Rapporteure|"
    r"Doyen|Doyenne|Honoraire|Pr[ée]sidente?|D[ée]l[ée]gu[ée]e?|Suppl[ée]ante?|Plac[ée]e?|Stagiaire|Charg[ée]e?|"
    rf"À|A|Au|Aux|De|Du|Des|La|Le|Les|Faisant|Assesseure?)\b)[{UP}])))"
)
LAY_ASSESSOR = r"(?!e?s?[ \t]+(?:titulaire\s+|suppl[ée]ante?\s+)?(?:du|de|d['’]un)\s+bureau)"
LAY_DELEGATE = (
    r"(?!e?s?[ \t]+(?:de\s+(?:la\s+)?liste|syndica|du\s+personnel|des\s+salari|du\s+maire|du\s+pr[ée]fet|"
    r"[ée]lectora|consulaire|m[ée]dica|territoria|r[ée]giona|d[ée]partementa|"
    # a delegate of an association or a union assisting a party (« délégué d'une association de … »)
    r"(?:d['’]une?|de\s+l['’]|du|de\s+la)\s*(?:association|syndicat|organisation|union|f[ée]d[ée]ration)))"
)
# the name and its role are on the same line or on the next one, never across a blank line (« M. X ⏎⏎
# Juge-commissaire : M. Y » is two lines of a list)
MAG_AFTER = re.compile(
    r"^(?![ \t,]*\n[ \t]*\n)[\s,]*(?:\(|en sa qualité de |en qualité de |ayant fonction de |"
    # the clerk « tenant la plume » (« Mme X tenant la plume en qualité de greffière »)
    r"tenant[ \t]+la[ \t]+plume[ \t,]+(?:en[ \t]+(?:sa[ \t]+)?qualit[ée][ \t]+de[ \t]+|comme[ \t]+))?"
    r"(?:premi[eè]re? |vice-|1er |1[èe]re )*"
    # the officer who holds the prosecution at a police court (« M. X, commissaire de police, officier du ministère public »)
    rf"(?:(?:commissaire[ \t]+de[ \t]+police[ \t]*,[ \t]*)?officier[ \t]+du[ \t]+minist[eè]re[ \t]+public\b|"
    rf"tenant[ \t]+la[ \t]+plume\b|pr[ée]sident|pr[ée]sidente|conseill[eè]re?s?\b{LAY_COUNSELLOR}|greffi[eè]re?|magistrat|juges?\b|procureure?|"
    r"substitut|membres?[ \t]+(?:titulaires?|suppl[ée]ante?s?)\b|membres(?=[ \t]*(?:;|\n|$))|"
    r"avocate? g[ée]n[ée]ral|doyen|doyenne|rapporteur|rapporteure|auditeur|auditrice|adjointe? administrati(?!(?:(?!fonction|greff)[^,;\n]){0,40}?(?:territoria|hospitali|\b(?:de|du|des|d['’])\s*(?:la\s+|l['’]\s*)?"
    r"(?!greffe|tribunal|cour|juridiction|chambre|audience|classe|grade|[ée]chelon|cat[ée]gorie|services?\b|\d)\w))|"
    r"directeur de greffe|directrice de greffe|directeur des services de greffe|faisant fonction|"
    rf"d[ée]l[ée]gu[ée]{LAY_DELEGATE}|assesseur{LAY_ASSESSOR}|commis greffier|secr[ée]taire[ \t-]+greffi[eè]re?|secr[ée]taire[ \t]+d['’]audience|secr[ée]taire[ \t]+de[ \t]+s[ée]ance|agent de greffe|greffe|lors des d[ée]bats|lors du d[ée]lib[ée]r[ée]|"
    r"avocat g|premier avocat|président de chambre|conseiller référendaire|référendaire|ma[îi]tre(?:sse)? des requ[êe]tes|"
    # a prefect signing an order acts in office: Label keeps the name, like a magistrate's
    r"(?:sous-)?pr[ée]f[eè]te?\s+(?:de|du|des|d['’])\s|"
    # an asylum court's lay member, appointed to the bench (« personnalité nommée par le haut-commissaire
    # des Nations unies pour les réfugiés », « … par le vice-président du Conseil d'État »)
    r"personnalit[ée]s?\s+(?:qualifi[ée]es?\s+)?nomm[ée]e?s?\s+par\s)",
    re.I,
)
MAG_BEFORE = re.compile(
    r"\b(?:greffi[eè]re?s?|pr[ée]sident(?:e|s)?|conseill[eè]re?s?|magistrat(?:e|s)?|juges?|procureure?|substitut|"
    r"avocate? g[ée]n[ée]ral|compos[ée]e? de|lors des d[ée]bats|lors du d[ée]lib[ée]r[ée]|"
    # « Ainsi fait et délibéré par Mme X, première conseillère du corps des tribunaux administratifs »
    r"d[ée]lib[ée]r[ée]e?\s+par|"
    r"d[ée]l[ée]gu[ée]e?|assesseurs?|composition(?: de la cour| du tribunal| suivante)?|compos[ée]e?\s+comme\s+suit|"
    # the reporting judge: « sur le rapport de », « après rapport oral de l'affaire par », and « - le rapport
    # de » in the list of what was heard at the hearing
    r"(?:(?:sur|apr[èe]s|vu|entendu)\s+(?:le\s+)?|(?<=[-–—•] )le\s+)rapport(?:\s+oral)?"
    r"(?:\s+de\s+l['’]affaire)?\s+(?:de|par)|"
    # « – le rapport du Dr X » in the list of what was heard, « entendu le rapport du Pr Y » : a board's member
    r"(?:(?<=[-–—•] )|entendu\s+)le\s+rapport\s+du\s*(?:(?:Drs?|Pr)\.?|Docteur|Professeur)?\s*$|"
    # the wordings of a court's composition: « présidée par », « sous la présidence de », « audience
    # tenue par », « débats tenus devant »
    r"pr[ée]sid[ée]e?s?\s+par|sous\s+la\s+pr[ée]sidence|(?:audience|d[ée]bats)(?:\s+publiques?)?\s+tenue?s?\s+"
    r"(?:par|devant)|"
    # « Débats à l'audience publique du 9 mars 2025, devant X » : the judge before whom the hearing was held
    r"(?:audience|d[ée]bats)\b[^.;:\n]{0,60}?,?\s+devant|"
    # « le ministère public étant représenté par M. X, commissaire de police » : the prosecution's officer
    # (« était représenté », « occupé par », « tenu par », « exercé par » at a police court)
    r"minist[eè]re\s+public(?:\s+(?:[ée]tant|[ée]tait|est|a\s+[ée]t[ée]))?\s+(?:(?:repr[ée]sent[ée]|occup[ée]|tenu|"
    r"exerc[ée])\s+par|"
    r"en\s+la\s+personne\s+de))\b"
    r"(?:\s+(?:de\s+chambre|plac[ée]e?|stagiaire|rapporteur|r[ée]f[ée]rendaire|d[ée]l[ée]gu[ée]e?|honoraire|"
    # the judge who referred the case (« Vu l'ordonnance de saisine du juge d'instruction, M. X »), a registry's
    # associate clerk (« Le greffier associé, »)
    r"d['’]instruction|des\s+enfants|de\s+l['’]application\s+des\s+peines|associ[ée]e?|"
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
    r"refuge|maladies?|syndromes?|maison\s+d['’]arr[êe]t|p[ôo]le\s+emploi|institut|EHPAD|cabinet|[ée]tablissement|"
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
inconnu inconnue x y z vice-president vice-presidente vice-procureur
mme mmes mlle mlles mr mm messieurs mesdames epouse epoux veuve nee ne
notaire notaires associe associes associee associees mandataire mandataires judiciaire judiciaires
plaidant plaidante postulant postulante procureure prefete prefecture substitut commissaire directrice
lrar bull dommages ouvrage retention retentions administrative administratives arrets travail
infirmant remplacer fondation centre hospitalier
portalis pourvoi grosse delivree expedition parquet mel se gie sasu selas selafa seleurl aarpi
magistrat magistrate delegue deleguee
sprl srl gmbh ltd llc bv nv spa sarlu bvba
recoit designe designons disons ordonnons constatons renvoyons declarons condamnons fixons rejetons homologue
prononce alloue accorde autorise
""".split()
}

CALENDAR = {
    fold_chars(w)
    for w in "lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril juin juillet aout "
    "septembre octobre novembre decembre".split()
}

PARTY_HEADING = re.compile(
    r"(?:APPELANTE?S?|INTIM[ÉE]+E?S?|DEMANDEU(?:R|RS|RESSE|RESSES)|D[ÉE]FENDEU(?:R|RS|RESSE|RESSES)|"
    r"REQU[ÉE]RANTE?S?|PARTIES? INTERVENANTES?|INTERVENANTE?S? VOLONTAIRES?|ASSIGN[ÉE]+E?S?|"
    r"EN PR[ÉE]SENCE DE|ET|PERSONNE RETENUE|[ÉE]TRANGER|[ÉE]TRANG[ÈE]RE)\s*(?:\(?S?\)?)?\s*:?\s*$",
    re.I,
)


def is_name_word(word: str) -> bool:
    key = fold_chars(word).strip("'’")
    if len(key) == 2 and key in STOP and word.lower().strip("'’") not in (key, "né", "là", "où", "dû", "çà"):
        return True  # a short name whose accent tells it from a stop word (« Lê » is not « le »)
    return len(key) >= 2 and key not in STOP and not key.isdigit()


def split_units(text: str, start: int, end: int, *, split_hyphens: bool) -> list[tuple[int, int]]:
    """Cut a name run into Label-style units; a particle stays with the next word."""
    units: list[tuple[int, int]] = []
    chunk = text[start:end]
    for m in UNIT_RE.finditer(chunk):
        word = m.group("word")
        if not is_name_word(word) and not (
            # a surname that is a calendar word, last after a first name (« Yvan Dimanche », « Rose Février »)
            units and m.end() == len(chunk.rstrip()) and fold_chars(word).lower() in CALENDAR
        ) and not (
            # a given name that is a month, between the surname and another given name (« LY Mai Chia »)
            units
            and fold_chars(word).lower() in CALENDAR | {"mai"}
            and (following := re.match(rf"{SP}+({NAME_WORD})", chunk[m.end() :]))
            and is_name_word(following.group(1))
        ):
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
        # a « Saint- » compound after a first name is one surname (« Rosette Saint-Éloi »)
        if (
            split_hyphens
            and "-" in word
            # a given name romanised from Korean or Chinese is one word (« Ha-eun », « Jae-sung »)
            and not re.fullmatch(rf"[{UP}][{LO}]+(?:-[{LO}]+)+", word)
            and not m.group("particles")
            and not word.isupper()
            and not (SAINT.match(word) and units)
        ):
            base = start + m.start("word")
            pos = 0
            parts = word.split("-")
            for i, part in enumerate(parts):
                if part and SAINT.fullmatch(part) and i + 1 < len(parts):
                    # « Saint-X » inside a party's name is one unit (« Mme Sainte-Luce », « Leroy-Saint-Aubin »)
                    units.append((base + pos, base + pos + len(part) + 1 + len(parts[i + 1])))
                    parts[i + 1] = ""
                    pos += len(part) + 1
                    continue
                if part and is_name_word(part):
                    units.append((base + pos, base + pos + len(part)))
                pos += len(part) + 1
            continue
        units.append((s, e))
    return units
