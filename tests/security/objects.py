"""Real paths for URL patterns that take ids: each id filled with one of supervisor A's objects.

The patterns come from the URL conf (``tests.security.urls.all_patterns``); only the way to find
an object for each kind of id is written here. A new pattern whose ids cannot be filled makes
``admin_object_paths`` name it (and the tests using it fail) until a rule is added below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.models import Collection, Page, Site
from wagtail.models import Workflow as PageWorkflow

from audit.models import AuditEvent
from calendar_feed.enums import FeedKind
from calendar_feed.models import FeedToken
from calendar_feed.services import rotate_feed
from tests.factories import make_image
from tests.factories.audit import AuditEventFactory
from tests.factories.exports import ExportJobFactory
from tests.security.urls import UrlEntry, all_patterns, example_path

# Not object URLs: the catch-all 404, Wagtail's deliberate error page, and sign-out (a GET
# drops the session cookie).
SKIPPED = {"admin/.*/$", "admin/failwhale/", "admin/test404/", "admin/logout/"}
# Words in a path that name no object (actions, formats, model names).
WORDS = {
    "transition_key": "cancel",
    "filter_spec": "original",
    "action": "delete",
    "action_name": "approve",
    "app_label": "workflows",
    "app_name": "cms",
    "model_name": "booking",
    "content_type_app_name": "cms",
    "content_type_model_name": "supervisorpage",
    "uidb64": "MQ",  # a password-reset link's user and token: no object of A's shown
    "token": "set-password",
}
# The admin screens of models that belong to nobody in particular: their first row stands in.
SNIPPET = re.compile(r"^wagtailsnippet(?:s|choosers)_(\w+?)_(\w+):")


@dataclass
class AObjects:
    """Supervisor A's things (and, for models owned by nobody, the first row of each)."""

    a_and_b: Any
    page: Page  # A's profile page
    image: Any
    document: Any
    feed: FeedToken
    editing_session: EditingSession
    event: AuditEvent
    export_job: Any  # a large export A asked for (exports.ExportJob)

    @classmethod
    def create(cls, a_and_b: Any) -> AObjects:
        from django.core.files.base import ContentFile
        from wagtail.documents import get_document_model

        user_a = a_and_b.site.user_a
        page = a_and_b.site.service.supervisor_a.page_ptr
        image = make_image(title="Amira's photo")
        image.uploaded_by_user = user_a
        image.save()
        document = get_document_model().objects.create(
            title="Amira's notes", file=ContentFile(b"notes", name="notes.txt")
        )
        document.uploaded_by_user = user_a
        document.save()
        rotate_feed(kind=FeedKind.SUPERVISOR, user=user_a)
        return cls(
            a_and_b=a_and_b,
            page=page,
            image=image,
            document=document,
            feed=FeedToken.objects.get(user=user_a),
            editing_session=EditingSession.objects.create(
                user=user_a, content_object=page, last_seen_at=timezone.now()
            ),
            event=AuditEvent.objects.filter(actor=user_a).first()
            or AuditEventFactory(action="test.a", actor=user_a),
            export_job=ExportJobFactory(requested_by=user_a, filters_label="Amira's export"),
        )

    def object_for(self, name: str) -> Any:
        """The object that a pattern's ``pk``-like id means, from the pattern's URL name."""
        w = self.a_and_b
        by_prefix = {
            "workflows_case_modeladmin_": w.booking_case,
            "workflows_booking_modeladmin_": w.booking,
            "workflows_session_modeladmin_": w.record.session,
            "workflows_school_modeladmin_": w.booking.school,
            "wagtailusers_users:": w.site.user_a,
            "wagtailusers_groups:": Group.objects.get(name="Supervisors"),
            "wagtailsites:": Site.objects.first(),
            "wagtailadmin_collections:": Collection.objects.first(),
            "wagtailadmin_workflows:": PageWorkflow.objects.first(),
            "audit_log:": self.event,
            "wagtailadmin_pages:": self.page,
            "wagtailadmin_api:pages:": self.page,
            "wagtailapi:pages:": self.page,
            "wagtailadmin_api:images:": self.image,
            "wagtailapi:images:": self.image,
            "wagtailadmin_api:documents:": self.document,
            "wagtailimages_chooser:": self.image,
            "wagtaildocs_chooser:": self.document,
            "wagtailsettings:": apps.get_model("cms", "ServiceSettings").objects.first(),
        }
        for prefix, obj in by_prefix.items():
            if name.startswith(prefix):
                return obj
        if match := SNIPPET.match(name):
            return apps.get_model(match[1], match[2]).objects.order_by("pk").first()
        return None

    def value_for(self, name: str, param: str) -> Any:
        w = self.a_and_b
        if param in WORDS:
            return WORDS[param]
        if param in {"pk", "instance_pk", "object_id"}:
            if name.startswith("wagtailadmin_editing_sessions:"):
                return self.page.pk
            obj = self.object_for(name)
            return None if obj is None else obj.pk
        if name.startswith("wagtailadmin_editing_sessions:") and param == "session_id":
            return self.editing_session.pk
        ids = {
            "case_id": w.booking_case.pk,
            "record_id": w.record.pk,
            "session_id": w.record.session_id,
            "agreement_id": w.agreement.pk,
            "feed_id": self.feed.pk,
            "job_id": self.export_job.pk,
            "email_id": getattr(w.booking_case.emails.first(), "pk", 0),
            "page_id": self.page.pk,
            "parent_page_id": self.page.pk,
            "page_to_move_id": self.page.pk,
            "destination_id": self.page.get_parent().pk,
            "page_pk": self.page.pk,
            "revision_id": self.page.latest_revision_id,
            "revision_id_a": self.page.latest_revision_id,
            "revision_id_b": self.page.latest_revision_id,
            "image_id": self.image.pk,
            "document_id": self.document.pk,
            "doc_id": self.document.pk,
            "collection_id": Collection.objects.first().pk,
            "redirect_id": 0,  # no redirects exist; a made-up id
            "uploaded_file_id": 0,  # nor uploads in progress
            "task_id": 0,  # nor moderation tasks and their states
            "task_state_id": 0,
            "workflow_state_id": 0,
            "workflow_pk": getattr(PageWorkflow.objects.first(), "pk", 0),
            "restriction_id": 0,
            "page_view_restriction_id": 0,
        }
        return ids.get(param)


def id_params(entry: UrlEntry) -> list[str]:
    return list(re.compile(entry.regex).groupindex)


def admin_object_paths(objects: AObjects) -> tuple[dict[str, str], list[str]]:
    """``({pattern key: path with A's ids}, [patterns whose ids no rule fills])``."""
    paths: dict[str, str] = {}
    unfilled: list[str] = []
    for entry in all_patterns():
        params = id_params(entry)
        if not entry.key.startswith("admin/") or entry.key in SKIPPED or not params:
            continue
        kwargs = {p: objects.value_for(entry.name, p) for p in params}
        if any(v is None for v in kwargs.values()) or not entry.name:
            unfilled.append(entry.key)
            continue
        paths[entry.key] = reverse(entry.name, kwargs={k: str(v) for k, v in kwargs.items()})
    return paths, unfilled


def admin_paths_without_ids() -> dict[str, str]:
    return {
        e.key: example_path(e)
        for e in all_patterns()
        if e.key.startswith("admin/") and e.key not in SKIPPED and not id_params(e)
    }
