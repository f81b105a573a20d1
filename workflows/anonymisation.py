"""Scan supervision-record text for details that could identify a child.

Supervision records promise that "all details of children will be anonymised". Before a record
is submitted its text goes through :func:`scan`; every :class:`Finding` is shown in place and
the supervisor must either edit it or confirm that it is not a child's detail.

Design trade-offs (why it is built this way):

* **Pure Python, standard library only.** The checker runs inside a request and in tests
  without Django, a network or downloaded models. Everything is regular expressions, small
  word lists and a few context rules, so its behaviour can be read, tested and explained to
  a supervisor ("flagged because it follows the word *born*").
* **Recall first, but not at any price.** A missed child's name is a data breach; a false
  alarm costs the supervisor one click. So the rules lean towards flagging. But a checker
  that flags every capitalised word teaches people to click "not a child's detail" without
  reading, so professional vocabulary (roles, agencies, procedures, months, weekdays, school
  terms) is excluded explicitly and word-like first names (Grace, Hope, Will, May...) are only
  flagged with person-like context.
* **Checksums where the format has one.** NHS numbers carry a Modulus 11 check digit and
  UPNs a check letter. A ten-digit number that fails Modulus 11 is not reported as an NHS
  number (it may still be reported as a phone number). A letter plus twelve digits is so
  unusual in prose that it is flagged either way; only the message differs.
* **Context for dates.** Meeting dates are everywhere in supervision notes and are not
  personal data, so a date is only a *date of birth* when a cue word (DOB, born, birthday,
  aged...) is near it, or when it is a full date several years in the past (the age of a
  pupil), which is how dates of birth look even without a cue.
* **Public-service contacts are not a child's details.** Freephone, 03 and other service
  numbers (NSPCC helpline, council front doors) and e-mail addresses on public-sector
  domains (gov.uk, nhs.uk, nhs.net, police.uk) are not flagged: they belong to agencies.
  A pupil's own school address (``...@something.sch.uk``) is still flagged.
* **One finding per span.** Detectors can overlap (an e-mail contains a name, a UPN
  contains digits that look like a phone number). Findings are resolved by a fixed priority
  (most specific format first) and then by length, so the result is sorted and
  non-overlapping, which is what an in-place highlighter needs.

Known limits: surnames on their own are only caught in patterns ("the Nguyen family",
"Mrs Okafor"); unusual given names with no context are missed; lowercase names are only
flagged when followed by a possessive or a verb.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["KINDS", "Finding", "nhs_number_is_valid", "scan", "upn_check_letter"]

KINDS: dict[str, str] = {
    "name": "Personal name",
    "date_of_birth": "Date of birth",
    "upn": "Unique pupil number (UPN)",
    "nhs_number": "NHS number",
    "postcode": "Postcode",
    "phone": "Phone number",
    "email": "Email address",
    "address": "Street address",
}

# When two candidate findings overlap, the kind earlier in this tuple wins: the more rigid the
# format, the more certain the finding (an e-mail address may contain a name, a UPN contains
# digit runs, a date of birth may contain the month "May").
_PRIORITY: tuple[str, ...] = (
    "email",
    "upn",
    "nhs_number",
    "postcode",
    "phone",
    "date_of_birth",
    "address",
    "name",
)
_RANK: dict[str, int] = {kind: i for i, kind in enumerate(_PRIORITY)}


@dataclass(frozen=True)
class Finding:
    """One likely identifying detail: ``text[start:end] == self.text``."""

    kind: str
    start: int
    end: int
    text: str
    message: str


# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

_DATA_DIR = Path(__file__).resolve().parent / "data"


def _words(block: str) -> frozenset[str]:
    """Whitespace-separated words of a literal block (keeps long lists readable)."""
    return frozenset(block.split())


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """First names from ``data/first_names.txt`` (kept in a text file so it is easy to extend)."""
    path = _DATA_DIR / "first_names.txt"
    names: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word = line.strip()
            if word and not word.startswith("#"):
                names.add(word)
    return frozenset(names)


# First names that are also ordinary English words, months or places. They are flagged only
# with person-like context: a possessive ("Summer's"), a following verb ("Grace said"), a
# following surname, or a cue word before them ("the girl, Hope,").
AMBIGUOUS_NAMES: frozenset[str] = _words(
    """
    Amber Angel April Art August Autumn Bay Bill Blessing Brook Charity Chase Chen Christian
    Crystal Dawn Dean Destiny Drew Faith Florence Frank Georgia Grace Guy Harmony Heaven Hope
    India Jack Jan Jordan Joy Jun June King Major Mark Max May Mercy Miles Paris Patience Pearl
    Precious Rain Ray Reed River Sky Star Storm Summer Sunny Victoria Will An Yu Yi Nur Ama Iman
    Noor Sultan Zion Amani Lee Kim Mina
    """
)

# Capitalised words common in safeguarding and school prose that are never names here. Words
# are compared case-insensitively. Includes roles, agencies, procedures, school vocabulary,
# calendar words, function words that start sentences, products and places.
STOP_WORDS: frozenset[str] = frozenset(
    w.lower()
    for w in _words(
        """
    a about above across after again against all also although always am among an and another
    any are around as at be because been before being below between both but by can cannot could
    did do does during each either even every few first for from further had has have having he
    her here hers herself him himself his how however i if in into is it its itself just last
    least less many may me might more most much must my myself never next no nor not now of off
    often on once one only or other our ours out over own per perhaps rather same second several
    she should since so some still such than that the their theirs them themselves then there
    these they third this those though three through thus to together too two under unless until
    up upon us very was we were what when where whether which while who whom whose why will with
    within without would yes yet you your yours overall reflection reflecting reflected note
    notes noted action actions agreed discussed discussion outcome outcomes summary update
    updates positive concern concerns risk risks please thanks thank today yesterday tomorrow
    head headteacher heads deputy assistant principal teacher teachers tutor tutors governor
    governors governing body chair vice trustee trustees clerk officer officers lead leads leader
    leaders leadership manager managers coordinator co-ordinator worker workers nurse nurses
    doctor gp paediatrician psychologist psychologists counsellor mentor mentors social
    designated safeguarding attendance welfare pastoral family families support senco sendco
    police constable pcso sergeant inspector senior executive director directors member members
    reviewing independent virtual school schools academy academies college nursery primary
    secondary infant infants junior juniors trust trusts council authority local county city
    borough partnership partnerships board panel hub team teams service services unit centre
    center department office front door duty assessment assessments care children childrens
    child young people peoples youth justice early help health mental education educational
    elective home missing protection consultation plan plans conference strategy meeting
    meetings review reviews serious case cases practice learning multi-agency agency operation
    encompass prevent channel section part level key stage year years reception form class
    room block site term terms autumn spring half christmas easter ramadan eid diwali
    hanukkah vaisakhi lent advent monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec keeping safe working safeguard act acts
    guidance framework policy policies procedure procedures threshold thresholds document
    tool tools profile graded traffic light signs safety online data gdpr ofsted dfe hscp mash
    camhs lado dsl dsls nspcc barnardo barnardos kooth place2be childline samaritans mind women
    womens aid refuge microsoft zoom google meet snapchat tiktok instagram whatsapp facebook
    youtube roblox fortnite discord cpoms myconcern arbor sims excel word england english
    britain british uk united kingdom scotland scottish wales welsh ireland irish northern
    london europe european catholic church cofe c.e. st saint fabricated induced illness
    female genital mutilation domestic abuse violence sexual exploitation criminal lines
    special guardianship order orders kinship private fostering foster adoption adopted looked
    leaver leavers pupil pupils premium free meals referral referrals alternative provision
    exclusion exclusions suspension behaviour culture relationships rshe pshe curriculum
    national npq leading parents parent evening single central record interim core group
    initial need needs pathway transition thrive elsa nurture jigsaw forest healthy holiday
    activities food programme strengthening supporting troubled around room hall gate
    building field playground canteen library polish romanian roma traveller travellers
    gypsy somali syrian afghan ukrainian muslim christian jewish sikh hindu asian black white
    eritrean sudanese nigerian ghanaian pakistani bangladeshi indian chinese vietnamese
    albanian kurdish iraqi iranian lithuanian latvian slovak czech bulgarian portuguese
    spanish italian french german turkish arabic urdu punjabi bengali mum mom dad mother
    father parent carer carers stepmother stepfather stepdad stepmum grandmother grandfather
    grandparents gran nan grandad aunt uncle cousin brother sister sibling siblings son
    daughter baby twins girl boy student students sir madam miss mr mrs ms mx dr prof
    professor judge court magistrates tribunal probation nhs gp hospital clinic surgery a&e
    paramedic ambulance fire housing benefit benefits universal credit dwp hmrc home-office
    immigration asylum interpreter interpretation translation supervision supervisor
    supervisors supervisee session sessions contract invoice fee fees training course
    network forum briefing briefings audit audits return returns report reports
    chronology chronologies analysis reflection record records recording log logs tracker
    register registers census inspection inspections grade grades good outstanding
    requires improvement inadequate sats gcse gcses a-level a-levels btec ks1 ks2 ks3 ks4
    eyfs ehcp ehcps pep peps iep sen send sencos inclusion cme ehe ap pru neet marac mappa
    iro cin cp lac cla cic sgo sw fgm csa cse cce hsb tac taf tas mhst mhsts rag red amber
    green yellow purple lgbtq lgbtq+ covid covid-19 lockdown q&a faq ok note nb ps re fyi
    phase phases stage hope faith grace summer will staff everyone everybody nobody someone
    somebody anyone anybody colleagues others people team-mates classmates peers day days
    """
    )
)

# Words that, right after a capitalised word, make it a place or organisation, not a person.
_PLACE_ORG_WORDS: frozenset[str] = _words(
    """
    Park Street St Road Rd Lane Avenue Ave Close Drive Way Crescent Court Gardens Terrace Place
    Grove Rise Walk Hill Row View Mews Square Green Parade Vale Croft Fold Meadow Meadows Wharf
    Yard Bank Chase Gate Heights Estate Station School Academy Primary Secondary Infant Infants
    Junior Juniors College Nursery Trust Centre Center House Hospital Clinic Surgery Church
    Chapel Mosque Temple Gurdwara Synagogue Hall Library Traffic Tool Model Review Report
    Partnership Council Services Service Team Unit Hub Foundation University Campus Lodge Manor
    Farm Wood Woods Fields Field Bridge Cross Market Square Quay Dock Port Valley Mount
    Learning Multi Federation Ward Wing Building Award Awards Prize Fund Institute Society
    Programme Memorial Stadium Arena Theatre Museum Gallery Collection Lecture Scheme Schools
    Centres Trusts Academies Colleges Hospitals Foundation's Centre's Trust's
    """
)

# Lowercase words after which a capitalised word is very likely a person's name.
_CUE_WORDS: frozenset[str] = _words(
    """
    pupil child boy girl student sibling brother sister son daughter cousin twin baby toddler
    teenager mum mom dad mother father stepdad stepmum stepfather stepmother nan gran grandma
    grandad grandmother grandfather aunt auntie uncle carer called named nicknamed surname
    partner boyfriend girlfriend friend stepbrother stepsister half-brother half-sister nephew
    niece grandson granddaughter twins siblings sons daughters brothers sisters children
    """
)

# Lowercase words after "Name's" that show the name belongs to a person.
_KIN_WORDS: frozenset[str] = _words(
    """
    mum mom mummy dad daddy mother father parent parents family brother brothers sister sisters
    sibling siblings grandmother grandfather grandma grandad gran nan nana stepmother stepfather
    stepmum stepdad aunt auntie uncle cousin cousins carer carers foster partner boyfriend
    girlfriend friend friends home house bedroom room school class teacher attendance behaviour
    arms arm face legs leg back injuries injury bruising bruises weight health disclosure
    social phone mobile account name birthday behalf older younger baby twin new own key
    absence absences needs plan file records safety wellbeing views voice case situation
    progress presentation placement disclosures allegation allegations statement self-harm
    emotional mental medical immigration weight lunch uniform coat bag cousin's
    """
)

# Lowercase words after a capitalised word that show it is the subject of a sentence about a
# person ("Grace said", "Will has been").
_PERSON_VERBS: frozenset[str] = _words(
    """
    said says told tells has had is was disclosed discloses reported reports arrived arrives
    attends attended attending missed misses lives lived stays stayed came comes went goes
    spent spends stopped started seems seemed appears appeared wants wanted asked asks ran runs
    left refused refuses needs needed feels felt shared explained cried hit hits hurt kicked
    punched ate eats sleeps slept walked walks returned returns admitted denied became becomes
    remains remained struggles struggled will would can could cannot did does didn't doesn't
    isn't wasn't hasn't hadn't won't can't
    """
)

# Verbs of speaking: "X said" makes X a person even at the start of a sentence.
_SPEECH_VERBS: frozenset[str] = _words(
    """
    said says told tells disclosed discloses alleged alleges explained explains admitted admits
    denied denies cried shouted screamed whispered asked asks
    """
)

# Verbs whose object is usually a person: "the EWO visited Lucja".
_OBJECT_VERBS: frozenset[str] = _words(
    """
    visited saw met collected supported interviewed asked told phoned hugged hit kicked punched
    bullied threatened groomed excluded suspended reassured comforted encouraged followed found
    chased pushed slapped restrained
    """
)
_TALK_VERBS: frozenset[str] = _words(
    "spoke speak speaks speaking talked talk talks talking listened listening"
)

# Dotted abbreviations that are not initials.
_NOT_INITIALS: frozenset[str] = _words(
    "U.K. D.O.B. A.M. P.M. P.E. R.E. E.G. I.E. N.B. P.S. R.I.P. U.S. U.S.A. E.U. C.E."
)

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)"

# --------------------------------------------------------------------------------------------
# Format detectors (email, UPN, NHS number, postcode, phone)
# --------------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
# Agencies' addresses: a professional's or a service's mailbox, not a family's.
_PUBLIC_DOMAIN_RE = re.compile(
    r"(?:^|\.)(?:gov\.uk|nhs\.uk|nhs\.net|police\.uk|gcsx\.gov\.uk)$", re.I
)


def _emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL_RE.finditer(text):
        value = m.group(0).rstrip(".")
        domain = value.rsplit("@", 1)[1]
        if _PUBLIC_DOMAIN_RE.search(domain):
            continue
        end = m.start() + len(value)
        yield Finding("email", m.start(), end, value, "Looks like an email address")


# DfE UPN: check letter, LA code (3), establishment (4), year (2), serial (3). A temporary UPN
# ends with a letter instead of the last digit.
_UPN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{11}[0-9A-Za-z](?![A-Za-z0-9])")
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def upn_check_letter(body: str) -> str | None:
    """Return the DfE check letter for the 12 characters after it, or None if malformed.

    Characters 2-13 are weighted 2..13 (a letter counts as its position in the 23-letter
    alphabet), summed, and the remainder modulo 23 indexes that alphabet.
    """
    if len(body) != 12:
        return None
    total = 0
    for weight, char in enumerate(body.upper(), start=2):
        if char.isdigit():
            value = int(char)
        elif char in _UPN_LETTERS:
            value = _UPN_LETTERS.index(char)
        else:
            return None
        total += value * weight
    return _UPN_LETTERS[total % 23]


def _upns(text: str) -> Iterator[Finding]:
    for m in _UPN_RE.finditer(text):
        value = m.group(0)
        last = value[-1]
        valid = upn_check_letter(value[1:]) == value[0].upper()
        if not last.isdigit() and not valid:
            # letter + 11 digits + letter without a valid check letter: too weak to report.
            continue
        message = (
            "Looks like a unique pupil number (UPN)"
            if valid
            else "Looks like a pupil or case reference number"
        )
        yield Finding("upn", m.start(), m.end(), value, message)


_NHS_RE = re.compile(r"(?<![\w+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w])")
_NHS_CUE_RE = re.compile(r"\b(?:nhs|chi|health)\b", re.I)


def nhs_number_is_valid(digits: str) -> bool:
    """Modulus 11 check used by NHS numbers (weights 10..2; 11 -> 0; 10 is never issued)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs_numbers(text: str) -> Iterator[Finding]:
    for m in _NHS_RE.finditer(text):
        digits = m.group(1) + m.group(3) + m.group(4)
        if not nhs_number_is_valid(digits) or len(set(digits)) == 1:
            continue
        if digits.startswith("0"):
            # English NHS numbers do not start with 0; a leading 0 is a phone number unless
            # the text says it is a health number (Scottish CHI numbers can).
            window = text[max(0, m.start() - 40) : m.start()]
            if not _NHS_CUE_RE.search(window):
                continue
        yield Finding("nhs_number", m.start(), m.end(), m.group(0), "Looks like an NHS number")


