"""The record-level anonymisation check: findings per part, fingerprints, safe highlighting."""

from __future__ import annotations

from records.anonymity import TextPart, find_details, highlight, text_hash, unconfirmed


def test_findings_are_numbered_across_parts():
    parts = [
        TextPart("reflections", "Reflections", "We discussed Jayden and his attendance."),
        TextPart("actions-0-description", "Action 1", "Ring 07700 900123 on Monday."),
    ]
    findings = find_details(parts)
    assert [(f.number, f.part.name, f.finding.kind, f.finding.text) for f in findings] == [
        (1, "reflections", "name", "Jayden"),
        (2, "actions-0-description", "phone", "07700 900123"),
    ]


def test_fingerprint_survives_edits_elsewhere_but_not_to_the_finding():
    before = find_details([TextPart("reflections", "R", "Mrs Patel agreed.")])
    moved = find_details([TextPart("reflections", "R", "Later, Mrs Patel agreed to it.")])
    changed = find_details([TextPart("reflections", "R", "Mrs Okafor agreed.")])
    assert before[0].fingerprint == moved[0].fingerprint
    assert before[0].fingerprint != changed[0].fingerprint
    assert unconfirmed(moved, {before[0].fingerprint}) == []
    assert unconfirmed(changed, {before[0].fingerprint}) == changed


def test_audit_hash_is_keyed_and_never_the_text():
    assert text_hash("Mrs Patel") == text_hash(" mrs patel ")
    assert "Patel" not in text_hash("Mrs Patel")
    assert len(text_hash("Mrs Patel")) == 64


def test_highlight_escapes_everything_it_did_not_add():
    text = '<script>alert("x")</script> Jayden <b>rang</b>\nagain'
    findings = find_details([TextPart("reflections", "R", text)])
    html = str(highlight(text, findings))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="#finding-1">Jayden</a>' in html
    assert "<br>again" in html
