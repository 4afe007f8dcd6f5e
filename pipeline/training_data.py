"""Training and evaluation material for the project's models, gathered in one place so every recipe uses the same
splits: the project's labeled corpus, the stewards'/developers' labels on real news (by file name), and the real
texts they refer to in ../shared (read there, never copied).

The dev set is the validation set: nothing here returns its labels, and news articles that repeat a dev story are
excluded from training by shingle overlap (``dev_overlap``).

``labeled_documents()`` → ``[LabeledText(key="21459320", text="…", gold={"units": ["Sở Y tế TP.HCM"], …}), …]``.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import normalize_text

from .paths import ROOT, SHARED
NEWS2017 = SHARED / "corpus" / "news2017"
DEV_TEXTS = SHARED / "eval" / "dev" / "texts"
CORPUS = ROOT / "corpus"
NEWS_LABELS = CORPUS / "labels" / "news2017"

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class LabeledText:
    key: str
    text: str              # normalised
    gold: dict
    origin: str            # corpus | news2017


def _shingles(text: str, n: int = 8) -> set[int]:
    words = _WORD.findall(text.casefold())
    return {hash(" ".join(words[i:i + n])) for i in range(0, max(len(words) - n + 1, 0))}


@lru_cache(maxsize=1)
def _dev_shingles() -> frozenset[int]:
    out: set[int] = set()
    for p in sorted(DEV_TEXTS.glob("*.txt")):
        out |= _shingles(p.read_text(encoding="utf-8"))
    return frozenset(out)


def dev_overlap(text: str, limit: int = 10) -> bool:
    """True when a text shares `limit` or more 8-word runs with a dev text (another copy of a dev story)."""
    dev = _dev_shingles()
    return sum(1 for s in _shingles(text) if s in dev) >= limit


def news_texts(limit: int | None = None) -> list[tuple[str, str]]:
    """(file stem, normalised text) of news2017 articles that do not repeat a dev story, in file-name order."""
    out = []
    for p in sorted(NEWS2017.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        if not dev_overlap(text):
            out.append((p.stem, normalize_text(text)))
            if limit and len(out) >= limit:
                break
    return out


def labeled_documents() -> list[LabeledText]:
    """The project's own corpus (corpus/src + corpus/gold) and the hand labels on news2017 articles."""
    docs = []
    for g in sorted((CORPUS / "gold").glob("*.json")):
        src = CORPUS / "src" / f"{g.stem}.txt"
        docs.append(LabeledText(g.stem, normalize_text(src.read_text(encoding="utf-8")),
                                json.loads(g.read_text(encoding="utf-8")), "corpus"))
    for g in sorted(NEWS_LABELS.glob("*.json")):
        src = NEWS2017 / f"{g.stem}.txt"
        if src.exists():
            docs.append(LabeledText(g.stem, normalize_text(src.read_text(encoding="utf-8")),
                                    json.loads(g.read_text(encoding="utf-8")), "news2017"))
    return docs


def is_held_out(key: str) -> bool:
    """A fixed half of the hand-labeled news articles is never trained on: it scores the models in their cards."""
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0


def relevance_sample() -> list[tuple[str, bool]]:
    """(file stem, relevant?) for every labeled relevance sample of news2017 (``relevance.tsv`` first, then
    ``relevance-2.tsv`` … in name order); an article labeled in two samples counts once, with its first label, and
    an article that repeats a dev story is left out (the first sample was drawn before that rule).

    ``relevance_sample()[:2]`` → ``[("21511649", False), ("22400414", False)]``.
    """
    out = []
    seen: set[str] = set()
    for path in sorted(NEWS_LABELS.glob("relevance*.tsv"), key=lambda p: (p.name != "relevance.tsv", p.name)):
        for row in path.read_text(encoding="utf-8").splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) < 2 or not cells[0].strip():
                continue
            key = Path(cells[0].strip()).stem
            text = NEWS2017 / f"{key}.txt"
            if key not in seen and text.exists() and not dev_overlap(text.read_text(encoding="utf-8")):
                seen.add(key)
                out.append((key, cells[1].strip() == "1"))
    return out