_POSTCODE_AREAS: frozenset[str] = _words(
    """
    AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD
    LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK
    SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
    """
)
_POSTCODE_RE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2})(\d[A-Za-z\d]?) ?(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})"
    r"(?![A-Za-z0-9])"
)


def _postcodes(text: str) -> Iterator[Finding]:
    for m in _POSTCODE_RE.finditer(text):
        value = m.group(0)
        letters = "".join(c for c in value if c.isalpha())
        if not (letters.isupper() or letters.islower()):
            continue  # "Ab1 2cd" style mixed case is more likely a word or code than a postcode
        if m.group(1).upper() not in _POSTCODE_AREAS:
            continue
        area, outward = m.group(1).upper(), m.group(2)
        if (
            len(area) == 2
            and len(outward) == 2
            and outward[1].isalpha()
            and area not in {"EC", "SW", "WC", "NW", "SE"}
        ):
            continue  # AA9A is valid only for some central London districts (EC1A, SW1A...)
        yield Finding("postcode", m.start(), m.end(), value, "Looks like a postcode")


_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)(\d{2,4})\)?[\s-]?(\d{3,4})[\s-]?(\d{3,4})(?!\d)"
)


def _phones(text: str) -> Iterator[Finding]:
    for m in _PHONE_RE.finditer(text):
        value = m.group(0)
        digits = re.sub(r"\D", "", value)
        if value.startswith("+44"):
            digits = "0" + digits[2:]
            if digits.startswith("00"):  # +44 (0)20 ...
                digits = digits[1:]
        if len(digits) not in (10, 11):
            continue
        if digits[1] not in "127":
            # 03 (councils, charities), 08 (freephone/helplines) and 09 numbers are services.
            continue
        if value.startswith("(") and ")" not in value:
            value = value[1:]
            yield Finding("phone", m.start() + 1, m.end(), value, "Looks like a phone number")
            continue
        yield Finding("phone", m.start(), m.end(), value, "Looks like a phone number")


