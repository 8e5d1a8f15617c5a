"""Archives : indexer, dédoublonner et décrire un fonds de photographies patrimoniales.

Library API (pure Python, no Django)::

    from amorce.archives import list_items, build_index, read_rows, find_duplicates, write_groups_csv
    summary = build_index(list_items("fonds/"), "var/archives/fonds")
    rows, groups, pairs = find_duplicates(read_rows("var/archives/fonds"))
"""

from amorce.core.lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "ArchivesError": "errors",
    "find_duplicates": "duplicates",
    "group_pairs": "duplicates",
    "write_groups_csv": "duplicates",
    "hash_image": "hashing",
    "hamming": "hashing",
    "IIIFImage": "iiif",
    "load_local": "iiif",
    "parse_manifest": "iiif",
    "Item": "index",
    "build_index": "index",
    "list_items": "index",
    "read_features": "index",
    "read_rows": "index",
    "store_for": "index",
    "read_metadata_csv": "metadata",
    "embedded_metadata": "metadata",
    "make_variant": "evaluate",
    "train": "classify",
    "pick_next": "classify",
    "classify_collection": "classify",
    "read_labels": "classify",
    "score_pairs": "evaluate",
})
