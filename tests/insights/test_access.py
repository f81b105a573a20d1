"""Who may see Insights, the SVG charts' accessible names, and constant query counts."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.services import SERVICE_STAFF, SUPERVISORS
from tests.helpers.insights import AUTUMN, at
from tests.helpers.service import login
from workflows.enums import Role, SessionStatus
from workflows.models import Agreement

pytestmark = pytest.mark.django_db


def test_service_staff_may_see_insights_and_the_menu_item(client, autumn):
    assert (
        Group.objects.get(name=SERVICE_STAFF).permissions.filter(codename="view_insights").exists()
    )
    login(client, autumn.site.staff)
    assert client.get("/admin/insights/", AUTUMN).status_code == 200
    assert '"/admin/insights/"' in client.get("/admin/").content.decode()


def test_supervisors_may_not_see_insights(client, autumn):
    assert (
        not Group.objects.get(name=SUPERVISORS)
        .permissions.filter(codename="view_insights")
        .exists()
    )
    login(client, autumn.site.user_a)
    # Wagtail's admin turns the refusal into its "no permission" redirect to the dashboard.
    response = client.get("/admin/insights/", AUTUMN)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "Sessions held" not in client.get("/admin/", follow=True).content.decode()
    assert '"/admin/insights/"' not in client.get("/admin/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, autumn):
    response = client.get("/admin/insights/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


class _Svg(HTMLParser):
    """Collects each svg's role, aria-labelledby and the text of the elements it names."""

    def __init__(self) -> None:
        super().__init__()
        self.svgs: list[dict] = []
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.svgs.append(attrs)
        self._open.append(attrs.get("id") if tag in ("title", "desc") else None)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1]:
            self.texts[self._open[-1]] = self.texts.get(self._open[-1], "") + data


def test_each_chart_has_an_accessible_name_and_description(client, autumn):
    login(client, autumn.site.staff)
    parser = _Svg()
    parser.feed(client.get("/admin/insights/", AUTUMN).content.decode())
    charts = [svg for svg in parser.svgs if "insights-chart" in svg.get("class", "")]
    assert len(charts) == 5  # sessions, supervisors, cancellations, topics, signposting
    names = []
    for svg in charts:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        names.append(parser.texts[title_id])
        assert parser.texts[desc_id].startswith(parser.texts[title_id] + ":")
    assert names == [
        "Sessions held per month",
        "Hours held per supervisor",
        "Cancelled sessions by who cancelled",
        "Topics discussed in the period",
        "Signposting given in the period",
    ]
    assert (
        "Hours held per supervisor: Amira Hussain, 3.5 hours; Daniel Okafor, 2 hours."
        in (parser.texts["chart-supervisors-desc"])
    )


def _add_items(autumn, count: int) -> None:
    """``count`` more of everything: bookings, held sessions with records, cancellations."""
    maker = autumn.maker
    for i in range(count):
        booking = maker.booking(
            school=50 + i,
            service_page=autumn.attendance,
            supervisor=autumn.site.supervisor_b,
            created=at(9, 1 + i),
        )
        start = at(9, 20 + i, 13)
        session = maker.session(booking, start, created=at(9, 5))
        maker.session(
            booking,
            start + datetime.timedelta(days=2),
            status=SessionStatus.CANCELLED,
            cancelled_by=Role.SUPERVISOR,
            cancelled_at=start,
        )
        maker.record(
            session,
            due=start.date() + datetime.timedelta(days=7),
            submitted=start + datetime.timedelta(days=1),
            topics=[f"Topic {i}", "Well-being"],
            signposting=[f"Route {i}"],
        )
        Agreement.objects.create(
            booking=booking,
            policy_version="2026.1",
            terms="Terms.",
            review_date=datetime.date(2027, 9, 1),
            created_at=at(9, 5),
        )


#: (view, query, queries): each Insights view's exact query count, the same for 1 and 3
#: items. The figures are 8 aggregate queries (7 with a supervisor chosen: no topic
#: breakdown; 7 for a custom range: no school counts); the rest is the admin's own (user,
#: permissions, menus; the session comes from the cache) and, for downloads, the audit event.
VIEWS = [
    ("/admin/insights/", {**AUTUMN, "service": "attendance"}, 25),
    ("/admin/insights/", {**AUTUMN, "supervisor": "daniel"}, 24),
    ("/admin/insights/", {"period": "custom", "start": "2026-09-15", "end": "2026-12-10"}, 23),
    ("/admin/insights/", {"period": "year", "year": "2026"}, 24),
    ("/admin/insights/download.xlsx", {**AUTUMN, "service": "attendance"}, 18),
    ("/admin/insights/summary.pdf", {**AUTUMN, "service": "attendance"}, 18),
]


@pytest.mark.parametrize("items", [1, 3])
@pytest.mark.parametrize(("url", "query", "expected"), VIEWS)
def test_each_view_takes_the_same_number_of_queries_for_1_and_3_items(
    client, autumn, settings, items, url, query, expected
):
    settings.RECORD_PDF_FONT = ""  # the built-in PDF font: no font file to read
    _add_items(autumn, items)
    login(client, autumn.site.staff)
    choices = {"attendance": autumn.attendance.pk, "daniel": autumn.site.supervisor_b.pk}
    query = {key: choices.get(value, value) for key, value in query.items()}
    client.get(url, query)  # warm caches (site, settings, permissions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    assert len(queries) == expected, [q["sql"][:120] for q in queries]
