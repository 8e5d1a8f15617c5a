"""Personal-data recognizers shared by the assistant's log masking and the decisions pseudonymiser."""

from __future__ import annotations

from amorce.core import pii


def _texts(recognizer, text: str) -> list[str]:
    return [span.text for span in recognizer(text)]


def test_identifiers_with_a_check_digit_are_checked_with_stdnum() -> None:
    text = ("NIR 1 85 05 78 006 084 91 ; faux NIR 1 85 05 78 006 084 92 ; IBAN FR76 3000 6000 0112 3456 7890 189 ;"
            " IBAN faux FR76 3000 6000 0112 3456 7890 188 ; RCS de Lyon n° 732 829 320 ; "
            "montant 732 829 321 euros ; SIRET 732 829 320 00074")
    # a wrong key does not make a number anonymous (a mistyped IBAN still identifies its holder): it
    # is found with its own rule, for more doubt; a number that is not valid even with the right key is not
    assert [(s.text, s.rule) for s in pii.nir(text)] == [("1 85 05 78 006 084 91", "nir"),
                                                          ("1 85 05 78 006 084 92", "nir_bad_key")]
    assert [(s.text, s.rule) for s in pii.iban(text)] == [("FR76 3000 6000 0112 3456 7890 189", "iban"),
                                                           ("FR76 3000 6000 0112 3456 7890 188", "iban_bad_key")]
    assert _texts(pii.iban, "code FR76 3000 6000 0112 3456 et AB12 CDEF GHIJ") == []  # too short, no country
    assert _texts(pii.siren_siret, text) == ["732 829 320", "732 829 320 00074"]
    assert _texts(pii.iban, "IBAN FR76\u00a03000\u00a06000\u00a00112\u00a03456\u00a07890\u00a0189") != []


def test_nir_without_its_key_needs_a_context_word() -> None:
    assert [(s.text, s.rule) for s in pii.nir("numéro de sécurité sociale 1 85 05 78 006 084")] == [
        ("1 85 05 78 006 084", "nir_without_key")]
    assert _texts(pii.nir, "référence 1 85 05 78 006 084") == []
    assert _texts(pii.nir, "NIR 2 85 05 2A 006 084 82") == ["2 85 05 2A 006 084 82"]  # Corsica


def test_phones_in_every_french_format_but_not_inside_references() -> None:
    text = "au 06 12 34 56 78, au +33 1 23 45 67 89, au 0033 (0)4 78 12 34 56, tél. 04.78.12.34.56 ou 01-23-45-67-89"
    assert _texts(pii.phone, text) == ["06 12 34 56 78", "+33 1 23 45 67 89", "0033 (0)4 78 12 34 56",
                                       "04.78.12.34.56", "01-23-45-67-89"]
    assert _texts(pii.phone, "RG n° 12/0612345678 et 1.0612345678 et 0612345678/2") == []
    assert _texts(pii.phone, "dossier AB0612345678") == []


def test_emails_need_a_domain_with_a_top_level_name() -> None:
    assert _texts(pii.email, "écrivez à jean.dupont@example.org ou a.b@exemple.fr") == [
        "jean.dupont@example.org", "a.b@exemple.fr"]
    assert _texts(pii.email, "le compte root@localhost") == []


def test_plates_need_a_vehicle_context() -> None:
    assert _texts(pii.plate, "véhicule immatriculé AB-123-CD") == ["AB-123-CD"]
    assert _texts(pii.plate, "référence AB-123-CD du dossier") == []
    assert [(s.text, s.rule) for s in pii.plate("immatriculé 1234 AB 69")] == [("1234 AB 69", "plate_fni")]


def test_private_urls_but_not_public_sites() -> None:
    text = "voir https://www.legifrance.gouv.fr/x et https://mon-blog.example.com/page."
    assert _texts(pii.private_url, text) == ["https://mon-blog.example.com/page"]


def test_names_after_a_civility_or_an_introduction_leave_the_lead_out() -> None:
    assert _texts(pii.civility_name, "J'ai vu Mme Martin et M. Paul LEROY hier.") == ["Martin", "Paul LEROY"]
    assert _texts(pii.self_introduction, "Bonjour, je m'appelle Jean Dupont, merci") == ["Jean Dupont"]
    assert _texts(pii.card, "carte 4970 1012 3456 7890") == ["4970 1012 3456 7890"]


def test_find_resolves_overlaps_by_recognizer_order_and_replace_rebuilds_the_text() -> None:
    text = "carte 4970 1012 3456 7890, tél. 06 12 34 56 78"
    spans = pii.find(text, (pii.card, pii.phone))
    assert [(s.kind, s.text) for s in spans] == [("card", "4970 1012 3456 7890"), ("phone", "06 12 34 56 78")]
    assert pii.replace(text, spans, lambda s: f"<{s.kind}>") == "carte <card>, tél. <phone>"
    # the IBAN wins over the card-like digits inside it
    iban = "FR76 3000 6000 0112 3456 7890 189"
    assert [s.kind for s in pii.find(iban, (pii.iban, pii.card))] == ["iban"]
    assert [s.kind for s in pii.find(iban, (pii.card, pii.iban))] == ["card"]
