"""The identifying-details check: find details in record text that could identify a child.

Supervision records promise that "all details of children will be anonymised". Before a record
is submitted its text goes through :func:`scan`; every :class:`Finding` is shown in place (see
``records.detail_review``) and the supervisor must either edit it or confirm that it is not a
child's detail. "Identifying-details check" is this package's name everywhere, so it is never
confused with the retention step that removes a record's content ("content removed").

Layout: ``wordlists`` (names and the vocabulary around them, ``data/first_names.txt``),
``formats`` (e-mail, UPN, NHS number, postcode, phone), ``dates`` (dates of birth),
``addresses``, ``names`` and ``checker`` (runs them all and resolves overlaps). Measured with
``python benchmarks/identifying_details.py`` on the labelled batches in ``benchmarks/data/``.

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

* **Lower case is common in quick notes.** Listed names in lower case are flagged as they
  stand unless they are everyday words (``data/word_like_names.txt``), which need context;
  addresses in lower case need a house number and must read like an address word by word.

Known limits: surnames on their own are only caught in patterns ("the Nguyen family",
"Mrs Okafor"); unusual given names with no context are missed, in lower case all the more
(docs/anonymisation.md lists what batch 2 still misses).
"""

from records.identifying_details.checker import scan
from records.identifying_details.findings import KINDS, Finding
from records.identifying_details.formats import nhs_number_is_valid, upn_check_letter

__all__ = ["KINDS", "Finding", "nhs_number_is_valid", "scan", "upn_check_letter"]
