"""Biodiversité : trier les images et vidéos des pièges photographiques d'une saison.

Library API (pure Python, no Django)::

    from amorce.biodiversite import scan, read_deployments, analyse_season, write_camtrap_dp
    season = scan("carte_SD/", read_deployments("deploiements.csv"))
    analysis = analyse_season(season, detector="motion", cache_dir="sortie/.cache")
    write_camtrap_dp(analysis, "sortie/")
"""

from amorce.core.lazy import lazy_exports

# Imported on first use: `amorce --help` and Django's start-up must not load numpy, OpenCV or PyAV.
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "BiodiversiteError": "errors",
    "Deployment": "ingest",
    "Event": "ingest",
    "Media": "ingest",
    "Season": "ingest",
    "group_events": "ingest",
    "read_deployments": "ingest",
    "scan": "ingest",
    "thumbnail": "ingest",
    "video_frames": "ingest",
    "FrameResult": "filtering",
    "decide": "filtering",
    "make_detector": "filtering",
    "suppress_repeated": "filtering",
    "Analysis": "pipeline",
    "analyse_season": "pipeline",
    "read_camtrap_dp": "formats",
    "read_megadetector": "formats",
    "megadetector_json": "formats",
    "write_camtrap_dp": "formats",
    "write_coco": "formats",
    "write_megadetector": "formats",
})
