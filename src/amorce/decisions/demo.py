"""Synthetic court decisions for the demo (every person, address and number is fictional).

They mimic the layout of French decisions: parties in capitals, a lawyer, the judges and the clerk,
a date and place of birth, an address, a NIR (with a valid key), a phone number and an IBAN.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from .schema import Decision

_DECISIONS = [
    (
        "DEMO-CA-2024-001",
        {
            "jurisdiction": "Cour d'appel de Rennes",
            "chamber": "Chambre sociale",
            "decision_date": "2024-03-14",
            "solution": "Infirmation partielle",
            "source": "demo",
        },
        """COUR D'APPEL DE RENNES
Chambre sociale
ARRÊT DU 14 MARS 2024

APPELANT :
Monsieur Gaëtan QUILLIVIC, né le 12 avril 1981 à Quimper, demeurant 14, rue des Genêts, 29000 Quimper
Représenté par Maître Hélène MARZIN, avocat au barreau de Rennes

INTIMÉE :
SAS Brasserie de l'Odet, prise en la personne de son représentant légal

COMPOSITION DE LA COUR :
Mme Catherine LE BIHAN, présidente
M. Yves PENNEC, conseiller
GREFFIER : Mme Sophie TANGUY

EXPOSÉ DU LITIGE
M. QUILLIVIC a été engagé le 2 mai 2015 en qualité de brasseur. Son numéro de sécurité sociale,
1 81 04 29 232 045 91, figure sur les bulletins de paie. Licencié le 3 juin 2022, M. Quillivic
conteste la cause réelle et sérieuse de son licenciement.

PAR CES MOTIFS
La cour condamne la SAS Brasserie de l'Odet à payer à M. Gaëtan QUILLIVIC la somme de 18 000 euros
à titre de dommages-intérêts et 2 500 euros au titre de l'article 700 du code de procédure civile.

LA GREFFIÈRE                                   LA PRÉSIDENTE
""",
    ),
    (
        "DEMO-TJ-2024-002",
        {
            "jurisdiction": "Tribunal judiciaire de Lyon",
            "chamber": "Chambre de la famille",
            "decision_date": "2024-01-22",
            "solution": "Divorce prononcé",
            "source": "demo",
        },
        """TRIBUNAL JUDICIAIRE DE LYON
Chambre de la famille
JUGEMENT DU 22 JANVIER 2024

DEMANDERESSE :
Madame Amandine VERCHÈRE épouse BOUVARD, née le 3 septembre 1988 à Villeurbanne,
demeurant 7, impasse des Canuts, 69004 Lyon
Représentée par Me Karim BENSAÏD, avocat au barreau de Lyon

DÉFENDEUR :
Monsieur Julien BOUVARD, né le 17 février 1986 à Bron, demeurant 22, avenue Berthelot, 69007 Lyon

Juge aux affaires familiales : Mme Odile FAVRE
Greffier : M. Bruno MOREL

Les époux se sont mariés le 14 juin 2014 devant l'officier d'état civil de Lyon. Deux enfants sont
issus de cette union : Léna, née le 2 mars 2016, et Noé, né le 19 octobre 2018.
Mme Verchère sollicite la fixation de la résidence habituelle des enfants à son domicile.
M. Bouvard peut être joint au 06 12 34 56 78.

PAR CES MOTIFS
Prononce le divorce de Madame Amandine VERCHÈRE et de Monsieur Julien BOUVARD ;
Fixe la contribution de M. BOUVARD à l'entretien des enfants à 250 euros par mois et par enfant.
""",
    ),
    (
        "DEMO-CA-2023-003",
        {
            "jurisdiction": "Cour d'appel de Bordeaux",
            "chamber": "Première chambre civile",
            "decision_date": "2023-11-07",
            "solution": "Confirmation",
            "source": "demo",
        },
        """COUR D'APPEL DE BORDEAUX
Première chambre civile
ARRÊT DU 7 NOVEMBRE 2023

APPELANTS :
M. Pierre-Alain DUBERNET et Mme Solène DUBERNET, demeurant ensemble 3, chemin de Lamothe,
33370 Artigues-près-Bordeaux
Représentés par Maître François LAPORTE, avocat au barreau de Bordeaux

INTIMÉ :
M. Thomas ETCHEVERRY, demeurant 41, cours de la Marne, 33800 Bordeaux

