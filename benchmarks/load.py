"""Load benchmark of the production stack on this machine (issue 19). Prints one table.

Run: ``make bench-load`` (or ``.venv/bin/python benchmarks/load.py --seconds 4``). It starts
the stack of ``make prod-local`` against its own PostgreSQL database (``supervision_bench``)
and Redis database 6: gunicorn with two workers (4 threads each), WhiteNoise, two django-q2
clusters and a local SMTP sink; then, from this process, on loopback, a closed-loop load
generator (one keep-alive connection per client thread, bounded by ``--seconds`` per cell):

- at 1, 8 and 32 clients: requests/s and p50/p95 latency for ``/livez`` (a trivial Django
  view through the same middleware: the baseline), the supervisor index, a profile, a
  supervisor's calendar feed and the booking form POST; each page's throughput as a ratio
  to the trivial view measured in the same run;
- queries per page, with the page cache purged (a render) and warm;
- bookings/s when 8 connections race to book sessions in one supervisor's diary, and the
  number of overlapping sessions afterwards (must be 0);
- tasks/s through the two clusters (``ops.tasks.noop``, from enqueue to the last result).

The load generator shares the machine's cores with the stack, so absolute numbers are a
floor; the ratios are what to compare. Nothing here is asserted; tests never time things.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bin"))
sys.path.insert(0, str(ROOT))

from prod_local import prepare, stack_env, start_stack, stop_stack  # noqa: E402

HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}

SETUP = r"""
import json
from django.contrib.auth import get_user_model
from cms.models import SupervisorIndexPage, SupervisorPage
from workflows.models import BookingFormPage
from calendar_feed.enums import FeedKind
from calendar_feed.services import rotate_feed
index = SupervisorIndexPage.objects.live().first()
profile = SupervisorPage.objects.live().exclude(user=None).order_by("pk").first()
form = BookingFormPage.objects.live().first()
token = rotate_feed(kind=FeedKind.SUPERVISOR, user=profile.user, actor_label="benchmark")
service = profile.services.first()
role = profile.roles_supported.first()
print(json.dumps({"index": index.url, "profile": profile.url, "form": form.url,
    "feed": f"/feeds/{token}.ics", "supervisor": profile.pk, "service": service.pk,
    "role": role.pk}))
"""

QUERIES = r"""
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from ops.page_cache import purge_public_pages
urls = json.loads(URLS)
client = Client(headers={"host": "127.0.0.1", "x-forwarded-proto": "https"})
out = {}
for name, url in urls.items():
    client.get(url)
    purge_public_pages()
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    out[name] = [len(cold.captured_queries), len(warm.captured_queries)]
print(json.dumps(out))
"""

RACE = r"""
import datetime, json, random, threading, time
from django.db import connection, connections
from django.utils import timezone
from cms.models import SupervisorPage
from workflows.models import Booking, Session
from workflows.services.scheduling import schedule_sessions
from workflows.errors import ActionError
supervisor = SupervisorPage.objects.get(pk=SUPERVISOR)
bookings = list(Booking.objects.filter(supervisor=supervisor).order_by("-pk")[:400])
day = timezone.localdate() + datetime.timedelta(days=400 + random.randint(0, 300))
nine = [timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=d),
        datetime.time(9))) for d in range(5)]
slots = [start + datetime.timedelta(minutes=30 * k) for start in nine for k in range(16)]
booked, refused, lock = [], [], threading.Lock()
def worker(i):
    rng = random.Random(i)
    for booking in bookings[i::8]:
        start = rng.choice(slots)
        try:
            slot = {"start": start, "duration_minutes": 60}
            schedule_sessions(booking=booking, slots=[slot])
            with lock: booked.append(1)
        except ActionError:
            with lock: refused.append(1)
    connections.close_all()
threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
t0 = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.perf_counter() - t0
with connection.cursor() as c:
    c.execute('''SELECT count(*) FROM workflows_session a JOIN workflows_session b
      ON a.supervisor_id = b.supervisor_id AND a.id < b.id
      AND a.start < b."end" AND b.start < a."end"
      WHERE a.supervisor_id = %s AND a.status <> 'cancelled' AND b.status <> 'cancelled'
    ''', [SUPERVISOR])
    overlaps = c.fetchone()[0]
print(json.dumps({"attempts": len(booked) + len(refused), "booked": len(booked),
    "seconds": elapsed, "overlaps": overlaps}))
"""

TASKS = r"""
import json, time, uuid
from django.core.cache import cache
from django_q.tasks import async_task
counter = "bench-tasks-" + uuid.uuid4().hex[:8]
t0 = time.time()
for i in range(N):
    async_task("ops.tasks.noop", counter)
deadline = time.time() + 120
while (cache.get(counter) or 0) < N and time.time() < deadline:
    time.sleep(0.1)
