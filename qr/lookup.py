"""What a scan loads, as plain rows: the lot's page and its stages in one statement.

The hot path (docs: architecture, "The scan's hot path"): no ORM entity is built for a scan. One Core statement
returns exactly the columns the page shows: the lot, its product, the producer and its commune, the growing area
and its commune, the packing house, the product's OCOP certificate valid today (joined through
registry.ocop.status.current_id with today's date bound per request), the open recall, and the lot's first
stages aggregated as JSON. What belongs to the growing area and changes rarely is read once per area (qr.area_facts); the
area's status today is in the main row, so a suspension shows on the very next scan.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg.rows import namedtuple_row
from sqlalchemy.orm import Session, aliased

from qr.area_facts import AREAS, AreaFacts
from registry.areas.models import GrowingArea
from registry.core.db import VN_TZ
from registry.lifecycle.models import CodeStatus
from registry.ocop.models import OcopCertificate, OcopEvaluation
from registry.ocop.status import current_id
from registry.organizations.models import Organization
from registry.packing.models import PackingHouse
from registry.products.models import Product
from registry.units.models import Commune, Province
from trace.lots import lineage
from trace.lots.events import EventItem, TraceEvent
from trace.lots.identifiers import digital_link_path, short_link_path
from trace.lots.models import Lot, LotOrigin
from trace.recall.models import Recall

ORIGIN_DEPTH = 1
TIMELINE_LIMIT = 12


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
class Stage:
    """One step of the lot's way, with the three things Circular 02/2024 asks of a stage."""

    kind: str
    biz_step: str | None
    at: dt.datetime
    location_code: str | None
    place: str | None


@dataclass(frozen=True)
class PublicLot:
    row: Any  # the main statement's row: attribute access by column label
    ocop: PublicOcop | None
    recall: PublicRecall | None
    stages: tuple[Stage, ...]
    area: AreaFacts | None
    origins: tuple[Origin, ...] = ()

    @property
    def status_at_harvest(self) -> CodeStatus | None:
        """The area code's status at the end of the harvest day: from its history, or, for an area recorded
        without one (an import of codes issued earlier), its status if that was already set by then."""
        if self.area is None:
            return None
        if self.area.history:
            return self.area.status_on(self.row.harvest_date)
        end = dt.datetime.combine(self.row.harvest_date + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)
        return self.row.area_status if self.row.area_status_changed_at < end else None

    @property
    def best_before(self) -> dt.date | None:
        days = self.row.shelf_life_days
        return self.row.harvest_date + dt.timedelta(days=days) if days else None

    @property
    def province_code(self) -> str | None:
        return self.row.area_province_code or self.row.producer_province_code

    def label_path(self) -> str:
        if self.row.gtin:
            return digital_link_path(self.row.gtin, self.row.code)
        return short_link_path(self.row.public_token)


def _product_columns(org: Any, commune: Any, province: Any) -> tuple:
    """What both public pages show of the product and its producer (the lot page's and the product page's)."""
    return (
        Product.id.label("product_id"), Product.name.label("product_name"), Product.description, Product.crop,
        Product.gtin, Product.brand, Product.shelf_life_days, Product.image_key, Product.organization_id,
        org.name.label("producer"), org.address.label("producer_address"), commune.name.label("producer_commune"),
        province.name.label("producer_province"), commune.province_code.label("producer_province_code"),
    )  # fmt: skip


def _ocop_columns() -> tuple:
    return (
        OcopCertificate.stars.label("ocop_stars"), OcopEvaluation.group.label("ocop_group"),
        OcopEvaluation.subgroup.label("ocop_subgroup"), OcopCertificate.level.label("ocop_level"),
        OcopCertificate.issued_on.label("ocop_issued_on"), OcopCertificate.expires_on.label("ocop_expires_on"),
    )  # fmt: skip


def _ocop(row: Any) -> PublicOcop | None:
    """The certificate valid today, from a row carrying _ocop_columns(); None when there is none."""
    if row.ocop_stars is None:
        return None
    return PublicOcop(row.ocop_stars, row.ocop_group, row.ocop_subgroup, str(row.ocop_level), row.ocop_issued_on,
                      row.ocop_expires_on)  # fmt: skip


