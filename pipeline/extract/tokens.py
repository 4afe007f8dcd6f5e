"""Word segmentation shared by the rule extractors and, later, by a trained spaCy NER model.

`make_doc` runs underthesea's CRF word segmenter and turns its words into a spaCy `Doc` whose token offsets index
the given text exactly: `doc.text == text` and `doc[i].idx` is the word's offset. Multi-syllable words stay one
token ("Giám đốc", "Hà Nội", "Đinh Mạnh Hùng"); whitespace runs other than one space become whitespace tokens, as
spaCy does for its own tokenizers. The text is segmented one line at a time, so time and memory stay linear.

Example: make_doc("Phó Giám đốc Sở Nội vụ Đinh Mạnh Hùng") gives the tokens
["Phó", "Giám đốc", "Sở", "Nội vụ", "Đinh Mạnh Hùng"].
"""
from __future__ import annotations

import re

import spacy
from spacy.tokens import Doc
from underthesea import word_tokenize

# One vocabulary for every Doc: Docs made here can be merged, compared and fed to one trained pipeline.
NLP = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})

_LINE = re.compile(r"[^\n]+")
_SPACE = re.compile(r"\s*")


def segment(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the words of `text`, line by line, in order.

    Example: segment("Sở Nội vụ Hà Nội") → [(0, 2), (3, 9), (10, 16)].
    """
    offsets: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        if not line.group().strip():
            continue
        base = line.start()
        body = line.group()
        pos = 0
        # underthesea only maps ð/Ð to đ/Đ (one character for one) and NFC-normalises an NFC text to itself, so
        # every syllable it returns has the length of the text it came from; lengths alone keep the offsets exact.
        for word in word_tokenize(body, use_token_normalize=False):
            start = None
            for syllable in word.split(" "):
                pos = _SPACE.match(body, pos).end()
                if start is None:
                    start = pos
                pos += len(syllable)
            offsets.append((base + start, base + pos))
    return offsets


def make_doc(text: str) -> Doc:
    """A spaCy Doc over `text` with one token per underthesea word; token offsets match `text` exactly.

    Example: [t.text for t in make_doc("UBND TP Hà Nội")] → ["UBND", "TP", "Hà Nội"].
    """
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in segment(text) + [(len(text), len(text))]:
        gap = text[pos:start]
        if gap.startswith(" ") and words:
            spaces[-1] = True        # spaCy's convention: one space after a token is a flag, more is a token
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end > start:
            words.append(text[start:end])
            spaces.append(False)
        pos = end
    return Doc(NLP.vocab, words=words, spaces=spaces)


def token_bounds(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """Start and end offsets of the non-space tokens of `doc`: where a name may begin and end.

    Example: token_bounds(make_doc("Ông Lê Văn Khoa")) → ({0, 4}, {3, 15}).
    """
    starts = frozenset(t.idx for t in doc if not t.is_space)
    ends = frozenset(t.idx + len(t.text) for t in doc if not t.is_space)
    return starts, ends
