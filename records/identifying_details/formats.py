"""Fixed-format details: e-mail addresses, UPNs, NHS numbers, postcodes and phone numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from records.identifying_details.findings import Finding
from records.identifying_details.wordlists import words

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
# Agencies' addresses: a professional's or a service's mailbox, not a family's.
_PUBLIC_DOMAIN_RE = re.compile(
    r"(?:^|\.)(?:gov\.uk|nhs\.uk|nhs\.net|police\.uk|gcsx\.gov\.uk)$", re.I
)


def find_emails(text: str) -> Iterator[Finding]:
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


def find_upns(text: str) -> Iterator[Finding]:
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


def find_nhs_numbers(text: str) -> Iterator[Finding]:
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


_POSTCODE_AREAS: frozenset[str] = words(
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


def find_postcodes(text: str) -> Iterator[Finding]:
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


# UK numbers: national (07700 900123, (0113) 496 0123) or international, written +44 or 0044,
# with or without the trunk zero in brackets: +44 (0)20 7946 0958, 0044 7700 900123.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?P<intl>(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?|\(?0)"
    r"(\d{2,4})\)?[\s-]?(\d{3,4})[\s-]?(\d{3,4})(?!\d)"
)


def find_phones(text: str) -> Iterator[Finding]:
    for m in _PHONE_RE.finditer(text):
        value = m.group(0)
        digits = re.sub(r"\D", "", value)
        if m.group("intl").startswith(("+", "00")):
            # Back to the national form: drop 44 (or 0044) and a bracketed trunk zero.
            national = digits[4:] if value.startswith("00") else digits[2:]
            digits = "0" + national.removeprefix("0")
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