def _lot_statement() -> sa.Select:
    org = aliased(Organization, name="producer")
    org_commune, org_province = aliased(Commune, name="org_commune"), aliased(Province, name="org_province")
    area_commune, area_province = aliased(Commune, name="area_commune"), aliased(Province, name="area_province")
    return (
        sa.select(
            Lot.id.label("lot_id"),
            Lot.code,
            Lot.harvest_date,
            Lot.quantity,
            Lot.unit,
            Lot.origin,
            Lot.voided_at,
            Lot.void_reason,
            Lot.phi_override_reason,
            Lot.public_token,
            Lot.growing_area_id,
            *_product_columns(org, org_commune, org_province),
            GrowingArea.code.label("area_code"),
            GrowingArea.status.label("area_status"),
            GrowingArea.kind.label("area_kind"),
            GrowingArea.status_changed_at.label("area_status_changed_at"),
            GrowingArea.markets.label("area_markets"),
            GrowingArea.variety,
            GrowingArea.area_ha,
            GrowingArea.updated_at.label("area_updated_at"),
            area_commune.name.label("area_commune"),
            area_province.name.label("area_province"),
            area_commune.province_code.label("area_province_code"),
            PackingHouse.code.label("house_code"),
            PackingHouse.name.label("house_name"),
            PackingHouse.status.label("house_status"),
            *_ocop_columns(),
            Recall.reason.label("recall_reason"),
            Recall.opened_at.label("recall_opened_at"),
        )  # fmt: skip
        .select_from(Lot)
        .join(Product, Product.id == Lot.product_id)
        .join(org, org.id == Product.organization_id)
        .join(org_commune, org_commune.code == org.commune_code)
        .join(org_province, org_province.code == org_commune.province_code)
        .outerjoin(GrowingArea, GrowingArea.id == Lot.growing_area_id)
        .outerjoin(area_commune, area_commune.code == GrowingArea.commune_code)
        .outerjoin(area_province, area_province.code == area_commune.province_code)
        .outerjoin(PackingHouse, PackingHouse.id == Lot.packing_house_id)
        .outerjoin(OcopCertificate, OcopCertificate.id == current_id(Lot.product_id, sa.bindparam("today")))
        .outerjoin(OcopEvaluation, OcopEvaluation.id == OcopCertificate.evaluation_id)
        .outerjoin(Recall, Recall.id == Lot.open_recall_id)
    )


def _stages(dialect: str) -> sa.ScalarSelect:
    """The lot's first stages as one JSON array column of the main statement, so a scan is one round trip.

    Each stage is [kind, biz_step, event_time, location code, place, event id]; PostgreSQL aggregates with
    json_agg, SQLite with json_group_array. The aggregate's order is not relied on: rows are sorted on reading.
    """
    house = aliased(PackingHouse, name="stage_house")
    area = aliased(GrowingArea, name="stage_area")
    item = aliased(EventItem, name="stage_item")
    inner = (
        sa.select(
            TraceEvent.kind,
            TraceEvent.biz_step,
            TraceEvent.event_time,
            sa.func.coalesce(house.code, area.code).label("location_code"),
            TraceEvent.place,
            TraceEvent.id,
        )  # fmt: skip
        .join(item, item.event_id == TraceEvent.id)
        .outerjoin(area, area.id == TraceEvent.growing_area_id)
        .outerjoin(house, house.id == TraceEvent.packing_house_id)
        .where(item.lot_id == Lot.id)
        .order_by(TraceEvent.event_time, TraceEvent.id)
        .limit(TIMELINE_LIMIT)
        .correlate(Lot)
        .subquery("stage")
    )
    build, aggregate = (
        (sa.func.json_build_array, sa.func.json_agg)
        if dialect == "postgresql"
        else (sa.func.json_array, sa.func.json_group_array)
    )
    row = build(inner.c.kind, inner.c.biz_step, inner.c.event_time, inner.c.location_code, inner.c.place, inner.c.id)
    return sa.select(aggregate(row)).select_from(inner).scalar_subquery()


@functools.cache
def statements(dialect: str = "postgresql") -> dict[str, Any]:
    """Built once per database dialect: a scan only binds its parameters."""
    base = _lot_statement().add_columns(_stages(dialect).label("stages"))
    return {
        # code_key makes it one probe of the unique (product_id, code_key) index; code keeps the match exact.
        "gtin": base.where(
            Product.gtin == sa.bindparam("gtin"), Lot.code_key == sa.bindparam("key"), Lot.code == sa.bindparam("code")
        ),
        "token": base.where(Lot.public_token == sa.bindparam("token")),
    }


