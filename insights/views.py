"""The Insights admin screens: the page, its Excel download and the termly PDF.

Thin: the filter form picks the period and filters, ``build_insights`` computes everything,
and the page, workbook and PDF only present it. Every screen needs ``insights.view_insights``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from audit.services import log_event
from exports.workbook import export_filename, xlsx_response
from insights import charts
from insights.downloads import describe, insights_workbook
from insights.forms import InsightsFilterForm, current_term
from insights.pdf import render_summary_pdf
from insights.periods import academic_year_of, term_of
from insights.services import LATENESS, Filters, Insights, build_insights

PERMISSION = "insights.view_insights"


def insights_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _form(request: HttpRequest) -> InsightsFilterForm:
    today = timezone.localdate()
    if "period" in request.GET:
        return InsightsFilterForm(request.GET, today=today)
    term = term_of(today) or (today.year, "summer")
    return InsightsFilterForm(
        initial={
            "period": "term",
            "term": f"{term[0]}-{term[1]}",
            "month": f"{today:%Y-%m}",
            "year": str(academic_year_of(today)),
        },
        today=today,
    )


def compute(request: HttpRequest) -> tuple[InsightsFilterForm, Insights]:
    form = _form(request)
    period = form.resolved_period if form.is_bound else current_term(form.today)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = Filters(service=data.get("service"), supervisor=data.get("supervisor"))
    return form, build_insights(period=period, filters=filters)


def build_charts(result: Insights) -> dict[str, charts.Chart]:
    out = {
        "sessions": charts.month_chart(
            slug="chart-sessions",
            title="Sessions held per month",
            items=[(m, n, f"{n:,}") for m, n, _ in result.sessions_trend],
        ),
        "supervisors": charts.bar_chart(
            slug="chart-supervisors",
            title="Hours held per supervisor",
            items=[
                (name, hours, f"{hours:g} hours") for name, _, hours in result.hours_by_supervisor
            ],
        ),
        "cancellations": charts.bar_chart(
            slug="chart-cancellations",
            title="Cancelled sessions by who cancelled",
            items=[(label, n, f"{n:,}") for label, _, n in result.cancellations],
        ),
    }
    for key, breakdown in (("topics", result.topics), ("signposting", result.signposting)):
        if breakdown is None:
            continue
        out[key] = charts.bar_chart(
            slug=f"chart-{key}",
            title=f"{breakdown.title} in the period",
            items=[
                (label, breakdown.totals[label].chart_value, str(breakdown.totals[label]))
                for label in breakdown.labels
            ],
        )
    return out


@never_cache
@insights_required
def insights_index(request: HttpRequest) -> HttpResponse:
    form, result = compute(request)
    query = request.GET.urlencode() if form.is_bound and form.is_valid() else ""
    return TemplateResponse(
        request,
        "insights/index.html",
        {
            "form": form,
            "insights": result,
            "charts": build_charts(result),
            "lateness": LATENESS,
            "query": query,
        },
    )


def _log_download(request: HttpRequest, result: Insights, kind: str) -> None:
    log_event(
        action=f"insights.download.{kind}",
        request=request,
        target_label=f"Insights: {result.period.label}",
        data={k.lower(): v for k, v in describe(result).items()},
    )


@never_cache
@insights_required
def insights_xlsx(request: HttpRequest) -> HttpResponse:
    """The page as an Excel workbook, through the exports module (audited)."""
    _form, result = compute(request)
    _log_download(request, result, "xlsx")
    return xlsx_response(
        insights_workbook(result), filename=export_filename(f"insights-{result.period.slug()}")
    )


@never_cache
@insights_required
def insights_pdf(request: HttpRequest) -> HttpResponse:
    """The termly summary as a PDF for governors and the local authority (audited)."""
    _form, result = compute(request)
    _log_download(request, result, "pdf")
    response = HttpResponse(render_summary_pdf(result), content_type="application/pdf")
    filename = f"insights-summary-{result.period.slug()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
