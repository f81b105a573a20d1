"""Account URLs outside Wagtail's own: set-up links, and the throttled password reset.

Included in ``config/urls.py`` before Wagtail's admin URLs, so ``/admin/password_reset/``
resolves to the throttled view here rather than Wagtail's.
"""

from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("account/setup/<str:token>/", views.setup, name="accounts_setup"),
    path("account/setup-needed/", views.setup_needed, name="accounts_setup_needed"),
    path(
        "admin/password_reset/",
        views.ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
]