print(json.dumps({"tasks": cache.get(counter) or 0, "seconds": time.time() - t0}))
"""


def manage_shell(env: dict[str, str], code: str) -> Any:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def _booking_body(ids: dict[str, Any], n: int, token: str) -> str:
    return urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "school_name": "Hillside Primary School",
            "school_urn": "123456",
            "supervisee_name": f"Load Test {n}",
            "work_email": f"load{n}@hillside.example.org",
            "role": ids["role"],
            "supervisor": ids["supervisor"],
            "service": ids["service"],
            "format": "individual",
            "attendees": "1",
            "duration_minutes": "60",
            "frequency": "monthly",
            "preferred_times": "Tuesday afternoons",
            "preferred_location": "The school's meeting room",
            "website": "",
        }
    )


def run_cell(port: int, clients: int, seconds: float, target: str, ids: dict[str, Any]) -> dict:
    """``clients`` threads, each one connection, for ``seconds``: rps, p50, p95, errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds
    counter = iter(range(10**9))

    def client() -> None:
        conn = _connect(port)
        mine: list[float] = []
        headers = dict(HEADERS)
        body = None
        if target == "form":
            conn.request("GET", ids["form"], headers=HEADERS)
            page = conn.getresponse()
            html = page.read().decode()
            cookie = re.search(r"(__Host-csrftoken=[^;]+)", page.getheader("Set-Cookie") or "")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
            headers.update(
                Cookie=cookie.group(1) if cookie else "",
                Origin="https://127.0.0.1",  # the Host header sent (as a TLS proxy would)
                Referer=f"https://127.0.0.1{ids['form']}",
            )
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            token_value = token.group(1) if token else ""
        while time.perf_counter() < stop_at:
            if target == "form":
                body = _booking_body(ids, next(counter), token_value)
            started = time.perf_counter()
            try:
                conn.request("POST" if body else "GET", ids[target], body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                ok = response.status == 200 and (target != "form" or b"SUP-" in content)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = _connect(port)
            elapsed = time.perf_counter() - started
            if ok:
                mine.append(elapsed)
            else:
                with lock:
                    errors[0] += 1
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "rps": len(latencies) / wall,
        "p50": pct(0.50) if latencies else float("nan"),
        "p95": pct(0.95) if latencies else float("nan"),
        "errors": errors[0],
        "n": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per cell (default 4)")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/supervision_bench"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--tasks", type=int, default=400)
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]

    env = stack_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        port=args.port,
        smtp_port=args.port + 1,
    )
    env.update(PUBLIC_FORM_LIMIT_PER_HOUR="100000000", WEB_THREADS="4")
    print("Preparing the database (migrate, collectstatic, demo content)...", flush=True)
    prepare(env)
    ids = manage_shell(env, SETUP)
    ids["trivial"] = "/livez"
    logs = Path(tempfile.mkdtemp(prefix="load-bench-"))
    procs = start_stack(env, clusters=2, log_dir=logs)
    try:
        for target in ("trivial", "index", "profile", "feed"):  # warm caches and renditions
            run_cell(args.port, 1, 0.5, target, ids)
        # Tasks first, while the clusters are idle (the booking POSTs below queue emails).
        tasks = manage_shell(env, f"N = {args.tasks}\n" + TASKS)
        rows = []
        for clients in levels:
            cells = {
                target: run_cell(args.port, clients, args.seconds, target, ids)
                for target in ("trivial", "index", "profile", "feed", "form")
            }
            base = cells["trivial"]["rps"]
            for target, cell in cells.items():
                rows.append((clients, target, cell, cell["rps"] / base if base else 0))
        urls = {k: ids[k] for k in ("index", "profile", "feed")}
        queries = manage_shell(env, f"URLS = {json.dumps(json.dumps(urls))}\n" + QUERIES)
        race = manage_shell(env, f"SUPERVISOR = {ids['supervisor']}\n" + RACE)
    finally:
        stop_stack(procs)

    names = {
        "trivial": "trivial view /livez",
        "index": "supervisor index",
        "profile": "supervisor profile",
        "feed": "calendar feed (.ics)",
        "form": "booking form POST",
    }
    print()
    print(
        f"Production stack: gunicorn 2 workers x {env['WEB_THREADS']} threads, 2 clusters, "
        f"PostgreSQL, Redis; {args.seconds:g} s per cell, load generator on the same host"
    )
    print(
        f"{'clients':>7}  {'page':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'errors':>6} {'vs trivial':>10}"
    )
    for clients, target, cell, ratio in rows:
        print(
            f"{clients:>7}  {names[target]:<22} {cell['rps']:>8.1f} {cell['p50']:>8.1f} "
            f"{cell['p95']:>8.1f} {cell['errors']:>6} {ratio:>10.2f}"
        )
    print()
    print(f"{'queries per request':<22} {'rendered':>9} {'cached':>7}")
    for name, (cold, warm) in queries.items():
        print(f"{names[name]:<22} {cold:>9} {warm:>7}")
    print()
    print(
        f"Slot race, 8 connections, one supervisor: {race['booked']} of {race['attempts']} "
        f"booked in {race['seconds']:.2f} s = {race['booked'] / race['seconds']:.1f} "
        f"bookings/s ({race['attempts'] / race['seconds']:.1f} attempts/s); "
        f"overlapping sessions: {race['overlaps']}"
    )
    print(
        f"Tasks through two clusters: {tasks['tasks']} in {tasks['seconds']:.2f} s = "
        f"{tasks['tasks'] / tasks['seconds']:.1f} tasks/s (enqueue to the last task run)"
    )
    medians = statistics.median(r[3] for r in rows if r[1] in {"index", "profile"})
    print(f"Median ratio of cached pages (index, profile) to the trivial view: {medians:.2f}")


if __name__ == "__main__":
    main()
