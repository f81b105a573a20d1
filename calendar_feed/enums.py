"""Choices for calendar feeds."""

from django.db import models


class FeedKind(models.TextChoices):
    SUPERVISOR = "supervisor", "A supervisor's own sessions"
    SUPERVISEE = "supervisee", "A supervisee's sessions"
    TEAM = "team", "Every session (service staff)"
