"""Synthetic court decisions for the demo (every person, address and number is fictional).

They mimic the layout of French decisions: parties in capitals, a lawyer, the judges and the clerk,
a date and place of birth, an address, a NIR (with a valid key), a phone number and an IBAN.
"""

from __future__ import annotations

from .schema import Decision

_DECISIONS = [
    ("DEMO-CA-2024-001", {"jurisdiction": "Cour d'appel de Rennes", "chamber": "Chambre sociale",
                          "decision_date": "2024-03-14", "solution": "Infirmation partielle", "source": "demo"},
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
"""),
    ("DEMO-TJ-2024-002", {"jurisdiction": "Tribunal judiciaire de Lyon", "chamber": "Chambre de la famille",
                          "decision_date": "2024-01-22", "solution": "Divorce prononcé", "source": "demo"},
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
"""),
    ("DEMO-CA-2023-003", {"jurisdiction": "Cour d'appel de Bordeaux", "chamber": "Première chambre civile",
                          "decision_date": "2023-11-07", "solution": "Confirmation", "source": "demo"},
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
"""),
    ("DEMO-CASS-2024-004", {"jurisdiction": "Cour de cassation", "chamber": "Chambre criminelle",
                            "decision_date": "2024-05-28", "solution": "Rejet", "source": "demo"},
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
"""),
    ("DEMO-TJ-2024-005", {"jurisdiction": "Tribunal judiciaire de Marseille", "chamber": "Contentieux de la protection",
                          "decision_date": "2024-06-11", "solution": "Expulsion ordonnée", "source": "demo"},
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
"""),
    ("DEMO-CA-2024-006", {"jurisdiction": "Cour d'appel de Paris", "chamber": "Pôle 6 - Chambre 9",
                          "decision_date": "2024-02-29", "solution": "Infirmation", "source": "demo"},
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
"""),
]


def demo_decisions() -> list[Decision]:
    return [Decision(id=ident, text=text, metadata=dict(meta)) for ident, meta, text in _DECISIONS]
