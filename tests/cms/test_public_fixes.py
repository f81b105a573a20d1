"""Public pages: footer links, favicon, the honeypot out of the tab order, required markers."""

from __future__ import annotations

import pytest

from cms.models import ServiceSettings, StandardPage

pytestmark = pytest.mark.django_db


def test_footer_links_to_privacy_notice_and_accessibility_statement(client, site_tree):
    privacy = site_tree.home.add_child(
        instance=StandardPage(title="Privacy notice", slug="privacy", body="<p>Data.</p>")
    )
    access = site_tree.home.add_child(
        instance=StandardPage(
            title="Accessibility statement", slug="accessibility", body="<p>Access.</p>"
        )
    )
    settings = ServiceSettings.load()
    settings.privacy_page, settings.accessibility_page = privacy, access
    settings.save()
    html = client.get(site_tree.index.url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/privacy/">Privacy notice</a>' in footer
    assert '<a href="/accessibility/">Accessibility statement</a>' in footer


def test_every_page_names_a_favicon_that_is_served(client, site_tree):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    from django.contrib.staticfiles import finders

    assert finders.find("favicon.svg")


def test_booking_form_honeypot_is_out_of_the_tab_order(client, service):
    html = client.get(service.form_page.url).content.decode()
    assert 'aria-hidden="true"' in html
    [honeypot] = [line for line in html.splitlines() if 'name="website"' in line]
    assert 'tabindex="-1"' in honeypot


def test_preferred_times_says_it_is_required_before_sending(client, service):
    html = client.get(service.form_page.url).content.decode()
    assert "Answer every question unless it says (optional)." in html
    hint = html[html.index('id="id_preferred_times_helptext"') :].split("</p>", 1)[0]
    assert "Required" in hint
    textarea = html[html.index('<textarea name="preferred_times"') :].split(">", 1)[0]
    assert " required" in textarea
