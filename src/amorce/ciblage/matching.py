"""Entity resolution of establishments across exports (SIRET first, then fuzzy name + address).

Rules, in order:

1. a valid SIRET (14 digits, Luhn checksum) identifies the establishment;
2. a row without a valid SIRET is attached to a known establishment of the same postcode whose
   normalised name and address are similar enough (``rapidfuzz``, weighted 60 % name, 40 % address,
   score >= ``threshold`` out of 100);
3. otherwise the export's own identifier (content of the SIRET field, else ``NUM-`` + the
   inspection number) becomes the establishment identifier, and later rows without a valid SIRET
   can match it in turn (rows are processed in file order: pass the oldest export first).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from stdnum.fr import siret as stdnum_siret

from .schema import normalise_label

LEGAL_FORMS = re.compile(r"\b(sarl|sas|sasu|eurl|sa|snc|sci|scop|earl|gaec|ets|etablissements|ste|societe)\b")
STREET_ABBREVIATIONS = {
    "bd": "boulevard", "bld": "boulevard", "av": "avenue", "ave": "avenue", "r": "rue", "pl": "place",
    "rte": "route", "chem": "chemin", "che": "chemin", "imp": "impasse", "all": "allee", "sq": "square",
    "fbg": "faubourg", "st": "saint", "ste": "sainte", "qu": "quai", "crs": "cours", "za": "zone",
    "zi": "zone", "zac": "zone",
}


def normalise_name(name: str) -> str:
    text = LEGAL_FORMS.sub(" ", normalise_label(name or ""))
    return " ".join(text.split())


def normalise_address(address: str) -> str:
    words = normalise_label(address or "").split()
    return " ".join(STREET_ABBREVIATIONS.get(w, w) for w in words)


def valid_siret(value: str) -> bool:
    value = (value or "").strip().replace(" ", "")
    return len(value) == 14 and value.isdigit() and stdnum_siret.is_valid(value)


def similarity(name_a: str, addr_a: str, name_b: str, addr_b: str) -> float:
    """Weighted similarity (0..100) of two normalised (name, address) pairs."""
    name = fuzz.token_sort_ratio(name_a, name_b)
    addr = fuzz.token_sort_ratio(addr_a, addr_b) if addr_a and addr_b else name
    return 0.6 * name + 0.4 * addr


def assign_establishment_ids(*, siret: pd.Series, name: pd.Series, address: pd.Series, postcode: pd.Series,
                             fallback: pd.Series, threshold: float = 90.0) -> pd.Series:
    """Establishment identifier of every row (see the module docstring for the rules)."""
    siret = siret.fillna("").astype(str).str.replace(" ", "", regex=False)
    uniques = siret.unique()
    valid_map = {s: valid_siret(s) for s in uniques}
    valid = siret.map(valid_map).to_numpy(dtype=bool)
    ids = pd.Series(np.where(valid, siret, ""), index=siret.index, dtype=object)
    if valid.all():
        return ids
    norm_name = name.fillna("").map(normalise_name)
    norm_addr = address.fillna("").map(normalise_address)
    pc = postcode.fillna("").astype(str).str.strip()
    # reference establishments: those identified by SIRET, then each new establishment without one
    ref = pd.DataFrame({"id": ids[valid], "pc": pc[valid], "name": norm_name[valid], "addr": norm_addr[valid]})
    ref = ref.drop_duplicates(["id", "pc", "name", "addr"])
    by_pc: dict[str, list[list[str]]] = {}
    for row in ref.itertuples(index=False):
        by_pc.setdefault(row.pc, [[], [], [], []])
        for bucket, value in zip(by_pc[row.pc], (row.id, row.name, row.addr, row.name + " " + row.addr),
                                 strict=True):
            bucket.append(value)
    own = siret.where(siret != "", "NUM-" + fallback.fillna("").astype(str))
    for i in np.flatnonzero(~valid):
        name_i, addr_i = norm_name.iat[i], norm_addr.iat[i]
        ref_ids, names, addrs, texts = by_pc.setdefault(pc.iat[i], [[], [], [], []])
        matched, best = None, 0.0
        if texts:
            for _, _, k in process.extract(name_i + " " + addr_i, texts, scorer=fuzz.token_sort_ratio, limit=3):
                score = similarity(name_i, addr_i, names[k], addrs[k])
                if score >= threshold and score > best:
                    best, matched = score, ref_ids[k]
        if matched is None:
            matched = own.iat[i]
            ref_ids.append(matched)
            names.append(name_i)
            addrs.append(addr_i)
            texts.append(name_i + " " + addr_i)
        ids.iat[i] = matched
    return ids
