"""Signals the booking domain sends, so apps built on it react without being called by name.

Receivers run inside the sender's transaction: if one raises, the whole step rolls back.
"""

from django.dispatch import Signal

sessions_held = Signal()
"""
Sent by ``workflows.services.scheduling.mark_past_sessions_held`` after it has marked sessions
held, inside the transition's transaction. Not sent when no session changed.

kwargs: ``booking`` (the ``Booking``), ``session_ids`` (list of the ids just marked held),
``actor`` (the user who made the transition, a label, or None for the system).
Receivers: ``records.receivers`` requests a session record for each.
"""

email_queued = Signal()
"""
Sent by ``workflows.services.notifications.queue_email`` right after it created an
``OutboundEmail`` row, inside the caller's transaction (the task is queued on commit).

kwargs: ``email`` (the ``OutboundEmail``), ``case`` (the ``Case``), ``booking`` (the ``Booking``
or None). Receivers may append to ``email.attachments`` and save that field.
Receivers: ``calendar_feed.receivers`` attaches .ics invites to session emails.
"""
