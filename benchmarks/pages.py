"""Public page cost as content grows: 5 vs 50 supervisors on the index, in one process.

Run: ``.venv/bin/python benchmarks/pages.py``. Builds a throwaway test database, renders each
page repeatedly and prints time per request and queries per request, with the ratio of the
50-supervisor run to the 5-supervisor baseline. Flat query counts and a time ratio well under
10 (the content ratio) mean the page scales with its HTML, not with database round trips.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 30


def measure(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm caches and renditions
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times) * 1000, len(ctx.captured_queries)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from tests.factories import (
            AudienceRoleFactory,
            RateFactory,
            make_home,
            make_image,
            make_service,
            make_supervisor,
            make_supervisor_index,
        )

        home = make_home()
        dsl = AudienceRoleFactory(slug="dsl", name="DSL")
        service = make_service(home, roles=[dsl])
        RateFactory(service=service)
        index = make_supervisor_index(home)
        client = Client()
        results = {}
        made = 0
        for target in (5, 50):
            while made < target:
                make_supervisor(
                    index,
                    title=f"Supervisor {made:03d}",
                    roles=[dsl],
                    services=[service],
                    specialisms=[f"Specialism {made}", "Thresholds"],
                    photo=make_image(f"Photo {made}"),
                )
                made += 1
            results[target] = measure(client, index.url)
        (t5, q5), (t50, q50) = results[5], results[50]
        print(f"supervisor index, 5 supervisors:  {t5:6.1f} ms/request, {q5} queries")
        print(f"supervisor index, 50 supervisors: {t50:6.1f} ms/request, {q50} queries")
        print(f"ratio 50/5: time {t50 / t5:.2f}x, queries {q50 / q5:.2f}x (content 10x)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
