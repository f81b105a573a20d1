"""Street addresses: a house number and a street, a flat in a named block, a named street."""

from __future__ import annotations

import re
from collections.abc import Iterator

from records.identifying_details.findings import Finding
from records.identifying_details.wordlists import STOP_WORDS, words

_STREET_SUFFIXES = (
    r"(?:Road|Rd|Street|Lane|Ln|Avenue|Ave|Close|Drive|Way|Crescent|Cres|Court|Ct|Gardens|Gdns"
    r"|Terrace|Terr|Place|Pl|Grove|Rise|Walk|Hill|Row|View|Mews|Square|Green|Parade|Vale|Croft"
    r"|Fold|Meadows?|Wharf|Yard|Bank|Chase|Gate|Heights|Boulevard|Brow|Park|Estate|Wynd|Loan)"
)
_STREET_WORD = r"(?:[A-Z][a-z'\u2019]+|[A-Z]{1}[a-z]*-[A-Z][a-z]+)"
_BUILDINGS = r"(?:House|Tower|Lodge|Mansions|Point|Buildings|Apartments|Block|Hostel)"
_FLAT = r"(?:Flat|Apartment|Apt|Unit|Room|Maisonette)\.?\s+\d{1,4}[A-Za-z]?,?\s+"
_ADDRESS_RES: tuple[re.Pattern[str], ...] = (
    # [Flat 3, ]22 Mill Lane / 9 The Crescent / 12a Victoria Street
    re.compile(
        rf"(?:{_FLAT})?\b\d{{1,3}}[A-Za-z]?,?\s+(?:{_STREET_WORD}\s+){{1,3}}{_STREET_SUFFIXES}\b"
        rf"(?:,\s+(?:Flat|Apartment|Apt)\s+\w+)?"
    ),
    # Apartment 12, Riverside Court / Flat 12 Jubilee House, Canal Street (a flat in a named
    # block, no house number; the street after the block is optional)
    re.compile(
        rf"{_FLAT}(?:{_STREET_WORD}\s+){{1,3}}(?:{_STREET_SUFFIXES}|{_BUILDINGS})\b"
        rf"(?:,\s+(?:{_STREET_WORD}\s+){{1,2}}{_STREET_SUFFIXES}\b)?"
    ),
    # 88 Kingsway / 4 Northgate: one-word street names
    re.compile(
        r"\b\d{1,3}[A-Za-z]?,?\s+[A-Z][a-z]+(?:way|gate|side|field|fields|wood|moor|dale)\b"
        r"(?:,\s+(?:Flat|Apartment|Apt)\s+\w+)?"
    ),
)
# "on Gladstone Street", "..., Bury New Road": a named street after a preposition or a comma,
# without a house number. Park and Green are left out ("in Victoria Park" is a public place).
_NAMED_STREET_RE = re.compile(
    r"(?:\b(?:on|in|at|off|along|near|from|to|lives|living)\s+|,\s+)"
    r"((?:[A-Z][a-z'\u2019]+\s+){1,2}(?:Road|Street|Lane|Avenue|Close|Drive|Crescent|Terrace|Grove"
    r"|Gardens|Mews|Rise))\b"
)


# Addresses typed in lower case: "14 mill lane", "flat 6, 81 queen's road", "5 the green",
# "flat 12, nelson house". Without capitals a number and a street word are common in prose
# ("3 court hearings", "a 10 minute walk"), so lower-case matches are checked word by word
# (see _plausible_lower) and a street name with no house number is not guessed at.
_LOWER_SUFFIXES = (
    r"(?:road|rd|street|lane|avenue|ave|close|drive|way|crescent|cres|court|gardens|gdns"
    r"|terrace|place|grove|rise|walk|hill|row|view|mews|square|green|parade|vale|croft"
    r"|fold|meadows?|wharf|yard|bank|chase|gate|heights|boulevard|brow|park|estate|wynd)"
)
_LOWER_BUILDINGS = r"(?:house|tower|lodge|mansions|point|buildings|apartments|block|hostel|court)"
_LOWER_WORD = r"[a-z][a-z'\u2019]*(?:-[a-z]+)?"
_LOWER_FLAT = r"(?:flat|apartment|apt|maisonette)\.?\s+\d{1,4}[a-z]?,?\s+"
_LOWER_ADDRESS_RES: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?:\b{_LOWER_FLAT})?\b\d{{1,3}}[a-z]?,?\s+(?P<words>(?:{_LOWER_WORD}\s+){{1,3}})"
        rf"{_LOWER_SUFFIXES}\b"
    ),
    re.compile(rf"\b{_LOWER_FLAT}(?P<words>(?:{_LOWER_WORD}\s+){{1,3}}){_LOWER_BUILDINGS}\b"),
)
# Street-name words that are also stop words but belong in addresses: "5 the green".
_STREET_FUNCTION_WORDS: frozenset[str] = frozenset({"the", "old", "new", "upper", "lower"})
# Words that never sit inside a street name ("12 of the children walk", "3 more court"). Not
# the whole stop list: "church", "station", "school" and "park" name many streets.
_FUNCTION_WORDS: frozenset[str] = words(
    """
    a an and or but of in on at to for with by from into about as than then so if is are was
    were be been has have had his her their our my your its this that these those some any few
    several many all both each every no not very staff pupils children students parents
    teachers families people we they he she it you i
    """
)
# Words for amounts and school things: "a 10 minute walk", "year 9 court", "3 more court".
_NOT_STREET_WORDS: frozenset[str] = words(
    """minute minutes min mins hour hours mile miles metre metres km yard yards week weeks
    month months times time more less extra further different separate other previous recent
    sessions meetings hearings cases referrals pupils kids lads girls boys"""
)
_NUMBER_NOUNS: frozenset[str] = words(
    """year years yr y stage section page room level chapter step part tier grade group class
    set form ks item point question no number"""
)


def _plausible_lower(text: str, m: re.Match[str]) -> bool:
    """A lower-case match is an address only if it reads like one.

    Every word between the number and the street word is a name-like word (not a function
    word, an amount or a school word, "the" only first), the number is not a year group or page, and
    the street word ends the phrase ("3 court hearings" is no address).
    """
    middle = m.group("words").split()
    for position, word in enumerate(middle):
        plain = word.replace("\u2019", "'").removesuffix("'s")
        if word in _STREET_FUNCTION_WORDS:
            if word == "the" and position != 0:
                return False
            continue
        if plain in _FUNCTION_WORDS or plain in _NOT_STREET_WORDS:
            return False
    before = re.search(r"(\w+)\W*$", text[: m.start()])
    if before and before.group(1).lower() in _NUMBER_NOUNS:
        return False
    after = re.match(r" ([a-z][a-z'\u2019]*)", text[m.end() :])
    return after is None or after.group(1) in STOP_WORDS


def find_addresses(text: str) -> Iterator[Finding]:
    for pattern in _ADDRESS_RES:
        for m in pattern.finditer(text):
            yield Finding("address", m.start(), m.end(), m.group(0), "Looks like a street address")
    for m in _NAMED_STREET_RE.finditer(text):
        first = m.group(1).split()[0]
        if first.lower() in STOP_WORDS:
            continue
        yield Finding("address", m.start(1), m.end(1), m.group(1), "Looks like a street name")
    for pattern in _LOWER_ADDRESS_RES:
        for m in pattern.finditer(text):
            if _plausible_lower(text, m):
                yield Finding(
                    "address", m.start(), m.end(), m.group(0), "Looks like a street address"
                )
