"""Organisational units named in a text (GUIDE §2 "units", BRIEF §3).

A mention is parsed from its opening word (``pipeline/data/unit_heads.tsv``: "Sở", "UBND", "Công ty",
"Đoàn kiểm tra", …), then what that word needs: a sector ("Sở TN&MT"), a place ("UBND phường Bách Khoa"), a
proper name ("Bệnh viện Đa khoa Hòe Nhai"), and last the unit it belongs to, itself a unit ("Thanh tra Sở Xây
dựng Thái Nguyên", "Đoàn kiểm tra công vụ của Sở Nội vụ Hà Nội"). Each unit of such a chain is reported with its
own span, because the text names each of them.

A proper name runs on through capitalised words, numbers and the lower-case words of
``pipeline/data/name_words.txt`` that are whole words of the underthesea segmentation; it stops at a verb
("đã", "tổ chức"), at a title, and at a person's full name once the name has a word of its own.
Generic classes are skipped: "các sở, ngành", "9 UBND phường", "UBND cấp xã", "cơ quan chức năng".

Example: extract_units("Phó Giám đốc Sở Nội vụ Hà Nội Đinh Mạnh Hùng cho biết") →
[Unit(text="Sở Nội vụ Hà Nội", name="Sở Nội vụ", kind="department", locality="Hà Nội", start=13, end=29)].
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from ..record import Unit
from . import gazetteer as gz
from .tokens import make_doc, token_bounds


@dataclass(frozen=True, slots=True)
class Head:
    """A unit's opening word as listed in unit_heads.tsv: "Sở" (department, needs a sector), "UBND", …"""
    kind: str
    mode: str            # see unit_heads.tsv
    canonical: str | None
    variant: str


def _head_pattern(variant: str) -> str:
    """Regex for a listed word: its first letter as listed ("Sở", not "sở, ngành"), the rest in any case.

    Example: re.match(_head_pattern("Kiểm toán Nhà nước"), "Kiểm toán nhà nước") matches.
    """
    rest = r"[ \t]+".join(map(re.escape, variant[1:].split(" ")))
    return re.escape(variant[0]) + ("(?i:" + rest + ")" if rest else "")


def _load_heads() -> tuple[re.Pattern, dict[str, Head]]:
    heads: dict[str, Head] = {}
    forms: set[str] = set()
    for row in gz.rows("unit_heads.tsv"):
        variants, kind, mode = row[:3]
        canonical = row[3] if len(row) > 3 and row[3] else None
        for variant in variants.split("|"):
            for form in (variant, variant.upper()):
                forms.add(form)
                heads.setdefault(_head_key(form), Head(kind, mode, canonical, variant))
    alternatives = "|".join(map(_head_pattern, sorted(forms, key=len, reverse=True)))
    # Not inside a document symbol ("QĐ-UBND", "TT-TTCP"), but after a dash in prose ("… y tế-Bộ Y tế").
    return re.compile(rf"(?<![\w&/.])(?<![{gz.UPPER}\d]-)(?:" + alternatives + r")(?![\w&])"), heads


def _head_key(surface: str) -> str:
    return " ".join(surface.casefold().split())


