"""Wagtail's chooser widgets without inline ``<script>``, so the admin keeps ``script-src 'self'``.

Wagtail 8's ``BaseChooser.render`` writes the widget's HTML followed by
``<script>new PageChooser("id_page", {...});</script>`` (likewise ImageChooser, DocumentChooser,
SnippetChooser, and ``createTaskChooser("id")`` for the moderation task chooser). A strict
policy refuses that script, so "Choose a page" and the other chooser buttons did nothing.

We replace the script by a hidden marker carrying the same arguments as data attributes::

    <span hidden data-csp-init="PageChooser" data-csp-target="id_page" data-csp-options="{...}">

which ``accounts/static/accounts/js/csp-init.js`` (loaded on every admin page) turns into the
same constructor call; it also starts markers added later (InlinePanel "Add", chooser modals).
Only the constructors listed there can be called, and markers hold JSON, never code.

Why not the other options: nonces need the request, which Wagtail's widget rendering never
sees, and a nonce added afterwards to every inline script would bless injected ones too; hashes
change with every field id and URL; ``'unsafe-inline'`` for the admin would let one stored XSS
in the admin (where the records are) run. Re-check after a Wagtail upgrade:
``tests/browser/test_admin_walk.py`` opens every admin form and fails on any refused script.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.admin.widgets import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

_original_render = BaseChooser.render


def _marker(widget: BaseChooser, id_: str, value_data: Any) -> str | None:
    """The data-attribute marker for ``widget``, or None if its set-up is not one we know."""
    if isinstance(widget, AdminTaskChooser):
        return format_html(
            '<span hidden data-csp-init="createTaskChooser" data-csp-target="{}"></span>', id_
        )
    if type(widget).render_js_init is not BaseChooser.render_js_init:
        return None  # a custom set-up script: left as Wagtail renders it (the walk test sees it)
    options = widget.get_js_init_options(id_, None, value_data)
    return format_html(
        '<span hidden data-csp-init="{}" data-csp-target="{}" data-csp-options="{}"></span>',
        widget.js_constructor,
        id_,
        json.dumps(options),
    )


def render_without_inline_script(
    self: BaseChooser, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
) -> SafeString:
    """``BaseChooser.render`` with the set-up script replaced by a marker (same arguments)."""
    try:
        id_ = attrs["id"]  # type: ignore[index]
    except (KeyError, TypeError) as error:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from error
    value_data = self.get_value_data(value)
    marker = _marker(self, id_, value_data)
    if marker is None:
        return _original_render(self, name, value, attrs, renderer)
    # format_html keeps both parts as they are (each is already safe) without a mark_safe call.
    return format_html("{}{}", self.render_html(name, value_data, attrs), marker)


def install() -> None:
    """Patch Wagtail's chooser rendering (called once from ``AccountsConfig.ready``)."""
    BaseChooser.render = render_without_inline_script