Vu le jugement du tribunal judiciaire de Bordeaux du 5 avril 2022 ;
Les époux Dubernet reprochent à M. Etcheverry d'avoir édifié un mur sur la parcelle cadastrée
section AB n° 127. Les virements litigieux ont été faits depuis le compte
FR76 3000 6000 0112 3456 7890 189.

Composition de la cour : M. Laurent CAZENAVE, président ; Mme Inès ROUMÉGOUS, conseillère.
Greffière : Mme Martine LAFARGUE.

PAR CES MOTIFS
Confirme le jugement ; condamne M. et Mme DUBERNET aux dépens.
""",
    ),
    (
        "DEMO-CASS-2024-004",
        {
            "jurisdiction": "Cour de cassation",
            "chamber": "Chambre criminelle",
            "decision_date": "2024-05-28",
            "solution": "Rejet",
            "source": "demo",
        },
        """COUR DE CASSATION
CHAMBRE CRIMINELLE
ARRÊT DU 28 MAI 2024

Le pourvoi formé par M. Dylan FOURNIER, né le 30 juillet 1999 à Lille, contre l'arrêt de la cour
d'appel de Douai qui, pour vol aggravé, l'a condamné à deux ans d'emprisonnement.

M. Fournier circulait au volant d'un véhicule immatriculé AB-123-CD. Il a été interpellé avec
M. Kévin LEROUX, mineur au moment des faits.

La SCP Marlange et de La Burgade, avocat à la Cour de cassation, a produit un mémoire.

Sur le rapport de M. Étienne VALAT, conseiller, et les conclusions de Mme Claire PHILIPPON,
avocat général.

Présents : M. Bertrand BONNAL, président, M. VALAT, conseiller rapporteur,
Mme Anne-Marie GAUTHIER, greffier de chambre.

REJETTE le pourvoi.
""",
    ),
    (
        "DEMO-TJ-2024-005",
        {
            "jurisdiction": "Tribunal judiciaire de Marseille",
            "chamber": "Contentieux de la protection",
            "decision_date": "2024-06-11",
            "solution": "Expulsion ordonnée",
            "source": "demo",
        },
        """TRIBUNAL JUDICIAIRE DE MARSEILLE
Contentieux de la protection
JUGEMENT DU 11 JUIN 2024

DEMANDEUR :
L'OFFICE PUBLIC DE L'HABITAT 13, dont le siège est 5, boulevard Baille, 13006 Marseille

DÉFENDERESSE :
Madame Nadia HAMMOUDI, demeurant 28, rue du Rouet, 13008 Marseille, non comparante

Juge des contentieux de la protection : M. Olivier GIRAUD
Greffière : Mme Laetitia ROSSI

Mme HAMMOUDI, locataire depuis le 1er février 2019, ne règle plus ses loyers depuis mars 2023.
Elle a indiqué par courriel (nadia.hammoudi@exemple.fr) être en recherche d'emploi.
Madame Hammoudi reste devoir la somme de 6 420 euros.

PAR CES MOTIFS
Ordonne l'expulsion de Mme Nadia HAMMOUDI et la condamne à payer la somme de 6 420 euros.
""",
    ),
    (
        "DEMO-CA-2024-006",
        {
            "jurisdiction": "Cour d'appel de Paris",
            "chamber": "Pôle 6 - Chambre 9",
            "decision_date": "2024-02-29",
            "solution": "Infirmation",
            "source": "demo",
        },
        """COUR D'APPEL DE PARIS
Pôle 6 - Chambre 9
ARRÊT DU 29 FÉVRIER 2024

APPELANTE :
Mme Mei-Ling TRAN, née le 8 décembre 1990 à Paris 13e, demeurant 102, avenue d'Ivry, 75013 Paris
Représentée par Me Antoine ROUSSEL, avocat au barreau de Paris

INTIMÉE :
Société GÉNÉRALE DES TRANSPORTS URBAINS, SIREN 732 829 320, représentée par Me Claire DUVAL,
avocat au barreau de Paris

Mme Tran, conductrice de bus, soutient avoir subi un harcèlement moral de la part de son
supérieur, M. Patrick LEGRAND. Le témoignage de M. Legrand n'est pas probant.

Débats devant Mme Sylvie MARCHAND, présidente, Mme Agnès BLANC, conseillère,
assistées de M. Hugo PERRIN, greffier.

