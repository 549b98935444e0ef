"""What an export holds: for each kind, the rows the asker may see under the list's own filters, in the columns
of bulk.columns (so that the file imports back), each with its geometry as a GeoJSON mapping or None.

Filters are the list endpoints': areas (status, province, commune, crop, organization_id), packing houses
(status), OCOP products (stars, validity, expiring_within, province, commune, crop); lots have none. Members
see their own organization's records, the department every one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from bulk.columns import AREAS, CERTIFICATES, HOUSEHOLDS, LOTS, OCOP_PRODUCTS, PACKING_HOUSES, SHEET_NAMES_VI, Column
from registry.areas.models import GrowingArea
from registry.areas.services import area_filters
from registry.core.auth import Actor, scope
from registry.core.db import today_in_vietnam
from registry.core.errors import ValidationError
from registry.core.i18n import _l
from registry.lifecycle import services as lifecycle
from registry.ocop.services import list_certificates
from registry.packing.models import PackingHouse
from trace.lots.models import Lot

FILTERS = {
    "areas": ("status", "province", "commune", "crop", "organization_id"),
    "packing-houses": ("status",),
    "ocop-products": ("stars", "validity", "expiring_within", "province", "commune", "crop"),
    "lots": (),
}
EXPORT_KINDS = tuple(FILTERS)


@dataclass
class Export:
    columns: tuple[Column, ...]
    rows: list[tuple[list[Any], dict | None]]
    # Further sheets (XLSX only): (key, columns, rows).
    extra: list[tuple[str, tuple[Column, ...], list[list[Any]]]] = field(default_factory=list)
    # The column a KML Placemark is named by: the code, which bulk.geometries reads back as the area's code.
    name_column: int = 0


def headers(columns: tuple[Column, ...], language: str) -> list[str]:
    return [c.vi if language == "vi" else c.key for c in columns]


def sheet_title(key: str, language: str) -> str:
    return SHEET_NAMES_VI[key] if language == "vi" else key


def _filters(kind: str, args: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(args) - set(FILTERS[kind]))
    if unknown:
        raise ValidationError({k: _l("Unknown field.") for k in unknown})
    return {k: v for k, v in args.items() if v not in (None, "")}


def _area_geometry(area: GrowingArea) -> dict | None:
    if area.geometry:
        return area.geometry
    if area.gps_lat is not None and area.gps_lon is not None:
        return {"type": "Point", "coordinates": [float(area.gps_lon), float(area.gps_lat)]}
    return None


def _areas(session: Session, actor: Actor, args: dict[str, Any]) -> Export:
    clauses = area_filters(session, actor=actor, **args)
    stmt = (
        sa.select(GrowingArea)
        .where(*clauses)
        .options(selectinload(GrowingArea.households), selectinload(GrowingArea.certificates))
        .order_by(GrowingArea.id)
    )
    areas = list(session.scalars(scope(stmt, actor, GrowingArea.organization_id)).unique())
    rows, homes, certs = [], [], []
    for a in areas:
        code = a.code or a.claimed_code
        rows.append(
            (
                [
                    code,
                    a.name,
                    a.organization.tax_code,
                    a.kind,
                    a.crop,
                    a.variety,
                    a.area_ha,
                    a.commune_code,
                    a.legacy_place,
                    a.status,
                ],
                _area_geometry(a),
            )
        )
        if code:  # the extra sheets name their area by code; an application without one has none listed
            homes.extend([code, h.name, h.plot_ha, h.phone] for h in a.households)
            certs.extend([code, c.scheme, c.number, c.issuer, c.issued_on, c.expires_on] for c in a.certificates)
    return Export(AREAS, rows, [("households", HOUSEHOLDS, homes), ("certificates", CERTIFICATES, certs)])


def _packing_houses(session: Session, actor: Actor, args: dict[str, Any]) -> Export:
    stmt = sa.select(PackingHouse).order_by(PackingHouse.id)
    if args.get("status"):
        stmt = stmt.where(PackingHouse.status == lifecycle.parse_status(args["status"]))
    rows = [
        (
            [
                h.code or h.claimed_code,
                h.name,
                h.organization.tax_code,
                h.address,
                h.capacity_t_per_day,
                h.commune_code,
                h.legacy_place,
                h.status,
            ],
            None,  # a packing house has no recorded location
        )
        for h in session.scalars(scope(stmt, actor, PackingHouse.organization_id)).unique()
    ]
    return Export(PACKING_HOUSES, rows)


def _ocop_products(session: Session, actor: Actor, args: dict[str, Any]) -> Export:
    today = today_in_vietnam()
    page = list_certificates(session, actor=actor, page=1, per_page=10**6, today=today, **args)
    rows = []
    for c in page.items:
        p = c.product
        rows.append(
            (
                [
                    p.name,
                    p.gtin,
                    p.organization.tax_code,
                    p.organization.name,
                    p.crop,
                    c.stars,
                    c.decision_number,
                    c.issued_on,
                    c.expires_on,
                    c.validity(today),
                ],
                None,
            )
        )
    return Export(OCOP_PRODUCTS, rows)


def _lots(session: Session, actor: Actor, args: dict[str, Any]) -> Export:
    stmt = sa.select(Lot).order_by(Lot.id)
    rows = []
    for lot in session.scalars(scope(stmt, actor, Lot.organization_id)).unique():
        area, house = lot.growing_area, lot.packing_house
        product = lot.product.gtin or lot.product.name
        rows.append(
            (
                [
                    lot.code,
                    lot.product.organization.tax_code,
                    product,
                    area.code if area else None,
                    house.code if house else None,
                    lot.harvest_date,
                    lot.quantity,
                    lot.unit,
                ],
                _area_geometry(area) if area is not None else None,
            )
        )
    return Export(LOTS, rows)


BUILDERS = {"areas": _areas, "packing-houses": _packing_houses, "ocop-products": _ocop_products, "lots": _lots}


def build(session: Session, kind: str, *, actor: Actor, args: dict[str, Any]) -> Export:
    return BUILDERS[kind](session, actor, _filters(kind, args))


def cells_only(export: Export) -> Iterator[list[Any]]:
    return (cells for cells, _geometry in export.rows)
