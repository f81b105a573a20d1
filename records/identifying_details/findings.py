"""What the identifying-details check reports: the kinds of detail and one finding."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Finding:
    """One likely identifying detail: ``text[start:end] == self.text``."""

    kind: str
    start: int
    end: int
    text: str
    message: str
