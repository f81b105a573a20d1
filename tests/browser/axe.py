"""axe-core accessibility checks for the browser tests, at WCAG 2.2 AA.

axe-core comes from npm into the git-ignored ``node_modules/`` (``make axe``, which ``make test``
runs first). It is injected with Playwright's ``page.evaluate`` rather than a ``<script>`` tag,
so the page's own Content-Security-Policy (``script-src 'self'``) stays on while it is checked.

Use::

    from tests.browser.axe import assert_accessible

    assert_accessible(page)                       # our own templates: zero violations
    assert_accessible(page, allow=WAGTAIL_OWN)    # admin screens: Wagtail's own, listed

``allow`` maps an axe rule id to the reason it is accepted (a violation that belongs to Wagtail,
not to our templates); such violations are still returned by ``run_axe`` so a test can show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe-core's tag names).
WCAG_22_AA: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")


@dataclass(frozen=True)
class Violation:
    """One failed axe rule on one page, with the elements (CSS selectors) that fail it."""

    rule: str
    impact: str
    help: str
    url: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"{self.rule} ({self.impact}) on {self.url}: {self.help} [{shown}]"


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError("axe-core is not installed: run `make axe` (npm install axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(
    page: Page,
    *,
    tags: Sequence[str] = WCAG_22_AA,
    include: str | None = None,
    exclude: Sequence[str] = (),
) -> list[Violation]:
    """Every axe violation on the current page (or within ``include``, minus ``exclude``)."""
    if not page.evaluate("() => typeof window.axe === 'object' && !!window.axe.run"):
        page.evaluate(_axe_source() + "\n;undefined")
    context: dict[str, object] = {"exclude": [[selector] for selector in exclude]}
    if include:
        context["include"] = [[include]]
    results = page.evaluate(
        """([context, tags]) => window.axe.run(context, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        }).then(r => r.violations.map(v => ({
            rule: v.id, impact: v.impact || "", help: v.help,
            targets: v.nodes.map(n => n.target.join(" ")),
        })))""",
        [context, list(tags)],
    )
    return [
        Violation(
            rule=found["rule"],
            impact=found["impact"],
            help=found["help"],
            url=page.url,
            targets=tuple(found["targets"]),
        )
        for found in results
    ]


def assert_accessible(
    page: Page,
    *,
    allow: Mapping[str, str] | None = None,
    include: str | None = None,
    exclude: Sequence[str] = (),
) -> list[Violation]:
    """Fail on any WCAG 2.2 AA violation except the rules in ``allow``; return the allowed ones."""
    allow = allow or {}
    # After a click the next page may still be loading: check the page people will read.
    page.wait_for_load_state()
    if include:
        page.wait_for_selector(include, state="attached")
    found = run_axe(page, include=include, exclude=exclude)
    failures = [violation for violation in found if violation.rule not in allow]
    assert not failures, "axe-core (WCAG 2.2 AA) found:\n" + "\n".join(map(str, failures))
    return [violation for violation in found if violation.rule in allow]
