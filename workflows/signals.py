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
