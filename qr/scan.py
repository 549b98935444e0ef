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
from trace.lots import lineage
from trace.lots.models import Lot, LotOrigin
from trace.recall.models import Recall

ORIGIN_DEPTH = 1


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
class PublicRecall:
    reason: str
    opened_at: dt.datetime


@dataclass(frozen=True)
class Origin:
    """A lot this one was made from (a split, merge, transformation or receipt), as its own label shows it."""

    code: str
    product: str
    label_uri: str
    area_code: str | None
    area_place: str | None


@dataclass(frozen=True)
class PublicLot:
    lot: Lot
    ocop: PublicOcop | None
    recall: PublicRecall | None = None
    origins: tuple[Origin, ...] = ()


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
    """Adds the product's current OCOP certificate and the open recall reaching the lot, in the same statement."""
    return (
        stmt.add_columns(
            OcopCertificate.stars,
            OcopEvaluation.group,
            OcopEvaluation.subgroup,
            OcopCertificate.level,
            OcopCertificate.issued_on,
            OcopCertificate.expires_on,
            Recall.reason,
            Recall.opened_at,
        )
        .outerjoin_from(Lot, OcopCertificate, OcopCertificate.id == current_id(Lot.product_id, sa.bindparam("today")))
        .outerjoin(OcopEvaluation, OcopEvaluation.id == OcopCertificate.evaluation_id)
        .outerjoin_from(Lot, Recall, Recall.id == Lot.open_recall_id)
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


def origins(session: Session, lot: Lot, base_url: str) -> tuple[Origin, ...]:
    """For a lot made from others: the lots one step back, with the growing areas their harvests came from.

    A second round trip, only for such lots; a harvested lot's page stays one statement.
    """
    if lot.origin == LotOrigin.HARVEST:
        return ()
    graph = lineage.graph(session, lot, lineage.Direction.UP, ORIGIN_DEPTH, base_url)
    parents = {e["parent"] for e in graph["edges"] if e["child"] == lot.id}
    lots = {row.id: row for row in lineage.lots_by_id(session, [n["id"] for n in graph["nodes"]])}
    found = []
    for node in graph["nodes"]:
        if node["id"] not in parents:
            continue
        row = lots[node["id"]]
        area = row.growing_area
        found.append(
            Origin(
                code=row.code,
                product=row.product.name,
                label_uri=node["label_uri"],
                area_code=area.code if area is not None else None,
                area_place=f"{area.commune.name}, {area.commune.province.name}" if area is not None else None,
            )
        )
    return tuple(found)


def _public(session: Session, row: sa.Row | None, base_url: str) -> PublicLot | None:
    if row is None:
        return None
    lot, stars, group, subgroup, level, issued_on, expires_on, recall_reason, recall_opened = row
    ocop = PublicOcop(stars, group, subgroup, level.value, issued_on, expires_on) if stars is not None else None
    recall = PublicRecall(recall_reason, recall_opened) if recall_reason is not None else None
    return PublicLot(lot, ocop, recall, origins(session, lot, base_url))


def find_by_gtin(
    session: Session, *, gtin: str, code: str, base_url: str, today: dt.date | None = None
) -> PublicLot | None:
    params = {"gtin": gtin, "key": code.upper(), "code": code, "today": today or today_in_vietnam()}
    return _public(session, session.execute(_statements()[0], params).first(), base_url)


def find_by_token(session: Session, *, token: str, base_url: str, today: dt.date | None = None) -> PublicLot | None:
    params = {"token": token, "today": today or today_in_vietnam()}
    return _public(session, session.execute(_statements()[1], params).first(), base_url)
