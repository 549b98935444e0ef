"""One entry point for every kind of import: the file is read, every row checked, and (unless a dry run, and only
when no row has an error) the records written through the ORM session. It never commits: the caller commits the
whole import in one transaction, or rolls it back, so one bad row (or a process killed half-way) stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from bulk import table
from bulk.areas import import_areas
from bulk.common import require_importer
from bulk.lots import import_lots
from bulk.organizations import import_organizations
from bulk.packing import import_packing_houses
from bulk.report import Progress, no_progress
from registry.core.auth import Actor

IMPORTERS: dict[str, Callable[..., Any]] = {
    "areas": import_areas,
    "packing-houses": import_packing_houses,
    "organizations": import_organizations,
    "lots": import_lots,
}
KINDS = (*IMPORTERS, "geometries")
DEFAULT_LIMIT = 20 * 1024 * 1024


def size_limit() -> int:
    return int(current_app.config.get("IMPORT_MAX_CONTENT_LENGTH", DEFAULT_LIMIT))


def count_rows(data: bytes, filename: str) -> int:
    """Data rows of the first sheet, for a progress bar's length (0 when the file cannot be read)."""
    try:
        return len(table.read_sheets(data, filename)[0].rows)
    except table.FileRefused:
        return 0


def run_import(
    session: Session,
    kind: str,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    dry_run: bool,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """{"rows", "created", "updated", "errors": [{"row", "column", "message"}]}; raises FileRefused for a bad file."""
    require_importer(actor)
    table.check_size(data, size_limit())
    if kind == "geometries":
        from bulk.geometries import import_geometries

        return import_geometries(session, data, filename, actor=actor, dry_run=dry_run)
    sheets = table.read_sheets(data, filename)
    report = IMPORTERS[kind](session, sheets, actor=actor, dry_run=dry_run, filename=filename, progress=progress)
    return report.as_dict()