PAR CES MOTIFS
Infirme le jugement et condamne la société à payer à Mme Mei-Ling TRAN 12 000 euros de
dommages-intérêts.
""",
    ),
]


def demo_decisions() -> list[Decision]:
    return [Decision(id=ident, text=text, metadata=dict(meta)) for ident, meta, text in _DECISIONS]


# ------------------------------------------------------------------ generated corpus (benchmarks)
_FIRST_M = "Jean Pierre Karim Lucas Mohamed Thomas Hugo Nicolas Mathieu Julien Yann Rachid Antoine Olivier Bruno Kévin".split()
_FIRST_F = "Marie Nathalie Sophie Chloé Inès Camille Léa Aurélie Fatima Emma Élodie Pauline Manon Sarah Agnès Mei-Ling".split()
_LAST = (
    "MARTIN BERNARD DUBOIS THOMAS ROBERT RICHARD PETIT DURAND LEROY MOREAU SIMON LAURENT LEFEBVRE MICHEL "
    "GARCIA DAVID BERTRAND ROUX VINCENT FOURNIER MOREL GIRARD ANDRÉ MERCIER DUPONT LAMBERT BONNET FRANÇOIS "
    "MARTINEZ LEGRAND GARNIER FAURE ROUSSEAU BLANC GUERIN MULLER HENRY ROUSSEL NICOLAS PERRIN MORIN MATHIEU "
    "CLÉMENT GAUTHIER DUMONT LOPEZ FONTAINE CHEVALIER ROBIN MASSON SANCHEZ NGUYEN HADDAD BEN SAÏD LE GALL "
    "KOWALSKI BOULANGER"
).split() + ["BEN SAÏD", "LE GALL", "DE LA ROCHE", "DA SILVA"]
_CITIES = (
    ("Quimper", "29000"),
    ("Lyon", "69003"),
    ("Bordeaux", "33000"),
    ("Lille", "59000"),
    ("Nantes", "44000"),
    ("Marseille", "13005"),
    ("Toulouse", "31000"),
    ("Rennes", "35000"),
    ("Dijon", "21000"),
    ("Metz", "57000"),
)
_STREETS = (
    "rue des Lilas",
    "avenue Jean Jaurès",
    "boulevard Voltaire",
    "chemin des Vignes",
    "impasse du Moulin",
    "allée des Tilleuls",
    "rue de la République",
    "place du Marché",
)
_COURTS = (
    ("Cour d'appel de {city}", "Chambre sociale", "ARRÊT"),
    ("Tribunal judiciaire de {city}", "Chambre civile", "JUGEMENT"),
    ("Cour d'appel de {city}", "Première chambre civile", "ARRÊT"),
)
_MONTHS = ("janvier février mars avril mai juin juillet août septembre octobre novembre décembre").split()
_MOTIFS = (
    "{civ} {last_cap} fait valoir que les conditions de l'article 1240 du code civil sont réunies et sollicite "
    "la somme de {amount} euros en réparation de son préjudice.",
    "Il résulte des pièces produites, et notamment du courrier du {date}, que {civ} {last_cap} a été informé(e) "
    "de la procédure en temps utile.",
    "La société intimée soutient au contraire que la demande est prescrite et qu'aucune faute ne peut lui être "
    "reprochée ; elle conclut au rejet des prétentions adverses.",
    "Le témoignage de {civ2} {first2} {last2_cap}, voisin(e), confirme que les travaux ont été réalisés sans "
    "autorisation au cours du mois de {month}.",
    "Aux termes de l'article L. 1235-3 du code du travail, le juge octroie au salarié une indemnité dont le "
    "montant est compris entre les montants minimaux et maximaux fixés par ce texte.",
    "Il n'est pas inéquitable de laisser à la charge de {civ} {last_cap} les frais irrépétibles qu'il ou elle a "
    "exposés ; la demande au titre de l'article 700 du code de procédure civile est rejetée.",
    "{civ} {last} peut être joint(e) au {phone} ; les virements ont été effectués depuis le compte {iban}.",
    "Par des motifs pertinents que la cour adopte, le premier juge a exactement retenu que le contrat avait "
    "été rompu à l'initiative de l'employeur sans respect de la procédure de licenciement.",
)


def _nir(rng, sex: int, year: int, month: int) -> str:
    body = f"{sex}{year % 100:02d}{month:02d}{rng.randint(1, 95):02d}{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    key = 97 - int(body) % 97
    return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key:02d}"


def _iban(rng) -> str:
    """A French IBAN with a valid ISO 13616 check (mod 97; F = 15, R = 27)."""
    bban = "".join(str(rng.randint(0, 9)) for _ in range(23))
    candidate = f"FR{98 - int(bban + '152700') % 97:02d}{bban}"
    return " ".join(candidate[i : i + 4] for i in range(0, len(candidate), 4))


def generate_decisions(n: int, seed: int = 0, start: int = 0) -> Iterator[Decision]:
    """``n`` fictional decisions (ids ``GEN-000000``…), for benchmarks and load tests: parties,
    lawyers, judges, clerks, birth dates and places, addresses, NIR and IBAN with valid keys,
    phone numbers, amounts, in the layout of French decisions (about 2,500 to 7,000 characters).
    Deterministic for a given ``seed``; ``start`` lets a corpus be generated in slices."""
    for i in range(start, start + n):
        yield _generate_one(random.Random(seed * 1_000_003 + i), i)


def _person(rng: random.Random, last: str) -> tuple[str, str, str]:
    civility = rng.choice(("M.", "Mme"))
    return rng.choice(_FIRST_M if civility == "M." else _FIRST_F), last, civility


def _generate_one(rng: random.Random, i: int) -> Decision:
    city, cp = rng.choice(_CITIES)
    court, chamber, kind = rng.choice(_COURTS)
    court = court.format(city=city)
    year = rng.randint(2019, 2025)
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    people = [_person(rng, last) for last in rng.sample(_LAST, 6)]
    (f1, l1, c1), (f2, l2, c2), (fj, lj, cj), (fg, lg, cg), (fa, la, _), (fb, lb, _) = people
    born_y, born_m = rng.randint(1945, 2002), rng.randint(1, 12)
    motifs = []
    for _ in range(rng.randint(12, 36)):
        values = {
            "civ": c1,
            "last": l1.title(),
            "last_cap": l1,
            "civ2": c2,
            "first2": f2,
            "last2_cap": l2,
            "amount": f"{rng.randint(1, 80) * 500:,}".replace(",", " "),
            "date": f"{rng.randint(1, 28)} {rng.choice(_MONTHS)} {year - 1}",
            "month": rng.choice(_MONTHS),
            "phone": f"0{rng.randint(1, 7)} " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4)),
            "iban": _iban(rng),
        }
        motifs.append(rng.choice(_MOTIFS).format(**values))
    half = len(motifs) // 2
    text = (
        f"{court.upper()}\n{chamber}\n{kind} DU {day} {_MONTHS[month - 1].upper()} {year}\n\n"
        f"APPELANT :\n{'Monsieur' if c1 == 'M.' else 'Madame'} {f1} {l1}, né(e) le {rng.randint(1, 28)} "
        f"{_MONTHS[born_m - 1]} {born_y} à {rng.choice(_CITIES)[0]}, demeurant {rng.randint(1, 120)}, "
        f"{rng.choice(_STREETS)}, {cp} {city}\n"
        f"Numéro de sécurité sociale : {_nir(rng, 1 if c1 == 'M.' else 2, born_y, born_m)}\n"
        f"Représenté(e) par Maître {fa} {la}, avocat au barreau de {city}\n\n"
        f"INTIMÉ(E) :\n{c2} {f2} {l2}, demeurant {rng.randint(1, 120)}, {rng.choice(_STREETS)}, {cp} {city}\n"
        f"Représenté(e) par Me {fb} {lb}, avocat au barreau de {city}\n\n"
        f"COMPOSITION DE LA JURIDICTION :\n{cj} {fj} {lj}, président(e)\nGREFFIER : {cg} {fg} {lg}\n\n"
        "EXPOSÉ DU LITIGE\n\n"
        + "\n\n".join(motifs[:half])
        + "\n\nMOTIFS DE LA DÉCISION\n\n"
        + "\n\n".join(motifs[half:])
        + f"\n\nPAR CES MOTIFS\n\nCondamne {c2} {l2} à payer à {c1} {f1} {l1} la somme de "
        f"{rng.randint(1, 80) * 500} euros à titre de dommages-intérêts et {rng.randint(1, 6) * 500} euros au "
        "titre de l'article 700 du code de procédure civile.\n\n"
        "LE GREFFIER                                   LE PRÉSIDENT\n"
    )
    metadata = {
        "jurisdiction": court,
        "chamber": chamber,
        "decision_date": f"{year}-{month:02d}-{day:02d}",
        "source": "genere",
    }
    return Decision(id=f"GEN-{i:06d}", text=text, metadata=metadata)
