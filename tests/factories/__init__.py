"""factory_boy factories for our models; pages are created under a parent with ``add_child``."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth import get_user_model
from wagtail.models import Page, Site

from cms.models import (
    AudienceRole,
    HomePage,
    PolicyPage,
    Rate,
    ServicePage,
    SignpostRoute,
    SupervisorIndexPage,
    SupervisorPage,
    Topic,
)
from workflows.models import AccessToken
from workflows.services.tokens import issue_token


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password("a-long-test-password-1")


class AudienceRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AudienceRole
        django_get_or_create = ("slug",)

    name = factory.LazyAttribute(lambda r: r.slug.replace("-", " ").title())
    slug = factory.Sequence(lambda n: f"role-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")


class SignpostRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignpostRoute

    topic = factory.Sequence(lambda n: f"Out-of-scope subject {n}")
    destination = "The Child Protection Consultation Hub"


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    duration_minutes = 60
    price = Decimal("60.00")
    valid_from = datetime.date(2026, 1, 1)


def make_home(**fields: Any) -> HomePage:
    """A home page as the default site's root, replacing Wagtail's welcome page."""
    root = Page.get_first_root_node()
    if root is None:
        # A transactional test flushed the tree Wagtail's migrations made; rebuild its root.
        from django.conf import settings
        from django.utils.translation import get_supported_language_variant
        from wagtail.models import Locale

        locale, _ = Locale.objects.get_or_create(
            language_code=get_supported_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    for child in root.get_children():
        if child.specific_class is Page:
            child.delete()
    home = root.add_child(
        instance=HomePage(
            title=fields.pop("title", "Safeguarding supervision"),
            slug="home",
            introduction=fields.pop("introduction", "Supervision for schools."),
            **fields,
        )
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test"},
    )
    return home


def make_service(parent: Page, *, title: str = "DSL supervision", **fields: Any) -> ServicePage:
    roles = fields.pop("roles", [])
    topics = fields.pop("topics", [])
    routes = fields.pop("signpost_routes", [])
    page = parent.add_child(
        instance=ServicePage(
            title=title,
            summary=fields.pop("summary", f"About {title}."),
            purpose=fields.pop("purpose", "<p>Reflective supervision.</p>"),
            session_format=fields.pop("session_format", "<p>At least an hour.</p>"),
            **fields,
        )
    )
    page.roles_supported.set(roles)
    page.topics.set(topics)
    page.signpost_routes.set(routes)
    page.save_revision().publish()
    return page


def make_supervisor_index(parent: Page, **fields: Any) -> SupervisorIndexPage:
    return parent.add_child(
        instance=SupervisorIndexPage(title=fields.pop("title", "Our supervisors"), **fields)
    )


def make_supervisor(
    parent: SupervisorIndexPage,
    *,
    title: str = "Sam Supervisor",
    roles: list[AudienceRole] | None = None,
    services: list[ServicePage] | None = None,
    specialisms: list[str] | None = None,
    **fields: Any,
) -> SupervisorPage:
    page = parent.add_child(
        instance=SupervisorPage(
            title=title,
            job_title=fields.pop("job_title", "Child Protection School Liaison Officer"),
            biography=fields.pop("biography", "<p>Experienced supervisor.</p>"),
            **fields,
        )
    )
    page.roles_supported.set(roles or [])
    page.services.set(services or [])
    page.specialisms.set(specialisms or [])
    page.save_revision().publish()
    return page


def make_policy(parent: Page, **fields: Any) -> PolicyPage:
    page = parent.add_child(
        instance=PolicyPage(
            title=fields.pop("title", "Supervision policy"),
            summary=fields.pop("summary", "How supervision works."),
            version=fields.pop("version", "2026.1"),
            effective_from=fields.pop("effective_from", datetime.date(2026, 1, 1)),
            body=fields.pop("body", "<p>Sessions last at least one hour.</p>"),
            **fields,
        )
    )
    page.save_revision().publish()
    return page


def make_image(title: str = "Photo", colour: tuple[int, int, int] = (11, 79, 138)) -> Any:
    """A small real PNG stored as a Wagtail image (renditions are really generated)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # flushed by a transactional test
        Collection.add_root(name="Root")
    buffer = io.BytesIO()
    PILImage.new("RGB", (200, 200), colour).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name="photo.png"), description=f"{title}"
    )


def supervisee_link(email: str, *, purpose: str = "portal", object_id: int | None = None) -> Any:
    """A live emailed link of the supervisee, resolved as the link views resolve it."""
    token = issue_token(email=email, purpose=purpose, object_id=object_id)
    return AccessToken.objects.get(token_hash=hashlib.sha256(token.encode()).hexdigest())
