"""The registry of exporters, keyed by their stable identifiers (the order is the menu's)."""

from __future__ import annotations

from exports.exporters.base import BaseExporter, ExportParams, SheetSpec
from exports.exporters.bookings import BookingsExporter, SessionsExporter
from exports.exporters.invoices import InvoicesExporter
from exports.exporters.registers import (
    AuditLogExporter,
    RecordsRegisterExporter,
    UtilisationExporter,
)

EXPORTERS: dict[str, type[BaseExporter]] = {}


def register(exporter: type[BaseExporter]) -> type[BaseExporter]:
    """Add an exporter; a wrong type or a reused identifier is a programming error."""
    if not (isinstance(exporter, type) and issubclass(exporter, BaseExporter)):
        raise TypeError(f"{exporter!r} is not a BaseExporter subclass.")
    if exporter.identifier in EXPORTERS:
        raise ValueError(f"An exporter called {exporter.identifier!r} is already registered.")
    EXPORTERS[exporter.identifier] = exporter
    return exporter


for _exporter in (
    BookingsExporter,
    SessionsExporter,
    InvoicesExporter,
    RecordsRegisterExporter,
    UtilisationExporter,
    AuditLogExporter,
):
    register(_exporter)

__all__ = ["EXPORTERS", "BaseExporter", "ExportParams", "SheetSpec", "register"]