_HEAD, _HEADS = _load_heads()
_WORDS = gz.word_lists("unit_words.tsv")
_SECTOR = {family: re.compile(pattern) for family, pattern in gz.SECTOR_PATTERNS.items()}
_NAME_WORD = re.compile(rf"(?i:{gz.alternation(gz.name_list('name_words.txt'))})(?!\w)")
_FIRST_WORD = re.compile(rf"(?i:{gz.alternation(_WORDS['first'])})(?!\w)")
_PROPER = re.compile(rf"[{gz.UPPER}][\w'’]*(?:[.&][{gz.UPPER}\d]+(?![\w]))*")
_NUMBER = re.compile(r"\d+[A-Za-z]?(?![\w/])|(?i:số)[ \t]\d+(?![\w/])")
_FORM_ONLY = re.compile(rf"(?:[ \t]+(?i:{gz.alternation(_WORDS['form'])}))+")
_PAREN = re.compile(rf"[ \t]?\([{gz.UPPER}][{gz.UPPER}\d&.,\- \t]{{0,24}}\)")
_SPACE = re.compile(r"[ \t]{1,2}")
# Between two words of one name: a space, or "và"/"&"/"-" ("Vụ Giáo dục Chính trị và Công tác học sinh"),
# or a comma before a lower-case name word ("Cục Cảnh sát phòng, chống tội phạm").
_JOINER = re.compile(r"[ \t]?(?P<dash>[-–—&])[ \t]?|(?P<comma>,)[ \t]|[ \t](?P<and>và)[ \t]|[ \t]{1,2}")
_LINK = re.compile(r"[ \t]?(?P<dash>[-–—])[ \t]?|[ \t]{1,2}(?:(?P<of>của|thuộc|trực[ \t]+thuộc)[ \t]+)?")
_SCHOOL = re.compile(rf"(?i:{gz.alternation(_WORDS['school'])})(?!\w)")
_TEAM_KIND = re.compile(rf"(?:[ \t]+(?i:{gz.alternation(_WORDS['team'])}|số \d+))+")
_FIELD = re.compile(rf"[ \t]+(?i:{gz.alternation(_WORDS['field'])})(?!\w)")
# A team's subject before the unit it belongs to: "Đoàn kiểm tra hoạt động bán hàng đa cấp của Công ty …".
_SUBJECT = re.compile(rf"(?:[ \t]+(?!(?:{gz.alternation(_WORDS['function'])})(?!\w))[{gz.LOWER}]+){{1,8}}"
                      rf"(?=[ \t]+(?:của|thuộc|tại)[ \t])")
_TRAILING_PROVINCE = re.compile(rf"[ \t]({gz.PROVINCE_NAME})$")
_CAPITALS_BEFORE = re.compile(rf"[{gz.UPPER}]{{2,}}[ \t]$")
_NEXT_LINE = re.compile(r"[ \t]*\n[ \t]*(?=\S)")
_AT = re.compile(r"[ \t]+tại(?=[ \t])")
_LOWER_SYLLABLE = re.compile(rf"[ \t][{gz.LOWER}]+(?!\w)")
_WORD_AFTER = re.compile(r"[ \t]+\w")
_SYLLABLE_BEFORE = re.compile(r"(?<![\w])(\w+)[ \t]$")
_PERSON_CUE = re.compile(r"(?:Ông|Bà|Anh|Chị|Cô|Chú|Bác|Cụ|Em)(?!\w)")
_TITLES = gz.alternation(gz.name_list("titles.txt"))
_TITLE = re.compile(rf"(?i:(?:(?:nguyên|quyền|phó)[ \t]+){{0,2}}(?:{_TITLES}))(?!\w)")
_NOT_A_UNIT = re.compile(rf"(?i:{gz.alternation(_WORDS['not_unit'])})(?!\w)")
_GENERIC_BEFORE = re.compile(rf"(?:^|[^\w])(?i:{gz.alternation(_WORDS['generic'])}|(?<![\d/.-])\d+)[ \t]+$")
_GENERIC_AFTER = re.compile(r"[ \t]+(?:các|những)[ \t]+(?i:tỉnh|thành phố|quận|huyện|thị xã|xã|phường|sở|bộ|cấp)(?!\w)")
_ACTIVITY_BEFORE = re.compile(rf"(?:^|[^\w])(?i:{gz.alternation(_WORDS['activity'])})[ \t]+$")
_FUNCTION_WORDS = frozenset(_WORDS["function"])
_GLUE_WORDS = frozenset(_WORDS["glue"])
_DASH_HEADS = frozenset(w.lower() for w in _WORDS["dash"])
_PART_HEADS = frozenset(w.lower() for w in _WORDS["part"])
_CHILD_KINDS = frozenset({"division", "office", "public_service_unit", "inspection_team", "inspectorate", "party",
                          "police", "enterprise", "court_procuracy", "association", "legislature"})
_TOP_KINDS = frozenset({"legislature", "government", "ministry", "other"})
_TOP_PARENTS = frozenset({"legislature", "government", "party"})
_PARTY_LEVEL = {"thành": "thành phố", "huyện": "huyện", "quận": "quận", "thị": "thị xã"}


