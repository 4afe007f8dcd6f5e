"""The trained spaCy NER model (models/ner/) beside the rules: it proposes UNIT and PERSON spans the rules missed.

Rules stay authoritative where they fire (they carry kind, locality, position); the model only adds spans that
overlap nothing the rules found and that pass the same shape checks a rule would apply (a person is 2–4 capitalised
syllables starting with a known surname; a unit starts with a capitalised word).
``model_spans(make_doc("… Chánh Thanh tra tỉnh Hoàng Văn Thụ cho biết …"))`` → ``[(28, 42, "PERSON")]``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "ner"
_PERSON_SHAPE = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)(?: [A-ZĐÀ-Ỹ][a-zđà-ỹ]+){1,3}$")


@lru_cache(maxsize=1)
def load_model():
    """The model, or None when models/ner has not been trained (the rules then run alone)."""
    if not (MODEL_DIR / "config.cfg").exists():
        return None
    import spacy

    return spacy.load(MODEL_DIR)


def model_version() -> str | None:
    nlp = load_model()
    return f"ner-{nlp.meta.get('version')}" if nlp is not None else None


def model_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, label) character spans the model predicts over a make_doc Doc."""
    nlp = load_model()
    if nlp is None or not len(doc):
        return []
    ner = nlp.get_pipe("ner")
    # Predict on a copy so the caller's Doc (shared with the rules) keeps no entities of ours.
    copy = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    copy = ner(copy)
    return [(e.start_char, e.end_char, e.label_) for e in copy.ents]


def plausible_person(text: str, surnames: frozenset[str]) -> bool:
    return bool(_PERSON_SHAPE.match(text)) and text.split(" ", 1)[0] in surnames


def plausible_unit(text: str) -> bool:
    return len(text) >= 4 and text[:1].isupper() and " " in text
