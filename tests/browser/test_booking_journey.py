"""The booking journey, every step through the pages a person uses, in a real Chromium.

Three people, three browser contexts: a school on the public site (a phone), the supervisor in
the Wagtail admin (a laptop, signed in with password and authenticator code), and the
supervisee through the links in their emails (read from ``mail.outbox``). Nothing between the
steps calls a service: the only shortcuts are the clock (time-machine, so the session can
have happened) and reading the authenticator code the way a phone would show it.

Every screen is checked with axe-core at WCAG 2.2 AA and saved as a numbered screenshot in
the git-ignored ``screenshots/`` folder.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from wagtail.models import Site

from records.models import SessionRecord
from tests.browser.axe import assert_accessible
from tests.factories import TopicFactory
from tests.mfa import PASSWORD, current_code, enrol_totp
from workflows.enums import SessionStatus
from workflows.models import Agreement, Booking, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PORTAL_LINK = re.compile(r"(http://\S+/b/[A-Za-z0-9_\-]+/)")
RECORD_LINK = re.compile(r"(http://\S+/b/[A-Za-z0-9_\-]+/records/\d+/)")
LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Violations axe reports on Wagtail's own admin chrome (not our templates), accepted here and
# listed in the README. Our own admin templates are checked without them (``include=``).
WAGTAIL_OWN: dict[str, str] = {}


@pytest.fixture
def live(service, live_server, settings):
    from records.defaults import install_record_defaults

    install_record_defaults()
    for order, name in enumerate(["Well-being", "Risk management"]):
        TopicFactory(name=name, sort_order=order)
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=port)
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    return live_server.url


@contextmanager
def person(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


def _monday_9am() -> datetime.datetime:
    today = timezone.localdate() + datetime.timedelta(days=7)
    monday = today - datetime.timedelta(days=today.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time(9, 0)))


def _mail_to(address: str, subject_part: str) -> mail.EmailMessage:
    found = [m for m in mail.outbox if m.to == [address] and subject_part in m.subject]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1]


def _sign_in(page: Page, live: str, user) -> None:
    """Password, then the authenticator code, through the admin's own sign-in pages."""
    page.goto(live + "/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
    page.get_by_label("Code").fill(current_code(enrol_totp(user)))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#waiting-for-you-section")).to_be_visible()


def _admin_ok(page: Page) -> None:
    """Our part of an admin screen has no violations; Wagtail's chrome may only have its own."""
    assert_accessible(page, include="main", allow=WAGTAIL_OWN)


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_booking_journey_end_to_end(browser: Browser, live: str, service, screenshot):
    supervisor_user = service.user_a
    enrol_totp(supervisor_user)
    start = _monday_9am()
    session_day = (start + datetime.timedelta(days=2)).date()  # Wednesday
    with time_machine.travel(start, tick=True):
        # 1. A school requests Amira Hussain on the public site (a phone).
        with person(browser, PHONE) as school:
            school.goto(live + service.supervisor_a.url)
            assert_accessible(school)
            screenshot(school, "1 supervisor profile")
            school.get_by_role("link", name="Request supervision with Amira Hussain").click()
            expect(school.get_by_label("Supervisor")).to_have_value(str(service.supervisor_a.pk))
            assert_accessible(school)
            _fits(school)
            school.get_by_label("School or setting name").fill("Hillside Primary School")
            school.get_by_label("School URN").fill("123456")
            school.get_by_label("Name of the person who will be supervised").fill("Jo Bloggs")
            school.get_by_label("Their work email address").fill("jo.bloggs@hillside.example.org")
            school.get_by_label("Their role").select_option(label="Designated Safeguarding Lead")
            school.get_by_label("Service").select_option(label="DSL supervision")
            school.get_by_label("Individual").check()
            school.get_by_label("90 minutes").check()
            school.get_by_label("How often").select_option(label="Monthly")
            school.get_by_label("Preferred days and times").fill("Wednesday afternoons")
            school.get_by_label("Preferred location").fill("The school's quiet room")
            school.get_by_label("Your name").fill("Sam Head")
            school.get_by_label("Your email address").fill("head@hillside.example.org")
            screenshot(school, "1 booking form filled")
            school.get_by_role("button", name="Send request").click()
            expect(school.get_by_role("heading", name="Request sent")).to_be_visible()
            expect(school.get_by_text("DSL supervision", exact=False).first).to_be_visible()
            assert_accessible(school)
            screenshot(school, "1 request sent")
        booking = Booking.objects.get()
        assert booking.duration_minutes == 90
        _mail_to("head@hillside.example.org", booking.reference)

        # 2. The supervisor signs in (password + code) and accepts with one 90-minute
        # session at the requested location.
        with person(browser, LAPTOP) as supervisor:
            _sign_in(supervisor, live, supervisor_user)
            _admin_ok(supervisor)
            screenshot(supervisor, "2 dashboard waiting for you")
            supervisor.locator("#waiting-for-you-section").get_by_role(
                "link", name=booking.reference
            ).click()
            expect(supervisor.get_by_text("Booking " + booking.reference)).to_be_visible()
            _admin_ok(supervisor)
            supervisor.get_by_role("link", name="Accept and schedule sessions").click()
            expect(supervisor.get_by_label("Length").first).to_have_value("90")
            expect(supervisor.get_by_label("Location").first).to_have_value(
                "The school's quiet room"
            )
            supervisor.get_by_label("Date").first.fill(session_day.isoformat())
            supervisor.get_by_label("Start time").first.fill("14:00")
            _admin_ok(supervisor)
            screenshot(supervisor, "2 accept with one session")
            supervisor.get_by_role("button", name="Accept and schedule sessions").click()
            expect(supervisor.get_by_text("Done: Accept and schedule sessions")).to_be_visible()
            session = Session.objects.get()
            assert (session.duration_minutes, session.location) == (90, "The school's quiet room")
            assert session.status == SessionStatus.PROVISIONAL

            # 3. The supervisee signs from the emailed link.
            accepted = _mail_to(booking.supervisee_email, "please sign the agreement")
            with person(browser, PHONE) as supervisee:
                supervisee.goto(PORTAL_LINK.search(accepted.body).group(1))
                expect(
                    supervisee.get_by_role("heading", name="Your supervision bookings")
                ).to_be_visible()
                assert_accessible(supervisee)
                _fits(supervisee)
                screenshot(supervisee, "3 supervisee bookings")
                supervisee.get_by_role("link", name="Supervision agreement").click()
                expect(supervisee.get_by_role("link", name=re.compile("Read the"))).to_be_visible()
                supervisee.get_by_label("Type your full name to sign").fill("Jo Bloggs")
                supervisee.get_by_label("I have read the agreement and agree to its terms").check()
                assert_accessible(supervisee)
                screenshot(supervisee, "3 agreement signed")
                supervisee.get_by_role("button", name="Sign the agreement").click()
                expect(supervisee.get_by_text("Signed by Jo Bloggs")).to_be_visible()

            # 4. The supervisor follows the email to the booking's own case, reads the
            # agreement there and countersigns it.
            signed = _mail_to("amira@example.org", "has signed the agreement")
            case_link = re.search(r"(http://\S+/admin/cases/\d+/)", signed.body).group(1)
            supervisor.goto(case_link)
            expect(supervisor.get_by_text("Booking " + booking.reference)).to_be_visible()
            agreement_text = supervisor.locator("[data-agreement-text]")
            expect(agreement_text).to_contain_text("Session length and price: £80 per 90 minutes")
            expect(agreement_text.get_by_role("link", name=re.compile("Read the"))).to_be_visible()
            _admin_ok(supervisor)
            screenshot(supervisor, "4 case shows the agreement")
            supervisor.get_by_role("link", name="Countersign the agreement").click()
            expect(supervisor.get_by_text("The agreement you are signing")).to_be_visible()
            supervisor.get_by_role("button", name="Countersign the agreement").click()
            expect(supervisor.get_by_text("Done: Countersign the agreement")).to_be_visible()
        assert Agreement.objects.get().fully_signed
        assert Session.objects.get().status == SessionStatus.CONFIRMED

    # 5. The session happens; afterwards the supervisor marks it held in the admin.
    after = timezone.make_aware(datetime.datetime.combine(session_day, datetime.time(16, 0)))
    with time_machine.travel(after, tick=True), person(browser, LAPTOP) as supervisor:
        mail.outbox.clear()
        _sign_in(supervisor, live, supervisor_user)
        supervisor.goto(live + f"/admin/cases/{_booking_case_id(booking)}/")
        supervisor.get_by_role("link", name="Mark past sessions held").click()
        supervisor.get_by_role("button", name="Mark past sessions held").click()
        expect(supervisor.get_by_text("Done: Mark past sessions held")).to_be_visible()
        record = SessionRecord.objects.get()
        due = _mail_to("amira@example.org", "session record")
        assert f"/admin/records/{record.pk}/write/" in due.body

        # 6. From the case, the record: written, the anonymisation warning fixed, submitted.
        supervisor.get_by_role("link", name=f"Session record {record.reference}").click()
        _admin_ok(supervisor)
        supervisor.get_by_role("link", name="Write the record").click()
        supervisor.get_by_label("Designated Safeguarding Lead").check()
        supervisor.get_by_label("Well-being").first.check()
        reflections = supervisor.get_by_label("Reflections")
        reflections.fill("We discussed Jayden in Year 5 and his attendance; his mum rang us.")
        supervisor.get_by_role("button", name="Check and submit").click()
        expect(supervisor.get_by_text("Check these details before submitting")).to_be_visible()
        _admin_ok(supervisor)
        screenshot(supervisor, "6 anonymisation warning")
        assert SessionRecord.objects.get().submitted_at is None
        reflections.fill("We discussed Child A in Year 5 and their attendance.")
        supervisor.get_by_role("button", name="Check and submit").click()
        state = supervisor.locator("[data-record-state]")
        expect(state).to_have_text(re.compile("Shared with the supervisee"))
        screenshot(supervisor, "6 record submitted")

        # 7. The supervisee reads it, downloads the PDF and acknowledges it.
        shared = _mail_to(booking.supervisee_email, "record")
        assert "Child A" not in shared.body  # the email carries a link, never the content
        with person(browser, PHONE) as supervisee:
            supervisee.goto(RECORD_LINK.search(shared.body).group(1))
            expect(supervisee.get_by_text("Child A in Year 5")).to_be_visible()
            assert_accessible(supervisee)
            _fits(supervisee)
            with supervisee.expect_download() as download:
                supervisee.get_by_role("link", name="Download a PDF copy").click()
            assert download.value.suggested_filename.endswith(".pdf")
            with open(download.value.path(), "rb") as pdf:
                assert pdf.read(5) == b"%PDF-"
            supervisee.get_by_role("checkbox").check()
            supervisee.get_by_role("button", name="Acknowledge receipt").click()
            expect(supervisee.get_by_text(re.compile("acknowledged", re.I)).first).to_be_visible()
            screenshot(supervisee, "7 record acknowledged")
        assert SessionRecord.objects.get().acknowledged_at is not None

        # 8. A further session; the supervisee asks to rearrange it; the supervisor moves it.
        supervisor.goto(live + f"/admin/cases/{_booking_case_id(booking)}/")
        supervisor.get_by_role("link", name="Schedule more sessions").click()
        next_day = session_day + datetime.timedelta(days=28)
        supervisor.get_by_label("Date").first.fill(next_day.isoformat())
        supervisor.get_by_label("Start time").first.fill("14:00")
        supervisor.get_by_role("button", name="Schedule more sessions").click()
        expect(supervisor.get_by_text("Done: Schedule more sessions")).to_be_visible()
        upcoming = Session.objects.get(status=SessionStatus.CONFIRMED)

        with person(browser, PHONE) as supervisee:
            # Links are single-purpose, so the supervisee asks the site for a new one.
            supervisee.goto(live + "/bookings/link/")
            supervisee.get_by_label("Your work email address").fill(booking.supervisee_email)
            supervisee.get_by_role("button", name="Email me a link").click()
            portal = _mail_to(booking.supervisee_email, "Your link to your supervision bookings")
            supervisee.goto(PORTAL_LINK.search(portal.body).group(1))
            supervisee.get_by_role("link", name=re.compile("Cancel or rearrange")).click()
            supervisee.get_by_label("Ask to rearrange it").check()
            supervisee.get_by_label("Reason").fill("Ofsted are visiting that week.")
            assert_accessible(supervisee)
            screenshot(supervisee, "8 ask to rearrange")
            supervisee.get_by_role("button", name=re.compile("Send|Confirm|Ask")).click()
        upcoming.refresh_from_db()
        assert upcoming.reschedule_requested_at is not None

        supervisor.goto(live + "/admin/")
        supervisor.locator("[data-waiting=rearrange]").get_by_role(
            "link", name=booking.reference
        ).click()
        supervisor.get_by_role("link", name=re.compile("Move this session")).click()
        moved_day = next_day + datetime.timedelta(days=1)
        supervisor.get_by_label("Date").fill(moved_day.isoformat())
        supervisor.get_by_label("Start time").fill("10:00")
        supervisor.get_by_label("Comment").fill("Moved to Thursday morning as asked.")
        _admin_ok(supervisor)
        screenshot(supervisor, "8 move this session")
        mail.outbox.clear()
        supervisor.get_by_role("button", name="Move this session").click()
        expect(supervisor.get_by_text("Done: Move this session")).to_be_visible()
        screenshot(supervisor, "8 session moved")
    upcoming.refresh_from_db()
    assert timezone.localtime(upcoming.start).date() == moved_day
    assert upcoming.reschedule_requested_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["amira@example.org", booking.supervisee_email]
    )


def _booking_case_id(booking: Booking) -> int:
    from workflows.models import Case

    return Case.objects.get(reference=booking.reference).pk