@dataclass(slots=True)
class Node:
    """One parsed unit: its own span and the unit it belongs to (the next link of the chain)."""
    start: int
    end: int
    head: Head
    name_end: int                    # where the name stops and its place begins
    sector: gz.Sector | None = None
    locality: gz.Locality | None = None
    parent: "Node | None" = None


class _Parser:
    """Parses the unit mentions of one text, given its word boundaries and the province it is about."""

    def __init__(self, text: str, doc: Doc, context: gz.Province | None):
        self.text = text
        self.starts, self.ends = token_bounds(doc)
        self.sorted_ends = sorted(self.ends)
        self.context = context

    def unit_at(self, pos: int, depth: int = 0) -> Node | None:
        m = _HEAD.match(self.text, pos)
        if not m or depth > 4:
            return None
        head = _HEADS[_head_key(m.group())]
        if m.end() not in self.ends and self.text[m.end() + 1:m.end() + 2].islower():
            return None      # "Hội" of "Hội nghị", "Cục" of "Cục trưởng", "ban" of "ban hành"
        if pos not in self.starts and not self._glued(pos):
            return None      # "phòng" of "Quốc phòng", "Ban" of "Tây Ban Nha"
        if (title := _TITLE.match(self.text, pos)) and title.end() > m.end():
            return None      # "Viện Trưởng", "Cục trưởng", "Đội trưởng": a title, not a unit
        if head.mode == "open" and m.group().isupper() and _CAPITALS_BEFORE.search(self.text, max(0, pos - 12), pos):
            return None      # "ỦY BAN NHÂN DÂN": in a line of capitals, "BAN" after another word is inside a phrase
        node = Node(m.start(), m.end(), head, m.end())
        if not getattr(self, "_" + head.mode)(node, depth):
            return None
        self._link(node, depth)
        return node

    def _glued(self, pos: int) -> bool:
        """Whether a unit word inside a segmenter's word still opens a unit: "cán bộ Đội TTGT", "Trưởng ban Tổ
        chức", "UBKT Tỉnh ủy" — but not "Quốc phòng" or "Tây Ban Nha", where it is part of a proper name."""
        before = _SYLLABLE_BEFORE.search(self.text, max(0, pos - 12), pos)
        if not before:
            return True
        word, head_is_capitals = before.group(1), self.text[pos:pos + 3].isupper()
        if word.lower() in _GLUE_WORDS:
            return True
        if not self.text[pos].isupper() or (word[0].isupper() and word[1:].islower()):
            return False
        return not (word.isupper() and head_is_capitals)   # "ỦY BAN": one phrase in a line of capitals

    # -- what each kind of opening word needs after it -----------------------------------------------------

    def _fixed(self, node: Node, depth: int) -> bool:
        self._place(node, bare_level=False, country=node.head.kind in ("government", "legislature"))
        return True

    def _bo(self, node: Node, depth: int) -> bool:
        return self._sector(node, "bo", country=True)

    def _so(self, node: Node, depth: int) -> bool:
        return self._sector(node, "so")

    def _phong(self, node: Node, depth: int) -> bool:
        return self._sector(node, "phong") or self._open(node, depth)

    def _sector(self, node: Node, family: str, country: bool = False) -> bool:
        gap = _SPACE.match(self.text, node.end)
        found = gap and _SECTOR[family].match(self.text, gap.end())
        if not found:
            return False
        node.sector = gz.sector(found.group())
        node.end = node.name_end = found.end()
        self._place(node, bare_level=True, country=country, skip_paren=True)
        return True

    def _council(self, node: Node, depth: int) -> bool:
        if self._place(node, bare_level=True, skip_paren=True):
            return True
        # An official header writes its issuer on two lines: "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI".
        header = self.text[node.start:node.end].isupper() and _NEXT_LINE.match(self.text, node.end)
        return bool(header) and self._place(node, bare_level=False, after=header.end())

    def _level(self, node: Node, depth: int) -> bool:
        inspectorate = node.head.canonical == "Thanh tra"
        before = self.text[max(0, node.start - 20):node.start]
        if inspectorate and self.text[node.start].islower() and _ACTIVITY_BEFORE.search(before):
            return False     # "tiến hành thanh tra huyện X": the activity, not the inspectorate
        field = _FIELD.match(self.text, node.end) if inspectorate else None
        if field:
            node.end = node.name_end = field.end()
        if self._place(node, bare_level=True, skip_paren=True):
            return True
        if field or not self._parent_follows(node, depth):
            return False
        # "thanh tra phòng khám X" is the activity; "thanh tra Sở Y tế" may be the department's inspectorate.
        return not (inspectorate and self.text[node.start].islower()) or node.parent.head.kind in (
            "department", "ministry")

    def _party(self, node: Node, depth: int) -> bool:
        implied = _PARTY_LEVEL.get(node.head.variant.split()[0].lower())
        self._place(node, bare_level=False, implied_level=implied)
        return True

    def _school(self, node: Node, depth: int) -> bool:
        gap = _SPACE.match(self.text, node.end)
        kind = gap and _SCHOOL.match(self.text, gap.end())
        if not kind:
            return False
        node.end = node.name_end = kind.end()
        proper, _, _ = self._name(node, depth, named_after_person=True)
        return self._place(node, bare_level=True) or bool(proper)

    def _open(self, node: Node, depth: int) -> bool:
        body_start = node.end
        proper, words, own = self._name(node, depth)
        body = self.text[body_start:node.end]
        lower_head = self.text[node.start].islower()
        if lower_head and proper and not words and gz.is_place_name(body.strip()):
            return False     # "trung tâm Hà Nội": the city centre
        if gz.is_country(self.text[node.start:node.end]):
            return False     # "Đài Loan"
        placed = self._place(node, bare_level=True) or self._trailing_province(node, body_start)
        if proper and _FORM_ONLY.fullmatch(body) and not (placed and node.locality.name):
            node.end = node.name_end = body_start
            proper = words = 0   # "Công ty Cổ phần thép Pomina": no name we can read
        if lower_head and node.head.kind == "division" and not own and not (placed and node.locality.name):
            # "cơ quan quản lý Nhà nước" describes; "phòng Tổ chức cán bộ Viện KSND tỉnh" names.
            return proper > 0 and self._parent_follows(node, depth)
        if proper or (words and placed):
            return True
        return node.head.variant.lower() in _PART_HEADS and self._parent_follows(node, depth)

    def _trailing_province(self, node: Node, body_start: int) -> bool:
        # "Công ty TNHH MTV Môi trường đô thị Hà Nội": the name ends with its province, written bare.
        last = _TRAILING_PROVINCE.search(self.text, body_start, node.end)
        if not last or last.start() <= body_start:
            return False
        found = gz.province(last.group(1))
        node.name_end = last.start()
        node.locality = gz.Locality(last.start(1), last.end(), "", found.name, found)
        return True

    def _sub(self, node: Node, depth: int) -> bool:
        return self._parent_follows(node, depth)

    def _team(self, node: Node, depth: int) -> bool:
        kind = _TEAM_KIND.match(self.text, node.end)
        if kind:
            node.end = node.name_end = kind.end()
        elif self.text[node.start].islower() and not self._followed_by_owner(node, depth):
            return False     # "đoàn kiểm tra" on its own: any team, unless it says whose
        subject = _SUBJECT.match(self.text, node.end)
        if subject:
            link = _LINK.match(self.text, subject.end())
            if link and link.group("of") and self.unit_at(link.end(), depth + 1):
                node.end = node.name_end = subject.end()
            elif (at := _AT.match(self.text, subject.end())) and (
                    place := gz.match_locality(self.text, at.end(), bare_level=False, context=self.context)):
                node.end, node.name_end, node.locality = place.end, subject.end(), place
                return True
        self._place(node, bare_level=True)
        return True

    def _followed_by_owner(self, node: Node, depth: int) -> bool:
        link = _LINK.match(self.text, node.end)
        return bool(link and (self.unit_at(link.end(), depth + 1) or _SUBJECT.match(self.text, node.end) or
                              gz.match_locality(self.text, node.end, bare_level=False)))

    # -- names, places and parents -----------------------------------------------------------------------------

    def _name(self, node: Node, depth: int, named_after_person: bool = False) -> tuple[int, int, int]:
        """Extends `node` over a proper name; returns how many capitalised words, lower-case name words and words
        of the name's own (not in name_words.txt: "Hòe Nhai", "TDS", "175") it took.

        After a word of the name's own ("Cường Hưng", "TDS", "I") only capitalised words and numbers may follow:
        lower-case words there are the sentence going on ("Công ty Cường Hưng kinh doanh", "Cục I thanh tra").
        """
        text, pos, proper, words, own = self.text, node.end, 0, 0, 0
        own_word = False
        while gap := _JOINER.match(text, pos):
            at = gap.end()
            if gap.group("dash") and pos == node.end:
                break        # "HTX - PV": a dash right after the opening word is not inside a name
            if gz.match_locality(text, pos, bare_level=False, bare_province=False):
                break        # "… huyện Phù Yên", "… Q.Bình Thủy": the place, taken by _place
            word = self._name_word(pos, at, first=pos == node.end)
            if word:
                lower = text[at].islower()
                if (lower and own_word) or (gap.group("comma") and (own_word or not words and not proper)):
                    break
                proper, words = proper + (not lower), words + lower
                pos, own_word = word, False
                continue
            if gap.group("comma") or gap.group("and"):
                break        # "Công ty Cường Hưng và Donacoop": two names
            if _HEAD.match(text, at) and self.unit_at(at, depth + 1):
                break        # the unit this one belongs to: _link takes it
            paren = _PAREN.match(text, pos)
            if paren and (proper or words) and (after := _SPACE.match(text, paren.end())) and (
                    _PROPER.match(text, after.end()) or gz.match_locality(text, paren.end())):
                pos = paren.end()        # "Trung tâm … (BVSKBMTE & KHHGĐ) tỉnh Hòa Bình"
                continue
            if number := _NUMBER.match(text, at):
                after_own = own_word and number.group()[0] not in "sS"
                if _LOWER_SYLLABLE.match(text, number.end()) or (pos == node.end and text[node.start].islower()) or (
                        after_own and (len(number.group()) > 2 or _WORD_AFTER.match(text, number.end()))):
                    break    # "Ngân hàng Phát triển 787 tỷ", "Phòng khám X 40 Lê Lợi", "phòng 510"
                pos, proper, own, own_word = number.end(), proper + 1, own + 1, True
                continue
            cap = _PROPER.match(text, at)
            if not cap or _TITLE.match(text, at) or _PERSON_CUE.match(text, at):
                break
            person = 0 if named_after_person else gz.name_words_at(text, at)
            if person >= 3 and gz.is_place_name(" ".join(text[at:at + 40].split()[:2])):
                person = 0   # "… khu vực Đồng Tháp Mười": a place, not a person
            if person >= 3 and (proper or words):
                break        # "Giám đốc Công ty ABC Nguyễn Văn An": the name after the unit is the person's
            if person >= 3:
                return 0, 0, 0  # "Vụ Hà Văn Thắm": a case named after a person, not a department
            end = cap.end()
            if at in self.starts and text[at].isalpha() and not own_word:
                end = self._word_end(at, end)
            pos, proper, own, own_word = end, proper + 1, own + 1, True
        node.end = node.name_end = pos
        return proper, words, own

    def _name_word(self, pos: int, at: int, first: bool) -> int | None:
        """End of the name word at `at`, kept to the segmentation's words; None when no name word starts there.

        It must start a word, or go on with the word the name is inside ("rừng phòng hộ" is one word); when it
        ends inside a word, a shorter one that ends with a word is preferred ("công nghiệp" before "Cao su").
        """
        if at not in self.starts and pos in self.ends:
            return None
        word = _NAME_WORD.match(self.text, at) or (_FIRST_WORD.match(self.text, at) if first else None)
        if word and word.end() not in self.ends:
            i = bisect.bisect_left(self.sorted_ends, word.end()) - 1
            shorter = self.sorted_ends[i] if i >= 0 and self.sorted_ends[i] > at else None
            if shorter and (cut := _NAME_WORD.match(self.text, at, shorter)) and cut.end() == shorter:
                return shorter
        return word.end() if word else None

    def _word_end(self, start: int, pos: int) -> int:
        # A capitalised syllable runs to the end of its two-syllable underthesea word ("Hội nghị", "Cao su");
        # longer merges ("TDS chấp hành"), foreign words ("Formosa tự") and function words ("Lâm gồm") are the
        # segmenter's mistakes and stay cut.
        if pos in self.ends or pos - start > 7 or not self.text[start + 1:start + 2].islower():
            return pos
        nxt = _LOWER_SYLLABLE.match(self.text, pos)
        if nxt and nxt.end() in self.ends and nxt.group().strip() not in _FUNCTION_WORDS:
            return nxt.end()
        return pos

    def _place(self, node: Node, *, bare_level: bool, country: bool = False, skip_paren: bool = False,
               implied_level: str | None = None, after: int | None = None) -> bool:
        start = node.end if after is None else after
        if skip_paren and (paren := _PAREN.match(self.text, start)):
            start = paren.end()  # "Sở Giao thông Vận tải (GTVT) TP Cần Thơ"
        found = gz.match_locality(self.text, start, bare_level=bare_level, country=country, context=self.context,
                                  implied_level=implied_level, spaced=after is None or skip_paren)
        if not found:
            return False
        node.locality, node.end = found, found.end
        if found.name and found.level not in gz.PROVINCE_LEVELS + ("",):
            upper = gz.match_locality(self.text, found.end, bare_level=False, context=found.province or self.context)
            if upper and upper.name and not upper.country:
                node.end = upper.end     # "UBND xã Hà Ninh huyện Hà Trung", "… huyện Phú Bình tỉnh Thái Nguyên"
        return True

    def _parent_follows(self, node: Node, depth: int) -> bool:
        gap = _SPACE.match(self.text, node.end)
        parent = self.unit_at(gap.end(), depth + 1) if gap else None
        if parent is None or parent.head.kind == "inspection_team":
            return False
        node.parent, node.end = parent, parent.end
        return True

    def _link(self, node: Node, depth: int) -> None:
        """Attaches the unit that `node` belongs to when the text goes on with it."""
        if node.parent or node.head.kind not in _CHILD_KINDS:
            return
        link = _LINK.match(self.text, node.end)
        if not link:
            return
        dash, of = bool(link.group("dash")), link.group("of")
        start = link.end()
        if of == "của" and node.head.kind == "inspection_team" and (title := _TITLE.match(self.text, start)) and (
                gap := _SPACE.match(self.text, title.end())):
            start = gap.end()    # "Tổ công tác của Chủ tịch UBND TPHCM"
        parent = self.unit_at(start, depth + 1)
        if parent is None:
            if of == "của" and node.head.kind in ("inspection_team", "division", "public_service_unit"):
                found = gz.match_locality(self.text, link.end() - 1, bare_level=False, context=self.context)
                if found and found.name:     # "chi nhánh Văn phòng Đăng ký đất đai của huyện Phú Quốc"
                    node.locality, node.end = found, found.end
            return
        if parent.head.kind == "inspection_team":
            return
        if dash and node.head.variant.lower() not in _DASH_HEADS and parent.head.variant.lower() not in _DASH_HEADS:
            return
        if not of and not dash and ((node.locality is not None and node.locality.name) or (
                node.head.mode == "fixed" and node.head.kind in _TOP_KINDS and parent.head.kind not in _TOP_PARENTS)):
            return           # "UBND huyện X Sở Y", "Quốc hội Bộ Y tế": two units side by side
        node.parent, node.end = parent, parent.end

    # -- the whole text ------------------------------------------------------------------------------------------

    def parse(self) -> list[Node]:
        nodes: list[Node] = []
        pos = 0
        while m := _HEAD.search(self.text, pos):
            if masked := _NOT_A_UNIT.match(self.text, m.start()):
                pos = masked.end()
                continue
            node = None
            if not _GENERIC_BEFORE.search(self.text, max(0, m.start() - 12), m.start()):
                node = self.unit_at(m.start())
            if node is None:
                pos = m.start() + 1
                continue
            if not _GENERIC_AFTER.match(self.text, node.end):
                nodes.append(node)   # not "Sở Nội vụ các tỉnh": every province's department
            pos = node.end
        return nodes