# --------------------------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------------------------

_MONTHS = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
# (completeness, pattern): a "full" date has a year; a "partial" one (day and month, or month
# and year) is only a date of birth with a cue word.
_DATE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("full", r"\d{4}-\d{1,2}-\d{1,2}"),
    ("full", r"\d{1,2}(?P<sep>[/.\-])\d{1,2}(?P=sep)(?:\d{4}|\d{2})"),
    ("full", rf"\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTHS},?\s+\d{{4}}"),
    ("full", rf"{_MONTHS}\s+\d{{1,2}}{_ORD},?\s+\d{{4}}"),
    ("partial", rf"\d{{1,2}}{_ORD}(?:\s+of)?\s+{_MONTHS}"),
    ("partial", rf"{_MONTHS}\s+\d{{1,2}}{_ORD}"),
    ("partial", rf"{_MONTHS}\s+\d{{4}}"),
    ("partial", r"\d{1,2}/\d{1,2}"),
)
_DATE_RE = re.compile(
    r"(?<![\w/.\-])(?:"
    + "|".join(f"(?P<d{i}>{pattern})" for i, (_, pattern) in enumerate(_DATE_PATTERNS))
    + r")(?![\w/]|[.\-]\d)",
    re.I,
)
_BORN_YEAR_RE = re.compile(r"\bborn\s+(?:in\s+)?((?:19|20)\d{2})\b(?![/.\-]\d)", re.I)
_DOB_CUE_BEFORE = re.compile(
    r"(?:\bd\.?\s?o\.?\s?b\b|\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bborn\b|\bbirthday\b"
    r"|\bb'?day\b|\bturn(?:ed|s)\b)",
    re.I,
)
_AGE_CUE_BEFORE = re.compile(r"\baged?\b", re.I)
_DOB_CUE_AFTER = re.compile(r"^\W{0,3}\(?\s*(?:d\.?o\.?b|born|date of birth)\b", re.I)
_SENTENCE_END_RE = re.compile(r"(?:[a-z]{2,}|\))[.!?]\s+(?=[A-Z])|[!?]\s+|\n")


