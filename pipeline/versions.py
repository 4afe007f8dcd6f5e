"""The version ids every record carries, so a rerun can tell whether a new pipeline or model should reprocess.

``model_version()`` → ``"ner-2026.11.27"`` (joined with the classifiers' version once they are trained).
"""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def model_version() -> str | None:
    from .ner_model import model_version as ner_version

    parts = [ner_version()]
    try:
        from .findings import model_version as classifier_version
        parts.append(classifier_version())
    except ImportError:
        pass
    return "+".join(p for p in parts if p) or None
