"""Text-to-image search with a configured text-image backbone (open-clip exported to ONNX, by path).

No such model ships in a registry package (docs/modeles.md): without one, this search is absent and
the platform says why. With one (``config.Backbone``):

* at indexing, each image's embedding is computed by the image encoder (``onnx_features``: CLIP's
  preprocessing, shorter side to ``size``, centre crop, CLIP's mean and deviation) and stored in
  ``<store>/clip/part-*.parquet`` next to the other features;
* a description (« une façade d'église avec une rosace ») is tokenised with open-clip's byte-level
  BPE (:class:`Tokenizer`, reading open-clip's merges file), encoded by the text encoder, and the
  images are ranked by cosine similarity with it (exact, ``O(n d)``).

Pure: no Django import.
"""

from __future__ import annotations

import functools
import gzip
import html
import re
from pathlib import Path

from .config import Backbone
from .errors import ArchivesError

KIND = "clip"  # the store's folder of text-image embeddings
DEFAULT_CONTEXT = 77
SOT, EOT = "<start_of_text>", "<end_of_text>"
# open-clip's pattern (``regex`` module) in the standard library's terms: contractions, runs of
# letters, single digits, runs of other non-space characters
_PATTERN = re.compile(r"<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+",
                      re.IGNORECASE)
_SPACES = re.compile(r"\s+")


class TextImageError(ArchivesError):
    """The text-image model cannot be loaded or run (French message)."""


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2 / CLIP's reversible map of the 256 bytes to printable characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    extra = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + extra)
            extra += 1
    return dict(zip(bs, (chr(c) for c in cs), strict=True))


class Tokenizer:
    """open-clip's ``SimpleTokenizer``: lower-cased text, byte-level BPE, ``<start_of_text>`` … ``<end_of_text>``,
    padded with 0 to the context length (the last token is ``<end_of_text>`` when the text is cut)."""

    def __init__(self, path: str | Path):
        path = Path(path)
        try:
            raw = path.read_bytes()
            text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
        except (OSError, UnicodeDecodeError, EOFError) as exc:
            raise TextImageError(f"Fichier du découpeur de texte illisible : {path} ({exc}).") from exc
        lines = text.split("\n")[1:49152 - 256 - 2 + 1]  # open-clip: first line is a header
        merges = []
        for number, line in enumerate(lines, start=2):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 2:
                raise TextImageError(f"{path.name}, ligne {number} : attendu deux symboles séparés par une espace "
                                     f"(une fusion BPE), lu « {line[:40]} ».")
            merges.append(tuple(parts))
        self.byte_encoder = _bytes_to_unicode()
        vocab = list(self.byte_encoder.values())
        vocab += [v + "</w>" for v in vocab]
        vocab += ["".join(m) for m in merges]
        vocab += [SOT, EOT]
        self.encoder = {token: i for i, token in enumerate(vocab)}
        self.ranks = {m: i for i, m in enumerate(merges)}
        self.sot, self.eot = self.encoder[SOT], self.encoder[EOT]
        self._cache: dict[str, list[str]] = {}

    def _bpe(self, token: str) -> list[str]:
        if token not in self._cache:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[token] = self._merge(token)
        return self._cache[token]

    def _merge(self, token: str) -> list[str]:
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            merged, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    merged.append(word[i] + word[i + 1])
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = tuple(merged)
        return list(word)

    def encode(self, text: str) -> list[int]:
        text = _SPACES.sub(" ", html.unescape(html.unescape(text))).strip().lower()
        ids = []
        for token in _PATTERN.findall(text):
            mapped = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            ids += [self.encoder[piece] for piece in self._bpe(mapped)]
        return ids

    def __call__(self, texts: list[str], context: int = DEFAULT_CONTEXT):
        import numpy as np

        out = np.zeros((len(texts), context), dtype=np.int64)
        for row, text in enumerate(texts):
            ids = [self.sot] + self.encode(text) + [self.eot]
            if len(ids) > context:
                ids = ids[:context - 1] + [self.eot]
            out[row, :len(ids)] = ids
        return out


class TextEncoder:
    """The text side: tokenizer + ONNX text encoder, ``encode(texts) → (n, d)`` L2-normalised."""

    def __init__(self, backbone: Backbone):
        from amorce.core.vision.runtime import session

        self.tokenizer = Tokenizer(backbone.tokenizer)
        try:
            self.session = session(backbone.text)
        except ArchivesError:
            raise
        except Exception as exc:  # VisionError: unreadable model
            raise TextImageError(f"Encodeur de texte : {getattr(exc, 'message', exc)}") from exc
        spec = self.session.get_inputs()[0]
        self.input = spec.name
        self.dtype = "int32" if "int32" in spec.type else "int64"
        self.context = spec.shape[1] if len(spec.shape) == 2 and isinstance(spec.shape[1], int) else DEFAULT_CONTEXT

    def encode(self, texts: list[str]):
        import numpy as np

        tokens = self.tokenizer(texts, self.context).astype(self.dtype)
        try:
            out = np.asarray(self.session.run(None, {self.input: tokens})[0], dtype=np.float32).reshape(len(texts), -1)
        except Exception as exc:  # onnxruntime's untyped errors
            raise TextImageError(f"L'encodeur de texte n'a pas pu être exécuté : {exc}") from exc
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


@functools.lru_cache(maxsize=2)
def text_encoder(backbone: Backbone) -> TextEncoder:
    return TextEncoder(backbone)


def image_encoder(backbone: Backbone):
    """The image side (``FeatureExtractor``): open-clip's preprocessing at the configured size."""
    from amorce.core.vision import onnx_features

    try:
        return onnx_features(backbone.image, input_size=backbone.size, name=backbone.label)
    except ArchivesError:
        raise
    except Exception as exc:
        raise TextImageError(f"Encodeur d'images : {getattr(exc, 'message', exc)}") from exc


def _signature(store: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted((store / KIND).glob("part-*.parquet")))


def has_embeddings(store: str | Path) -> bool:
    return bool(_signature(Path(store)))


@functools.lru_cache(maxsize=4)
def _normalised(store: str, signature: tuple):
    import numpy as np

    from .index import read_features

    keys, matrix = read_features(store, kind=KIND)
    if matrix is None:
        return [], None
    return keys, matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def rank(store: str | Path, description: str, backbone: Backbone, k: int = 200) -> list[tuple[str, float]]:
    """The ``k`` images of the store closest to ``description`` (cosine, best first); ``[]`` without
    stored embeddings (index again with the backbone configured)."""
    import numpy as np

    store = Path(store)
    keys, unit = _normalised(str(store), _signature(store))
    if unit is None or not description.strip():
        return []
    query = text_encoder(backbone).encode([description])[0]
    if query.shape[0] != unit.shape[1]:
        raise TextImageError(f"Le modèle texte-image configuré donne des vecteurs de {query.shape[0]} dimensions, "
                             f"les images de la collection en ont {unit.shape[1]} : réindexez la collection.")
    scores = unit @ query
    k = min(k, len(keys))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(keys[i], float(scores[i])) for i in top]
