"""Recipe: score the NER model against the rules and underthesea's CRF ``ner``, and write models/ner/MODEL_CARD.md.

    python models/recipes/evaluate_ner.py        (run by train_ner.py after training)

Scored with the referee's own matching (../shared/eval/score.py) on the held-out half of the hand-labeled news2017
articles, which no model saw, and, for reference, on the dev set (the validation set; never trained on).
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from baselines import ner_spans  # noqa: E402

from pipeline import training_data as td  # noqa: E402
from pipeline.extract.persons import extract_persons  # noqa: E402
from pipeline.extract.tokens import make_doc  # noqa: E402
from pipeline.extract.units import extract_units  # noqa: E402
from pipeline.ner_model import MODEL_DIR, model_spans, units_the_rules_missed  # noqa: E402
from pipeline.normalize import normalize_text  # noqa: E402
from pipeline.paths import SHARED  # noqa: E402

SYSTEMS = ("underthesea CRF ner", "rules", "model alone", "rules + model units (shipped)")


def predictions(items: list[tuple[str, str]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {s: [] for s in SYSTEMS}
    for key, text in items:
        src = {"path": f"{key}.txt"}
        doc = make_doc(text)
        units = extract_units(text, doc=doc)
        persons = extract_persons(text, doc=doc, units=units)
        spans = model_spans(doc)
        taken = [(u.start, u.end) for u in units] + [(p.start, p.end) for p in persons]
        extra = units_the_rules_missed(text, doc, taken)
        crf = ner_spans(text)
        rows = {
            "underthesea CRF ner": (crf["ORG"] + crf["LOC"], crf["PER"]),
            "rules": ([u.text for u in units], [p.name for p in persons]),
            "model alone": ([text[s:e] for s, e, l in spans if l == "UNIT"], [text[s:e] for s, e, l in spans if l == "PERSON"]),
            "rules + model units (shipped)": ([u.text for u in units + extra], [p.name for p in persons]),
        }
        for system, (u, p) in rows.items():
            out[system].append({"source": src, "units": [{"text": t} for t in u], "persons": [{"name": t} for t in p]})
    return out


def referee(records: list[dict], gold_dir: Path) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        fh.write("\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    out = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--pred", fh.name, "--gold", str(gold_dir),
                          "--json"], capture_output=True, text=True, check=True).stdout
    Path(fh.name).unlink()
    r = json.loads(out)
    return {k: round(r[k]["f1"], 3) for k in ("units", "units_lenient", "persons")}


def main() -> None:
    held = [d for d in td.labeled_documents() if d.origin == "news2017" and td.is_held_out(d.key)]
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp)
        for d in held:
            (gold / f"{d.key}.json").write_text(json.dumps(d.gold, ensure_ascii=False), encoding="utf-8")
        held_scores = {s: referee(r, gold) for s, r in predictions([(d.key, d.text) for d in held]).items()}
    dev = [(p.stem, normalize_text(p.read_text(encoding="utf-8"))) for p in sorted((SHARED / "eval/dev/texts").glob("*.txt"))]
    dev_scores = {s: referee(r, SHARED / "eval/dev/gold") for s, r in predictions(dev).items()}
    info = json.loads((MODEL_DIR / "training.json").read_text(encoding="utf-8"))
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))

    def table(scores):
        lines = ["| system | units strict F1 | units lenient F1 | persons F1 |", "|---|---|---|---|"]
        lines += [f"| {s} | {v['units']:.3f} | {v['units_lenient']:.3f} | {v['persons']:.3f} |" for s, v in scores.items()]
        return "\n".join(lines)

    card = f"""# Model card: thanhtra NER (UNIT, PERSON)

- **Artifact**: `models/ner/` (spaCy {meta.get('spacy_version', '')} pipeline `ner` over underthesea word segmentation;
  version `{meta.get('version')}`). Loaded offline by `pipeline/ner_model.py`.
- **Recipe**: `python models/recipes/train_ner.py --docs {info.get('docs', '?')} --epochs {info['epochs']}` (seed 2017;
  {info['seconds']} s on this machine), then `python models/recipes/evaluate_ner.py` writes this card.
- **Use in the pipeline**: the rules (`pipeline/extract/units.py`, `persons.py`) stay authoritative; the model adds
  unit spans that overlap nothing the rules found. Its person spans are not used (they did not beat the rules).

## Training data (never the dev gold)
- Silver labels from the rules over news2017 articles that do not repeat a dev story (8-word shingle overlap):
  {info['silver_paragraphs']} paragraphs.
- The project's 14 labeled documents (`corpus/gold`) and the trained half of the hand-labeled news2017 articles
  (`corpus/labels/news2017`, split by `pipeline.training_data.is_held_out`), gold strings located in the text, ×4.
- {info['train_examples']} training examples in all; loss per epoch {info['losses']}.

## Scores (referee matching, F1)
Held-out hand-labeled news2017 articles ({len(held)} documents, not trained on):

{table(held_scores)}

Dev set (79 texts; the validation set the rules were tuned on):

{table(dev_scores)}
"""
    (MODEL_DIR / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    print(card)


if __name__ == "__main__":
    main()
