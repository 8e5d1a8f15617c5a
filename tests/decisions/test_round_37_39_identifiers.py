"""Classes of identifiers left in clear on the development rounds 37 to 39 (issue 18), one general rule
each, on invented sentences (names, places, numbers and wordings of our own, never the rounds')."""

from __future__ import annotations

from .test_round_8_10_classes import _by_category, _masked  # the texts the rules mask


# ------------------------------------------------------------- foreign phones: code in brackets, long last group
def test_a_phone_number_with_its_calling_code_in_brackets(rules_only):
    assert "(+227) 96 31 57 40" in _masked(rules_only, "domiciliée à Niamey, téléphone : (+227) 96 31 57 40, absente.")


def test_a_phone_number_with_seven_figures_in_its_last_group(rules_only):
    assert "+49 1763 5520184" in _masked(rules_only, "Les enquêteurs ont identifié la ligne +49 1763 5520184 utilisée.")


# ------------------------------------------------------------- GPS coordinates after their cue
def test_gps_coordinates_after_their_cue(rules_only):
    masked = _by_category(rules_only, "le véhicule a stationné (position GPS : 45.7712, 4.8391) toute la nuit.", "adresse")
    assert masked == ["45.7712, 4.8391"]
    # figures with dots and no cue are no coordinates
    assert not _by_category(rules_only, "les versions 12.5001, 13.0042 du logiciel ont été livrées.", "adresse")


# ------------------------------------------------------------- the town of a civil-status centre
def test_the_town_of_a_civil_status_centre(rules_only):
    masked = _by_category(rules_only, "l'acte dressé au centre secondaire d'état civil de Dioïla sous le n° 88.", "localite")
    assert masked == ["Dioïla"]
    masked = _by_category(rules_only, "devant l'officier de l'état civil de la commune rurale de Sokorodji, les époux.",
                          "localite")
    assert masked == ["Sokorodji"]


# ------------------------------------------------------------- a town after a nursery, a sports hall, a named school
def test_a_town_after_a_named_establishment(rules_only):
    assert "Vernouillet" in _by_category(rules_only, "son fils est accueilli à la crèche Les Petits Lutins de Vernouillet.",
                                         "localite")
    assert "Saint-Amand-les-Eaux" in _by_category(
        rules_only, "le match disputé à la salle des sports de Saint-Amand-les-Eaux a été arrêté.", "localite")
    assert "Pont-Sainte-Maxence" in _by_category(
        rules_only, "elle a été affectée au lycée de l'Oiseau-Lyre de Pont-Sainte-Maxence en septembre.", "localite")


# ------------------------------------------------------------- foreign identity numbers
def test_an_identity_card_with_long_qualifiers(rules_only):
    masked = _by_category(rules_only, "titulaire d'une carte nationale d'identité électronique tunisienne n° 0873312456901.",
                          "numeroIdentifiant")
    assert masked == ["0873312456901"]


def test_a_number_with_letter_groups(rules_only):
    masked = _by_category(rules_only, "sa carte consulaire n° SN-DKR-0331975 délivrée à Lyon.", "numeroIdentifiant")
    assert masked == ["SN-DKR-0331975"]


def test_a_person_identified_by_a_number(rules_only):
    masked = _by_category(rules_only, "M. Joseph, cultivateur, identifié au numéro 012-337-804-2, a déclaré.",
                          "numeroIdentifiant")
    assert masked == ["012-337-804-2"]


# ------------------------------------------------------------- a messaging handle in quotes after its account
def test_a_messaging_handle_in_quotes(rules_only):
    masked = _by_category(rules_only, "les échanges sur le compte Signal « @renard_gris » et le salon Sky ECC « lune77_x ».",
                          "siteWebSensible")
    assert masked == ["@renard_gris", "lune77_x"]
    assert "FALCO31" in _masked(rules_only, "via la messagerie Wickr avec le compte « FALCO31 », puis ailleurs.")
    # a common word in quotes is no handle
    assert not _by_category(rules_only, "le compte « Épargne » de la société.", "siteWebSensible")
