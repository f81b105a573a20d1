"""Secret calendar feed URLs. Only a SHA-256 hash of each token is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from calendar_feed.enums import FeedKind


class FeedToken(models.Model):
    """One live feed URL. Rotating deletes the row and makes a new one, so the old URL is gone.

    A supervisor's and a team feed belong to a user; a supervisee's to an email address (they
    have no account). At most one live token per owner and kind.
    """

    kind = models.CharField(max_length=20, choices=FeedKind.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    email = models.EmailField(blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=Q(user__isnull=False),
                name="one_feed_per_user_and_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "email"],
                condition=~Q(email=""),
                name="one_feed_per_email_and_kind",
            ),
            models.CheckConstraint(
                condition=(Q(kind=FeedKind.SUPERVISEE) & Q(user__isnull=True) & ~Q(email=""))
                | (~Q(kind=FeedKind.SUPERVISEE) & Q(user__isnull=False) & Q(email="")),
                name="feed_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        owner = self.email if self.kind == FeedKind.SUPERVISEE else str(self.user)
        return f"{self.get_kind_display()} feed of {owner}"
