"""Hostile input, 500 examples per entry point: no server error, no write, no unescaped echo.

Each example runs in its own rolled-back transaction (Hypothesis' Django ``TestCase``), so one
example's lockout or throttle never shapes the next. "No write" is measured on the SQL itself:
the request may only INSERT/UPDATE/DELETE in the tables named for that entry point (security
bookkeeping such as failed-attempt counters and the audit log), and nowhere else.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from cms.models import ServiceSettings
from tests.factories import (
    AudienceRoleFactory,
    UserFactory,
    make_home,
    make_service,
    make_supervisor,
    make_supervisor_index,
)
from tests.mfa import enrol_totp

# max_examples comes from the Hypothesis profile (tests/conftest.py): 500 in CI, fewer locally.
FUZZ = settings(
    deadline=None,
    database=None,  # no .hypothesis/ folder in the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "1; DROP TABLE auth_user; --",
    "1 UNION SELECT password FROM auth_user",
    "{{ 7*7 }}{% debug %}",
    "${7*7}",
    "../../../../etc/passwd",
    "%00%2e%2e%2f",
    "\x00",
    "\r\nSet-Cookie: x=1",
    "\u202eevil\u202c",
    "\ufeff\u200b\u200d",
    "²",
    "١٢٣",
    "9" * 5000,
    "A" * 100_000,
    "😀" * 300,
]
hostile_text = st.one_of(
    st.sampled_from(ATTACKS),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=50),  # control characters
    st.builds(lambda a, b: a + b, st.sampled_from(ATTACKS), st.text(max_size=50)),
)
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
MARKUP = set("<>\"'")


def written_tables(queries: CaptureQueriesContext) -> set[str]:
    return {m.group(2) for q in queries.captured_queries if (m := WRITE.match(q["sql"]))}


def assert_not_reflected_raw(value: str, body: str, baseline: str) -> None:
    """``value`` must not appear unescaped, unless the page holds that text anyway.

    ``baseline`` is the same page answered for harmless input; values shorter than 5 characters
    are not checked (they occur in any page by chance, e.g. ``"a`` before a random CSRF token).
    """
    if len(value) >= 5 and MARKUP & set(value) and value not in baseline:
        assert value not in body, "input echoed back without HTML escaping"


class PublicFilterFuzz(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        home = make_home()
        role = AudienceRoleFactory(slug="dsl", name="Designated Safeguarding Lead")
        service = make_service(home, title="DSL supervision", roles=[role])
        cls.index = make_supervisor_index(home)
        make_supervisor(cls.index, title="Amira Hussain", roles=[role], services=[service])
        ServiceSettings.load()  # exists on any real site; its first read would be a write
        cls.baseline = Client().get(cls.index.url).content.decode()

    @FUZZ
    @given(role=hostile_text, service=hostile_text)
    @example(role="dsl", service="²")
    @example(role="", service="9" * 5000)
    def test_supervisor_filters(self, role: str, service: str) -> None:
        client = Client(raise_request_exception=False)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(self.index.url, {"role": role, "service": service})
        assert response.status_code < 500
        assert written_tables(queries) == set()
        body = response.content.decode()
        assert_not_reflected_raw(role, body, self.baseline)
        assert_not_reflected_raw(service, body, self.baseline)


# What is fuzzed here is input handling, not hashing: Django's 1,000,000 PBKDF2 rounds per
# attempt (run even for unknown usernames, against timing attacks) would make 500 examples
# take a minute, so this class alone uses a fast hasher.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class LoginFormFuzz(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = UserFactory(username="coordinator")
        cls.baseline = (
            Client().post("/admin/login/", {"username": "x", "password": "y"}).content.decode()
        )

    @FUZZ
    @given(username=hostile_text, password=hostile_text)
    @example(username="coordinator", password="' OR '1'='1' --")
    def test_wagtail_login(self, username: str, password: str) -> None:
        client = Client(raise_request_exception=False)
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/admin/login/", {"username": username, "password": password})
        assert response.status_code in {200, 429}, response.status_code
        assert "_auth_user_id" not in client.session
        # Only the failure is recorded: django-axes' counter and the audit log.
        assert written_tables(queries) <= {"axes_accessattempt", "audit_auditevent"}
        body = response.content.decode()
        assert_not_reflected_raw(username, body, self.baseline)
        password_inputs = re.findall(r'<input[^>]*name="password"[^>]*>', body)
        assert password_inputs and not any("value=" in tag for tag in password_inputs)


class SecondFactorFuzz(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from cms.services import SUPERVISORS, ensure_role_groups

        cls.user = UserFactory(username="coordinator")
        cls.user.groups.add(ensure_role_groups()[SUPERVISORS])
        enrol_totp(cls.user)
        client = Client()
        client.force_login(cls.user)
        cls.baseline = client.post("/admin/mfa/verify/", {"code": "x"}).content.decode()

    @FUZZ
    @given(code=hostile_text)
    @example(code="000000")
    @example(code="aaaa-bbbb-cccc-dddd")
    def test_mfa_verify(self, code: str) -> None:
        client = Client(raise_request_exception=False)
        client.force_login(self.user)
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/admin/mfa/verify/", {"code": code})
        assert response.status_code == 200, response.status_code
        assert DEVICE_ID_SESSION_KEY not in client.session
        # Throttle counters on the devices, the audit log and the session's last-seen time.
        assert written_tables(queries) <= {
            "accounts_encryptedtotpdevice",
            "otp_static_staticdevice",
            "audit_auditevent",
            "django_session",
        }
        assert_not_reflected_raw(code, response.content.decode(), self.baseline)


class MagicLinkFuzz(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        make_home()
        ServiceSettings.load()
        cls.baseline = Client().get("/b/not-a-link/").content.decode()

    @FUZZ
    @given(token=hostile_text.filter(bool))
    @example(token="eyJhbGciOiJub25lIn0.e30.")
    def test_portal_token(self, token: str) -> None:
        client = Client(raise_request_exception=False)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/b/{quote(token, safe='')}/")
        assert response.status_code in {400, 403, 404, 410}, response.status_code
        assert written_tables(queries) <= {"audit_auditevent"}
        assert_not_reflected_raw(token, response.content.decode(), self.baseline)
