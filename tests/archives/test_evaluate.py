"""Duplicate search measured on generated variants of the real heritage photos (small sample)."""

from __future__ import annotations

import random

from amorce.archives.evaluate import Sample, make_variant, run_evaluation, score_pairs


def test_score_pairs_per_transform():
    samples = [Sample("o1.jpg", "o1", None), Sample("o1_gris.jpg", "o1", "gris"), Sample("o2.jpg", "o2", None),
               Sample("o2_gris.jpg", "o2", "gris")]
    scores = score_pairs(samples, {("o1.jpg", "o1_gris.jpg"), ("o2_gris.jpg", "o1.jpg")})
    assert scores["global"].precision == 0.5 and scores["global"].recall == 0.5
    assert scores["gris"].recall == 0.5 and scores["gris"].precision == 0.5


def test_variants_keep_size_except_rescan_and_rotation():
    from PIL import Image

    image = Image.new("RGB", (64, 48), (120, 80, 40))
    for transform in ("recadrage", "tirage", "teinte", "miroir", "gris"):
        assert make_variant(image, transform, random.Random(0)).size == (64, 48)


def test_evaluation_on_heritage_photos(shared_data):
    result = run_evaluation(shared_data / "heritage_architecture_elements" / "images", limit=40, seed=0,
                            engine="serial")
    ours, base = result["scores"]["empreintes"], result["scores"]["phash"]
    assert result["images"] == 320 and result["test_images"] == 160 and "combine" not in result["scores"]
    for turned in ("miroir", "rotation"):
        assert ours[turned]["recall"] >= 0.9 and base[turned]["recall"] <= 0.1
    assert ours["global"]["precision"] >= 0.95 and ours["global"]["f1"] > base["global"]["f1"]
