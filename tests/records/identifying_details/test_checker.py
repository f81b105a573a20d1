"""The check's result as a whole (sorted, non-overlapping) and its figures on labelled sets."""

from __future__ import annotations

import json

import pytest

from benchmarks.identifying_details import BATCH_1, BATCH_2, evaluate, load_labelled
from records.identifying_details import KINDS, scan
from tests.helpers.identifying_details import TODAY, assert_well_formed, found

# --- structure of the result -------------------------------------------------------------


def test_offsets_sorted_and_non_overlapping() -> None:
    text = (
        "Amelia Khan (DOB 03/04/2015, UPN B895777414215) lives at 14 Acacia Avenue, M1 1AE. "
        "Contact mum, Leanne Roberts, on 07700 900321 or leanne.roberts@outlook.com; "
        "NHS 937 865 7974."
    )
    findings = scan(text, today=TODAY)
    assert_well_formed(text, findings)
    assert [f.kind for f in findings] == [
        "name",
        "date_of_birth",
        "upn",
        "address",
        "postcode",
        "name",
        "phone",
        "email",
        "nhs_number",
    ]


def test_overlapping_detectors_resolve_to_one_finding() -> None:
    # The e-mail contains a name; the address contains a first name (Victoria).
    text = "Email amelia.khan@gmail.com or write to 12a Victoria Street."
    assert found(text) == [("email", "amelia.khan@gmail.com"), ("address", "12a Victoria Street")]


def test_empty_and_clean_text() -> None:
    assert scan("") == []
    assert scan("The DSL reflected on workload and the threshold document.") == []


def test_finding_is_frozen() -> None:
    finding = scan("Jayden", today=TODAY)[0]
    with pytest.raises(AttributeError):
        finding.start = 3  # type: ignore[misc]


def test_every_labelled_sentence_is_well_formed() -> None:
    for row in load_labelled(BATCH_1):
        assert_well_formed(row["text"], scan(row["text"], today=TODAY))


# --- the labelled set --------------------------------------------------------------------


def test_labelled_set_shape() -> None:
    lines = BATCH_1.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    assert len(rows) >= 240
    with_ids = [r for r in rows if r["identifiers"]]
    clean = [r for r in rows if not r["identifiers"]]
    assert 0.4 <= len(with_ids) / len(rows) <= 0.6
    assert len(clean) >= 100
    assert {i["kind"] for r in with_ids for i in r["identifiers"]} == set(KINDS)
    assert len({r["text"] for r in rows}) == len(rows), "duplicate sentences"


def test_labelled_set_recall_and_false_alarms() -> None:
    result = evaluate(BATCH_1)
    assert result["recall"] >= 0.97, result["missed"]
    assert result["false_alarm_rate"] <= 0.05, result["false_alarms"]


def test_batch_2_shape() -> None:
    """The fresh batch covers every kind, has a clean half and no duplicate sentences."""
    rows = load_labelled(BATCH_2)
    assert len(rows) >= 150
    clean = [r for r in rows if not r["identifiers"]]
    assert len(clean) >= 75
    assert {i["kind"] for r in rows for i in r["identifiers"]} == set(KINDS)
    assert len({r["text"] for r in rows}) == len(rows), "duplicate sentences"
