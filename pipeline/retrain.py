"""Retraining from the stewards' reviews, with an honest before/after: a fixed part of the reviewed documents is held
out, the classifiers are retrained with the rest added, and both models are scored on the held-out part.

``retrain_from_reviews(Path("reviews"), train_all)`` → ``"held-out reviews (12 documents): violation_types F1 0.71 → 0.78 …"``.
"""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .evaluate import evaluate
from .normalize import normalize_text
from .paths import ROOT
from .record import Source

FIELDS = ("violation_types", "remedies")


def _held_out(stem: str) -> bool:
    return int(hashlib.sha256(stem.encode()).hexdigest(), 16) % 4 == 0


def _predict(texts: list[Path]) -> dict[str, dict]:
    from .document import record_for_text
    from .findings.classify import load_models
    from .versions import model_version

    load_models.cache_clear()
    model_version.cache_clear()
    return {p.stem: record_for_text(normalize_text(p.read_text(encoding="utf-8")), Source(path=str(p))).to_dict()
            for p in texts}


def _line(report) -> str:
    s = report.scores()
    return " · ".join(f"{f} F1 {s[f]['f1']:.3f}" for f in FIELDS) + f" · outcome accuracy {report.outcome_accuracy:.3f}"


def retrain_from_reviews(reviews: Path, train_all: Callable, docs: int = 1200) -> str:
    texts = sorted((reviews / "texts").glob("*.txt"))
    held = [p for p in texts if _held_out(p.stem)]
    if not texts or not held:
        raise SystemExit(f"thanhtra: {reviews} needs texts/ and gold/ with enough reviewed documents to hold some out")
    with tempfile.TemporaryDirectory() as tmp:
        train_dir, held_gold = Path(tmp) / "train", Path(tmp) / "held"
        for sub in ("texts", "gold"):
            (train_dir / sub).mkdir(parents=True)
        held_gold.mkdir()
        for p in texts:
            gold = reviews / "gold" / f"{p.stem}.json"
            if _held_out(p.stem):
                shutil.copy(gold, held_gold / gold.name)
            else:
                shutil.copy(p, train_dir / "texts" / p.name)
                shutil.copy(gold, train_dir / "gold" / gold.name)
        before = evaluate(_predict(held), held_gold)
        train_all(docs, from_reviews=train_dir)
        after = evaluate(_predict(held), held_gold)
    return (f"held-out reviews ({len(held)} of {len(texts)} documents)\n  before: {_line(before)}\n  after:  {_line(after)}\n"
            f"models written to {ROOT / 'models' / 'classifiers'}")
