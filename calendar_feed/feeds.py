"""The calendar feeds: django-ical's ``ICalFeed``, with conditional GET and a render cache.

What django-ical 1.9.2 does not do cleanly, and how we fill it in (see docs/calendar_feeds.md):

* **VTIMEZONE.** Its generator writes ``DTSTART;TZID=Europe/London:...`` but never the
  VTIMEZONE component that RFC 5545 requires for that TZID, and Outlook needs. Our generator
  (``LondonICalFeedGenerator``) calls icalendar's ``Calendar.add_missing_timezones`` on the
  calendar django-ical built, before it is serialised: no second parse.
* **REFRESH-INTERVAL** (RFC 7986) has no field; the generator adds it next to
  X-PUBLISHED-TTL (which django-ical writes from ``ttl``).
* **SEQUENCE** is in its field map but not in ``ICAL_EXTRA_FIELDS``, so ``item_extra_kwargs``
  would drop it; ours passes it.
* **Speed.** Django's syndication ``Feed`` calls ``inspect.signature`` for each of ~35
  attributes of every item. ``_get_dynamic_attr`` here caches each attribute's arity, and the
  item methods read one ``EventData`` built once per session, so rendering stays close to
  bare icalendar (``benchmarks/feeds.py``).
"""

from __future__ import annotations

import datetime
from inspect import signature
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django_ical import feedgenerator
from django_ical.views import ICalFeed
from icalendar import Calendar

from calendar_feed.enums import FeedKind
from calendar_feed.events import EventBuilder, EventData, with_event_columns
from calendar_feed.models import FeedToken
from calendar_feed.services import feed_fingerprint, feed_sessions, resolve_feed

REFRESH = "PT1H"
USAGE_RESOLUTION = datetime.timedelta(hours=1)
_ARITY: dict[tuple[type, str], int] = {}


class LondonICalFeedGenerator(feedgenerator.ICal20Feed):
    """django-ical's generator plus VTIMEZONE and REFRESH-INTERVAL (see module docstring)."""

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        """As Django's, but without the empty CATEGORIES Django's default ``()`` would write."""
        super().add_item(*args, **kwargs)
        if not self.items[-1].get("categories"):
            self.items[-1]["categories"] = None

    def write(self, outfile: Any, encoding: str) -> None:
        cal = Calendar()
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        for ifield, efield in feedgenerator.FEED_FIELD_MAP:
            val = self.feed.get(ifield)
            if val is not None:
                cal.add(efield, val)
        cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        self.write_items(cal)
        add_timezones(cal)
        outfile.write(cal.to_ical())


def add_timezones(cal: Any) -> None:
    """VTIMEZONE for every TZID used, covering the events' years (not 1970-2038: smaller)."""
    starts = [c.DTSTART for c in cal.walk("VEVENT")]
    if not starts:
        return
    first = min(starts).date() - datetime.timedelta(days=366)
    last = max(starts).date() + datetime.timedelta(days=366)
    cal.add_missing_timezones(first_date=first, last_date=last)


