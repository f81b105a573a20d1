"""The service's public content: pages editors write and the small data tables they pick from.

Prices live only in ``Rate`` rows so that a price change is one edit that every page, the API
and (later) each new booking picks up, while booked prices are copied and never rewritten.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

# Rich text features editors get: enough for structured prose, nothing that breaks layout.
PROSE_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

MINIMUM_SESSION_MINUTES = 60


# --- Snippets ---------------------------------------------------------------------------------


class AudienceRole(models.Model):
    """A school role the service supports (DSL, attendance lead, school welfare officer).

    Kept as data, not code, so the team can add a role (say, "Deputy DSL") without a release;
    supervisor profiles and services tick the roles they serve and the index filters on them.
    """

    name = models.CharField(
        max_length=80,
        unique=True,
        help_text="As schools say it, e.g. 'Designated Safeguarding Lead'.",
    )
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Short web name used in filter links, e.g. 'dsl'."
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "role supported"
        verbose_name_plural = "roles supported"

    def __str__(self) -> str:
        return self.name


class Topic(index.Indexed, models.Model):
    """A subject that is in scope for supervision (the seed documents' list)."""

    name = models.CharField(max_length=120, unique=True, help_text="E.g. 'Risk management'.")
    description = models.TextField(
        blank=True, help_text="Optional: one or two sentences explaining what this covers."
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class SignpostRoute(index.Indexed, models.Model):
    """A subject that is out of scope for supervision and where the supervisor sends it."""

    topic = models.CharField(
        max_length=160,
        unique=True,
        help_text="What was raised, e.g. 'Case direction for cases not open to children's "
        "services'.",
    )
    destination = models.CharField(
        max_length=160,
        help_text="Where the supervisee is signposted, e.g. 'The Child Protection Consultation "
        "Hub'.",
    )
    contact = models.CharField(
        max_length=255,
        blank=True,
        help_text="Optional: a phone number, email address or web address for the destination.",
    )
    explanation = models.TextField(
        blank=True, help_text="Optional: why this is signposted rather than discussed."
    )
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers are listed first."
    )

    panels = [
        FieldPanel("topic"),
        FieldPanel("destination"),
        FieldPanel("contact"),
        FieldPanel("explanation"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("topic"), index.SearchField("destination")]

    class Meta:
        ordering = ["sort_order", "topic"]
        verbose_name = "signposting route"

    def __str__(self) -> str:
        return f"{self.topic} → {self.destination}"


class RateQuerySet(models.QuerySet["Rate"]):
    def in_force(self, on: datetime.date | None = None) -> RateQuerySet:
        """Rates in force on a day: for each (service, duration) the newest ``valid_from``.

        Done in two queries' worth of SQL at most (a correlated subquery), so pages stay at a
        constant query count however many rates have accumulated over the years.
        """
        on = on or timezone.localdate()
        newer = Rate.objects.filter(
            service=models.OuterRef("service"),
            duration_minutes=models.OuterRef("duration_minutes"),
            valid_from__lte=on,
            valid_from__gt=models.OuterRef("valid_from"),
        )
        return (
            self.filter(valid_from__lte=on)
            .exclude(models.Exists(newer))
            .order_by("service_id", "duration_minutes")
        )


class Rate(index.Indexed, models.Model):
    """The price of one session length of one service from a given day.

    A new price is a new row with a later ``valid_from``; old rows stay so that history and
    already-booked sessions keep the price they were booked at.
    """

    service = models.ForeignKey(
        "cms.ServicePage",
        on_delete=models.PROTECT,
        related_name="rates",
        help_text="The service this price is for.",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MINIMUM_SESSION_MINUTES)],
        help_text="Session length in minutes. Sessions are at least 60 minutes long.",
    )
    price = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="Price in pounds for one session of this length, e.g. 60.00.",
    )
    valid_from = models.DateField(
        default=datetime.date.today,
        help_text="The first day this price applies. To change a price, add a new price with a "
        "later date rather than editing this one.",
    )

    objects = RateQuerySet.as_manager()

    panels = [
        FieldPanel("service"),
        FieldRowPanel([FieldPanel("duration_minutes"), FieldPanel("price")]),
        FieldPanel("valid_from"),
    ]
    search_fields = [index.FilterField("duration_minutes"), index.FilterField("valid_from")]
    api_fields = [
        APIField("service_id"),
        APIField("duration_minutes"),
        APIField("price"),
        APIField("valid_from"),
        APIField("label"),
    ]

    class Meta:
        # Staff call it a price ("Add price", "Prices"); "rate" stays the code's word.
        verbose_name = "price"
        verbose_name_plural = "prices"
        ordering = ["service_id", "duration_minutes", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "duration_minutes", "valid_from"],
                name="rate_one_price_per_service_length_day",
                violation_error_message="There is already a price for this service and session "
                "length from that day.",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MINIMUM_SESSION_MINUTES),
                name="rate_minimum_session_length",
                violation_error_message="Sessions are at least 60 minutes long.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="rate_price_not_negative",
                violation_error_message="A price cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.title}: {self.label} (from {self.valid_from:%d %b %Y})"

    @property
    def label(self) -> str:
        return format_price(self.price, self.duration_minutes)


