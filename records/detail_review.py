"""The detail review: a record's flagged details, the supervisor's confirmations, highlights.

``records.identifying_details.scan`` (the identifying-details check) finds likely
child-identifying details in one text. A record has several texts (reflections, answers,
actions...), so this module runs the check on each part, gives each finding a *fingerprint* the
supervisor's confirmation ("not a child's detail") refers to, and renders a part with its
findings highlighted in place. It was called ``anonymity.py``; it anonymises nothing, it lets the
supervisor review what the check flagged before a record or addendum is submitted.

A fingerprint is an HMAC (keyed with ``SECRET_KEY``) of the part, the kind, the flagged text and
its occurrence number. It survives edits elsewhere in the text (so a confirmed finding stays
confirmed when the supervisor fixes another one) and changes when the flagged text itself is
edited (so a confirmation never carries over to different words). The same keyed hash, without
the part, is what the audit log keeps: a plain SHA-256 of a first name could be reversed by
trying a list of names, a keyed one cannot without the key. The HMAC salts still say
``records.anonymisation.*``: changing them would unconfirm every draft's confirmed findings and
make new audit hashes incomparable with old ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.utils.crypto import salted_hmac
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from records.identifying_details import KINDS, Finding, scan


@dataclass(frozen=True)
class TextPart:
    """One piece of free text in a record: the form field it came from and its label."""

    name: str
    label: str
    text: str


@dataclass(frozen=True)
class PartFinding:
    part: TextPart
    finding: Finding
    fingerprint: str
    number: int

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.finding.kind, self.finding.kind)

    @property
    def anchor(self) -> str:
        return f"finding-{self.number}"


def text_hash(text: str) -> str:
    """A keyed hash of a flagged text, for the audit log (never the text itself)."""
    return salted_hmac(
        "records.anonymisation.text", text.strip().casefold(), algorithm="sha256"
    ).hexdigest()


def _fingerprint(part: str, finding: Finding, occurrence: int) -> str:
    value = f"{part}\x00{finding.kind}\x00{finding.text}\x00{occurrence}"
    return salted_hmac("records.anonymisation.finding", value, algorithm="sha256").hexdigest()[:40]


def find_details(parts: list[TextPart]) -> list[PartFinding]:
    """Every finding in every part, numbered in reading order."""
    results: list[PartFinding] = []
    for part in parts:
        seen: Counter[tuple[str, str]] = Counter()
        for finding in scan(part.text):
            key = (finding.kind, finding.text)
            seen[key] += 1
            results.append(
                PartFinding(
                    part=part,
                    finding=finding,
                    fingerprint=_fingerprint(part.name, finding, seen[key]),
                    number=len(results) + 1,
                )
            )
    return results


def unconfirmed(findings: list[PartFinding], confirmed: set[str]) -> list[PartFinding]:
    return [f for f in findings if f.fingerprint not in confirmed]


def highlight(text: str, findings: list[PartFinding]) -> SafeString:
    """``text`` as HTML, each finding wrapped in ``<mark>`` with its number and message.

    Every piece of the text is escaped (line breaks become ``<br>``); only the markup added
    here is trusted, so no ``mark_safe`` is needed.
    """
    pieces: list[SafeString] = []
    position = 0
    for item in sorted(findings, key=lambda f: f.finding.start):
        f = item.finding
        pieces.append(linebreaksbr(text[position : f.start], autoescape=True))
        pieces.append(
            format_html(
                '<mark title="{}: {}"><a href="#{}">{}</a><sup aria-hidden="true">[{}]</sup>'
                '<span class="visually-hidden w-sr-only"> (possible {}, see item {})</span></mark>',
                item.kind_label,
                f.message,
                item.anchor,
                f.text,
                item.number,
                item.kind_label.lower(),
                item.number,
            )
        )
        position = f.end
    pieces.append(linebreaksbr(text[position:], autoescape=True))
    return format_html_join("", "{}", ((p,) for p in pieces))
