"""IIIF Presentation 3 and 2 manifests and collections -> image records; IIIF Image API fetches.

Images are fetched only through the IIIF Image API, over https, from hosts in the deployment's
allow-list (``AMORCE_ARCHIVES_IIIF_HOSTS``, comma-separated; empty = no fetch at all). Requests
carry no credentials, cookies or user-supplied headers. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from amorce.core.config import env_str

from .errors import FetchRefused, SourceError

MAX_MANIFEST_BYTES = 20_000_000
MAX_IMAGE_BYTES = 50_000_000
FETCH_SIZE = 1024  # longest side asked from the image server


@dataclass(frozen=True)
class IIIFImage:
    key: str  # the canvas id (unique in a manifest)
    label: str
    image_url: str  # the painting annotation's body id (a full image)
    service: str | None  # the IIIF Image API service base, when declared
    service_version: int | None
    width: int | None
    height: int | None
    manifest: str
    metadata: dict[str, str] = field(default_factory=dict)


def _label(value) -> str:
    """A IIIF label: a v3 language map, a v2 string / list / @value object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if "@value" in value:
            return str(value["@value"])
        for lang in ("fr", "none", "en"):
            if lang in value:
                return _label(value[lang])
        return _label(next(iter(value.values()), ""))
    if isinstance(value, list):
        return "; ".join(t for t in (_label(v) for v in value) if t)
    return str(value)


def _metadata(doc: dict) -> dict[str, str]:
    out = {}
    for pair in doc.get("metadata") or []:
        if isinstance(pair, dict):
            name, value = _label(pair.get("label")), _label(pair.get("value"))
            if name and value:
                out[name] = value
    for key, name in (("summary", "description"), ("description", "description"), ("attribution", "rights"),
                      ("rights", "rights"), ("license", "rights")):
        if doc.get(key) and name not in out:
            out[name] = _label(doc[key])
    if "requiredStatement" in doc and "rights" not in out:
        out["rights"] = _label((doc["requiredStatement"] or {}).get("value"))
    return out


def _version(doc: dict) -> int:
    context = doc.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if any(isinstance(c, str) and "presentation/2" in c for c in contexts):
        return 2
    if any(isinstance(c, str) and "presentation/3" in c for c in contexts):
        return 3
    return 2 if "@type" in doc else 3


def _service(body: dict) -> tuple[str | None, int | None]:
    services = body.get("service") or []
    for service in services if isinstance(services, list) else [services]:
        if not isinstance(service, dict):
            continue
        sid = service.get("id") or service.get("@id")
        kind = str(service.get("type") or service.get("@type") or "")
        profile = str(service.get("profile") or "")
        context = str(service.get("@context") or "")
        if sid and ("ImageService" in kind or "image" in context or "image" in profile):
            version = 3 if ("ImageService3" in kind or "image/3" in context) else 2
            return sid.rstrip("/"), version
    return None, None


def parse_manifest(doc: dict, *, source: str = "") -> list[IIIFImage]:
    """The images painted on the canvases of a v2 or v3 manifest, in canvas order."""
    kind = str(doc.get("type") or doc.get("@type") or "")
    if "Manifest" not in kind:
        raise SourceError(f"{source or 'Ce document'} n'est pas un manifeste IIIF (type « {kind or '?'} »).")
    manifest_id = str(doc.get("id") or doc.get("@id") or source)
    common = _metadata(doc)
    if _label(doc.get("label")):
        common.setdefault("title", _label(doc.get("label")))
    images: list[IIIFImage] = []
    if _version(doc) == 2:
        canvases = [c for seq in doc.get("sequences") or [] for c in seq.get("canvases") or []]
        for canvas in canvases:
            for anno in canvas.get("images") or []:
                body = anno.get("resource") or {}
                if isinstance(body, dict) and (body.get("@id") or body.get("service")):
                    images.append(_image(canvas, body, manifest_id, common, canvas.get("@id")))
    else:
        for canvas in doc.get("items") or []:
            for page in canvas.get("items") or []:
                for anno in page.get("items") or []:
                    if anno.get("motivation") not in (None, "painting"):
                        continue
                    bodies = anno.get("body")
                    for body in bodies if isinstance(bodies, list) else [bodies]:
                        if isinstance(body, dict) and body.get("type", "Image") == "Image":
                            images.append(_image(canvas, body, manifest_id, common, canvas.get("id")))
    return images


