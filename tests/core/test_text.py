"""Text folding, label normalisation and the lists of foreign places shared by the use cases."""

from __future__ import annotations

from amorce.core.text import (
    COUNTRIES,
    FOREIGN_DEMONYMS,
    FOREIGN_PLACES,
    fold,
    fold_chars,
    mentions,
    normalise_label,
    read_name_sections,
    words,
)


def test_fold_for_matching_words() -> None:
    assert fold("L'État d'Île-de-France") == " etat  ile-de-france"
    assert words("L'Œuvre de l’ÉTAT, qu'il soit") == ["oeuvre", "de", "etat", "il", "soit"]
    assert words("Cæcilia 2024") == ["caecilia", "2024"]


def test_fold_chars_keeps_offsets() -> None:
    text = "Mme Œdipe-Hélène l’ÉTAT ÇA"
    folded = fold_chars(text)
    assert folded == "mme œdipe-helene l'etat ca" and len(folded) == len(text)
    assert fold_chars("Ελλάδα") == "Ελλάδα"  # other scripts are left as they are


def test_labels_compare_without_accents_case_and_punctuation() -> None:
    assert normalise_label("  Conforme avec REMARQUES ") == normalise_label("conforme-avec remarques") \
        == "conforme avec remarques"
    assert normalise_label("Non-conformité (grave)") == "non conformite grave"


def test_foreign_places_and_countries() -> None:
    assert mentions("Au Danemark, quelle est la durée légale du travail ?", FOREIGN_PLACES) == ["danemark"]
    assert mentions("les congés aux Pays-Bas", FOREIGN_PLACES) == ["pays bas"]
    assert mentions("indemnité de licenciement", FOREIGN_PLACES) == []
    assert mentions("je vis en Haute-Vienne et je vais en Guadeloupe", FOREIGN_PLACES) == []
    assert "france" not in FOREIGN_PLACES and len(FOREIGN_PLACES) > 250
    assert "suisse" in FOREIGN_PLACES and "suisse" not in FOREIGN_DEMONYMS and "marocaine" in FOREIGN_DEMONYMS
    # countries: one word (hyphens kept), for single-word checks on offsets-preserving folded text
    assert {"maroc", "pays-bas", "afrique-du-sud", "portugal"} <= COUNTRIES and "geneve" not in COUNTRIES
    assert all(" " not in c for c in COUNTRIES)


def test_name_lists_have_sections_and_comments(tmp_path) -> None:
    path = tmp_path / "liste.txt"
    path.write_text("# commentaire\nalpha\n# --- Pays\nMaroc\n\n# --- Villes\n# autre commentaire\nGenève\n",
                    encoding="utf-8")
    assert read_name_sections(path) == [("", ["alpha"]), ("Pays", ["Maroc"]), ("Villes", ["Genève"])]