_PROVINCE_MENTION = re.compile(rf"(?<!\w)(?:{gz.PROVINCE_NAME}|{gz.PROVINCE_NAME_UPPER})(?!\w)")


def document_province(text: str, locality_hint: str | None = None) -> gz.Province | None:
    """The province a document is about: its place line when known, else the one its text names most.

    Example: document_province("UBND tỉnh Yên Bái … Sở TN&MT tỉnh Yên Bái …").name → "Yên Bái".
    """
    if locality_hint and (found := gz.province(locality_hint)):
        return found
    counts = Counter(gz.province(m.group()).key for m in _PROVINCE_MENTION.finditer(text))
    return gz.PROVINCES[counts.most_common(1)[0][0]] if counts else None


def _name_of(node: Node, text: str) -> str:
    if node.head.mode == "fixed":
        own = node.head.canonical or node.head.variant
    elif node.sector is not None:
        own = f"{node.head.canonical} {node.sector.name}"
    elif node.head.canonical and node.head.mode in ("council", "level"):
        own = node.head.canonical + text[node.start + len(node.head.variant):node.name_end]
    else:
        own = gz.expand_abbreviations(text[node.start:node.name_end])
    own = " ".join(own.split())
    return f"{own} {_name_of(node.parent, text)}" if node.parent else own


