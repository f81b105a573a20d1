"""Admin → Exports, through the test client: every export opened by openpyxl and calamine."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from wagtail.models import Site

from audit.models import AuditEvent
from exports.models import InvoiceSettings
from exports.workbook import DATETIME_FORMAT, MONEY_FORMAT
from tests.exports.readers import calamine_rows, open_openpyxl, sheet_names
from tests.helpers.exports import (
    EVIL_SCHOOL,
    EVIL_SUPERVISEE,
    EXPORTS,
    MINUS_SCHOOL,
    prices,
)

pytestmark = pytest.mark.django_db


def _export(client, data, export, **extra):
    response = client.post(EXPORTS, data.form(export, **extra))
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def test_sessions_export_is_typed_titled_and_audited(staff_client, export_data):
    response = _export(staff_client, export_data, "sessions")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="sessions-{today}.xlsx"'
    ws = open_openpyxl(response.content)["Sessions"]
    assert ws["A1"].value.startswith(
        f"Sessions. Filters: From: {export_data.date_from:%d/%m/%Y}; "
        f"To: {export_data.date_to:%d/%m/%Y}. Exported "
    )
    headers = [c.value for c in ws[2]]
    assert headers == [
        "Booking",
        "School",
        "URN",
        "Purchase order",
        "Supervisor",
        "Service",
        "Starts",
        "Minutes",
        "Status",
        "Price",
        "Cancelled at",
        "Invoiced at",
    ]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref == "A2:L7"
    first = ws[3]
    assert first[6].value == _local(export_data.held_a.start)
    assert first[6].number_format == DATETIME_FORMAT
    assert first[7].value == 60 and first[7].data_type == "n"
    assert first[8].value == "Held"
    assert first[9].value == 60 and first[9].number_format == MONEY_FORMAT
    rows = calamine_rows(response.content)[2:]
    assert [(r[0], r[8], r[9]) for r in rows] == [
        (export_data.evil.reference, "Held", 60.0),
        (export_data.hillside.reference, "Held", 80.0),
        (export_data.evil.reference, "Cancelled", 60.0),
        (export_data.hillside.reference, "Cancelled", 80.0),
        (export_data.evil.reference, "Confirmed", 60.0),
    ]
    assert rows[2][10] == _local(export_data.late_a.cancelled_at)
    event = AuditEvent.objects.get(action="exports.export.created")
    assert event.actor_label == "coordinator"
    assert event.data == {
        "exporter": "sessions",
        "filters": {
            "date_from": export_data.date_from.isoformat(),
            "date_to": export_data.date_to.isoformat(),
            "supervisor_id": None,
            "school_id": None,
            "service_id": None,
            "state": "",
            "extra": {},
        },
        "rows": 5,
        "mode": "download",
    }


def test_names_typed_by_the_public_stay_text(staff_client, export_data):
    content = _export(staff_client, export_data, "bookings").content
    ws = open_openpyxl(content)["Bookings"]
    cells = {c.value: c for row in ws.iter_rows(min_row=3) for c in row if c.value}
    for text in (EVIL_SCHOOL, EVIL_SUPERVISEE, MINUS_SCHOOL, "-Ann Smith"):
        assert cells[text].data_type == "s"
        assert cells[text].quotePrefix
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    values = {v for row in calamine_rows(content) for v in row}
    assert {EVIL_SCHOOL, EVIL_SUPERVISEE, MINUS_SCHOOL, "-Ann Smith"} <= values
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_filters_narrow_the_rows(staff_client, export_data):
    service = export_data.service
    by_supervisor = _export(
        staff_client, export_data, "sessions", supervisor=service.supervisor_b.pk
    ).content
    assert {r[4] for r in calamine_rows(by_supervisor)[2:]} == {"Daniel Okafor"}
    by_state = _export(staff_client, export_data, "sessions", state="cancelled").content
    assert [r[8] for r in calamine_rows(by_state)[2:]] == ["Cancelled", "Cancelled"]
    by_school = _export(
        staff_client, export_data, "bookings", school=export_data.hillside.school_id
    ).content
    assert [r[0] for r in calamine_rows(by_school)[2:]] == [export_data.hillside.reference]
    assert "School: " + MINUS_SCHOOL in calamine_rows(by_school)[0][0]
    narrow = export_data.form("sessions")
    narrow["date_to"] = narrow["date_from"]
    assert calamine_rows(staff_client.post(EXPORTS, narrow).content)[2:] == []


def _set_notice(hours):
    settings = InvoiceSettings.for_site(Site.objects.get(is_default_site=True))
    settings.cancellation_notice_hours = hours
    settings.save()


def test_invoices_without_a_notice_window_charge_held_sessions_only(staff_client, export_data):
    content = _export(staff_client, export_data, "invoices").content
    assert sheet_names(content) == ["Invoice lines", "Summary"]
    lines = calamine_rows(content, "Invoice lines")
    assert "Late-cancellation window: none" in lines[0][0]
    assert lines[1] == [
        "School",
        "URN",
        "Purchase order",
        "Month",
        "Session",
        "Booking",
        "Supervisor",
        "Service",
        "Charged as",
        "Minutes",
        "Rate per hour",
        "Amount",
    ]
    assert [(r[0], r[8], r[9], r[11]) for r in lines[2:]] == [
        (MINUS_SCHOOL, "Held", 90.0, 80.0),
        (EVIL_SCHOOL, "Held", 60.0, 60.0),
    ]
    summary = calamine_rows(content, "Summary")[2:]
    assert [(r[0], r[3], r[5]) for r in summary] == [
        (MINUS_SCHOOL, 1.0, 80.0),
        (EVIL_SCHOOL, 1.0, 60.0),
        ("All schools", 2.0, float(prices(export_data.held_a, export_data.held_b))),
    ]


def test_invoices_charge_late_cancellations_inside_the_window(staff_client, export_data):
    _set_notice(48)
    content = _export(staff_client, export_data, "invoices").content
    book = open_openpyxl(content)
    lines = book["Invoice lines"]
    month = lines["D3"]
    assert month.number_format == "mmm yyyy" and month.value.day == 1
    assert lines["K3"].number_format == MONEY_FORMAT and lines["K3"].value == 53.33
    rows = calamine_rows(content, "Invoice lines")[2:]
    assert [(r[0], r[8]) for r in rows] == [
        (MINUS_SCHOOL, "Held"),
        (EVIL_SCHOOL, "Held"),
        (EVIL_SCHOOL, "Late cancellation"),
    ]
    charged = prices(export_data.held_a, export_data.late_a, export_data.held_b)
    assert sum(r[11] for r in rows) == float(charged)
    summary = calamine_rows(content, "Summary")[2:]
    assert summary[1][:6] == [EVIL_SCHOOL, "111111", "", 2.0, 2.0, 120.0]
    assert summary[-1][5] == float(charged)
    assert book["Summary"]["F5"].number_format == MONEY_FORMAT


def test_staff_set_a_school_purchase_order_that_invoices_show(staff_client, export_data):
    school = export_data.evil.school
    url = f"/admin/workflows/school/edit/{school.pk}/"
    response = staff_client.post(url, {"purchase_order": "PO-=77"})
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.purchase_order == "PO-=77"
    content = _export(staff_client, export_data, "invoices").content
    assert calamine_rows(content, "Invoice lines")[3][2] == "PO-=77"


def test_records_register_holds_metadata_only(staff_client, export_data):
    from records.defaults import install_record_data
    from records.services import request_record

    install_record_data()
    record = request_record(session=export_data.held_a)
    content = _export(staff_client, export_data, "records-register").content
    rows = calamine_rows(content)
    assert rows[1] == [
        "Record",
        "Session",
        "School",
        "Supervisor",
        "Due",
        "Submitted",
        "Shared",
        "Acknowledged",
        "Overdue",
        "Days overdue",
        "State",
    ]
    assert rows[2][:5] == [
        record.reference,
        _local(export_data.held_a.start),
        EVIL_SCHOOL,
        "Amira Hussain",
        record.due_date,
    ]
    assert rows[2][8] == "No"
    overdue = _export(staff_client, export_data, "records-register", state="overdue").content
    assert calamine_rows(overdue)[2:] == []


def test_utilisation_has_hours_per_month_and_a_native_bar_chart(staff_client, export_data):
    content = _export(staff_client, export_data, "utilisation").content
    assert sheet_names(content) == ["Utilisation", "Hours by month"]
    rows = calamine_rows(content, "Utilisation")[2:]
    sessions = {(r[0], r[1]): r[2] for r in rows}
    hours = {}
    for r in rows:
        hours[r[0]] = hours.get(r[0], 0) + r[3]
    # Cancelled sessions are not counted: A has held + booked (2 h), B one held 90 minutes.
    assert hours == {"Amira Hussain": 2.0, "Daniel Okafor": 1.5}
    assert sum(sessions.values()) == 3
    pivot = calamine_rows(content, "Hours by month")
    assert pivot[1] == ["Month", "Amira Hussain", "Daniel Okafor"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
    assert "<barChart>" in chart and '<barDir val="col"' in chart
    # Series named from the header row, categories the months, values the hours.
    assert "<f>'Hours by month'!B2</f>" in chart and "<f>'Hours by month'!C2</f>" in chart
    assert "<f>'Hours by month'!$A$3" in chart


def test_bad_input_is_refused_with_a_message_and_nothing_exported(staff_client, export_data):
    backwards = export_data.form("sessions", date_to="2020-01-01")
    response = staff_client.post(EXPORTS, backwards)
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()
    wrong_state = staff_client.post(EXPORTS, export_data.form("sessions", state="overdue"))
    assert wrong_state.status_code == 400
    assert "That state does not apply to the Sessions export" in wrong_state.content.decode()
    no_dates = staff_client.post(EXPORTS, export_data.form("sessions", date_from=""))
    assert no_dates.status_code == 400
    assert not AuditEvent.objects.filter(action__startswith="exports.").exists()


def test_booking_listing_export_link_goes_to_the_exports_screen(staff_client, export_data):
    supervisor = export_data.service.supervisor_a.pk
    response = staff_client.get(
        "/admin/workflows/booking/", {"export": "xlsx", "supervisor__id__exact": supervisor}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{EXPORTS}?export=bookings&supervisor={supervisor}"
    page = staff_client.get(response["Location"]).content.decode()
    assert '<option value="bookings" selected>' in page