def format_price(price: Decimal, duration_minutes: int) -> str:
    """'£60 per 60 minutes'; pence only where there are any ('£62.50 per 60 minutes')."""
    amount = f"£{price:,.0f}" if price == price.to_integral_value() else f"£{price:,.2f}"
    return f"{amount} per {duration_minutes} minutes"


def rates_by_service(on: datetime.date | None = None) -> dict[int, list[Rate]]:
    """All rates in force, grouped by service page id, in one query."""
    grouped: dict[int, list[Rate]] = defaultdict(list)
    for rate in Rate.objects.in_force(on):
        grouped[rate.service_id].append(rate)
    return grouped


# --- Settings ---------------------------------------------------------------------------------


@register_setting(icon="cog")
class ServiceSettings(BaseGenericSetting):
    """Contact details shown in the footer of every page."""

    organisation_name = models.CharField(
        max_length=160,
        default="Safeguarding Supervision Service",
        help_text="The team's name as it appears in the header and footer.",
    )
    contact_email = models.EmailField(
        blank=True, help_text="The service inbox schools can write to."
    )
    contact_phone = models.CharField(
        max_length=40, blank=True, help_text="A phone number schools can call, if any."
    )

    booking_form_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The form schools use to request supervision. Profiles and service pages "
        "link to it with the supervisor or service already chosen.",
    )

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The privacy notice, linked from the footer of every page.",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The accessibility statement, linked from the footer of every page.",
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("booking_form_page"),
        FieldPanel("privacy_page"),
        FieldPanel("accessibility_page"),
    ]

    class Meta:
        verbose_name = "service settings"


# --- Pages ------------------------------------------------------------------------------------


class HomePage(Page):
    """The front door: what the service is, and the way to services and supervisors."""

    introduction = models.TextField(
        help_text="One or two sentences under the page title saying what the service offers."
    )
    body = RichTextField(
        blank=True, features=PROSE_FEATURES, help_text="Optional: more about the service."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("introduction"), APIField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.ServicePage",
        "cms.SupervisorIndexPage",
        "cms.PolicyPage",
        "cms.StandardPage",
    ]
    max_count = 1

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["services"] = ServicePage.objects.live().public().child_of(self)
        context["supervisor_index"] = (
            SupervisorIndexPage.objects.live().public().child_of(self).first()
        )
        return context


class StandardPage(Page):
    """A plain page of prose, e.g. the privacy notice or the accessibility statement."""

    introduction = models.TextField(blank=True, help_text="Optional: a one-sentence summary.")
    body = RichTextField(features=PROSE_FEATURES, help_text="The page's text.")

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [APIField("introduction"), APIField("body")]

    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]


