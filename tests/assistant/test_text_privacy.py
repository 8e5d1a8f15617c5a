"""French analysis, query expansion, typo correction, personal data masking, figure checks."""

from __future__ import annotations

import pytest

from amorce.assistant import AI_ACT_NOTICE, extract_figures, mask, mask_personal_data, unsupported_figures
from amorce.assistant.text import (
    FOREIGN_PLACES,
    LEXICON,
    TypoCorrector,
    analyze,
    expand_query,
    foreign_places,
    load_lexicon,
    mentions,
    word_alternatives,
)


def test_french_analysis() -> None:
    tokens = analyze("Les propriétaires peuvent-ils garder les clés du logement ?")
    assert "propriétair" not in tokens and "proprietair" in tokens  # folded then stemmed
    assert "les" not in tokens and "peuvent" not in tokens
    assert analyze("allocations") == analyze("allocation")


def test_everyday_words_are_expanded() -> None:
    assert "proprietaire" in expand_query("mon proprio garde mes clés")
    assert "caisse allocations familiales" in expand_query("la CAF")
    assert "delai" in expand_query("combien de temps pour avoir ma carte grise")
    assert "titres restaurant" in expand_query("Mes tickets resto")
    assert "prime activite" in expand_query("je touche la prime d'activité")  # elided phrase keys match
    assert expand_query("certificat de cession") == "certificat de cession"
    assert word_alternatives("les heures sup et la CAF") == {
        "heures": "heures supplementaires", "sup": "supplementaires heures supplementaires",
        "caf": LEXICON["caf"]}


def test_foreign_places_are_found_as_whole_words() -> None:
    assert mentions("pour un Suisse qui vit à Genève", FOREIGN_PLACES) == ["suisse", "geneve"]
    # demonyms count when they qualify another country's law or State, not when they describe a person
    assert foreign_places("selon la loi marocaine, qui hérite ?") == ["marocaine"]
    assert foreign_places("le code du travail ivoirien prévoit-il une période d'essai ?") == ["ivoirien"]
    assert foreign_places("les Marocains résidant en France") == []
    assert foreign_places("je suis portugais et je travaille en CDD") == []
    assert foreign_places("les congés payés aux Pays-Bas") == ["pays bas"]
    # languages are not foreign places
    assert mentions("des cours d'anglais pour mon fils", FOREIGN_PLACES) == []


def test_lexicon_file_is_read_and_checked(tmp_path) -> None:
    assert len(LEXICON) > 300 and all(key and value for key, value in LEXICON.items())
    good = tmp_path / "lexique.tsv"
    good.write_text("# commentaire\nMon Proprio\tpropriétaire bailleur\n\n", encoding="utf-8")
    assert load_lexicon(good) == {"mon proprio": "proprietaire bailleur"}
    bad = tmp_path / "mauvais.tsv"
    bad.write_text("proprio\tproprietaire\nchomage allocations\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mauvais.tsv, ligne 2 : attendu « expression<TAB>mots ajoutés »"):
        load_lexicon(bad)


def test_typos_are_corrected_against_the_vocabulary() -> None:
    corrector = TypoCorrector(["permis", "conduire", "maladie", "chomage", "propriete"])
    assert corrector.fix("points sur mon pemis") == "points sur mon permis"
    assert corrector.fix("arret maladi") == "arret maladie"
    assert corrector.fix("tarte tatin") == "tarte tatin"


def test_personal_data_is_masked() -> None:
    text = ("Bonjour, je m'appelle Jean Dupont, mon numéro de sécu est 1 85 05 78 006 084 91, "
            "appelez-moi au 06 12 34 56 78 ou +33 1 23 45 67 89, écrivez à jean.dupont@example.org. "
            "Mon IBAN : FR76 3000 6000 0112 3456 7890 189. J'ai vu Mme Martin et M. Paul LEROY hier.")
    result = mask_personal_data(text)
    masked = result.text
    for secret in ("Dupont", "1 85 05 78 006 084 91", "06 12 34 56 78", "+33 1 23 45 67 89",
                   "jean.dupont@example.org", "FR76 3000", "Martin", "LEROY"):
        assert secret not in masked, secret
    assert "[NIR]" in masked and "[TELEPHONE]" in masked and "[EMAIL]" in masked and "[IBAN]" in masked
    assert "Mme [NOM]" in masked and "je m'appelle [NOM]" in masked
    assert result.counts["TELEPHONE"] == 2 and result.counts["NOM"] == 3
    assert result.counts == {"EMAIL": 1, "IBAN": 1, "NIR": 1, "TELEPHONE": 2, "NOM": 3}
    # an identifier whose only fault is its check digits is masked too (a mistyped IBAN still identifies)
    assert "[IBAN]" in mask("IBAN FR76 3000 6000 0112 3456 7890 188")
    assert "[IBAN]" not in mask("code FR76 3000 6000 0112 3456")  # too short to be a French IBAN
    # ordinary questions are left alone
    question = "Combien de jours de congés pour un mariage en 2024 ? Le délai est-il de 15 jours ?"
    assert mask(question) == question


def test_ner_masks_names_without_civility() -> None:
    assert "Dupont" not in mask("Mon voisin Pierre Dupont fait du bruit", use_ner=True)


def test_ai_act_notice_says_it_is_automated() -> None:
    assert "assistant automatisé" in AI_ACT_NOTICE and "agent" in AI_ACT_NOTICE


def test_figures_must_appear_in_the_sources() -> None:
    source = "Le délai est de deux mois. Le montant est de 1 500 euros depuis le 1er janvier 2019 (0,20 %)."
    assert extract_figures("Vous avez 2 mois [1] et 1500 € [1].") == ["2 mois", "1500€"]
    assert unsupported_figures("Vous avez 2 mois, 1 500 € depuis le 1er janvier 2019, soit 0,20 % [1].",
                               [source]) == []
    assert unsupported_figures("Vous avez 3 mois [1].", [source]) == ["3 mois"]
    assert unsupported_figures("Depuis le 1er janvier 2020 [1].", [source]) == ["1 janvier 2020"]
    assert unsupported_figures("Comptez 150 € [1].", [source]) == ["150€"]


def test_typo_corrector_keeps_foreign_places_and_demonyms_as_typed() -> None:
    from amorce.assistant.text import TypoCorrector, foreign_places

    typos = TypoCorrector(["montre", "malaise", "catalogue", "maniere", "permis", "conduire"])
    assert typos.fix("mon pemis de conduire") == "mon permis de conduire"  # a real typo is still fixed
    for question in ("une amende à Montréal", "selon la loi maltaise", "en Catalogne", "à Manille",
                     "les lois maltaises"):
        assert typos.fix(question) == question
        assert foreign_places(typos.fix(question)), question
