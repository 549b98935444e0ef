"""Helpers for the audit-trail tests."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from registry.audit.models import AuditEntry


def entries(db, record_type=None, record_id=None, **where) -> list[AuditEntry]:
    db.session.expire_all()
    stmt = sa.select(AuditEntry).order_by(AuditEntry.seq)
    if record_type:
        stmt = stmt.where(AuditEntry.record_type == record_type)
    if record_id is not None:
        stmt = stmt.where(AuditEntry.record_id == str(record_id))
    for name, value in where.items():
        stmt = stmt.where(getattr(AuditEntry, name) == value)
    return list(db.session.scalars(stmt))


def after(entry) -> dict:
    return json.loads(entry.after) if entry.after else {}


def before(entry) -> dict:
    return json.loads(entry.before) if entry.before else {}


@pytest.fixture
def verify(runner):
    def run():
        return runner.invoke(args=["audit", "verify"])

    return run