def _locality_of(node: Node, context: gz.Province | None) -> tuple[str | None, gz.Locality | None]:
    """Where the unit is: its own place or its parent's; for a province's body named bare ("UBND tỉnh",
    "Sở Nội vụ", "Thanh tra tỉnh"), the province the document is about."""
    for link in _chain(node):
        if link.locality is not None and link.locality.name:
            return link.locality.display(), link.locality
    bare = next((link.locality for link in _chain(node) if link.locality is not None), None)
    if bare is None:
        provincial = any(link.head.kind == "department" for link in _chain(node))
    else:
        provincial = bare.level == "tỉnh" or (context is not None and bare.level == context.level)
    if context and provincial:
        return context.name, gz.Locality(node.start, node.start, context.level, context.name, context)
    return None, bare


def _chain(node: Node):
    while node is not None:
        yield node
        node = node.parent


def _units(node: Node, text: str, context: gz.Province | None) -> list[Unit]:
    found = []
    for link in _chain(node):
        locality, place = _locality_of(link, context)
        chain = list(_chain(link))
        head = link.head.canonical or gz.expand_abbreviations(link.head.variant)
        kind = link.head.kind
        if link.head.variant.lower() == "chi nhánh" and link.parent:
            kind = link.parent.head.kind     # a branch is the kind of body it is a branch of
        found.append(Unit(text=text[link.start:link.end], start=link.start, end=link.end, name=_name_of(link, text),
                          kind=kind, locality=locality, source="rules",
                          successor=gz.successor(head if link.head.mode != "fixed" else _name_of(link, text),
                                                 [n.head.kind for n in chain], [n.sector for n in chain], place)))
    return found