def _year_of(value: str, today: _dt.date) -> int | None:
    """The year of a full date; two-digit years are read as the most recent such year."""
    four = re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)", value)
    if four:
        return int(four.group(0))
    two = re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2})", value)
    if two:
        year = 2000 + int(two.group(1))
        return year if year <= today.year else year - 100
    return None


def _plausible(value: str) -> bool:
    """Reject impossible day/month numbers in numeric dates (scores, ratios, versions)."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if iso:
        return 1 <= int(iso.group(2)) <= 12 and 1 <= int(iso.group(3)) <= 31
    numeric = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-]\d{2,4})?", value)
    if numeric:
        return 1 <= int(numeric.group(1)) <= 31 and 1 <= int(numeric.group(2)) <= 12
    day_first = re.match(r"\d{1,2}", value)
    return day_first is None or 1 <= int(day_first.group(0)) <= 31


def _sentence_window(text: str, start: int, size: int) -> str:
    """Up to ``size`` characters before ``start``, cut at the last sentence end.

    The sentence-end pattern wants a real word before the full stop so "d.o.b." survives.
    """
    window = text[max(0, start - size) : start]
    cut = 0
    for m in _SENTENCE_END_RE.finditer(window):
        cut = m.end()
    return window[cut:]


def _dates_of_birth(text: str, today: _dt.date) -> Iterator[Finding]:
    for m in _DATE_RE.finditer(text):
        value = m.group(0).rstrip(".")
        start, end = m.start(), m.start() + len(value)
        if not _plausible(value):
            continue
        complete = next(
            _DATE_PATTERNS[i][0] for i in range(len(_DATE_PATTERNS)) if m.group(f"d{i}")
        )
        cue = bool(_DOB_CUE_BEFORE.search(_sentence_window(text, start, 45))) or bool(
            _DOB_CUE_AFTER.search(text[end : end + 15])
        )
        if cue or _AGE_CUE_BEFORE.search(_sentence_window(text, start, 20)):
            yield Finding("date_of_birth", start, end, value, "Looks like a date of birth")
            continue
        if complete == "full":
            year = _year_of(value, today)
            if year is not None and 3 <= today.year - year <= 25:
                # Meetings recorded in supervision are recent; a full date from a pupil's
                # lifetime ago is more likely a date of birth.
                yield Finding(
                    "date_of_birth",
                    start,
                    end,
                    value,
                    "A date several years back; could be a date of birth",
                )
    for m in _BORN_YEAR_RE.finditer(text):
        yield Finding(
            "date_of_birth", m.start(1), m.end(1), m.group(1), "Looks like a year of birth"
        )


# --------------------------------------------------------------------------------------------
# Street addresses
# --------------------------------------------------------------------------------------------

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


def _addresses(text: str) -> Iterator[Finding]:
    for pattern in _ADDRESS_RES:
        for m in pattern.finditer(text):
            yield Finding("address", m.start(), m.end(), m.group(0), "Looks like a street address")
    for m in _NAMED_STREET_RE.finditer(text):
        first = m.group(1).split()[0]
        if first.lower() in STOP_WORDS:
            continue
        yield Finding("address", m.start(1), m.end(1), m.group(1), "Looks like a street name")


# --------------------------------------------------------------------------------------------
# Personal names
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[^\W\d_](?:[^\W\d_]|['\u2019\-](?=[^\W\d_]))*")
_FOLLOWING_WORD_RE = re.compile(r"(?:['\u2019]s)? ([A-Z][a-z]+)")
# "Ifeanyi, who is 13" / "Kacey, 17," / "Marcus, aged 16": an apposition only people get.
_PERSON_APPOSITION_RE = re.compile(r",\s+(?:who\b|aged\b|\d{1,2}\s*(?:,|\)|years?\b|yrs?\b))")
_MONTH_WORDS: frozenset[str] = _words(
    "January February March April May June July August September October November December"
)


@dataclass(frozen=True)
class _Token:
    word: str  # without a trailing possessive 's
    start: int
    end: int  # end of ``word``
    possessive: bool
    full_end: int  # end including the possessive


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN_RE.finditer(text):
        word = m.group(0)
        possessive = False
        if len(word) > 2 and word[-2] in "'\u2019" and word[-1] in "sS":
            word = word[:-2]
            possessive = True
        tokens.append(_Token(word, m.start(), m.start() + len(word), possessive, m.end()))
    return tokens


def _is_cap(word: str) -> bool:
    """Title case ('Amelia', 'O'Connor', 'Ruby-Mae'), not all-caps acronyms ('DSL')."""
    if len(word) < 2 or not word[0].isupper() or word.isupper():
        return False
    return all(part[:1].isupper() for part in word.split("-") if part)


def _is_name_word(word: str) -> bool:
    """Is ``word`` (or the first part of a capitalised hyphenated word) a listed first name?"""
    names = _first_names()
    if word in names:
        return True
    return "-" in word and _is_cap(word) and word.split("-")[0] in names


def _stop(word: str) -> bool:
    lowered = word.lower()
    return lowered in STOP_WORDS or lowered.replace("\u2019", "").replace("'", "") in STOP_WORDS


def _ordinary_cap(word: str) -> bool:
    """Capitalised and not known professional or function vocabulary."""
    return _is_cap(word) and not _stop(word) and word not in _PLACE_ORG_WORDS


class _NameFinder:
    """Token-level name rules. Each rule adds (start, end, message) spans."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.spans: list[tuple[int, int, str]] = []

    # -- helpers --------------------------------------------------------------------------

    def tok(self, i: int) -> _Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def gap(self, i: int) -> str:
        """Characters between token i-1 and token i ('' before the first token)."""
        if i <= 0:
            return self.text[: self.tokens[0].start] if self.tokens else ""
        return self.text[self.tokens[i - 1].full_end : self.tokens[i].start]

    def joined(self, i: int) -> bool:
        """Token i follows token i-1 after a single space (same phrase)."""
        return i > 0 and self.gap(i) == " "

    def next_lower(self, i: int, vocabulary: frozenset[str]) -> bool:
        nxt = self.tok(i + 1)
        return (
            nxt is not None
            and self.joined(i + 1)
            and nxt.word.islower()
            and nxt.word in vocabulary
            and not self.tokens[i].possessive
        )

    def sentence_initial(self, i: int) -> bool:
        gap = self.gap(i)
        if i == 0:
            return True
        prev = self.tokens[i - 1]
        if gap.strip() == "." and len(prev.word) == 1:
            return False  # "J. Smith": the full stop ends an initial, not a sentence
        return bool(re.search(r"[.!?:;\"\u201c\u2018'(\[\n\u2022\u2013\u2014-]\s*$", gap))

    def add(self, start: int, end: int, message: str) -> None:
        """Record a name span, unless it is the start of an organisation's or place's name
        ("Anna Freud Centre", "Paul Hamlyn Foundation", "Florence Nightingale Ward")."""
        following = _FOLLOWING_WORD_RE.match(self.text, end)
        if following and following.group(1) in _PLACE_ORG_WORDS:
            return
        self.spans.append((start, end, message))

    def extend(self, i: int) -> int:
        """End of a name starting at token i, taking up to two surnames and an initial."""
        tokens = self.tokens
        end = tokens[i].end
        j = i
        while j + 1 < len(tokens) and j - i < 2 and not tokens[j].possessive:
            nxt = tokens[j + 1]
            if not self.joined(j + 1):
                break
            if len(nxt.word) == 1 and nxt.word.isupper():  # "Ollie P." / "Harrison B"
                has_dot = self.text[nxt.end : nxt.end + 1] == "."
                return nxt.end + (1 if has_dot else 0)
            if not _ordinary_cap(nxt.word):
                break
            if nxt.word in AMBIGUOUS_NAMES:
                break
            end = nxt.end
            j += 1
        return end

    def person_context(self, i: int, strict: bool) -> bool:
        """Is token i used like a person? ``strict`` for word-like names (Grace, May)."""
        tok = self.tokens[i]
        nxt = self.tok(i + 1)
        if tok.possessive:
            return not strict or (nxt is not None and self.joined(i + 1) and nxt.word in _KIN_WORDS)
        if nxt is None or not self.joined(i + 1):
            return False
        if strict and tok.word in _MONTH_WORDS:
            # "May is busy" / "June was": months need a surname or a possessive.
            return _ordinary_cap(nxt.word) and not _is_name_word(nxt.word)
        if nxt.word.islower() and nxt.word in _PERSON_VERBS:
            return True
        if nxt.word == "and" and not strict:
            after = self.tok(i + 2)
            return (
                after is not None
                and self.joined(i + 2)
                and _is_name_word(after.word)
                and after.word not in AMBIGUOUS_NAMES
            )
        return _ordinary_cap(nxt.word)

    # -- rules ----------------------------------------------------------------------------

    def run(self) -> list[tuple[int, int, str]]:
        for i in range(len(self.tokens)):
            self.token_rules(i)
        self.pattern_rules()
        return self.spans

    def token_rules(self, i: int) -> None:
        tok = self.tokens[i]
        word = tok.word
        prev = self.tok(i - 1)
        nxt = self.tok(i + 1)
        if prev is not None and prev.word in {"St", "Saint"} and self.joined(i):
            return  # St Joseph's, St Mary's
        if nxt is not None and self.joined(i + 1) and nxt.word in _PLACE_ORG_WORDS:
            return  # Victoria Park, Grace Academy, Brook Traffic Light Tool

        listed = _is_name_word(word)
        wordlike = word in AMBIGUOUS_NAMES or (listed and _stop(word))

        # 1. After a cue: "the pupil, Oluwaseun," / "her brother Kyle" / "known as Tj".
        if prev is not None and _is_cap(word) and (not _stop(word) or wordlike):
            cue = prev.word.lower() in _CUE_WORDS and not prev.possessive
            before_prev = self.tok(i - 2)
            if before_prev is not None and prev.word.lower() == "as":
                cue = cue or before_prev.word.lower() in {"known", "referred", "called"}
            if before_prev is not None and prev.word.lower() == "is":
                cue = cue or before_prev.word.lower() == "name"
            if cue and re.fullmatch(r"[\s,:(]{1,3}", self.gap(i)):
                self.add(tok.start, self.extend(i), "Name after a word like pupil or brother")
                return

        # 2. A listed first name; word-like names need person context.
        if (
            _is_cap(word)
            and (listed or word in AMBIGUOUS_NAMES)
            and (not wordlike or self.person_context(i, strict=True))
        ):
            self.add(tok.start, self.extend(i), "Looks like a personal name")
            return

        # 3. A lowercase listed name with person context: "jayden's mum".
        if (
            word.islower()
            and len(word) >= 4
            and word.capitalize() in _first_names()
            and word.capitalize() not in AMBIGUOUS_NAMES
            and not _stop(word)
            and self.person_context(i, strict=False)
        ):
            self.add(tok.start, tok.end, "Looks like a personal name (lowercase)")
            return

        if not _ordinary_cap(word) or word in AMBIGUOUS_NAMES:
            return
        initial = self.sentence_initial(i)
        prev_cap = prev is not None and self.joined(i) and _is_cap(prev.word)

        # 4. "Name's mum" / "Chen Wei's mother": possessive followed by a family word.
        if tok.possessive and nxt is not None and self.joined(i + 1) and nxt.word in _KIN_WORDS:
            start = tok.start
            if prev is not None and prev_cap and not _stop(prev.word) and not prev.possessive:
                start = prev.start
            self.add(start, tok.end, "Looks like a personal name")
            return

        # 5. Unlisted capitalised word used as a person: "Kwabena said", "Teo told his",
        #    "Maddox and his mum", mid-sentence "... Thandiwe has stopped".
        if not prev_cap:
            after = self.tok(i + 2)
            if self.next_lower(i, _SPEECH_VERBS) or _PERSON_APPOSITION_RE.match(
                self.text, tok.full_end
            ):
                self.add(tok.start, tok.end, "Capitalised word used like a person's name")
                return
            if (
                nxt is not None
                and after is not None
                and nxt.word in {"and", "with"}
                and after.word in {"his", "her"}
                and self.joined(i + 1)
                and self.joined(i + 2)
            ):
                self.add(tok.start, tok.end, "Capitalised word used like a person's name")
                return
            if not initial and self.next_lower(
                i, _PERSON_VERBS - {"will", "would", "can", "could", "cannot", "did", "does"}
            ):
                self.add(tok.start, tok.end, "Capitalised word used like a person's name")
                return

        # 6. Object of a verb about people: "the EWO visited Lucja", "spoke to Aryan".
        if not initial and prev is not None and self.joined(i) and prev.word.islower():
            before_prev = self.tok(i - 2)
            talk = (
                prev.word in {"to", "with"}
                and before_prev is not None
                and before_prev.word in _TALK_VERBS
            )
            if prev.word in _OBJECT_VERBS or talk:
                next_is_org = nxt is not None and self.joined(i + 1) and _is_cap(nxt.word)
                if not next_is_org or _ordinary_cap(nxt.word):
                    self.add(tok.start, self.extend(i), "Capitalised word used like a name")

    def pattern_rules(self) -> None:
        text = self.text
        # Titles: "Mrs Patel", "Mr and Mrs Okafor", "Mrs. Begum-Ali".
        for m in re.finditer(
            rf"\b{_TITLES}\.?(?:\s+(?:and|&)\s+{_TITLES}\.?)?\s+([A-Z][\w'\u2019\-]+|[A-Z]\.?(?!\w))",
            text,
        ):
            surname = re.sub(r"['\u2019]s$", "", m.group(1))
            if not _stop(surname):
                self.add(m.start(), m.start(1) + len(surname), "Title and surname")
        # Initial and surname: "J. Smith".
        for m in re.finditer(r"(?<![\w.])([A-Z])\.\s?([A-Z][a-z][\w'\u2019\-]*)", text):
            surname = re.sub(r"['\u2019]s$", "", m.group(2))
            if _ordinary_cap(surname):
                self.add(m.start(), m.start(2) + len(surname), "Initial and surname")
        # Dotted initials on their own: "A.J. has not been in".
        for m in re.finditer(r"(?<![\w.])(?:[A-Z]\.){2,3}(?![\w])", text):
            if m.group(0).upper() not in _NOT_INITIALS:
                self.add(m.start(), m.end(), "Initials of a person")
        # Surname with family words: "the Kowalski family", "the Nguyen children".
        for m in re.finditer(
            r"\b[Tt]he\s+([A-Z][\w'\u2019\-]+(?:\s+[A-Z][\w'\u2019\-]+)?)\s+"
            r"(?:family|families|children|household|siblings|twins|boys|girls|brothers|sisters)\b",
            text,
        ):
            if all(_ordinary_cap(w) for w in m.group(1).split()):
                self.add(m.start(1), m.end(1), "Looks like a family surname")


def _names(text: str) -> Iterator[Finding]:
    for start, end, message in _NameFinder(text).run():
        yield Finding("name", start, end, text[start:end], message)


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


def _resolve(candidates: Iterable[Finding]) -> list[Finding]:
    """Keep a non-overlapping subset: higher-priority kind first, then the longer span.

    Kept spans are held sorted by start, so each overlap test is a binary search.
    """
    ordered = sorted(candidates, key=lambda f: (_RANK[f.kind], -(f.end - f.start), f.start))
    starts: list[int] = []
    kept: list[Finding] = []
    for finding in ordered:
        if finding.end <= finding.start:
            continue
        at = bisect.bisect_left(starts, finding.start)
        if at > 0 and kept[at - 1].end > finding.start:
            continue  # overlaps the kept span that starts before it
        if at < len(kept) and kept[at].start < finding.end:
            continue  # overlaps the kept span that starts at or after it
        starts.insert(at, finding.start)
        kept.insert(at, finding)
    return kept


def _merge_names(findings: list[Finding], text: str) -> list[Finding]:
    """Merge overlapping name spans (e.g. 'Mrs Okafor' from two rules) into one."""
    names = sorted((f for f in findings if f.kind == "name"), key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in names:
        if merged and f.start <= merged[-1].end:
            last = merged[-1]
            if f.end > last.end:
                merged[-1] = Finding(
                    "name", last.start, f.end, text[last.start : f.end], last.message
                )
            continue
        merged.append(f)
    return [f for f in findings if f.kind != "name"] + merged


def scan(text: str, *, today: _dt.date | None = None) -> list[Finding]:
    """Return likely child-identifying details in ``text``, sorted by start, non-overlapping.

    ``today`` is only used to judge whether a full date is old enough to be someone's date of
    birth; tests pass it to be deterministic.
    """
    if not text:
        return []
    today = today or _dt.date.today()
    candidates: list[Finding] = []
    candidates.extend(_emails(text))
    candidates.extend(_upns(text))
    candidates.extend(_nhs_numbers(text))
    candidates.extend(_postcodes(text))
    candidates.extend(_phones(text))
    candidates.extend(_dates_of_birth(text, today))
    candidates.extend(_addresses(text))
    candidates.extend(_names(text))
    return _resolve(_merge_names(candidates, text))
