"""Editors add reflective questions to the record form; answers keep the question as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from records.models import RecordFormSettings, SessionRecord
from tests.factories.records import RecordQuestionFactory
from tests.helpers.records import make_record, record_post
from tests.helpers.service import login

pytestmark = pytest.mark.django_db


def test_staff_may_edit_the_record_form_settings(client, records_site):
    login(client, records_site.staff)
    url = reverse(
        "wagtailsettings:edit",
        args=["records", "recordformsettings", RecordFormSettings.load().pk],
    )
    page = client.get(url)
    assert page.status_code == 200
    assert records_site.questions[0].label in page.content.decode()


def test_supervisor_may_not_edit_the_record_form_settings(client, records_site):
    login(client, records_site.user_a)
    url = reverse(
        "wagtailsettings:edit",
        args=["records", "recordformsettings", RecordFormSettings.load().pk],
    )
    assert client.get(url).status_code in (302, 403)


def test_new_question_appears_in_the_form_and_its_answer_is_kept(client, records_site):
    question = RecordQuestionFactory(
        sort_order=5,
        label="How confident do you feel about escalation?",
        field_type="dropdown",
        choices="Very\nSomewhat\nNot yet",
        required=False,
    )
    record = make_record(records_site)
    login(client, records_site.user_a)
    url = reverse("records_admin:edit", args=[record.pk])
    assert question.label in client.get(url).content.decode()
    response = client.post(
        url, record_post(records_site, **{f"q_{question.clean_name}": "Somewhat"})
    )
    assert response.status_code == 302
    question.label = "Renamed later"
    question.save()
    record = SessionRecord.objects.get(pk=record.pk)
    answers = {a["label"]: a["answer"] for a in record.answer_list}
    assert answers["How confident do you feel about escalation?"] == "Somewhat"
    assert "Renamed later" not in answers


def test_renamed_topic_keeps_the_submitted_wording(client, records_site):
    record = make_record(records_site)
    login(client, records_site.user_a)
    client.post(
        reverse("records_admin:edit", args=[record.pk]), record_post(records_site, intent="save")
    )
    topic = records_site.topics[1]
    topic.name = "Risk"
    topic.save()
    record = SessionRecord.objects.get(pk=record.pk)
    assert "Risk management" in record.topic_list
    page = client.get(reverse("records_admin:edit", args=[record.pk])).content.decode()
    assert 'value="Risk management" id=' in page and "checked" in page
