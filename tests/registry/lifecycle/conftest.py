"""Helpers for the lifecycle tests: row counts and pending applications."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.lifecycle.models import CodeStatus, Inspection, StatusChange
from tests.factories import AreaFactory


def counts(session) -> dict[str, int]:
    """Rows in the lifecycle's two tables, read afresh (not from the session's identity map)."""
    session.expire_all()
    return {
        "inspection": session.scalar(sa.select(sa.func.count()).select_from(Inspection)),
        "status_change": session.scalar(sa.select(sa.func.count()).select_from(StatusChange)),
    }


@pytest.fixture
def pending_area(db, world):
    """A pending application of org A, no code yet."""
    area = AreaFactory(organization=world.org_a, code=None, status=CodeStatus.PENDING)
    db.session.commit()
    return area


VALID_INSPECTION = {
    "inspected_on": "2025-03-01",
    "inspector_name": "Nguyễn Văn Kiểm",
    "growth_stage": "Ra hoa",
    "pests": [{"name": "Rệp sáp", "density": "5 con/cành"}, {"name": "Nhện đỏ", "density": None}],
    "diary_kept": True,
    "pesticides_permitted": False,
    "sampled": True,
    "sample_results": "Dư lượng trong ngưỡng",
    "field_hygiene": "fair",
    "packaging_collected": True,
    "notes": "Nhắc thu gom bao bì",
}
