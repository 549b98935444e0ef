"""What a scan loads: the lot, its area and packing house, and the product's current OCOP certificate.

One statement per scan, built once and bound per request. The OCOP certificate joins through
registry.ocop.status.current_id with today's date as a parameter, so a certificate that expired yesterday or was
revoked is simply not found: the page cannot show its stars.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from registry.areas.models import GrowingArea
from registry.core.db import today_in_vietnam
from registry.ocop.models import OcopCertificate, OcopEvaluation
from registry.ocop.status import current_id
from registry.packing.models import PackingHouse
from registry.products.models import Product
from trace.lots.models import Lot


@dataclass(frozen=True)
class PublicOcop:
    """The only OCOP facts a public page shows, and only from a certificate valid today."""

    stars: int
    group: str
    subgroup: str
    level: str
    issued_on: dt.date
    expires_on: dt.date


@dataclass(frozen=True)
class PublicLot:
    lot: Lot
    ocop: PublicOcop | None


def _page_options() -> tuple:
    """What the public page shows and nothing more: the area's map, the packing house's place and owner, and other
    wide or unused columns stay unloaded."""
    area = joinedload(Lot.growing_area)
    house = joinedload(Lot.packing_house)
    return (
        area.load_only(GrowingArea.code, GrowingArea.status, GrowingArea.variety, GrowingArea.commune_code),
        area.lazyload(GrowingArea.organization),
        house.load_only(PackingHouse.code, PackingHouse.name, PackingHouse.status),
        house.lazyload(PackingHouse.commune),
        house.lazyload(PackingHouse.organization),
    )


def _with_ocop(stmt: sa.Select) -> sa.Select:
    return (
        stmt.add_columns(
            OcopCertificate.stars,
            OcopEvaluation.group,
            OcopEvaluation.subgroup,
            OcopCertificate.level,
            OcopCertificate.issued_on,
            OcopCertificate.expires_on,
        )
        .outerjoin_from(Lot, OcopCertificate, OcopCertificate.id == current_id(Lot.product_id, sa.bindparam("today")))
        .outerjoin(OcopEvaluation, OcopEvaluation.id == OcopCertificate.evaluation_id)
        .options(*_page_options())
    )


@functools.cache
def _statements() -> tuple[sa.Select, sa.Select]:
    """Built once: a scan only binds its parameters (building the load options costs as much as the query)."""
    by_gtin = _with_ocop(
        sa.select(Lot)
        .join(Product, Lot.product_id == Product.id)
        # code_key makes it one probe of the unique (product_id, code_key) index; code keeps the match exact.
        .where(
            Product.gtin == sa.bindparam("gtin"), Lot.code_key == sa.bindparam("key"), Lot.code == sa.bindparam("code")
        )
    )
    by_token = _with_ocop(sa.select(Lot).where(Lot.public_token == sa.bindparam("token")))
    return by_gtin, by_token


def _public(row: sa.Row | None) -> PublicLot | None:
    if row is None:
        return None
    lot, stars, group, subgroup, level, issued_on, expires_on = row
    ocop = PublicOcop(stars, group, subgroup, level.value, issued_on, expires_on) if stars is not None else None
    return PublicLot(lot, ocop)


def find_by_gtin(session: Session, *, gtin: str, code: str, today: dt.date | None = None) -> PublicLot | None:
    params = {"gtin": gtin, "key": code.upper(), "code": code, "today": today or today_in_vietnam()}
    return _public(session.execute(_statements()[0], params).first())


def find_by_token(session: Session, *, token: str, today: dt.date | None = None) -> PublicLot | None:
    return _public(session.execute(_statements()[1], {"token": token, "today": today or today_in_vietnam()}).first())