class ServicePage(Page):
    """One supervision offer (e.g. 'Supervision for Designated Safeguarding Leads')."""

    summary = models.TextField(
        help_text="One or two sentences shown on the home page and in listings."
    )
    purpose = RichTextField(
        features=PROSE_FEATURES, help_text="What supervision under this service is for."
    )
    audience = RichTextField(
        features=PROSE_FEATURES,
        blank=True,
        help_text="Who the service is for, in your own words. Tick the roles below as well.",
    )
    roles_supported = ParentalManyToManyField(
        AudienceRole,
        blank=True,
        related_name="services",
        help_text="The school roles this service supports; used to filter supervisors.",
    )
    session_format = RichTextField(
        features=PROSE_FEATURES,
        help_text="How sessions run: individual or group, length, frequency, where they happen. "
        "Do not type prices here: they come from the rates.",
    )
    topics = ParentalManyToManyField(
        Topic,
        blank=True,
        related_name="services",
        help_text="Subjects that can be discussed in supervision under this service.",
    )
    signpost_routes = ParentalManyToManyField(
        SignpostRoute,
        blank=True,
        related_name="services",
        help_text="Subjects the supervisor will signpost elsewhere rather than discuss.",
    )
    allows_group_sessions = models.BooleanField(
        default=True, help_text="Tick if schools may book group sessions for several staff."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("purpose"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("roles_supported", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Who it is for",
        ),
        MultiFieldPanel(
            [FieldPanel("session_format"), FieldPanel("allows_group_sessions")],
            heading="Format",
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("signpost_routes", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("purpose"),
        index.SearchField("audience"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("purpose"),
        APIField("audience"),
        APIField("roles_supported_names"),
        APIField("session_format"),
        APIField("allows_group_sessions"),
        APIField("topic_names"),
        APIField("signposting"),
        APIField("current_rates"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    @property
    def roles_supported_names(self) -> list[str]:
        return [role.name for role in self.roles_supported.all()]

    @property
    def topic_names(self) -> list[str]:
        return [topic.name for topic in self.topics.all()]

    @property
    def signposting(self) -> list[dict[str, str]]:
        return [
            {"topic": route.topic, "destination": route.destination, "contact": route.contact}
            for route in self.signpost_routes.all()
        ]

    @property
    def current_rates(self) -> list[dict[str, Any]]:
        return [
            {"duration_minutes": r.duration_minutes, "price": str(r.price), "label": r.label}
            for r in Rate.objects.in_force().filter(service=self)
        ]

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["rates"] = list(Rate.objects.in_force().filter(service=self))
        context["supervisors"] = (
            SupervisorPage.objects.live()
            .public()
            .filter(services=self)
            .order_by("title")
            .only("title", "url_path", "path", "depth", "job_title", "accepting_bookings")
        )
        return context


class SupervisorIndexPage(Page):
    """The list of supervisors a school chooses from, filterable by role and service."""

    introduction = models.TextField(
        blank=True, help_text="Optional: a sentence on how to choose a supervisor."
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    api_fields = [APIField("introduction")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.SupervisorPage"]
    max_count = 1

    def supervisors(self, *, role: str = "", service_id: int | None = None) -> models.QuerySet:
        """Published profiles under this index, with everything a card shows prefetched.

        The number of queries does not grow with the number of supervisors (tested).
        """
        image_qs = get_image_model().objects.prefetch_renditions("fill-160x160")
        qs = (
            SupervisorPage.objects.live()
            .public()
            .child_of(self)
            .select_related("photo")
            .prefetch_related(
                "roles_supported",
                "specialisms",
                Prefetch("services", queryset=ServicePage.objects.live().order_by("title")),
                Prefetch("photo", queryset=image_qs),
            )
            .order_by("title")
        )
        if role:
            qs = qs.filter(roles_supported__slug=role)
        if service_id:
            qs = qs.filter(services__id=service_id)
        return qs.distinct()

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        roles = list(AudienceRole.objects.all())
        services = list(ServicePage.objects.live().public().order_by("title"))
        role = request.GET.get("role", "")
        if role not in {r.slug for r in roles}:
            role = ""
        service_raw = request.GET.get("service", "")
        # ASCII digits only, and short: str.isdigit() accepts '²' and int() of a huge number
        # would overflow the database integer.
        service_id = int(service_raw) if re.fullmatch(r"[0-9]{1,9}", service_raw) else None
        if service_id not in {s.id for s in services}:
            service_id = None
        context.update(
            roles=roles,
            services=services,
            selected_role=role,
            selected_service=service_id,
            supervisors=list(self.supervisors(role=role, service_id=service_id)),
            rates=rates_by_service(),
        )
        return context


class SupervisorSpecialism(TaggedItemBase):
    content_object = ParentalKey(
        "cms.SupervisorPage", related_name="specialism_items", on_delete=models.CASCADE
    )


class SupervisorPage(Page):
    """A named supervisor's public profile; schools request supervision with them here.

    ``user`` decides whose bookings and records this supervisor's account reaches, so it is
    user administration, not content: it is not in any editor panel, publishing or reverting
    a revision keeps the live value (``with_content_json``), a copy never takes it, and only
    *Settings → Supervisor accounts* (``cms.link_supervisor_account``, audited) changes it.
    """

    job_title = models.CharField(
        max_length=120, help_text="E.g. 'Child Protection School Liaison Officer'."
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: a friendly head-and-shoulders photo. Add alt text to the image.",
    )
    biography = RichTextField(
        features=PROSE_FEATURES,
        help_text="Background and experience, written for a school choosing a supervisor.",
    )
    specialisms = ClusterTaggableManager(
        through=SupervisorSpecialism,
        blank=True,
        help_text="Areas of particular experience, e.g. 'Children Missing Education'. "
        "Separate them with commas.",
    )
    roles_supported = ParentalManyToManyField(
        AudienceRole,
        blank=True,
        related_name="supervisors",
        help_text="The school roles this supervisor supervises.",
    )
    services = ParentalManyToManyField(
        ServicePage,
        blank=True,
        related_name="supervisors",
        help_text="The services this supervisor offers.",
    )
    accepting_bookings = models.BooleanField(
        default=True,
        help_text="Untick when this supervisor cannot take new schools; the profile stays visible.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisor_profile",
        editable=False,
        help_text="The supervisor's own sign-in account, so they see their bookings and records. "
        "Set under Settings → Supervisor accounts, never in the page editor.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("job_title"),
        FieldPanel("photo"),
        FieldPanel("biography"),
        MultiFieldPanel(
            [
                FieldPanel("roles_supported", widget=forms.CheckboxSelectMultiple),
                FieldPanel("services", widget=forms.CheckboxSelectMultiple),
                FieldPanel("specialisms"),
            ],
            heading="Who they support",
        ),
        MultiFieldPanel([FieldPanel("accepting_bookings")], heading="Bookings"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("job_title"),
        index.SearchField("biography"),
        index.FilterField("accepting_bookings"),
    ]
    api_fields = [
        APIField("job_title"),
        APIField("photo"),
        APIField("photo_thumbnail", serializer=ImageRenditionField("fill-160x160", source="photo")),
        APIField("biography"),
        APIField("specialism_names"),
        APIField("roles_supported_names"),
        APIField("service_titles"),
        APIField("accepting_bookings"),
    ]

    parent_page_types = ["cms.SupervisorIndexPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["user"]

    class Meta:
        permissions = [
            ("link_supervisor_account", "Can link sign-in accounts to supervisor profiles"),
        ]

    def with_content_json(self, content: dict[str, Any]) -> SupervisorPage:
        """A revision never carries the account link: the stored row's value always wins.

        Read from the database, not ``self``, which may be an instance cached before the link
        last changed (a revision's ``content_object``).
        """
        obj = super().with_content_json(content)
        stored = SupervisorPage.objects.filter(pk=self.pk).values_list("user_id", flat=True)
        obj.user_id = stored.first() if self.pk else None
        return obj

    @property
    def specialism_names(self) -> list[str]:
        return sorted(tag.name for tag in self.specialisms.all())

    @property
    def roles_supported_names(self) -> list[str]:
        return [role.name for role in self.roles_supported.all()]

    @property
    def service_titles(self) -> list[str]:
        return [service.title for service in self.services.all()]

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        services = list(self.services.live().public().order_by("title"))
        grouped = rates_by_service()
        context["offered"] = [(service, grouped.get(service.id, [])) for service in services]
        return context


class PolicyPage(Page):
    """The supervision policy. Agreements cite the revision published when they were made."""

    summary = models.TextField(help_text="One or two sentences on what the policy covers.")
    version = models.CharField(
        max_length=40, help_text="A version label that agreements quote, e.g. '2026.1'."
    )
    effective_from = models.DateField(help_text="The day this version of the policy applies from.")
    review_by = models.DateField(
        null=True, blank=True, help_text="Optional: when the team will next review the policy."
    )
    body = RichTextField(features=PROSE_FEATURES, help_text="The full policy text.")

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldRowPanel(
            [FieldPanel("version"), FieldPanel("effective_from"), FieldPanel("review_by")]
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    api_fields = [
        APIField("summary"),
        APIField("version"),
        APIField("effective_from"),
        APIField("review_by"),
        APIField("body"),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    def clean(self) -> None:
        super().clean()
        if self.review_by and self.effective_from and self.review_by < self.effective_from:
            raise ValidationError({"review_by": "The review date must be after the start date."})
