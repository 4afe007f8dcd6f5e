"""People named in a text by their full name (GUIDE §2 "persons").

A full name is a family name from ``pipeline/data/surnames.txt`` and one to three capitalised Vietnamese
syllables, ending on a word end of the underthesea segmentation ("Đoàn Thanh" of "Đoàn Thanh tra" is no name).
After "ông", "bà", "Tổng thống", "HLV"… a foreign name counts too ("ông Robert Macke").

Not persons: short forms ("ông Chung", and "Hoàng Anh" once the text has said "Võ Hoàng Anh"), initials kept for
privacy ("Nguyễn Văn A.", "Trần Thị H."), places that look like names ("Hoàng Mai", "đường Lê Duẩn", "số 15 An
Dương Vương"), names inside unit names ("Trường THCS Nguyễn Du"), lunar years ("Tết Đinh Dậu"), and the credits
of news: photo and source lines ("Ảnh: Nhật Nam", "Thanh Hà/TTXVN") and the author's name closing an article.
The signatory under the title block of an official document is a person, with that title as position.

`position` is the title (and unit) written right before the name, or right after it ("ông X, Giám đốc Sở Y");
`unit` is the unit inside that position.
Example: extract_persons("Phó Giám đốc Sở Nội vụ Đinh Mạnh Hùng cho biết") → [Person(name="Đinh Mạnh Hùng",
position="Phó Giám đốc Sở Nội vụ", unit="Sở Nội vụ", text="Đinh Mạnh Hùng", start=23, end=37)].
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..record import Person, Unit
from . import gazetteer as gz
from .tokens import make_doc, token_bounds
from .units import extract_units

_SYLLABLE = rf"[{gz.UPPER}][{gz.LOWER}]*"
_SURNAME = "|".join(sorted(map(re.escape, gz.SURNAMES), key=len, reverse=True))
_CANDIDATE = re.compile(rf"(?<![\w'’])(?:{_SURNAME})(?:[ \t]{_SYLLABLE}){{1,3}}(?![\w'’])")
_CAPITALISED_RUN = re.compile(rf"(?<![\w'’]){_SYLLABLE}(?:[ \t]{_SYLLABLE}){{1,3}}(?![\w'’])")
_ALL_CAPS_NAME = re.compile(rf"(?m)^[ \t]*((?:{_SURNAME.upper()})(?:[ \t]+[{gz.UPPER}]+){{1,3}})[ \t]*$")
_MORE_CAPITALS = re.compile(rf"[ \t]+[{gz.UPPER}]")
_LOWER_SYLLABLE = re.compile(rf"[ \t][{gz.LOWER}]+(?!\w)")
_LOWER_WORD_BEFORE = re.compile(rf"(?:^|[^\w])[{gz.LOWER}]\w*[ \t]$")
_VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
# The shape of a Vietnamese syllable: onset, vowels, coda. Foreign words ("Perla", "Mitek", "Samson") do not fit.
_VIETNAMESE_SYLLABLE = re.compile(rf"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?[{_VOWELS}]{{1,3}}"
                                  rf"(?:ng|nh|ch|[cmnptiyou])?")
_TONE_OR_D = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ]", re.I)
_INITIALS = frozenset("ABCDĐEGHIKLMNOPQRSTUVXY")
# Capitalised words that open a sentence and are never a given name: "… ông Võ Kim Cự Theo đó, …".
_NOT_GIVEN_NAMES = frozenset("Theo Trong Tại Khi Sau Trước Về Với Cho Để Do Từ Còn Đây Đó Nhưng Và Các Những Này "
                             "Ngoài Qua Cùng Riêng Mặc Tuy Nếu Vì Nên Thì Là Có Không Đã Sẽ Được Bị Ông Bà Dù Ngay "
                             "Lúc Hôm Ở So".split())
_STEMS = frozenset("Giáp Ất Bính Đinh Mậu Kỷ Canh Tân Nhâm Quý".split())
_BRANCHES = frozenset("Tý Sửu Dần Mão Mẹo Thìn Tỵ Ngọ Mùi Thân Dậu Tuất Hợi".split())

_TITLES = "(?i:" + "|".join(r"[ \t]+".join(map(re.escape, t.split())) for t in gz.name_list("titles.txt")) + ")"
_TITLE = rf"(?:(?i:nguyên|quyền|phó)[ \t]+){{0,2}}{_TITLES}(?:[ \t]+(?i:thường trực))?"
# A title whose last word is the unit's first: "Chánh Thanh tra tỉnh", "Tổng Thanh tra Chính phủ".
_TITLE_INTO_UNIT = re.compile(r"(?:(?i:nguyên|quyền|phó)[ \t]+){0,2}(?i:chánh|tổng|chủ nhiệm)[ \t]+$")
_TITLE_BEFORE = re.compile(rf"{_TITLE}[ \t]+$")
_TITLE_AFTER = re.compile(rf"[ \t]*[,(–—-][ \t]*({_TITLE})(?!\w)")
# A person is announced: "ông", "bà", "đồng chí", "bị cáo", or a title ("Thứ trưởng", "Chánh Thanh tra").
_CUE = re.compile(rf"(?:(?i:ông|bà|ngài|đồng chí|bị cáo|bị can|nghi phạm|đối tượng|anh|chị|cụ|thầy|cô|em|vợ|"
                  rf"chồng)|{_TITLE})[ \t]*$")
_FOREIGN_CUE = re.compile(r"(?i:ông|bà|ngài|tổng thống|phó tổng thống|thủ tướng|ngoại trưởng|bộ trưởng|chủ tịch|"
                          r"hlv|huấn luyện viên|cầu thủ|tiền đạo|hậu vệ|thủ môn|tiền vệ|trung vệ|nhà báo|đại sứ|"
                          r"đại úy|thiếu tá|trung tá|đại tá|tướng|giáo sư|tiến sĩ|bác sĩ|ca sĩ|diễn viên)"
                          r"(?:[ \t]+(?i:ngoại binh|người))?[ \t]+$")
_ORGANISATION_WORDS = frozenset("Center Centre Group Inc Corp Corporation Company Bank University Institute "
                                "Foundation Association Club FC Ltd Co Agency Times News Post Airlines Motors".split())
# Words before a name that make it a street, a place, a school or an address: "đường Lê Duẩn", "ngõ 15 An Dương".
_PLACE_BEFORE = re.compile(r"(?:(?i:đường|phố|ngõ|ngách|hẻm|kiệt|đại lộ|cầu|chợ|quận|huyện|xã|phường|tỉnh|thành phố|"
                           r"thị xã|thị trấn|khu|khu phố|tổ dân phố|thôn|ấp|bản|làng|tượng|lăng|bảo tàng|đền|chùa|"
                           r"giải|cúp|tàu|sân|bến|nhà hát|công viên|trường|THCS|THPT|tiểu học|mầm non|năm|tết|"
                           r"khách sạn|nhà hàng|quán|rạp|tộc|dòng họ|số|nhà số)|TP|TX|Q\.|P\.|H\.|"
                           r"(?<![\d/.-])\d+[A-Za-z]?)[ \t]*$")
# A title before the place word makes it part of a position: "Chủ tịch TP Nguyễn Đức Chung".
_TITLED_PLACE_BEFORE = re.compile(r"(?i:chủ tịch|bí thư|giám đốc|chánh thanh tra)[ \t]+(?:TP|tỉnh|thành phố|huyện|"
                                  r"quận|thị xã|xã|phường)[ \t]*$")
_CREDIT_BEFORE = re.compile(r"(?:(?i:ảnh|theo|nguồn|bài|bài và ảnh|tác giả|thực hiện|clip|video|đồ họa|"
                            r"phóng viên|PV|BTV|nhóm PV)[ \t]*[:.-]?|\()[ \t]*$")
_CREDIT_AFTER = re.compile(r"[ \t]*(?:/|\((?:theo|Theo|TTXVN|VOV|TTO|Vietnam\+)|[-–—][ \t]*(?:TTXVN|VOV|"
                           r"Vietnam\+|VNA))")
_ARTICLE_END = re.compile(r"[ \t]*(?:\([^()\n]{0,60}\))?[ \t.]*(?:[-–—][ \t]*[^\n]{0,40})?\s*$")
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?…”\"»)]|\n|[-–—])[ \t]*$")
_SIGNATURE_BLOCK = re.compile(r"(?m)^[ \t]*(?:KT\.|TM\.|TL\.|TUQ\.|Q\.|\(?[Đđ]ã ký\)?|(?:PHÓ |Q\. )?(?:CHỦ TỊCH|"
                              r"GIÁM ĐỐC|CHÁNH THANH TRA|TRƯỞNG ĐOÀN|TRƯỞNG BAN|BỘ TRƯỞNG|THỨ TRƯỞNG|TỔNG THANH TRA|"
                              r"CỤC TRƯỞNG|VỤ TRƯỞNG|CHÁNH VĂN PHÒNG|BÍ THƯ|HIỆU TRƯỞNG|TRƯỞNG PHÒNG|THỦ TRƯỞNG|"
                              r"NGƯỜI KÝ|TỔNG GIÁM ĐỐC))")
_SIGNATURE_LINES = 12
_TITLE_LINE = re.compile(rf"(?:KT\.|TM\.|TL\.|Q\.)?[ \t]*{_TITLE}")
_PAREN_ABBREVIATION = re.compile(rf"[ \t]*\([{gz.UPPER}&\d]{{2,10}}\)[ \t]*$")


class _Finder:
    """Finds the persons of one text, given its word boundaries and its units."""

    def __init__(self, text: str, doc: Doc, units: list[Unit]):
        self.text = text
        self.starts, self.ends = token_bounds(doc)
        self.units = sorted(units, key=lambda u: (u.start, -u.end))
        self.unit_ending: dict[int, Unit] = {}
        for unit in self.units:          # the longest unit ending at each offset
            if unit.end not in self.unit_ending or unit.start < self.unit_ending[unit.end].start:
                self.unit_ending[unit.end] = unit
        self.signature_at = _signature_block(text)

    def find(self) -> list[Person]:
        persons = []
        pos = 0
        while m := _CANDIDATE.search(self.text, pos):
            person = self._candidate(m.start(), m.end())
            if person:
                persons.append(person)
                pos = person.end
            else:            # "Đồng Nai Phan Thị Mỹ Thanh": the name may start at the next word
                pos = m.start() + len(m.group().split()[0])
        for m in _ALL_CAPS_NAME.finditer(self.text):
            if m.start(1) > self.signature_at:
                name = " ".join(w.capitalize() for w in m.group(1).split())
                persons.append(Person(text=m.group(1), start=m.start(1), end=m.end(1), name=name,
                                      position=self._signed_as(m.start(1))))
        persons.extend(self._foreign())
        return _without_short_forms(sorted(persons, key=lambda p: p.start))

    # -- one candidate -------------------------------------------------------------------------------------------

    def _candidate(self, start: int, end: int) -> Person | None:
        text = self.text
        if _MORE_CAPITALS.match(text, end) and not self._cued(start):
            return None      # "Lê Thanh Hải Nói Về …": a capitalised title, not a name
        end = self._word_aligned_end(start, end)
        if end is None or (start not in self.starts and not _LOWER_WORD_BEFORE.search(text, max(0, start - 12),
                                                                                        start)):
            return None      # "Hà Nội Nguyễn": not the start of a word
        words = text[start:end].split()
        while len(words) > 2 and words[-1] in _NOT_GIVEN_NAMES:
            end -= len(words.pop()) + 1
        if words[-1] in _NOT_GIVEN_NAMES or any(w in _INITIALS for w in words[1:]):
            return None      # "Nguyễn Văn A.", "Trần Thị H.": initials kept for privacy
        if not all(_VIETNAMESE_SYLLABLE.fullmatch(w.lower()) for w in words[1:]):
            return None      # "La Perla", "Trang Mitek": a family name's look-alike before a foreign word
        if self._inside_unit(start, end) or self._is_place(start, words) or self._is_credit(start, end):
            return None
        return self._person(start, end)

    def _word_aligned_end(self, start: int, end: int) -> int | None:
        """The end of the name at a word end of the segmentation: "Đoàn Thanh" of "Đoàn Thanh tra" is no name.

        When no shorter name ends on a word end and a name of three words or more only runs into a lower-case
        syllable, the segmenter glued it to the next word ("Trần Chí Công tiếp"): the name is kept.
        """
        text, cut = self.text, end
        while cut not in self.ends:
            cut = text.rfind(" ", start, cut)
            if cut < 0 or " " not in text[start:cut]:
                glued = _LOWER_SYLLABLE.match(text, end) and text.count(" ", start, end) >= 2
                return end if glued and not self._inside_unit(start, end + 2) else None
        return cut

    def _is_place(self, start: int, words: list[str]) -> bool:
        # "Hà Nội", "Phương Tây", "Đồng Tháp Mười", "Tết Đinh Dậu", "đường Lê Duẩn", "số 15 An Dương Vương".
        surface, first_two = " ".join(words), " ".join(words[:2])
        if gz.province(surface) or gz.is_country(surface) or gz.is_country(first_two):
            return True
        if not self._cued(start) and (gz.is_place_name(surface) or gz.is_district_name(first_two) or (
                len(words) == 2 and words[0] in _STEMS and words[1] in _BRANCHES)):
            return True
        before = self.text[max(0, start - 30):start]
        after_unit = start - (len(before) - len(before.rstrip(" \t"))) in self.unit_ending
        return bool(_PLACE_BEFORE.search(before)) and not after_unit and not _TITLED_PLACE_BEFORE.search(before)

    def _is_credit(self, start: int, end: int) -> bool:
        # "Ảnh: Nhật Nam", "Thanh Hà/TTXVN", and the author's name closing an article: last in the text, after a
        # sentence or a dash, maybe "(theo …)". A signatory is not a credit.
        before = self.text[max(0, start - 30):start]
        if _CREDIT_BEFORE.search(before) or _CREDIT_AFTER.match(self.text, end):
            return True
        if start > self.signature_at or not _ARTICLE_END.match(self.text, end):
            return False
        return bool(_SENTENCE_BEFORE.search(self.text, max(0, start - 5), start))

    def _cued(self, start: int) -> bool:
        return bool(_CUE.search(self.text, max(0, start - 40), start))

    def _inside_unit(self, start: int, end: int) -> bool:
        return any(u.start <= start and end <= u.end for u in self.units if u.start < end)

    # -- the person and the position written next to the name ----------------------------------------------------

    def _person(self, start: int, end: int) -> Person:
        name = self.text[start:end]
        position, unit = self._position(start, end)
        return Person(text=name, start=start, end=end, name=name, position=position, unit=unit)

    def _position(self, start: int, end: int) -> tuple[str | None, str | None]:
        text = self.text
        if start > self.signature_at and (signed := self._signed_as(start)):
            return signed, None
        gap = _PAREN_ABBREVIATION.search(text, max(0, start - 20), start)
        unit_end = gap.start() if gap else len(text[:start].rstrip(" \t"))
        unit = self.unit_ending.get(unit_end)
        title = _TITLE_BEFORE.search(text, max(0, (unit.start if unit else start) - 60), unit.start if unit else start)
        if title is None and unit:
            title = _TITLE_INTO_UNIT.search(text, max(0, unit.start - 30), unit.start)
        if title:
            stop = unit.end if unit else title.end()
            return " ".join(text[title.start():stop].split()), unit.text if unit else None
        after = _TITLE_AFTER.match(text, end)
        if after:
            unit = next((u for u in self.units if 0 < u.start - after.end() <= 2), None)
            return " ".join(text[after.start(1):unit.end if unit else after.end()].split()), \
                unit.text if unit else None
        return None, None

    def _signed_as(self, start: int) -> str | None:
        # The signatory's title is the last capitalised title line above the name: "PHÓ CHÁNH THANH TRA".
        for line in reversed(self.text[self.signature_at:start].splitlines()):
            line = line.strip()
            if line and line.isupper() and _TITLE_LINE.match(line):
                return line.capitalize()
        return None

    # -- foreign names ---------------------------------------------------------------------------------------------

    def _foreign(self) -> list[Person]:
        # After "ông", "Tổng thống", "HLV"…, a capitalised run of plain Latin words: "ông Robert Macke";
        # "Thủ tướng Anh Theresa May" (the country before the name is not part of it).
        found = []
        for m in _CAPITALISED_RUN.finditer(self.text):
            start, words = m.start(), m.group().split()
            while words and gz.is_country(words[0]):
                start += len(words.pop(0)) + 1
            if len(words) < 2 or words[0] in gz.SURNAMES or words[-1] in _ORGANISATION_WORDS:
                continue
            if not _FOREIGN_CUE.search(self.text, max(0, m.start() - 30), m.start()):
                continue
            if _MORE_CAPITALS.match(self.text, m.end()) or self._inside_unit(start, m.end()):
                continue
            if gz.is_place_name(" ".join(words)) or any(_TONE_OR_D.search(w) or len(w) < 3 for w in words):
                continue
            found.append(self._person(start, m.end()))
        return found


def _signature_block(text: str) -> int:
    """Where the signature block of an official document starts: its last title line ("KT. CHỦ TỊCH", "GIÁM ĐỐC")
    when few lines follow it; the end of the text when there is none (news)."""
    last = None
    for last in _SIGNATURE_BLOCK.finditer(text):
        pass
    if last is None or sum(1 for line in text[last.end():].splitlines() if line.strip()) > _SIGNATURE_LINES:
        return len(text)
    return last.start()


def _without_short_forms(persons: list[Person]) -> list[Person]:
    # "Hoàng Anh" after "Võ Hoàng Anh", "Kim Thoa" after "Hồ Thị Kim Thoa": the text's short form of a full name.
    names = {p.name for p in persons}
    return [p for p in persons if not any(n != p.name and n.endswith(" " + p.name) for n in names)]


def extract_persons(text: str, *, doc: Doc | None = None, units: list[Unit] | None = None) -> list[Person]:
    """Every full-name mention of a person in `text`, in text order, with the position written next to it.

    `units` are the text's units when the caller has them already (else they are extracted here): a name inside
    a unit name is not a person, and the unit right before a name is the person's `unit`.
    Example: extract_persons("Chủ tịch UBND TP Hà Nội Nguyễn Đức Chung cho biết")[0].position →
    "Chủ tịch UBND TP Hà Nội".
    """
    if doc is None:
        doc = make_doc(text)
    if units is None:
        units = extract_units(text, doc=doc)
    return _Finder(text, doc, units).find()
