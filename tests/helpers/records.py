"""Session records for tests: a booking, a held session, a record, and the form as posted."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from cms.models import SignpostRoute, Topic
from records.defaults import install_record_defaults
from records.models import RecordQuestion, SessionRecord
from records.services import AgreedAction, RecordContent, request_record, submit_record
from tests.factories import SignpostRouteFactory, TopicFactory, UserFactory
from tests.factories.workflows import BookingFactory, SchoolFactory, SessionFactory
from tests.helpers.service import ServiceSite
from workflows.enums import SessionStatus
from workflows.models import Booking, Session

SUPERVISEE_EMAIL = "jo.bloggs@hillside.example.org"
OTHER_SUPERVISEE_EMAIL = "sam.other@riverside.example.org"
LINK = re.compile(r"http://[^\s]+/b/([A-Za-z0-9_\-]+)/records/(\d+)/")


@dataclass
class RecordsSite:
    service: ServiceSite
    topics: list[Topic]
    routes: list[SignpostRoute]
    questions: list[RecordQuestion]
    reader: Any

    @property
    def user_a(self) -> Any:
        return self.service.user_a

    @property
    def user_b(self) -> Any:
        return self.service.user_b

    @property
    def staff(self) -> Any:
        return self.service.staff


def build_records_site(service: ServiceSite) -> RecordsSite:
    """The service plus the record defaults, the seed documents' topics and signposting, and a
    member of staff who may also read record content (the ``records_site`` fixture)."""
    install_record_defaults()
    topics = [
        TopicFactory(name=name, sort_order=i)
        for i, name in enumerate(["Well-being", "Risk management", "Discussion around thresholds"])
    ]
    routes = [
        SignpostRouteFactory(
            topic="Case direction for cases not open to children's services",
            destination="The Child Protection Consultation Hub",
        ),
        SignpostRouteFactory(
            topic="Need for counselling or therapeutic support",
            destination="Employee assistance programme",
        ),
    ]
    reader = UserFactory(username="records.reader", first_name="Rita", last_name="Reader")
    reader.groups.add(service.staff_group)
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="records", codename="view_record_content")
    )
    return RecordsSite(
        service=service,
        topics=topics,
        routes=routes,
        questions=list(RecordQuestion.objects.order_by("sort_order")),
        reader=reader,
    )


def make_booking(
    site: RecordsSite, *, supervisor: Any = None, email: str = SUPERVISEE_EMAIL, number: int = 1
) -> Booking:
    return BookingFactory(
        reference=f"SUP-{number:06d}",
        school=SchoolFactory(urn=f"{100000 + number}", name=f"School {number}"),
        supervisee_name="Jo Bloggs" if email == SUPERVISEE_EMAIL else "Sam Other",
        supervisee_email=email,
        supervisor=supervisor or site.service.supervisor_a,
        service=site.service.tree.dsl_service,
    )


def make_session(
    booking: Booking, *, days_ago: int = 2, status: str = SessionStatus.HELD
) -> Session:
    # Each further session of the same supervisor starts two hours earlier: never overlapping
    # (PostgreSQL's exclusion constraint refuses double-booking).
    earlier = Session.objects.filter(supervisor=booking.supervisor).count()
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(
        days=days_ago, hours=2 * earlier
    )
    return SessionFactory(
        booking=booking,
        start=start,
        end=start + datetime.timedelta(minutes=60),
        status=status,
    )


def make_record(
    site: RecordsSite, *, supervisor: Any = None, email: str = SUPERVISEE_EMAIL, number: int = 1
) -> SessionRecord:
    """A requested record for a held session two days ago."""
    booking = make_booking(site, supervisor=supervisor, email=email, number=number)
    return request_record(session=make_session(booking))


def record_post(site: RecordsSite, *, intent: str = "save", **overrides: Any) -> dict[str, Any]:
    """A complete, clean record as the edit form posts it."""
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    data: dict[str, Any] = {
        "intent": intent,
        "attendee_roles": ["Designated Safeguarding Lead"],
        "other_attendees": "",
        "topics": ["Risk management", "Discussion around thresholds"],
        "signposting": [str(site.routes[0])],
        "reflections": "The supervisee reflected on thresholds for early help and felt more "
        "confident about when to consult the Hub.",
        "next_session_date": (timezone.localdate() + datetime.timedelta(days=28)).isoformat(),
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
        "actions-0-description": "Review the early help threshold document with the deputy DSL.",
        "actions-0-owner": "supervisee",
        "actions-0-due_date": due,
        "actions-1-description": "",
        "actions-1-owner": "",
        "actions-1-due_date": "",
    }
    for question in site.questions:
        data[f"q_{question.clean_name}"] = "Working with the attendance lead."
    data.update(overrides)
    return data


def confirmations(html: str) -> list[str]:
    """The fingerprints of the findings shown on a page, in order."""
    return re.findall(r'name="confirm" value="([0-9a-f]+)"', html)


REFLECTIONS = "Reflected on thresholds for early help and on the supervisee's own well-being."


def content(**overrides: Any) -> RecordContent:
    values: dict[str, Any] = {
        "attendees": ["Designated Safeguarding Lead"],
        "topics": ["Risk management"],
        "signposting": [],
        "reflections": REFLECTIONS,
        "actions": [
            AgreedAction(
                description="Share the threshold guidance with the deputy DSL.",
                owner="supervisee",
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            )
        ],
    }
    values.update(overrides)
    return RecordContent(**values)


def submitted_record(
    site: RecordsSite, *, supervisor: Any = None, email: str = SUPERVISEE_EMAIL, number: int = 1
) -> SessionRecord:
    """A record written, submitted and shared by the session's supervisor."""
    record = make_record(site, supervisor=supervisor, email=email, number=number)
    user = record.session.supervisor.user
    return submit_record(record=record, content=content(), confirmed=set(), actor=user)