def _utc(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def read_stages(value: Any) -> tuple[Stage, ...]:
    if not value:
        return ()
    rows = json.loads(value) if isinstance(value, str) else value
    rows = sorted((_utc(at), event_id, kind, step, code, place) for kind, step, at, code, place, event_id in rows)
    return tuple(Stage(kind, step, at, code, place) for at, _id, kind, step, code, place in rows)


def origins(session: Session, lot_id: int, base_url: str) -> tuple[Origin, ...]:
    """For a lot made from others: the lots one step back, with the growing areas their harvests came from.

    A further round trip, only for such lots; a harvested lot's page stays one statement.
    """
    lot = session.get(Lot, lot_id)
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


def _public(conn: sa.Connection, row: Any, base_url: str, today: dt.date, cache_seconds: float) -> PublicLot | None:
    if row is None:
        return None
    ocop = _ocop(row)
    recall = PublicRecall(row.recall_reason, row.recall_opened_at) if row.recall_reason is not None else None
    stages = read_stages(row.stages)
    area = None
    if row.growing_area_id is not None:
        area = AREAS.get(conn, (row.growing_area_id, row.area_updated_at, today), today, cache_seconds)
    found = ()
    if row.origin != LotOrigin.HARVEST:
        with Session(bind=conn) as session:
            found = origins(session, row.lot_id, base_url)
    return PublicLot(row, ocop, recall, stages, area, found)


@functools.cache
def _compiled(dialect: sa.Dialect, name: str) -> tuple[str, dict[str, Any]]:
    compiled = statements(dialect.name)[name].compile(dialect=dialect)
    return str(compiled), dict(compiled.params)


def _fetch(conn: sa.Connection, name: str, params: dict[str, Any]) -> Any:
    """The statement's one row. On PostgreSQL the SQL compiled once goes straight to psycopg, prepared, with a
    row of named fields: a tenth of the page's time is SQLAlchemy's result machinery otherwise. Enumerations
    then come as their text values, which compare equal to the enum members."""
    if conn.dialect.name != "postgresql":
        return conn.execute(statements(conn.dialect.name)[name], params).first()
    sql, defaults = _compiled(conn.dialect, name)
    raw = conn.connection.driver_connection
    try:
        with raw.cursor(row_factory=namedtuple_row) as cursor:
            cursor.execute(sql, {**defaults, **params}, prepare=True)
            return cursor.fetchone()
    except psycopg.OperationalError:
        if raw.closed or raw.broken:  # the database dropped it (a restart): the pool must not hand it out again
            conn.invalidate()
            raise Disconnected from None
        raise


class Disconnected(Exception):
    """The connection was lost before the scan's statement could run; a fresh one may succeed."""


def find_by_gtin(
    conn: sa.Connection, *, gtin: str, code: str, base_url: str, today: dt.date, cache_seconds: float = 0
) -> PublicLot | None:
    params = {"gtin": gtin, "key": code.upper(), "code": code, "today": today}
    return _public(conn, _fetch(conn, "gtin", params), base_url, today, cache_seconds)


def find_by_token(
    conn: sa.Connection, *, token: str, base_url: str, today: dt.date, cache_seconds: float = 0
) -> PublicLot | None:
    return _public(conn, _fetch(conn, "token", {"token": token, "today": today}), base_url, today, cache_seconds)


@dataclass(frozen=True)
class PublicProduct:
    row: Any
    ocop: PublicOcop | None


@functools.cache
def _product_statement() -> sa.Select:
    commune, province = aliased(Commune), aliased(Province)
    return (
        sa.select(
            *_product_columns(Organization, commune, province),
            *_ocop_columns(),
        )  # fmt: skip
        .select_from(Product)
        .join(Organization, Organization.id == Product.organization_id)
        .join(commune, commune.code == Organization.commune_code)
        .join(province, province.code == commune.province_code)
        .outerjoin(OcopCertificate, OcopCertificate.id == current_id(Product.id, sa.bindparam("today")))
        .outerjoin(OcopEvaluation, OcopEvaluation.id == OcopCertificate.evaluation_id)
        .where(Product.gtin == sa.bindparam("gtin"))
    )


def find_product(conn: sa.Connection, *, gtin: str, today: dt.date) -> PublicProduct | None:
    row = conn.execute(_product_statement(), {"gtin": gtin, "today": today}).first()
    if row is None:
        return None
    ocop = _ocop(row)
    return PublicProduct(row, ocop)
