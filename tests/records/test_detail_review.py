"""The detail review: findings per part, fingerprints, safe highlighting, the form's warning."""

from __future__ import annotations

import pytest
from django.urls import reverse

from records.detail_review import TextPart, find_details, highlight, text_hash, unconfirmed
from tests.helpers.records import confirmations, make_record, record_post
from tests.helpers.service import login


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


@pytest.mark.django_db
def test_record_form_warns_about_each_new_kind_of_detail_and_submits_nothing(client, records_site):
    """Issue 18: lower-case names, year-first dates of birth, 0044 phones and lower-case
    addresses are highlighted in the record form's warning, and the record stays a draft."""
    record = make_record(records_site)
    login(client, record.session.supervisor.user)
    edit = reverse("records_admin:edit", args=[record.pk])
    text = (
        "we talked about kacey (dob 2014/06/02), who lives at 14 mill lane; "
        "her dad is on 0044 7700 900345. The supervisee will mark the plan as agreed."
    )
    response = client.post(edit, record_post(records_site, intent="submit", reflections=text))
    assert response.status_code == 400
    html = response.content.decode()
    assert "4 details may identify a child" in html
    assert '<a href="#finding-1">kacey</a>' in html
    assert '<a href="#finding-2">2014/06/02</a>' in html
    assert '<a href="#finding-3">14 mill lane</a>' in html
    assert '<a href="#finding-4">0044 7700 900345</a>' in html
    assert len(confirmations(html)) == 4
    record.refresh_from_db()
    assert record.submitted_at is None


@pytest.mark.django_db
def test_record_form_submits_lower_case_text_without_details(client, records_site):
    """Word-like names used as words ("will", "mark", "hope") raise no warning."""
    record = make_record(records_site)
    login(client, record.session.supervisor.user)
    edit = reverse("records_admin:edit", args=[record.pk])
    text = "we hope the dsl will mark the plan as agreed at the meeting on 2026/03/14."
    response = client.post(edit, record_post(records_site, intent="submit", reflections=text))
    assert response.status_code == 302, response.content.decode()[:2000]
    record.refresh_from_db()
    assert record.submitted_at is not None
