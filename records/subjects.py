"""The session record's subject type: what the workflow engine asks about records.

Registered from ``RecordsConfig.ready()``. ``records/services.py`` fires the record workflow's
steps by key, so they are protected: staff cannot remove or rename them, and system check
``workflows.E002`` fails if a stored "Session record" workflow lacks one.
"""

from __future__ import annotations

from typing import Any

from workflows.enums import ANY_OPEN_STATE, InputKind, Role, TokenPurpose, WorkflowSubject
from workflows.registry import ProtectedTransition, SubjectType, subject_types


@subject_types.register
class SessionRecordSubject(SubjectType):
    key = WorkflowSubject.SESSION_RECORD
    model = "records.SessionRecord"
    protected_states = ("requested", "shared")
    protected_transitions = (
        ProtectedTransition("write", source="requested", roles=(Role.SUPERVISOR,)),
        ProtectedTransition("submit", roles=(Role.SUPERVISOR,), why="the record form submits"),
        ProtectedTransition(
            "share",
            roles=(Role.SYSTEM,),
            why="a submitted record is shared with the supervisee at once",
        ),
        ProtectedTransition(
            "acknowledge",
            source="shared",
            roles=(Role.SUPERVISEE,),
            why="the supervisee acknowledges through their emailed link",
        ),
        ProtectedTransition(
            "amend", roles=(Role.SUPERVISOR,), inputs=(InputKind.COMMENT,), why="addenda"
        ),
        ProtectedTransition(
            "remove_content",
            source=ANY_OPEN_STATE,
            roles=(Role.SYSTEM,),
            why="the retention clean-up takes it",
        ),
    )

    def booking(self, subject: Any) -> Any:
        return subject.session.booking

    def link_opens(self, link: Any, subject: Any) -> bool:
        """A portal link of the supervisee, or the link emailed for this very record."""
        if link is not None and link.purpose == TokenPurpose.RECORD:
            return (
                link.object_id == subject.pk
                and bool(link.usable)
                and link.email == self.supervisee_email(subject).strip().lower()
            )
        return super().link_opens(link, subject)
