"""Build (or top up) a realistic demo site from the seed documents. Safe to run again."""

from __future__ import annotations

import datetime
import io
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms import demo_content as demo
from cms.models import (
    AudienceRole,
    HomePage,
    PolicyPage,
    Rate,
    ServicePage,
    ServiceSettings,
    SignpostRoute,
    StandardPage,
    SupervisorIndexPage,
    SupervisorPage,
    Topic,
)
from cms.services import SERVICE_STAFF, SUPERVISORS, ensure_role_groups

DEMO_ADMIN_USERNAME = "admin"
# Local demo only; the README says so. Overridable for shared demo machines.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-supervision-2026")


class Command(BaseCommand):
    help = "Create the demo site (services, supervisors, policy, prices, users). Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site already has a home page (used by `make run`).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and HomePage.objects.exists():
            self.stdout.write("Site content already exists; demo content not loaded again.")
            return
        groups = ensure_role_groups()
        home = self._home()
        roles = self._roles()
        topics = self._topics()
        routes = self._signpost_routes()
        services = self._services(home, roles, topics, routes)
        self._rates(services)
        self._policy(home)
        self._standard_pages(home)
        index = self._supervisor_index(home)
        self._supervisors(index, roles, services, groups[SUPERVISORS])
        self._admin(groups[SERVICE_STAFF])
        self._consultation_hub(home)
        self._added_roles()
        self._top_up_content()
        settings = ServiceSettings.load()
        settings.organisation_name = "Safeguarding Supervision Service"
        settings.contact_email = "supervision-team@example.org"
        for field, slug in (("privacy_page", "privacy"), ("accessibility_page", "accessibility")):
            if getattr(settings, f"{field}_id") is None:
                page = StandardPage.objects.child_of(home).filter(slug=slug).first()
                setattr(settings, field, page)
        settings.save()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

    # -- pages ---------------------------------------------------------------------------------

    def _home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's install leaves a plain "Welcome" page on the default site; replace it.
            for child in root.get_children():
                if child.specific_class is Page:
                    child.delete()
            home = root.add_child(
                instance=HomePage(
                    title="Safeguarding supervision for schools",
                    slug="home",
                    introduction="Professional supervision for Designated Safeguarding Leads, "
                    "attendance leads and school welfare officers, with a supervisor your "
                    "school chooses.",
                    body="<p>Working Together to Safeguard Children asks that professionals "
                    "are given sufficient time, funding, supervision and support to fulfil "
                    "their safeguarding responsibilities. Our team offers that supervision to "
                    "schools and settings.</p>",
                )
            )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Safeguarding Supervision Service",
            )
        elif site.root_page_id != home.id:
            site.root_page = home
            site.site_name = "Safeguarding Supervision Service"
            site.save()
        return home

    def _roles(self) -> dict[str, AudienceRole]:
        roles = {}
        for order, (name, slug) in enumerate(demo.ROLES):
            role, _ = AudienceRole.objects.get_or_create(
                slug=slug, defaults={"name": name, "sort_order": order}
            )
            roles[slug] = role
        return roles

    def _topics(self) -> list[Topic]:
        return [
            Topic.objects.get_or_create(name=name, defaults={"sort_order": order})[0]
            for order, name in enumerate(demo.TOPICS)
        ]

    def _signpost_routes(self) -> list[SignpostRoute]:
        return [
            SignpostRoute.objects.get_or_create(
                topic=topic,
                defaults={"destination": dest, "explanation": why, "sort_order": order},
            )[0]
            for order, (topic, dest, why) in enumerate(demo.SIGNPOST_ROUTES)
        ]

    def _services(
        self,
        home: HomePage,
        roles: dict[str, AudienceRole],
        topics: list[Topic],
        routes: list[SignpostRoute],
    ) -> dict[str, ServicePage]:
        services = {}
        for data in demo.SERVICES:
            page = ServicePage.objects.child_of(home).filter(slug=data["slug"]).first()
            if page is None:
                page = home.add_child(
                    instance=ServicePage(
                        title=data["title"],
                        slug=data["slug"],
                        summary=data["summary"],
                        purpose=data["purpose"],
                        audience=data["audience"],
                        session_format=data["session_format"],
                        show_in_menus=True,
                    )
                )
                page.roles_supported.set([roles[slug] for slug in data["roles"]])
                page.topics.set(topics)
                page.signpost_routes.set(routes if data["signpost"] else [])
                page.save_revision().publish()
            services[data["slug"]] = page
        return services

    def _rates(self, services: dict[str, ServicePage]) -> None:
        start = datetime.date(2026, 4, 1)
        for service in services.values():
            for minutes, price in demo.RATES:
                Rate.objects.get_or_create(
                    service=service,
                    duration_minutes=minutes,
                    valid_from=start,
                    defaults={"price": price},
                )

    def _policy(self, home: HomePage) -> None:
        if PolicyPage.objects.child_of(home).exists():
            return
        page = home.add_child(
            instance=PolicyPage(
                title="Supervision policy",
                slug="supervision-policy",
                summary="How safeguarding supervision is arranged, what it covers, how it is "
                "recorded and what it does not do.",
                version="2026.1",
                effective_from=datetime.date(2026, 4, 1),
                review_by=datetime.date(2027, 3, 31),
                body=demo.POLICY_BODY,
                show_in_menus=True,
            )
        )
        page.save_revision().publish()

    def _standard_pages(self, home: HomePage) -> None:
        for title, slug, intro, body in (
            ("Privacy notice", "privacy", "How we use your information.", demo.PRIVACY_BODY),
            ("Accessibility statement", "accessibility", "", demo.ACCESSIBILITY_BODY),
        ):
            if not StandardPage.objects.child_of(home).filter(slug=slug).exists():
                home.add_child(
                    instance=StandardPage(title=title, slug=slug, introduction=intro, body=body)
                )

    def _consultation_hub(self, home: HomePage) -> None:
        """The Consultation Hub: a separate pathway from supervision, with how to reach it."""
        data = demo.CONSULTATION_HUB
        if not StandardPage.objects.child_of(home).filter(slug=data["slug"]).exists():
            home.add_child(instance=StandardPage(**data, show_in_menus=False))

    def _added_roles(self) -> None:
        for name, slug, service_slugs, usernames in demo.ADDED_ROLES:
            role, created = AudienceRole.objects.get_or_create(
                slug=slug, defaults={"name": name, "sort_order": AudienceRole.objects.count()}
            )
            if not created:
                continue
            for page in ServicePage.objects.filter(slug__in=service_slugs):
                page.roles_supported.add(role)
                page.save_revision().publish()
            for page in SupervisorPage.objects.filter(user__username__in=usernames):
                page.roles_supported.add(role)
                page.save_revision().publish()

    def _top_up_content(self) -> None:
        """Append seed content a page lacks (found by a marker phrase), once, and publish."""
        models = {"HomePage": HomePage, "ServicePage": ServicePage}
        for model_name, slug, field, marker, html in demo.CONTENT_TOP_UPS:
            pages = models[model_name].objects.all()
            page = (pages.filter(slug=slug) if slug else pages).first()
            if page is None:
                continue
            page = page.get_latest_revision_as_object()
            value = str(getattr(page, field) or "")
            if marker in value:
                continue
            setattr(page, field, value + html)
            page.save_revision().publish()

    def _supervisor_index(self, home: HomePage) -> SupervisorIndexPage:
        index = SupervisorIndexPage.objects.child_of(home).first()
        if index is None:
            index = home.add_child(
                instance=SupervisorIndexPage(
                    title="Our supervisors",
                    slug="supervisors",
                    introduction="Choose the supervisor your school would like. Filter by the "
                    "role you hold or by service.",
                    show_in_menus=True,
                )
            )
        return index

    def _supervisors(
        self,
        index: SupervisorIndexPage,
        roles: dict[str, AudienceRole],
        services: dict[str, ServicePage],
        group: Any,
    ) -> None:
        user_model = get_user_model()
        for data in demo.SUPERVISORS:
            first, last = data["title"].split(" ", 1)
            user, created = user_model.objects.get_or_create(
                username=data["username"],
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{data['username']}@example.org",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(group)
            if SupervisorPage.objects.filter(user=user).exists():
                continue
            page = index.add_child(
                instance=SupervisorPage(
                    title=data["title"],
                    slug=data["username"].replace(".", "-"),
                    job_title=data["job_title"],
                    biography=data["biography"],
                    accepting_bookings=data["accepting"],
                    user=user,
                    photo=_avatar(data["title"], data["colour"]),
                )
            )
            page.roles_supported.set([roles[slug] for slug in data["roles"]])
            page.services.set([services[slug] for slug in data["services"]])
            page.specialisms.set(data["specialisms"])
            page.save_revision().publish()

    def _admin(self, staff_group: Any) -> None:
        user_model = get_user_model()
        admin, created = user_model.objects.get_or_create(
            username=DEMO_ADMIN_USERNAME,
            defaults={
                "email": "admin@example.org",
                "first_name": "Service",
                "last_name": "Administrator",
                "is_staff": True,
                "is_superuser": True,
            },
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        admin.groups.add(staff_group)


def _avatar(name: str, colour: tuple[int, int, int]) -> Any:
    """A plain coloured square with initials, so the demo shows photos without stock images."""
    image_model = get_image_model()
    title = f"Profile photo: {name}"
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    canvas = PILImage.new("RGB", (320, 320), colour)
    draw = ImageDraw.Draw(canvas)
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    draw.text((160, 160), initials, fill=(255, 255, 255), anchor="mm", font_size=120)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    slug = name.lower().replace(" ", "-")
    return image_model.objects.create(
        title=title, file=ImageFile(buffer, name=f"{slug}.png"), description=f"Photo of {name}"
    )
