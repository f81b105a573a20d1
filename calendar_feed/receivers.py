"""Reactions to other apps: invites on session emails, and feeds dying with their account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from calendar_feed.invites import invites_for_email
from calendar_feed.models import FeedToken
from calendar_feed.services import revoke_feeds_of_user
from workflows.models import Booking
from workflows.signals import email_queued


@receiver(email_queued, dispatch_uid="calendar_feed_attach_invites")
def attach_invites(sender: Any, *, email: Any, case: Any, booking: Any, **kwargs: Any) -> None:
    if not isinstance(booking, Booking):
        return
    files = invites_for_email(
        template_key=email.template_key, recipient_kind=email.recipient_kind, booking=booking
    )
    if files:
        email.attachments = [*(email.attachments or []), *files]
        email.save(update_fields=["attachments"])


@receiver(post_save, sender=get_user_model(), dispatch_uid="calendar_feed_user_deactivated")
def revoke_on_deactivation(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deactivated account's feed URLs stop at once (and are deleted, not just refused)."""
    if instance.is_active:
        return

    if FeedToken.objects.filter(user=instance).exists():
        revoke_feeds_of_user(user=instance)
