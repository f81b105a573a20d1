"""Purge cached public pages after any change that a public page may show."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from ops.page_cache import purge_public_pages

# Wagtail's own models that public pages show: the page tree itself and the site's root.
PURGING_CORE_MODELS = frozenset({"wagtailcore.Page", "wagtailcore.Site"})


def _purge_after_commit(**_: Any) -> None:
    # Now, and again after commit: a request rendering between the save and the commit
    # would otherwise store the old content under the new generation.
    purge_public_pages()
    transaction.on_commit(purge_public_pages)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def purge_on_page_change(sender: Any, **kwargs: Any) -> None:
    _purge_after_commit()


@receiver(post_save)
@receiver(post_delete)
def purge_on_content_change(sender: Any, **kwargs: Any) -> None:
    """Prices, topics, roles, signposting, settings and pages all live in ``cms``."""
    meta = getattr(sender, "_meta", None)
    if meta is not None and (meta.app_label == "cms" or meta.label in PURGING_CORE_MODELS):
        _purge_after_commit()