def extract_units(text: str, *, doc: Doc | None = None, locality_hint: str | None = None) -> list[Unit]:
    """Every unit mention in `text`, in text order; a chain gives one Unit per link.

    `locality_hint` is the place of the document's own date line ("Hà Nội"); bare names such as "UBND tỉnh" or
    "Sở Nội vụ" take it, or else the province the text names most.
    Example: extract_units("Thanh tra Sở Xây dựng Thái Nguyên đã") → [Unit(text="Thanh tra Sở Xây dựng Thái
    Nguyên", name="Thanh tra Sở Xây dựng", kind="inspectorate", locality="Thái Nguyên", successor="Thanh tra tỉnh
    Thái Nguyên", …), Unit(text="Sở Xây dựng Thái Nguyên", name="Sở Xây dựng", kind="department", …)].
    """
    if doc is None:
        doc = make_doc(text)
    context = document_province(text, locality_hint)
    units: list[Unit] = []
    for node in _Parser(text, doc, context).parse():
        units.extend(_units(node, text, context))
    return units


def head_kind(surface: str) -> str | None:
    """The kind a unit name's opening word implies, for spans found by the trained model rather than the rules.

    Example: head_kind("Ban Quản lý dự án huyện Nam Trực") → "public_service_unit"; head_kind("Hà Nội") → None.
    """
    m = _HEAD.match(surface)
    return _HEADS[_head_key(m.group())].kind if m else None
