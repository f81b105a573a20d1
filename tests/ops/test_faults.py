"""Jobs survive faults, with real processes: a cluster killed mid-send, Redis lost a while.

Marked ``scaleout``: skipped unless DATABASE_URL is PostgreSQL and REDIS_URL answers (see
conftest.py). Each waits a bounded time; the schedule-driven steps wait for django-q2's
scheduler, which runs about every 30 seconds in each cluster.
"""

from __future__ import annotations

import datetime
import re
import sys

import pytest
import requests
from django.utils import timezone
from django_q.models import Schedule

from tests.helpers.ops import free_port, wait_for
from tests.helpers.service import booking_post
from tests.ops.mailsink import sent_subjects
from workflows.models import Booking, OutboundEmail

pytestmark = [pytest.mark.scaleout, pytest.mark.django_db(transaction=True)]


def _install_sweep() -> None:
    Schedule.objects.update_or_create(
        name="Unsent email sweep",
        defaults={
            "func": "workflows.tasks.sweep_unsent_emails",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "next_run": timezone.now() - datetime.timedelta(seconds=1),
        },
    )


def _sent(email: OutboundEmail) -> bool:
    email.refresh_from_db()
    return email.sent_at is not None


def test_a_cluster_killed_mid_send_loses_no_email_and_the_next_sends_it_once(processes):
    email = OutboundEmail.objects.create(
        idempotency_key="fault:kill-1",
        template_key="booking-new-for-team",
        recipient_kind="service_inbox",
        to="supervision-team@example.org",
        subject="Killed mid-send",
        body="A new request.",
    )
    first = processes.cluster("first", MAIL_SINK_DELAY="120")
    processes.enqueue("workflows.tasks.send_outbound_email", email.pk)
    wait_for(
        lambda: list(processes.sink.glob("sending-*")),
        timeout=60,
        what="the first cluster to start sending",
        log=lambda: processes.log("first"),
    )

    processes.kill(first)  # SIGKILL to the sentinel and every worker, mid-send

    email.refresh_from_db()
    assert (email.sent_at, email.attempts, email.failed_at) == (None, 0, None)  # rolled back
    assert sent_subjects(processes.sink) == []

    _install_sweep()
    processes.cluster("second")
    wait_for(
        lambda: _sent(email),
        timeout=90,
        what="the sweep in the second cluster",
        log=lambda: processes.log("second"),
    )

    assert email.attempts == 1
    assert sent_subjects(processes.sink) == ["Killed mid-send"]


def test_losing_redis_the_site_serves_and_the_emails_wait_then_go_once(
    processes, private_redis, service
):
    port = free_port()
    env = {"REDIS_URL": private_redis.url}
    processes.start(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        "web",
        **env,
    )
    processes.cluster("cluster", **env)
    base = f"http://127.0.0.1:{port}"
    wait_for(
        lambda: _answers(f"{base}/healthz"),
        timeout=60,
        what="gunicorn",
        log=lambda: processes.log("web"),
    )
    assert requests.get(f"{base}/healthz", timeout=10).json()["checks"]["broker"]["ok"] is True

    private_redis.stop()

    health = requests.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["broker"]["ok"] is False
    assert requests.get(base + service.tree.index.url, timeout=10).status_code == 200
    browser = requests.Session()
    form = browser.get(base + service.form_page.url, timeout=10)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    sent = browser.post(
        base + service.form_page.url,
        data={**booking_post(service), "csrfmiddlewaretoken": token},
        headers={"Referer": base + service.form_page.url},
        timeout=20,
    )
    assert sent.status_code == 200, sent.text[:2000]
    booking = Booking.objects.get()
    assert booking.reference in sent.text
    waiting = list(OutboundEmail.objects.all())
    assert waiting and all(e.sent_at is None and e.failed_at is None for e in waiting)

    private_redis.start()  # Redis is back (empty: whatever it held is gone)
    _install_sweep()
    wait_for(
        lambda: all(_sent(e) for e in waiting),
        timeout=120,
        what="the sweep to send the waiting emails",
        log=lambda: processes.log("cluster"),
    )

    assert sorted(sent_subjects(processes.sink)) == sorted(e.subject for e in waiting)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False
