"""Screenshots of every step of a browser journey, for people to look at (never compared).

They go to the git-ignored ``screenshots/`` folder (``SCREENSHOT_DIR`` to put them elsewhere),
one folder per test, numbered in the order taken: ``screenshots/<test>/03-price-added.png``.
Use the ``screenshot`` fixture from ``tests/browser/conftest.py``::

    def test_x(page, screenshot):
        ...
        screenshot(page, "price added")
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "screenshots")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "step"


@dataclass
class Screenshots:
    """Numbered screenshots of one test; calling it saves the page as it is now."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def __call__(self, page: Page, name: str, *, full_page: bool = True) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{len(self.taken) + 1:02d}-{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        self.taken.append(path)
        return path


def for_test(nodeid: str) -> Screenshots:
    """A fresh, empty folder for the test ``nodeid`` (old screenshots of it are removed)."""
    name = nodeid.rsplit("/", 1)[-1].replace(".py::", "-")
    folder = ROOT / _slug(name)
    if folder.exists():
        for old in folder.glob("*.png"):
            old.unlink()
    return Screenshots(folder=folder)
