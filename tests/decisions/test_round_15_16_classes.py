"""Classes of errors left on the development rounds 15 and 16 (issue 18), one rule each, on invented
sentences (never copied from the rounds): general rules, checked on names and places of our own."""

from __future__ import annotations

from amorce.decisions.persons import context_category
from amorce.decisions.taxonomy import MAGISTRATE


def _category(text: str, name: str, before: str = "") -> str | None:
    start = text.index(name)
    return context_category(text, start, start + len(name), before)[0]


# ------------------------------------------------------------------------------------ professionals
def test_a_signature_block_in_columns_with_compound_initials_names_the_bench():
    text = ("Ainsi jugé à Mâcon.\n\nLa greffière,                    Le juge-commissaire,\n"
            "M. Ferrandou                    P.-Y. Lestrade\n")
    assert _category(text, "Ferrandou", "M.") == MAGISTRATE
    assert _category(text, "Lestrade", "P.-Y.") == MAGISTRATE


def test_a_role_heading_with_a_comma_then_a_signed_name_is_the_bench():
    text = "Ainsi jugé à Mâcon.\n\nLe greffier,\nSigné : Ludovic Marsaud-Tessier"
    assert _category(text, "Ludovic Marsaud-Tessier") == MAGISTRATE
    # a party named on the line after « la greffière, » in running text stays a person
    text = "La requête a été remise à la greffière,\nMme Odile Varenne l'ayant signée le 3 mai.\n"
    assert _category(text, "Odile Varenne", "Mme") != MAGISTRATE
    text = "Elle a écrit à la présidente,\nSignalant que Mme Odile Varenne était absente.\n"
    assert _category(text, "Odile Varenne", "Mme") != MAGISTRATE