class SessionFeed(ICalFeed):
    """``/feeds/<token>.ics``: a supervisor's, a supervisee's or the team's sessions.

    ``get_object`` resolves the secret token; anything else is a 404 that says nothing.
    Responses carry ETag and Last-Modified from one aggregate query; a matching conditional
    request gets 304 before any event is read, and a full render is cached under the
    fingerprint, so any session change (which moves the fingerprint) drops it.
    """

    feed_type = LondonICalFeedGenerator
    product_id = "-//Safeguarding Supervision Service//Calendar feed//EN"
    timezone = "Europe/London"
    ttl = REFRESH
    file_name = "supervision.ics"

    # --- request handling --------------------------------------------------------------------

    def __call__(self, request: HttpRequest, token: str) -> HttpResponse:
        feed = self.get_object(request, token)
        etag, latest = feed_fingerprint(feed)
        headers = {
            "ETag": f'"{etag}"',
            "Last-Modified": http_date(latest.timestamp()),
            "Cache-Control": f"private, max-age={settings.CALENDAR_FEED_MAX_AGE}",
        }
        not_modified = get_conditional_response(
            request, etag=headers["ETag"], last_modified=int(latest.timestamp())
        )
        if not_modified is not None:
            response: HttpResponse = HttpResponseNotModified()
        else:
            key = f"calendar_feed:{feed.pk}:{etag}"
            body = cache.get(key)
            if body is None:
                body = self.render(feed, request)
                cache.set(key, body, settings.CALENDAR_FEED_CACHE_SECONDS)
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = f'inline; filename="{self.file_name}"'
        for name, value in headers.items():
            response[name] = value
        now = timezone.now()
        if feed.last_used_at is None or now - feed.last_used_at > USAGE_RESOLUTION:
            # "Last read" for the owner's page, written at most hourly: polling stays read-only.
            FeedToken.objects.filter(pk=feed.pk).update(last_used_at=now)
        return response

    def render(self, feed: FeedToken, request: HttpRequest) -> bytes:
        """The feed's bytes, through django-ical's ``get_feed`` and our generator."""
        generator = self.get_feed(feed, request)

        class _Buffer:
            def __init__(self) -> None:
                self.parts: list[bytes] = []

            def write(self, data: bytes) -> None:
                self.parts.append(data)

        buffer = _Buffer()
        generator.write(buffer, "utf-8")
        return b"".join(buffer.parts)

    def get_object(self, request: HttpRequest, token: str) -> FeedToken:  # type: ignore[override]
        feed = resolve_feed(token)
        if feed is None:
            raise Http404("No such calendar.")
        return feed

    def _get_dynamic_attr(self, attname: str, obj: Any, default: Any = None) -> Any:
        """As django-ical's, but each callable's arity is looked up once per class."""
        try:
            attr = getattr(self, attname)
        except AttributeError:
            return default
        if not callable(attr):
            return attr
        key = (type(self), attname)
        arity = _ARITY.get(key)
        if arity is None:
            arity = _ARITY[key] = len(signature(attr).parameters)
        return attr() if arity == 0 else attr(obj)

    # --- the calendar --------------------------------------------------------------------------

    def title(self, feed: FeedToken) -> str:
        org = settings.CALENDAR_FEED_NAME
        if feed.kind == FeedKind.TEAM:
            return f"{org}: all sessions"
        if feed.kind == FeedKind.SUPERVISEE:
            return f"{org}: my sessions"
        name = feed.user.get_full_name() or feed.user.get_username()
        return f"{org}: {name}"

    def description(self, feed: FeedToken) -> str:
        return "Supervision sessions. Read-only; changes are made on the service's website."

    def items(self, feed: FeedToken) -> list[EventData]:
        audience = "supervisee" if feed.kind == FeedKind.SUPERVISEE else "staff"
        builder = EventBuilder(audience=audience)
        return [builder.build(s) for s in with_event_columns(feed_sessions(feed))]

    # --- each event (all read from the EventData built once) ----------------------------------

    def item_guid(self, item: EventData) -> str:
        return item.uid

    def item_title(self, item: EventData) -> str:
        return item.summary

    def item_description(self, item: EventData) -> str:
        return item.description

    def item_link(self, item: EventData) -> str:
        return item.url

    def item_location(self, item: EventData) -> str:
        return item.location

    def item_start_datetime(self, item: EventData) -> Any:
        return item.start

    def item_end_datetime(self, item: EventData) -> Any:
        return item.end

    def item_status(self, item: EventData) -> str:
        return item.status

    def item_timestamp(self, item: EventData) -> Any:
        return item.stamp

    def item_updateddate(self, item: EventData) -> Any:
        return item.stamp

    def item_created(self, item: EventData) -> Any:
        return item.created

    def item_extra_kwargs(self, item: EventData) -> dict[str, Any]:
        kwargs = super().item_extra_kwargs(item)
        kwargs["sequence"] = item.sequence
        return kwargs


session_feed = SessionFeed()
