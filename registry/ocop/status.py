"""A product's OCOP status: which certificate counts today, for the API, the public page and the code lookup.

The current certificate is the latest one valid today (not revoked, issued on or before today, expiring on or
after it). Public pages show stars only from a current certificate: an expired or revoked one shows none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from registry.core.db import today_in_vietnam
from registry.ocop.models import OcopCertificate


def valid_on(today: Any, model: Any = OcopCertificate) -> sa.ColumnElement[bool]:
    """``today`` may be a date or a bind parameter, so that a cached statement can take it per request."""
    return sa.and_(model.revoked_on.is_(None), model.issued_on <= today, model.expires_on >= today)


def current_id(product_id: Any, today: Any) -> sa.ScalarSelect[int]:
    """The id of the product's current certificate, as a scalar subquery correlated to ``product_id``.

    One statement can then join the certificate to whatever it is loading (a lot, a product) without a second
    round trip: ``outerjoin(OcopCertificate, OcopCertificate.id == current_id(Lot.product_id, today))``.
    """
    c = aliased(OcopCertificate)
    return (
        sa.select(c.id)
        .where(c.product_id == product_id, valid_on(today, c))
        .order_by(c.issued_on.desc(), c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _newest_first(row: OcopCertificate) -> tuple:
    return (row.issued_on, row.id)


def statuses(session: Session, product_ids: list[int], today: dt.date | None = None) -> dict[int, OcopCertificate]:
    """For each product that was ever certified: its current certificate, or else its latest one."""
    if not product_ids:
        return {}
    today = today or today_in_vietnam()
    stmt = (
        sa.select(OcopCertificate)
        .where(OcopCertificate.product_id.in_(product_ids))
        .options(selectinload(OcopCertificate.evaluation))
    )
    chosen: dict[int, OcopCertificate] = {}
    for row in sorted(session.scalars(stmt), key=_newest_first, reverse=True):
        held = chosen.get(row.product_id)
        if held is None or (row.is_valid(today) and not held.is_valid(today)):
            chosen[row.product_id] = row
    return chosen


def as_json(row: OcopCertificate, today: dt.date) -> dict[str, Any]:
    return {
        "certificate_id": row.id,
        "stars": row.stars,
        "valid": row.is_valid(today),
        "issued_on": row.issued_on.isoformat(),
        "expires_on": row.expires_on.isoformat(),
        "revoked_on": row.revoked_on.isoformat() if row.revoked_on else None,
        "level": row.level.value,
        "group": row.evaluation.group,
        "subgroup": row.evaluation.subgroup,
    }


def product_facet(session: Session, product_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The ``ocop`` field of a product in the API (registered in registry.products.facets)."""
    today = today_in_vietnam()
    return {pid: as_json(row, today) for pid, row in statuses(session, product_ids, today).items()}


def current_certificates(
    session: Session, product_ids: list[int], today: dt.date | None = None
) -> dict[int, OcopCertificate]:
    """Only the products whose certificate is valid today: what a public page may show."""
    today = today or today_in_vietnam()
    return {pid: row for pid, row in statuses(session, product_ids, today).items() if row.is_valid(today)}
