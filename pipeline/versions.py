"""The version ids every record carries, so a rerun can tell whether a new pipeline or model should reprocess.

``model_version()`` → ``"ner-2026.11.27+clf-2eaa27a0"`` (the NER model's and the classifiers' versions).
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def model_version() -> str | None:
    from .ner_model import model_version as ner_version

    from .findings import model_version as classifier_version

    return "+".join(p for p in (ner_version(), classifier_version()) if p) or None
