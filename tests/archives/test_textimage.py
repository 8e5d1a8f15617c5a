"""Text-to-image search with a configured backbone: open-clip's tokenizer, the validated settings, the
embeddings stored at indexing and the ranking, the search box and the API. The backbone is a tiny
ONNX pair built here (a mean-colour image encoder, a word-embedding text encoder) with a tiny BPE
merges file in open-clip's format: nothing is downloaded."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from amorce.archives.config import ArchivesConfigError, from_environ
from amorce.archives.textimage import TextImageError, Tokenizer

from .test_web import Ctx

# colour words and their BPE merges (open-clip's file: a header line, then one merge a line)
MERGES = ["#version: 0.2", "g r", "e e", "gr ee", "gree n</w>", "r e", "re d</w>", "b l", "bl u", "blu e</w>"]
# text embedding of each word, in the image encoder's space (CLIP-normalised mean colour)
DIRECTIONS = {"red</w>": (1.0, -0.5, -0.5), "green</w>": (-0.5, 1.0, -0.5), "blue</w>": (-0.5, -0.5, 1.0)}
CONTEXT = 8


def tiny_backbone(folder, *, gz: bool = True) -> dict:
    """Image encoder: mean of each normalised channel (n, 3). Text encoder: mean of word embeddings."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    folder.mkdir(parents=True, exist_ok=True)
    image = helper.make_graph([helper.make_node("ReduceMean", ["pixels"], ["embedding"], axes=[2, 3], keepdims=0)],
                              "image", [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["n", 3, 32, 32])],
                              [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3])])
    onnx.save(helper.make_model(image, opset_imports=[helper.make_opsetid("", 17)]), folder / "image.onnx")
    text = "\n".join(MERGES) + "\n"
    tokenizer_path = folder / ("bpe.txt.gz" if gz else "bpe.txt")
    tokenizer_path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())
    tokenizer = Tokenizer(tokenizer_path)
    table = np.zeros((len(tokenizer.encoder), 3), np.float32)
    for word, vector in DIRECTIONS.items():
        table[tokenizer.encoder[word]] = vector
    nodes = [helper.make_node("Gather", ["table", "text"], ["words"]),
             helper.make_node("ReduceMean", ["words"], ["embedding"], axes=[1], keepdims=0)]
    graph = helper.make_graph(nodes, "text", [helper.make_tensor_value_info("text", TensorProto.INT64, ["n", CONTEXT])],
                              [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3])],
                              [numpy_helper.from_array(table, "table")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), folder / "text.onnx")
    return {"AMORCE_ARCHIVES_CLIP_IMAGE": str(folder / "image.onnx"),
            "AMORCE_ARCHIVES_CLIP_TEXT": str(folder / "text.onnx"),
            "AMORCE_ARCHIVES_CLIP_TOKENIZER": str(tokenizer_path), "AMORCE_ARCHIVES_CLIP_SIZE": "32",
            "AMORCE_ARCHIVES_CLIP_NAME": "couleurs (test)"}


def plain(colour) -> object:
    from PIL import Image

    return Image.new("RGB", (80, 60), colour)


# ------------------------------------------------------------------------------ pure
def test_tokenizer_follows_open_clip(tmp_path):
    tiny_backbone(tmp_path, gz=False)
    tokenizer = Tokenizer(tmp_path / "bpe.txt")
    red, blue = tokenizer.encoder["red</w>"], tokenizer.encoder["blue</w>"]
    assert len(tokenizer.encoder) == 512 + len(MERGES) - 1 + 2  # bytes, bytes + </w>, merges, SOT/EOT
    assert tokenizer.encode("  RED &amp; Blue ") == [red, tokenizer.encoder["&</w>"], blue]
    assert tokenizer.encode("green") == [tokenizer.encoder["green</w>"]]  # merges applied by rank
    assert tokenizer.encode("gre") == [tokenizer.encoder["gr"], tokenizer.encoder["e</w>"]]
    # a word without merges falls back to its bytes (UTF-8: « é » is two bytes)
    assert len(tokenizer.encode("été")) == 5
    tokens = tokenizer(["red blue", "red " * 20], context=CONTEXT)
    assert tokens.shape == (2, CONTEXT) and tokens.dtype == np.int64
    assert tokens[0].tolist() == [tokenizer.sot, red, blue, tokenizer.eot, 0, 0, 0, 0]
    assert tokens[1, 0] == tokenizer.sot and tokens[1, -1] == tokenizer.eot  # cut, still ends the text