def _image(canvas: dict, body: dict, manifest_id: str, common: dict, canvas_id) -> IIIFImage:
    service, version = _service(body)
    metadata = {**common, **_metadata(canvas)}
    label = _label(canvas.get("label"))
    if label:
        metadata["canvas_label"] = label
    return IIIFImage(key=str(canvas_id), label=label, image_url=str(body.get("id") or body.get("@id") or ""),
                     service=service, service_version=version, width=body.get("width") or canvas.get("width"),
                     height=body.get("height") or canvas.get("height"), manifest=manifest_id, metadata=metadata)


def collection_members(doc: dict) -> list[str]:
    """The manifest (and sub-collection) ids of a v2 or v3 collection."""
    members = []
    for item in (doc.get("items") or []) + (doc.get("manifests") or []) + (doc.get("collections") or []) \
            + (doc.get("members") or []):
        if isinstance(item, dict) and (item.get("id") or item.get("@id")):
            members.append(str(item.get("id") or item.get("@id")))
    return members


def read_json(path: str | Path) -> dict:
    from amorce.core.errors import InputError
    from amorce.core.files import read_json as read_json_file

    path = Path(path)
    try:
        doc = read_json_file(path, max_bytes=MAX_MANIFEST_BYTES)
    except InputError as exc:
        raise SourceError(exc.message, file=str(path)) from exc
    if not isinstance(doc, dict):
        raise SourceError(f"{path.name} n'est pas un document IIIF (objet JSON attendu).", file=str(path))
    return doc


def load_local(path: str | Path) -> list[IIIFImage]:
    """Images of a local manifest, or of a local collection whose members are local files.

    A collection member is looked up next to the collection by its file name (the last part of its
    id); members that are not there are reported, never fetched.
    """
    path = Path(path)
    doc = read_json(path)
    kind = str(doc.get("type") or doc.get("@type") or "")
    if "Collection" not in kind:
        return parse_manifest(doc, source=path.name)
    images: list[IIIFImage] = []
    missing = []
    for member in collection_members(doc):
        local = path.parent / member.rstrip("/").rsplit("/", 1)[-1]
        if local.is_file() and local.resolve() != path.resolve():
            images.extend(load_local(local))
        else:
            missing.append(member)
    if missing and not images:
        raise SourceError(f"Aucun manifeste de la collection {path.name} n'est disponible localement "
                          f"({len(missing)} référencé(s), non téléchargés).", missing=missing[:20])
    return images


# ------------------------------------------------------------------------------ image fetching
def allowed_hosts(environ: dict | None = None) -> frozenset[str]:
    raw = env_str("AMORCE_ARCHIVES_IIIF_HOSTS", "", environ)
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


def image_request_url(image: IIIFImage, size: int = FETCH_SIZE) -> str:
    """The IIIF Image API URL of a reduced image (``!size,size`` fits within a square)."""
    if image.service:
        return f"{image.service}/full/!{size},{size}/0/default.jpg"  # same syntax in Image API 2 and 3
    return image.image_url


def check_url(url: str, hosts: frozenset[str]) -> None:
    """Refuse, in French, a URL that is not https or whose host is not allowed."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise FetchRefused(f"Adresse d'image refusée (https obligatoire) : {url}", url=url)
    host = (parts.hostname or "").lower()
    if parts.username or parts.password:
        raise FetchRefused(f"Adresse d'image refusée (identifiants dans l'adresse) : {url}", url=url)
    if host not in hosts:
        raise FetchRefused(f"Adresse d'image refusée : l'hôte « {host} » n'est pas autorisé par ce déploiement "
                           "(AMORCE_ARCHIVES_IIIF_HOSTS).", url=url, host=host)


def fetch_image(image: IIIFImage, hosts: frozenset[str], *, size: int = FETCH_SIZE,
                opener: Callable[[str], bytes] | None = None) -> bytes:
    """Bytes of a reduced image fetched through the IIIF Image API from an allowed host."""
    url = image_request_url(image, size)
    check_url(url, hosts)
    return (opener or _https_get)(url)


def _https_get(url: str) -> bytes:
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # a redirect could leave the allow-list
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": "amorce-archives", "Accept": "image/jpeg"})
    with opener.open(request, timeout=30) as response:
        data = response.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise FetchRefused(f"Image trop volumineuse : {url}", url=url)
    return data
