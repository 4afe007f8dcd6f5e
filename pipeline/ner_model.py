"""The trained spaCy NER model (models/ner/) beside the rules: it proposes UNIT and PERSON spans the rules missed.

Rules stay authoritative where they fire (they carry kind, locality, successor); the model only adds unit spans that
overlap nothing the rules found.
``model_spans(make_doc("Đoàn kiểm tra của Ban Quản lý dự án Nam Trực đã …"))`` → ``[(18, 44, "UNIT")]``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc

from .extract.units import head_kind
from .record import Unit

MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "ner"


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
    # Predict on a copy in the model's own vocabulary: the caller's Doc (shared with the rules) stays untouched.
    copy = Doc(nlp.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    copy = ner(copy)
    return [(e.start_char, e.end_char, e.label_) for e in copy.ents]


def plausible_unit(text: str) -> bool:
    return len(text) >= 4 and text[:1].isupper() and " " in text.strip()


def units_the_rules_missed(text: str, doc: Doc, taken: list[tuple[int, int]]) -> list[Unit]:
    """Model UNIT spans that overlap nothing the rules found. PERSON spans are not used: on the held-out hand labels
    they added no correct name the rules had missed (see models/ner/MODEL_CARD.md)."""
    out = []
    for start, end, label in model_spans(doc):
        if label != "UNIT" or any(a < end and start < b for a, b in taken):
            continue
        surface = text[start:end]
        if plausible_unit(surface):
            out.append(Unit(text=surface, start=start, end=end, name=surface, kind=head_kind(surface) or "other",
                            source="model"))
    return out