def test_bad_tokenizer_and_settings_are_french_errors(tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("#version\nr e\nthree symbols here\n", encoding="utf-8")
    with pytest.raises(TextImageError, match="ligne 3 : attendu deux symboles"):
        Tokenizer(broken)
    assert from_environ({}).backbone is None  # nothing configured: no text-image search
    with pytest.raises(ArchivesConfigError) as error:
        from_environ({"AMORCE_ARCHIVES_CLIP_IMAGE": str(tmp_path / "absent.onnx"), "AMORCE_ARCHIVES_CLIP_SIZE": "x"})
    message = error.value.message
    assert "AMORCE_ARCHIVES_CLIP_TEXT, AMORCE_ARCHIVES_CLIP_TOKENIZER manquant(s)" in message
    assert "fichier introuvable" in message and "AMORCE_ARCHIVES_CLIP_SIZE : « x » invalide" in message
    backbone = from_environ(tiny_backbone(tmp_path / "m")).backbone
    assert backbone.size == 32 and backbone.label == "couleurs (test)"


def test_system_check_reports_bad_settings(monkeypatch, tmp_path):
    from amorce.archives.apps import check_settings

    assert check_settings() == []
    monkeypatch.setenv("AMORCE_ARCHIVES_CLIP_TEXT", str(tmp_path / "absent.onnx"))
    found = check_settings()
    assert {e.id for e in found} == {"archives.E001"} and len(found) == 2  # incomplete, and the file is absent
    assert any("fichier introuvable" in e.msg for e in found)


def test_index_stores_embeddings_and_ranks_by_description(tmp_path):
    from amorce.archives.index import build_index, list_items, read_features
    from amorce.archives.textimage import rank

    backbone = from_environ(tiny_backbone(tmp_path / "modele")).backbone
    folder = tmp_path / "fonds"
    folder.mkdir()
    for name, colour in (("rouge", (220, 30, 20)), ("vert", (30, 200, 40)), ("bleu", (20, 40, 210)),
                         ("rose", (230, 120, 120))):
        plain(colour).save(folder / f"{name}.png")
    store = tmp_path / "store"
    summary = build_index(list_items(folder), store, engine="serial", backbone=backbone)
    assert summary.indexed == 4
    keys, matrix = read_features(store, kind="clip")
    assert keys == ["bleu.png", "rose.png", "rouge.png", "vert.png"] and matrix.shape == (4, 3)
    assert read_features(store)[1] is None  # the embedded features were not asked for
    assert [k for k, _s in rank(store, "red", backbone, k=2)] == ["rouge.png", "rose.png"]
    assert rank(store, "a GREEN one", backbone, k=1)[0][0] == "vert.png"
    assert rank(store, "Blue", backbone)[0][0] == "bleu.png"
    # resumable: nothing recomputed; a new image gets its embedding
    assert build_index(list_items(folder), store, engine="serial", backbone=backbone).skipped == 4
    plain((10, 10, 250)).save(folder / "bleu2.png")
    assert build_index(list_items(folder), store, engine="serial", backbone=backbone).indexed == 1
    assert {k for k, _s in rank(store, "blue", backbone, k=2)} == {"bleu.png", "bleu2.png"}


# ------------------------------------------------------------------------------ page and API
@pytest.fixture
def coloured(tmp_path, monkeypatch):
    from amorce.archives.models import Collection
    from amorce.archives.tasks import index_collection

    folder = tmp_path / "couleurs"
    folder.mkdir()
    for name, colour in (("rouge", (220, 30, 20)), ("vert", (30, 200, 40)), ("bleu", (20, 40, 210))):
        plain(colour).save(folder / f"{name}.png")
    for name, value in tiny_backbone(tmp_path / "modele").items():
        monkeypatch.setenv(name, value)
    collection = Collection.objects.create(name="couleurs", source=str(folder), store=str(tmp_path / "store"))
    index_collection(Ctx(), collection, engine="serial")
    return collection


@pytest.mark.django_db
def test_search_box_ranks_images_and_is_absent_without_a_backbone(coloured, client_as, monkeypatch):
    client = client_as("lecteur")
    url = "/archives/collections/couleurs/recherche/"
    page = client.get(url, {"decrire": "green"}).content.decode()
    assert "Décrire l&#x27;image" in page or "Décrire l'image" in page
    assert page.index("vert.png") < page.index("rouge.png") and page.index("vert.png") < page.index("bleu.png")
    assert "Similarité" in page
    data = client.get("/api/archives/collections/couleurs/images", {"decrire": "blue", "limit": 2}).json()
    assert data["count"] == 3 and [i["file"] for i in data["items"]][0] == "bleu.png"
    assert data["items"][0]["score"] > data["items"][1]["score"]
    for name in ("AMORCE_ARCHIVES_CLIP_IMAGE", "AMORCE_ARCHIVES_CLIP_TEXT", "AMORCE_ARCHIVES_CLIP_TOKENIZER"):
        monkeypatch.setenv(name, "")
    page = client.get(url, {"decrire": "green"}).content.decode()
    assert 'id="decrire"' not in page and "3 image(s)" in page  # the description is ignored
    refused = client.get("/api/archives/collections/couleurs/images", {"decrire": "blue"})
    assert refused.status_code == 409 and "modèle texte-image" in refused.json()["detail"]
