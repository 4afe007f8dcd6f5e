"""Places, sectors and abbreviations that the unit and person rules look names up in (BRIEF §3).

Provinces, districts and communes come from the address data underthesea ships (63 old provinces, 34 new ones,
696 old districts, ~10,000 old and ~3,300 new communes, with the 1 July 2025 mapping); it is read once at import.
Spellings that data lacks ("TP.HCM", "TT-Huế"), sectors and abbreviations are in ``pipeline/data/*.tsv``.

Lookups go through `fold`, which drops case, tone marks and punctuation, so "Đắk G'Long" and "Đắk Glong" meet.

The 2025 successors of bodies (`successor`) are derived here too: ministries and departments from sectors.tsv
(BRIEF §3.4, ND 45/2025), provinces and communes from underthesea's mapping (§3.5), districts and departmental
inspectorates ending in the province (§3.3, §3.6), other bodies from successors_2025.tsv.

Example: province("TP.HCM").name → "Hồ Chí Minh"; province("Yên Bái").successor → "Lào Cai";
sector("TN&MT").name → "Tài nguyên và Môi trường".
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import underthesea.address

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_ADDRESS_DATA = Path(underthesea.address.__file__).resolve().parent / "data" / "mapping.json"

UPPER = "".join(sorted({c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha()}))
LOWER = "".join(sorted({c for c in map(chr, range(0x61, 0x1EFA)) if c.islower() and c.isalpha()}))
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_LEVEL_PREFIX = re.compile(r"^(?i:tỉnh|thành phố|quận|huyện|thị xã|phường|xã|thị trấn|đặc khu)\s+")
# Separators that vary freely inside sector names: "LĐ-TB&XH", "Lao động, Thương binh và Xã hội".
_SECTOR_SPLIT = re.compile(r"\s*(?:[-–—&,]|\bvà\b)\s*")
SECTOR_SEPARATOR = r"(?:\s*[-–—&,]\s*(?:và\s+)?|\s+và\s+|\s+)"


def fold(text: str) -> str:
    """Lookup key: lower case, no tone marks, letters and digits only.

    Example: fold("Đắk G’Long") → "dakglong".
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _NOT_KEY.sub("", "".join(c for c in text if not unicodedata.combining(c)).lower())


def rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a file in ``pipeline/data``, without blank and "#" comment lines.

    Example: rows("places.tsv")[0] → ["TP.HCM", "Hồ Chí Minh"].
    """
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class Province:
    key: str            # underthesea's key: "tinhyenbai"
    name: str           # short name as written: "Yên Bái"
    level: str          # "tỉnh" or "thành phố"
    successor: str      # short name of the province that covers it from 1 July 2025: "Lào Cai"

    @property
    def merged(self) -> bool:
        """Whether the province became part of another on 1 July 2025 (Yên Bái → Lào Cai)."""
        return self.successor != self.name


@dataclass(frozen=True, slots=True)
class Place:
    """A district or commune: `level` "huyện", "phường", …; `province` the key of the province it lies in."""
    level: str
    name: str
    province: str
    successor: str | None = None    # the commune that covers it from 1 July 2025 ("Phường Bạch Mai")


@dataclass(frozen=True, slots=True)
class Sector:
    name: str                        # "Tài nguyên và Môi trường"
    successor: str | None            # "Nông nghiệp và Môi trường"
    heads: frozenset[str]            # {"bo", "so", "phong"}


def _split_level(full: str) -> tuple[str, str]:
    m = _LEVEL_PREFIX.match(full)
    return (m.group().strip().lower(), full[m.end():]) if m else ("", full)


def _load_places():
    data = json.loads(_ADDRESS_DATA.read_text(encoding="utf-8"))
    new_names = data["province_names"]
    provinces: dict[str, Province] = {}
    for key, info in (data["old_province_names"] | new_names).items():
        new_key = data["province_mapping"].get(key, key)
        level, _ = _split_level(info["name"])
        provinces[key] = Province(key, info["short"], level or "tỉnh", new_names.get(new_key, info)["short"])
    by_surface = {fold(p.name): p for p in provinces.values()}
    by_surface |= {fold(p.level + p.name): p for p in provinces.values()}
    by_short = {p.name: p for p in provinces.values()}
    countries: set[str] = set()
    for surface, target in rows("places.tsv"):
        if target == "country":
            countries.add(fold(surface))
        else:
            by_surface[fold(surface)] = by_short[target]
    districts: dict[str, list[Place]] = {}
    communes: dict[str, list[Place]] = {}
    seen: set[tuple] = set()
    for row in data["ward_mapping"]:
        level, name = _split_level(row["old_district"])
        if (row["old_province_key"], name) not in seen:
            seen.add((row["old_province_key"], name))
            districts.setdefault(fold(name), []).append(Place(level, name, row["old_province_key"]))
        if row["old_ward"]:
            level, name = _split_level(row["old_ward"])
            communes.setdefault(fold(name), []).append(
                Place(level, name, row["old_province_key"], row["new_ward"] or None))
        level, name = _split_level(row["new_ward"])
        if name and (row["new_province_key"], row["new_ward"]) not in seen:
            seen.add((row["new_province_key"], row["new_ward"]))
            communes.setdefault(fold(name), []).append(Place(level, name, row["new_province_key"], row["new_ward"]))
    return provinces, by_surface, countries, districts, communes


PROVINCES, _PROVINCE_BY_SURFACE, _COUNTRIES, _DISTRICTS, _COMMUNES = _load_places()
PROVINCE_LEVELS = ("tỉnh", "thành phố")
DISTRICT_LEVELS = ("quận", "huyện", "thị xã", "thành phố")
COMMUNE_LEVELS = ("phường", "xã", "thị trấn", "đặc khu")


def province(surface: str) -> Province | None:
    """The province a surface form names, old or new, with or without its level word.

    Example: province("Thừa Thiên - Huế").name → "Huế"; province("tỉnh Bình Dương").successor → "Hồ Chí Minh".
    """
    return _PROVINCE_BY_SURFACE.get(fold(surface))


def is_country(surface: str) -> bool:
    """Whether a surface names a country or continent, as in "Bộ Nông nghiệp Mỹ".

    Example: is_country("Trung Quốc") → True.
    """
    return fold(surface) in _COUNTRIES


def places(level: str, surface: str, province_key: str | None = None) -> list[Place]:
    """Districts or communes of that level word called `surface`, in `province_key` when given and known there.

    Example: places("huyện", "Gia Lâm")[0].province → "thanhphohanoi".
    """
    table = _COMMUNES if level in COMMUNE_LEVELS else _DISTRICTS
    found = table.get(fold(surface), [])
    if level in ("quận", "huyện", "thị xã", "phường", "xã", "thị trấn", "đặc khu"):
        found = [p for p in found if p.level == level] or found
    if province_key:
        found = [p for p in found if p.province == province_key] or found
    return found


def is_place_name(surface: str) -> bool:
    """Whether a surface is the name of a province, district or commune ("Hoàng Mai", "Lê Chân", "Hà Nội").

    Example: is_place_name("Lê Chân") → True; is_place_name("Đinh Mạnh Hùng") → False.
    """
    key = fold(surface)
    return key in _PROVINCE_BY_SURFACE or key in _DISTRICTS or key in _COMMUNES


def is_district_name(surface: str) -> bool:
    """Whether a surface names a province or a district (not merely one of the ~10,000 communes).

    Example: is_district_name("Đồng Tháp") → True; is_district_name("Đào Đức") → False.
    """
    key = fold(surface)
    return key in _PROVINCE_BY_SURFACE or key in _DISTRICTS


def _province_pattern(upper: bool = False) -> str:
    surfaces = {p.name for p in PROVINCES.values()}
    surfaces |= {row[0] for row in rows("places.tsv") if row[1] != "country"}
    alternatives = []
    for surface in sorted(surfaces, key=len, reverse=True):
        surface = surface.upper() if upper else surface
        parts = [r"\s".join(map(re.escape, part.split())) for part in re.split(r"\s*[-–—]\s*", surface)]
        alternatives.append(r"\s*[-–—]\s*".join(parts))
    return "|".join(alternatives)


# A province named without its level word, as after "Sở Nội vụ", "Công an", "Tỉnh ủy"; case follows the text.
PROVINCE_NAME = _province_pattern()
PROVINCE_NAME_UPPER = _province_pattern(upper=True)
COUNTRY_NAME = "|".join(sorted((re.escape(r[0]) for r in rows("places.tsv") if r[1] == "country"), key=len,
                               reverse=True))


def _sector_pattern(variant: str) -> str:
    parts = [r"\s+".join(map(re.escape, part.split())) for part in _SECTOR_SPLIT.split(variant) if part]
    return SECTOR_SEPARATOR.join(parts)


def _load_sectors():
    by_key: dict[str, Sector] = {}
    patterns: dict[str, list[str]] = {}
    for name, variants, successor, heads in rows("sectors.tsv"):
        sector = Sector(name, successor or None, frozenset(heads.split(",")))
        for variant in variants.split("|"):
            by_key[_sector_key(variant)] = sector
            for head in sector.heads:
                patterns.setdefault(head, []).append(variant)
    compiled = {head: "(?i:" + "|".join(_sector_pattern(v) for v in sorted(vs, key=len, reverse=True)) + r")(?!\w)"
                for head, vs in patterns.items()}
    return by_key, compiled


def _sector_key(surface: str) -> str:
    return "".join(_SECTOR_SPLIT.split(surface.lower())).replace(" ", "")


_SECTOR_BY_KEY, SECTOR_PATTERNS = _load_sectors()


def sector(surface: str) -> Sector | None:
    """The sector a written form names, whatever its separators and case.

    Example: sector("LĐ-TB&XH").name → "Lao động - Thương binh và Xã hội"; sector("nội vụ").name → "Nội vụ".
    """
    return _SECTOR_BY_KEY.get(_sector_key(surface))


ABBREVIATIONS: dict[str, str] = dict(rows("abbreviations.tsv"))
_ABBREVIATION = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                           + r")(?!\w)")


def expand_abbreviations(name: str) -> str:
    """Spell out the abbreviations of a unit name.

    Example: expand_abbreviations("UBND phường Bách Khoa") → "Ủy ban nhân dân phường Bách Khoa".
    """
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group()], name)


SURNAMES = frozenset(row[0] for row in rows("surnames.txt"))
CAP_WORD = rf"[{UPPER}][\w'’]*"
_GAP = re.compile(r"[ \t]{1,2}")
_RUN = re.compile(rf"{CAP_WORD}(?:(?:[ \t]|[ \t]?[-–—][ \t]?){CAP_WORD}){{0,5}}|\d+(?!\w)")
_SYLLABLE = re.compile(CAP_WORD)
_LEVEL = re.compile(r"(?P<word>(?i:tỉnh|thành\s+phố|quận|huyện|thị\s+xã|phường|xã|thị\s+trấn|đặc\s+khu))(?!\w)[ \t]?"
                    r"|(?P<dotted>TP|Tp|T\.P|TX|Tx|Q|H|P|TT|X)\.[ \t]?|(?P<bare>TP|TX|Tp)(?!\w)[ \t]?")
_ABBREVIATED_LEVEL = {"tp": "thành phố", "t.p": "thành phố", "tx": "thị xã", "q": "quận", "h": "huyện",
                      "p": "phường", "tt": "thị trấn", "x": "xã"}
# A level word used for a whole class, not one place: "UBND xã, phường", "UBND cấp huyện", "huyện và xã".
_CLASS_OF_LEVELS = re.compile(r"[ \t]*(?:(?:,|và|hoặc|/)[ \t]*(?i:tỉnh|thành phố|quận|huyện|thị xã|phường|xã|"
                              r"thị trấn)(?!\w)|cấp(?!\w))")
_PROVINCE_ALONE = re.compile(rf"(?:{PROVINCE_NAME})(?!\w)")
_PROVINCE_ALONE_CAPS = re.compile(rf"(?:{PROVINCE_NAME_UPPER})(?!\w)")
_COUNTRY_ALONE = re.compile(rf"(?:{COUNTRY_NAME})(?!\w)")


@dataclass(frozen=True, slots=True)
class Locality:
    """A place named after a unit: "tỉnh Yên Bái", "Hà Nội", "phường Bách Khoa", or a bare level word ("tỉnh")."""
    start: int
    end: int
    level: str                       # "tỉnh", "thành phố", "huyện", …; "" for a province or country named alone
    name: str | None                 # "Bách Khoa"; None for a bare level word
    province: Province | None = None
    place: Place | None = None
    country: bool = False

    def display(self) -> str | None:
        """How the record writes it: "Yên Bái", "phường Bách Khoa, Hà Nội", "huyện Gia Lâm"."""
        if self.name is None:
            return None
        if self.place is None:
            if self.province:
                return self.province.name
            return f"{self.level} {self.name}" if self.level else self.name
        owner = PROVINCES.get(self.place.province)
        return f"{self.level} {self.name}" + (f", {owner.name}" if owner else "")


_PRONOUN = re.compile(r"(?:Ông|Bà|Anh|Chị|Cô|Chú|Bác|Cụ|Em)(?!\w)")
_SURNAME_RUN = re.compile(r"(?:" + "|".join(sorted(map(re.escape, SURNAMES), key=len, reverse=True))
                          + rf")(?![\w'’])(?:[ \t]{CAP_WORD})*")


def name_words_at(text: str, pos: int) -> int:
    """How many capitalised words run from `pos` when the first is a family name (0 when it is not one).

    Example: name_words_at("UBND huyện A Lưới Nguyễn Mạnh Hùng cho biết", 18) → 3.
    """
    run = _SURNAME_RUN.match(text, pos)
    return len(run.group().split()) if run else 0


def looks_like_person(text: str, pos: int) -> bool:
    """Whether a capitalised word at `pos` opens a full name (a family name and one or more capitalised words).

    Example: looks_like_person("UBND huyện A Lưới Nguyễn Mạnh Hùng", 18) → True.
    """
    return name_words_at(text, pos) >= 2


def _resolve(text: str, start: int, level: str, context: Province | None):
    """The longest run of capitalised words at `start` that names a place of that level, and the place."""
    run = _RUN.match(text, start)
    if not run:
        return None
    ends = [m.end() for m in _SYLLABLE.finditer(text, start, run.end())] or [run.end()]
    for end in reversed(ends):
        surface = text[start:end]
        if level in PROVINCE_LEVELS and (found := province(surface)):
            if level == "tỉnh" or found.level == "thành phố":
                return end, surface, found, None
        found = places(level, surface, context.key if context else None)
        if found:
            owner = {p.province for p in found}
            if len(owner) > 1:
                return end, surface, None, None     # the same name in several provinces: say which one is unknown
            return end, surface, PROVINCES[found[0].province], found[0]
    # Not in the data (a new or misspelt name): keep up to three words, and never a person's name.
    if name_words_at(text, start) >= 3 or _PRONOUN.match(text, start):
        return None
    end = ends[0]
    for later in ends[1:3]:
        if looks_like_person(text, _GAP.match(text, end).end()):
            break
        end = later
    return end, text[start:end], None, None


def match_locality(text: str, pos: int, *, bare_level: bool = True, bare_province: bool = True,
                   country: bool = False, context: Province | None = None,
                   implied_level: str | None = None, spaced: bool = True) -> Locality | None:
    """The place written right after `pos` (one space first unless `spaced` is false), if any.

    `implied_level` reads a place named without its level word ("Huyện ủy A Lưới": "huyện").
    Example: match_locality("UBND huyện Gia Lâm đã", 4).display() → "huyện Gia Lâm, Hà Nội".
    """
    gap = _GAP.match(text, pos) if spaced else None
    if spaced and not gap:
        return None
    at = gap.end() if gap else pos
    if bare_province:
        alone = _PROVINCE_ALONE.match(text, at) or _PROVINCE_ALONE_CAPS.match(text, at)
        if alone:
            found = province(alone.group())
            return Locality(at, alone.end(), "", found.name, found)
    if country and (alone := _COUNTRY_ALONE.match(text, at)):
        return Locality(at, alone.end(), "", alone.group(), country=True)
    level = _LEVEL.match(text, at)
    if not level:
        if implied_level and not looks_like_person(text, at) and (resolved := _resolve(text, at, implied_level,
                                                                                         context)):
            end, name, found, place = resolved
            if place or found:
                return Locality(at, end, implied_level, name, found, place)
        return None
    word = level.group("word")
    level_word = (" ".join(word.lower().split()) if word else
                  _ABBREVIATED_LEVEL[(level.group("dotted") or level.group("bare")).lower()])
    resolved = _resolve(text, level.end(), level_word, context)
    if resolved:
        end, name, found, place = resolved
        if found and place is None:
            return Locality(at, end, found.level, found.name, found)
        return Locality(at, end, level_word, name, found, place)
    bare_end = level.end("word") if word else level.end("bare") if level.group("bare") else None
    if bare_end is None or not bare_level or _CLASS_OF_LEVELS.match(text, bare_end):
        return None
    return Locality(at, bare_end, level_word, None)


def word_lists(file: str) -> dict[str, list[str]]:
    """The named word lists of a two-column file in ``pipeline/data`` (list name, word), each longest first.

    Example: word_lists("unit_words.tsv")["glue"] → ["trưởng", "chánh", "tổng", "phó"] (longest first).
    """
    lists: dict[str, list[str]] = {}
    for name, word in rows(file):
        lists.setdefault(name, []).append(word)
    return {name: sorted(words, key=len, reverse=True) for name, words in lists.items()}


def alternation(words: list[str]) -> str:
    """A regex alternation of words or phrases, any spacing between their parts, longest first.

    Example: re.fullmatch(alternation(["công vụ", "liên ngành"]), "liên  ngành") matches.
    """
    return "|".join(r"[ \t]+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


def name_list(file: str) -> list[str]:
    """The entries of a one-column list in ``pipeline/data``, longest first (so alternations prefer them).

    Example: name_list("surnames.txt")[:2] → ["Âu Dương", "Tôn Thất"].
    """
    return sorted({row[0] for row in rows(file)}, key=len, reverse=True)


_RENAMED_BODIES = {fold(old): new for old, new, _ in rows("successors_2025.tsv")}
_SUB_PROVINCE_LEVELS = ("quận", "huyện", "thị xã", "thành phố")
# Inspectorates kept by Luật Thanh tra 2025 inside ministries (BRIEF §3.6); the other ministries' ones end.
_KEPT_MINISTRY_INSPECTORATES = ("Quốc phòng", "Công an")


def _in_province(p: Province) -> str:
    return f"{p.level} {p.name}"


def successor(head: str, kinds: list[str], sectors: list[Sector | None], locality: Locality | None) -> str | None:
    """The body that covers this unit from 1 July 2025 (BRIEF §3.3–3.6), or None when it is unchanged or unknown.

    `head` is the unit's canonical opening ("Sở", "Ủy ban nhân dân", "Thanh tra"), `kinds` and `sectors` run along
    its chain (the unit, then the unit it belongs to, …), `locality` is where it is.
    Example: successor("Sở", ["department"], [sector("TN&MT")], <tỉnh Yên Bái>) →
    "Sở Nông nghiệp và Môi trường tỉnh Lào Cai".
    """
    if (renamed := _RENAMED_BODIES.get(fold(head))) is not None:
        return renamed
    old = locality.province if locality else None
    new = province(old.successor) if old else None
    level = locality.level if locality else ""
    sector, kind = sectors[0], kinds[0]
    if kind == "inspectorate" and len(kinds) > 1:
        if kinds[1] == "ministry" and sectors[1] and sectors[1].name not in _KEPT_MINISTRY_INSPECTORATES:
            return "Thanh tra Chính phủ"
        if kinds[1] == "department":
            return "Thanh tra " + (_in_province(new) if new else "tỉnh")
        return None
    if kind in ("ministry", "department") and sector is not None:
        renamed = sector.successor or sector.name
        where = f" {_in_province(new)}" if new and kind == "department" else ""
        if renamed != sector.name or (old and old.merged):
            return f"{head} {renamed}{where}"
        return None
    if kind == "party":
        provincial = head in ("Tỉnh ủy", "Thành ủy") and locality is not None and locality.place is None
        return f"{head} {new.name}" if provincial and old and old.merged else None
    if kind not in ("peoples_committee", "peoples_council", "inspectorate", "police") or locality is None:
        return None
    if locality.place is not None and level in _SUB_PROVINCE_LEVELS and new:
        return f"{head} {_in_province(new)}"          # districts ended on 1 July 2025
    if locality.place is not None and locality.place.successor and kind in ("peoples_committee",
                                                                           "peoples_council"):
        commune = locality.place.successor
        if fold(commune) != fold(f"{level} {locality.name}"):
            return f"{head} {commune[0].lower()}{commune[1:]}"
        return None
    if old and old.merged and locality.place is None:
        return f"{head} {_in_province(new)}"
    return None
