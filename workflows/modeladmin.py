"""The base every wagtail-modeladmin listing of ours uses: declared filters only, scoped ids.

wagtail-modeladmin trusts the query string and the id in the URL more than we can:

- its ``IndexView`` turns every query-string parameter that no list filter consumes into a
  queryset filter, applied after our "what may this user see" scope and free to follow relations
  anywhere. ``?supervisor__services__supervisors__bookings__supervisee_email__startswith=a``
  answered yes or no (your own rows, or none) about another supervisor's supervisee, and
  ``?subject_type__permission__group__user__password__startswith=pbkdf2`` about password hashes:
  an oracle, one character per request (issue 13, finding 1);
- its edit, delete, inspect and history views fetch the id from the model's default manager,
  not from the listing's scoped queryset, so the history page showed supervisor B the title of
  supervisor A's booking (finding 5).

``ScopedModelAdmin`` fixes both once, for every listing: the index applies only the declared
``list_filter`` parameters, ordering by column (``o``) and search (``q``); any other parameter
is ignored. A malformed value of a declared filter
is refused with 400 rather than a server error. Every view that takes an id looks it up in
``ScopedModelAdmin.get_queryset(request)``, so an id out of scope is a 404, exactly like an id
that does not exist.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.admin import FieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path, lookup_spawns_duplicates
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import DeleteView, EditView, HistoryView, IndexView, InspectView


class DeclaredFiltersIndexView(IndexView):
    """A modeladmin listing that filters only by what its ModelAdmin declares.

    Query-string parameters are read by the declared ``list_filter`` specs (each takes only its
    ``expected_parameters()``), by ordering (``o``, an index into ``list_display``), search
    (``q``, over ``search_fields``), paging and export. Whatever is left over was never declared:
    wagtail-modeladmin would filter by it, this view ignores it.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "export" in request.GET:
            return self.export_redirect(request)
        try:
            return super().dispatch(request, *args, **kwargs)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("That filter value is not valid for this list.")

    def export_redirect(self, request: HttpRequest) -> HttpResponse:
        """modeladmin's own ``?export=`` spreadsheet is untyped (and was empty); exports live on
        Admin → Exports (the exports app), which types, titles, scopes and audits them. The
        link goes there with the matching export and the listing's supervisor and service
        chosen. The URL is found by name, so workflows imports nothing from the app above it.
        """
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        try:
            url = reverse("exports_admin:index")
        except NoReverseMatch as exc:
            raise Http404("Exports are not installed.") from exc
        query = {"export": getattr(self.model_admin, "export_identifier", "")}
        for name in ("supervisor", "service"):
            value = request.GET.get(f"{name}__id__exact") or request.GET.get(name) or ""
            if value.isdigit():
                query[name] = value
        return redirect(f"{url}?{urlencode(query)}")

    def get_filters(self, request: HttpRequest) -> tuple[list[Any], bool, dict[str, Any], bool]:
        lookup_params = self.get_filters_params()
        specs = []
        use_distinct = False
        for list_filter in self.list_filter or ():
            spec, distinct = self._declared_filter(request, list_filter, lookup_params)
            use_distinct = use_distinct or distinct
            if spec and spec.has_output():
                specs.append(spec)
        # The specs have taken their own parameters out of ``lookup_params``; the rest were
        # not declared, and are not applied.
        return specs, bool(specs), {}, use_distinct

    def _declared_filter(
        self, request: HttpRequest, list_filter: Any, lookup_params: dict[str, Any]
    ) -> tuple[Any, bool]:
        """One ``list_filter`` entry as Django's admin builds it (a class, a field, or a pair)."""
        if callable(list_filter) and not isinstance(list_filter, models.Field):
            return list_filter(request, lookup_params, self.model, self.model_admin), False
        if isinstance(list_filter, (tuple, list)):
            field, filter_class = list_filter
        else:
            field, filter_class = list_filter, FieldListFilter.create
        field_path = None
        if not isinstance(field, models.Field):
            field_path = field
            field = get_fields_from_path(self.model, field_path)[-1]
        spec = filter_class(
            field, request, lookup_params, self.model, self.model_admin, field_path=field_path
        )
        return spec, lookup_spawns_duplicates(self.opts, field_path) if field_path else False


class ScopedInstanceMixin:
    """Finds the object of an id-taking view in the listing's scoped queryset, or 404s.

    wagtail-modeladmin fetches it from the default manager in ``__init__`` (before the request
    is known); ``setup`` then checks it against ``model_admin.get_queryset(request)``, the same
    scope the listing uses. A malformed id is a 404 too, not a server error.
    """

    model_admin: Any
    instance: Any

    def __init__(self, model_admin: Any, instance_pk: str) -> None:
        try:
            super().__init__(model_admin, instance_pk)  # type: ignore[call-arg]
        except (ValueError, TypeError, ValidationError) as exc:
            raise Http404("No such object.") from exc

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)  # type: ignore[misc]
        scoped = self.model_admin.get_queryset(request)
        self.instance = get_object_or_404(scoped, pk=self.instance.pk)


class ScopedEditView(ScopedInstanceMixin, EditView):
    pass


class ScopedDeleteView(ScopedInstanceMixin, DeleteView):
    pass


class ScopedInspectView(ScopedInstanceMixin, InspectView):
    pass


class ScopedHistoryView(ScopedInstanceMixin, HistoryView):
    pass


class ReadOnlyPermissionHelper(PermissionHelper):
    """Bookings, sessions and cases change only through workflow steps, never by editing rows.

    So the listings offer no add, edit or delete, even to superusers: cancellation is a
    transition, and history is never rewritten.
    """

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class ScopedModelAdmin(ModelAdmin):
    """Lists only what the signed-in user may see, filtered only as declared (module docstring).

    Subclasses say who sees what in ``scope(user, qs)``; the listing and every view taking an
    id use it. The views below are what make that hold: keep them when overriding.
    """

    inspect_view_enabled = False
    permission_helper_class = ReadOnlyPermissionHelper
    index_view_class = DeclaredFiltersIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    #: Which export on Admin → Exports matches this listing (its ``?export=`` goes there).
    export_identifier = ""

    def get_queryset(self, request: Any) -> Any:
        return self.scope(request.user, super().get_queryset(request))

    def scope(self, user: Any, qs: Any) -> Any:
        return qs
