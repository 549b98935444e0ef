"""What the trail covers. Every mapped table is audited unless it is listed here, with the reason.

A new table is audited by default: forgetting it here errs on the side of the trail.
"""

from __future__ import annotations

import sqlalchemy as sa

# Tables whose rows are not records anyone decides on: telemetry, figures derived from other tables,
# reference data loaded from a published package, counters, and the trail itself.
EXCLUDED_TABLES: dict[str, str] = {
    "audit_entry": "the trail itself (append-only, chained)",
    "alembic_version": "schema bookkeeping",
    "scan": "telemetry: one row per label scan, written in batches outside any request (qr.scans.recorder)",
    "scan_day": "telemetry: daily scan tallies derived from scans",
    "scan_month": "telemetry: monthly scan tallies derived from scans",
    "scan_alert": "telemetry: alerts raised by the scan counter, derived from scans",
    "lot_month": "derived: monthly lot tallies kept by database triggers on lot (trace.lots.tally)",
    "code_serial": "counter: the last serial issued under a code prefix; the codes themselves are audited",
    "province": "reference data from the vietnam-provinces package (flask units load)",
    "commune": "reference data from the vietnam-provinces package (flask units load)",
    "legacy_district": "reference data: the pre-2025 districts (flask units load-legacy)",
    "legacy_district_commune": "reference data: the pre-2025 districts' communes (flask units load-legacy)",
}

# Columns of audited tables that are telemetry, written outside the session by the scan counter or on every
# API call: they change without anyone deciding anything, and verify does not compare them.
EXCLUDED_COLUMNS: dict[str, set[str]] = {
    "serial": {"scans", "first_scanned_at"},  # qr.scans.stamps counts scans on the engine's own connection
    "api_token": {"last_used_at"},  # registry.accounts.services.touch_token, at most once a minute
    # The count of wrong passwords moves with every failed sign-in, anyone's, and the session generation with
    # every sign-out: attempts, not decisions. A lock (locked_until) is recorded.
    "user_account": {"failed_logins", "session_generation"},
}

# Secrets are never written to the trail; a change to one shows as this marker.
REDACTED_COLUMNS = frozenset({"password_hash", "token_hash"})
REDACTED = "[redacted]"


def audited(table: sa.Table | None) -> bool:
    return table is not None and table.name not in EXCLUDED_TABLES and len(table.primary_key) > 0


def columns(table: sa.Table) -> list[sa.Column]:
    """The columns the trail records for a table."""
    skip = EXCLUDED_COLUMNS.get(table.name, ())
    return [c for c in table.columns if c.name not in skip]


def compared(table: sa.Table) -> list[sa.Column]:
    """The columns verify compares between the table and the trail (a redacted value cannot be compared)."""
    return [c for c in columns(table) if c.name not in REDACTED_COLUMNS]
