"""Two independent iCalendar readers, and bookings with sessions to put in feeds."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import icalendar
import pytest

from tests.factories.workflows import BookingFactory, SchoolFactory, SessionFactory
from workflows.enums import SessionStatus
from workflows.models import Booking, Session

LONDON = zoneinfo.ZoneInfo("Europe/London")
ROOT = Path(__file__).resolve().parents[2]
ICALJS_SCRIPT = ROOT / "tests" / "calendar_feed" / "ical_instants.mjs"


def london(y: int, m: int, d: int, h: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, h, minute, tzinfo=LONDON)


def read_with_icaljs(data: bytes | str) -> dict[str, Any]:
    """ical.js under Node, with TZ=UTC so a missing VTIMEZONE shows as a wrong instant."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").is_dir():
        pytest.fail("ical.js is not installed: run `make icaljs` (needs Node.js and npm)")
    text = data.decode() if isinstance(data, bytes) else data
    result = subprocess.run(  # noqa: S603 - fixed script, our own document on stdin
        [node, str(ICALJS_SCRIPT)],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def read_with_icalendar(data: bytes | str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def instant(value: datetime.datetime) -> str:
    """An aware datetime as the ISO UTC string ical.js prints."""
    assert value.tzinfo is not None, f"{value} is floating"
    utc = value.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def both_readers(data: bytes | str) -> dict[str, dict[str, Any]]:
    """Every event, by UID, read by both readers; fails unless they agree on every instant."""
    cal = read_with_icalendar(data)
    by_python = {
        str(e["UID"]): {
            "start": instant(e.DTSTART),
            "end": instant(e.DTEND),
            "status": str(e.get("STATUS", "")),
            "sequence": int(e.get("SEQUENCE", 0)),
            "summary": str(e.get("SUMMARY", "")),
            "event": e,
        }
        for e in cal.walk("VEVENT")
    }
    js = read_with_icaljs(data)
    by_js = {e["uid"]: e for e in js["events"]}
    assert by_python.keys() == by_js.keys()
    for uid, event in by_python.items():
        other = by_js[uid]
        assert (event["start"], event["end"]) == (other["start"], other["end"]), uid
        assert event["status"] == (other["status"] or "")
        assert event["sequence"] == (other["sequence"] or 0)
        assert event["summary"] == other["summary"]
    return {"events": by_python, "calendar": cal, "js": js}


def add_booking(
    service: Any,
    *,
    supervisor: Any = None,
    email: str = "jo.bloggs@hillside.example.org",
    school: str = "Hillside Primary School",
    urn: str = "123456",
    reference: str = "SUP-AAAAAA",
) -> Booking:
    return BookingFactory(
        reference=reference,
        school=SchoolFactory(urn=urn, name=school),
        supervisee_email=email,
        supervisor=supervisor or service.supervisor_a,
        service=service.tree.dsl_service,
        preferred_times="SECRET-PREFERRED-TIMES",
        preferred_location="SECRET-PREFERRED-LOCATION",
        extra_answers='{"q": "SECRET-EXTRA-ANSWER"}',
    )


def add_session(
    booking: Booking,
    start: datetime.datetime,
    *,
    minutes: int = 60,
    status: str = SessionStatus.CONFIRMED,
    location: str = "School meeting room",
) -> Session:
    return SessionFactory(
        booking=booking,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        location=location,
        status=status,
        price=Decimal("60.00"),
        cancellation_reason="SECRET-CANCELLATION-REASON",
    )
