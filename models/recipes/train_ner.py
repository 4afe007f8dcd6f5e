"""Recipe: the spaCy NER model for units (UNIT) and persons (PERSON) in models/ner/.

    python models/recipes/train_ner.py [--docs 1500] [--epochs 8]        (or: thanhtra train --only ner)

Data (never the dev gold):
- silver labels: the rule extractors (pipeline.extract.units / persons) over news2017 articles that do not repeat a
  dev story, one example per paragraph;
- the project's own labeled corpus (corpus/gold) and the trained half of the hand labels on news2017
  (corpus/labels/news2017), gold surface strings located in the text, up-weighted;
- the held-out half of the hand labels scores the model, the rules and underthesea's CRF ``ner`` in MODEL_CARD.md.
Seeds are fixed: the same inputs give the same model.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import spacy  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import filter_spans, fix_random_seed, minibatch  # noqa: E402

from pipeline import training_data as td  # noqa: E402
from pipeline.extract.persons import extract_persons  # noqa: E402
from pipeline.extract.tokens import make_doc  # noqa: E402
from pipeline.extract.units import extract_units  # noqa: E402

OUT = ROOT / "models" / "ner"
SEED = 2017
LABELS = ("UNIT", "PERSON")


def _paragraph_docs(text: str, spans: list[tuple[int, int, str]]):
    """One training Doc per paragraph, entities clipped to token boundaries."""
    for m in re.finditer(r"[^\n]+", text):
        a, b = m.span()
        if b - a < 30:
            continue
        doc = make_doc(text[a:b])
        ents = []
        for s, e, label in spans:
            if a <= s and e <= b:
                span = doc.char_span(s - a, e - a, label=label, alignment_mode="contract")
                if span is not None and len(span):
                    ents.append(span)
        doc.ents = filter_spans(ents)
        yield doc


def rule_spans(text: str) -> list[tuple[int, int, str]]:
    doc = make_doc(text)
    units = extract_units(text, doc=doc)
    persons = extract_persons(text, doc=doc, units=units)
    return [(u.start, u.end, "UNIT") for u in units] + [(p.start, p.end, "PERSON") for p in persons]


def gold_spans(text: str, gold: dict) -> list[tuple[int, int, str]]:
    """Every occurrence of every gold surface string (longest first; overlaps resolved by filter_spans later)."""
    spans = []
    for field, label in (("units", "UNIT"), ("persons", "PERSON")):
        for s in sorted(set(gold.get(field, [])), key=len, reverse=True):
            for m in re.finditer(r"(?<!\w)" + re.escape(s) + r"(?!\w)", text):
                spans.append((m.start(), m.end(), label))
    return spans


def build_examples(n_docs: int, rng: random.Random):
    train = []
    for key, text in td.news_texts(limit=n_docs):
        for doc in _paragraph_docs(text, rule_spans(text)):
            # Paragraphs without entities teach what is NOT a name; keep a share of them.
            if doc.ents or rng.random() < 0.3:
                train.append(doc)
    silver = len(train)
    held_out = []
    for item in td.labeled_documents():
        docs = list(_paragraph_docs(item.text, gold_spans(item.text, item.gold)))
        if item.origin == "news2017" and td.is_held_out(item.key):
            held_out.append(item)
        else:
            train.extend(docs * 4)
    return train, silver, held_out


def train(n_docs: int, epochs: int) -> dict:
    fix_random_seed(SEED)
    rng = random.Random(SEED)
    t0 = time.time()
    docs, silver, held_out = build_examples(n_docs, rng)
    examples = [Example(_blank_like(d), d) for d in docs]
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    ner = nlp.add_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    optimizer = nlp.initialize(lambda: examples[:500])
    losses_per_epoch = []
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        losses_per_epoch.append(round(float(losses.get("ner", 0.0)), 1))
        print(f"epoch {epoch + 1}/{epochs}: loss {losses_per_epoch[-1]}", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    nlp.meta.update({"name": "thanhtra_ner", "version": time.strftime("%Y.%m.%d"),
                     "description": "UNIT and PERSON spans over underthesea word segmentation"})
    nlp.to_disk(OUT)
    return {"docs": n_docs, "train_examples": len(examples), "silver_paragraphs": silver, "epochs": epochs,
            "losses": losses_per_epoch, "seconds": round(time.time() - t0), "held_out": [h.key for h in held_out]}


def _blank_like(doc):
    """The same tokens without entities: what the model sees at prediction time."""
    from spacy.tokens import Doc
    return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1500, help="news2017 articles for silver labels")
    ap.add_argument("--epochs", type=int, default=8)
    args = ap.parse_args()
    info = train(args.docs, args.epochs)
    (OUT / "training.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in info.items() if k != "held_out"}))
    import evaluate_ner  # the model card scores every trained model the same way
    evaluate_ner.main()


if __name__ == "__main__":
    main()
