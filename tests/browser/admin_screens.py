"""Every create and edit screen of the admin, generated from what is registered.

Nothing here is a hand-written list of our models: page types come from
``get_page_models()``, snippets from ``get_snippet_models()``, settings from Wagtail's settings
registry, and everything else (modeladmin, users, groups, images, documents, redirects, …) from
the URL resolver: every admin URL named ``add``/``create``/``edit``. A new model, snippet,
setting or modeladmin is walked without touching the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site, get_page_models
from wagtail.snippets.models import get_snippet_models

# URL names of create/edit screens. Previews and the chooser modals' "create" tabs are parts
# of other screens (the walk opens the choosers from the forms that use them).
FORM_NAME = re.compile(r"(^|[:_])(add|create|edit)$")
NOT_A_SCREEN = re.compile(r"(preview_on_|chooser)")
MODELADMIN = re.compile(r"^(?P<model>.+)_modeladmin_(?P<action>create|edit)$")
# Function views name their object in the URL; the kind of object follows from the argument.
OBJECT_ARGUMENT = {
    "image_id": get_image_model,
    "document_id": get_document_model,
    "record_id": lambda: apps.get_model("records", "SessionRecord"),
}
# Screens whose argument names a kind of object too general to follow (a page id).
OBJECT_FOR_SCREEN = {
    "cms_supervisor_accounts:edit": lambda: apps.get_model("cms", "SupervisorPage"),
}


@dataclass(frozen=True)
class Screen:
    """One admin form: its URL name (what covers it), a readable label and its URL."""

    name: str
    label: str
    url: str


def used(name: str) -> bool:
    """Wagtail's page-moderation screens exist only while WAGTAIL_WORKFLOW_ENABLED is on."""
    return settings.WAGTAIL_WORKFLOW_ENABLED or not name.startswith("wagtailadmin_workflows:")


def url_names() -> dict[str, URLPattern]:
    """Every create/edit URL name (all are the admin's: public forms have other names)."""
    found: dict[str, URLPattern] = {}

    def walk(patterns: list, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    namespace + (f"{pattern.namespace}:" * bool(pattern.namespace)),
                )
            elif pattern.name:
                name = namespace + pattern.name
                if FORM_NAME.search(name) and not NOT_A_SCREEN.search(name) and used(name):
                    found.setdefault(name, pattern)

    walk(get_resolver().url_patterns, "")
    return found


def _first(model: type[Model]) -> Model | None:
    objects = model._default_manager.order_by("pk")
    if hasattr(model, "depth"):  # a tree (pages, collections): its root is not editable
        objects = objects.filter(depth__gt=1)
    return objects.first()


def _page_screens() -> Iterator[Screen]:
    for model in get_page_models():
        if model is Page:
            continue
        label = model._meta.verbose_name
        parent = next(
            (p for p in Page.objects.order_by("path").specific() if model.can_create_at(p)), None
        )
        if parent is not None:
            url = reverse(
                "wagtailadmin_pages:add",
                args=[model._meta.app_label, model._meta.model_name, parent.pk],
            )
            yield Screen("wagtailadmin_pages:add", f"add {label}", url)
        existing = _first(model)
        if existing is not None:
            url = reverse("wagtailadmin_pages:edit", args=[existing.pk])
            yield Screen("wagtailadmin_pages:edit", f"edit {label}", url)


def _snippet_screens() -> Iterator[Screen]:
    for model in get_snippet_models():
        viewset = model.snippet_viewset
        label = model._meta.verbose_name
        yield Screen(
            viewset.get_url_name("add"), f"add {label}", reverse(viewset.get_url_name("add"))
        )
        existing = _first(model)
        if existing is not None:
            name = viewset.get_url_name("edit")
            yield Screen(name, f"edit {label}", reverse(name, args=[existing.pk]))


def _setting_screens() -> Iterator[Screen]:
    for model in settings_registry:
        instance = (
            model.load()
            if issubclass(model, BaseGenericSetting)
            else Site.objects.get(is_default_site=True)
        )
        args = [model._meta.app_label, model._meta.model_name, instance.pk]
        yield Screen(
            "wagtailsettings:edit",
            f"setting {model._meta.verbose_name}",
            reverse("wagtailsettings:edit", args=args),
        )


def _model_for(name: str, pattern: URLPattern) -> type[Model] | None:
    if name in OBJECT_FOR_SCREEN:
        return OBJECT_FOR_SCREEN[name]()
    match = MODELADMIN.match(name)
    if match:
        for model in apps.get_models():
            if f"{model._meta.app_label}_{model._meta.model_name}" == match["model"]:
                return model
    callback = pattern.callback
    model = (getattr(callback, "view_initkwargs", None) or {}).get("model")
    if model is None:
        model = getattr(getattr(callback, "view_class", None), "model", None)
    if isinstance(model, type) and issubclass(model, Model):
        return model
    for argument, get_model in OBJECT_ARGUMENT.items():
        if argument in pattern.pattern.regex.groupindex:
            return get_model()
    return None


def _other_screens(covered: set[str]) -> Iterator[Screen]:
    for name, pattern in url_names().items():
        if name in covered or name.startswith("wagtailadmin_pages:"):
            continue
        arguments = list(pattern.pattern.regex.groupindex)
        if not arguments:
            yield Screen(name, name, reverse(name))
            continue
        model = _model_for(name, pattern)
        existing = _first(model) if model is not None else None
        if existing is not None and len(arguments) == 1:
            yield Screen(name, name, reverse(name, kwargs={arguments[0]: existing.pk}))


def admin_form_screens() -> list[Screen]:
    """Every create and edit screen that can be opened on the current database."""
    screens = [*_page_screens(), *_snippet_screens(), *_setting_screens()]
    screens += _other_screens({screen.name for screen in screens})
    return screens
