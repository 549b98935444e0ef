"""Area maps imported from GeoJSON or KML: each feature names a growing area by its code and sets its map.

A Polygon or MultiPolygon becomes the area's map, a Point its GPS point, both through the areas domain's own
rules (registry.areas.geometry and update_area: inside Viet Nam, not crossing itself, hectares computed on the
ellipsoid). A feature without geometry changes nothing. Geometries never create areas.

Every row is checked before anything is written, so the answer lists every problem by row and column; with
any problem, or on a dry run, nothing is written. A map identical to the stored one is not counted, so
importing the same file twice updates nothing the second time. Nothing here commits: the caller owns the
transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bulk.geo import Feature, read_features
from registry.areas import geometry as geo
from registry.areas import services as areas
from registry.areas.models import GrowingArea
from registry.core.auth import Actor, can_see
from registry.core.errors import DomainError
from registry.core.i18n import _l
from registry.core.validators import FieldError

# Where a feature gives its area's code: the template's English and Vietnamese headers (compared without case);
# a KML Placemark may instead carry the code as its <name>.
CODE_KEYS = ("code", "mã vùng trồng", "ma_vung_trong", "mã số vùng trồng", "ma_so_vung_trong")
_LOOKUP_CHUNK = 500
_STORED = ("geometry", "geometry_ha", "gps_lat", "gps_lon", "updated_at")


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


_CODE_KEYS = {_key(k) for k in CODE_KEYS}


def code_of(feature: Feature) -> tuple[str | None, str]:
    """The code a feature names and the column it came from."""
    for key, value in feature.properties.items():
        if _key(key) in _CODE_KEYS and value.strip():
            return value.strip(), key
    if feature.name:
        return feature.name.strip(), "name"
    return None, "code"


@dataclass
class Report:
    rows: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, column: str, message: Any) -> None:
        self.errors.append({"row": row, "column": column, "message": str(message)})

    def answer(self, updated: int) -> dict[str, Any]:
        return {"rows": self.rows, "created": 0, "updated": 0 if self.errors else updated, "errors": self.errors}


def _areas_by_code(session: Session, codes: set[str]) -> dict[str, GrowingArea]:
    found: dict[str, GrowingArea] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), _LOOKUP_CHUNK):
        chunk = ordered[start : start + _LOOKUP_CHUNK]
        for area in session.scalars(sa.select(GrowingArea).where(GrowingArea.code.in_(chunk))):
            found[area.code] = area
    return found


def change_for(area: GrowingArea, geometry: dict[str, Any]) -> dict[str, Any]:
    """The change update_area would make for this geometry, {} when it is what the area already holds.

    Raises FieldError, in the areas domain's words, for a map or point the area cannot hold.
    """
    kind = geometry.get("type")
    if kind in ("Polygon", "MultiPolygon"):
        shape, _hectares = geo.parse_map(geometry)
        return {} if shape == area.geometry else {"geometry": shape}
    if kind == "Point":
        lon, lat = geometry["coordinates"][:2]
        point = geo.parse_gps(lat, lon)
        return {} if point == (area.gps_lat, area.gps_lon) else {"gps": {"lat": lat, "lon": lon}}
    raise FieldError(
        _l(
            "A growing area's map is a Polygon or a MultiPolygon and its GPS point a Point; a %(type)s cannot be imported.",
            type=kind,
        )
    )


def import_geometries(session: Session, data: bytes, filename: str, *, actor: Actor, dry_run: bool) -> dict:
    """Set the maps and GPS points of existing areas from a .geojson/.json, .kml or .kmz file.

    Answers {"rows", "created", "updated", "errors": [{"row", "column", "message"}]}; rows are the file's
    features counted from 1. Raises FileRefused when the file itself cannot be read.
    """
    features = read_features(data, filename)
    report = Report(rows=len(features))
    named = [(feature, *code_of(feature)) for feature in features]
    found = _areas_by_code(session, {code for _f, code, _c in named if code})
    seen: dict[str, int] = {}
    changes: list[tuple[int, GrowingArea, dict[str, Any]]] = []
    for feature, code, column in named:
        if feature.error:
            report.add(feature.row, "geometry", feature.error)
        if code is None:
            report.add(
                feature.row,
                column,
                _l("Give the growing area's code in a \"code\" property (in KML, the Placemark's name will do)."),
            )
            continue
        if code in seen:
            report.add(
                feature.row,
                column,
                _l("The code %(code)s is already on row %(row)s of this file.", code=code, row=seen[code]),
            )
            continue
        seen[code] = feature.row
        area = found.get(code)
        if area is None or not can_see(actor, area.organization_id):
            # The same answer for another cooperative's area as for an unknown code: nothing to probe.
            report.add(feature.row, column, _l("No growing area has the code %(code)s.", code=code))
            continue
        try:
            areas.writable_area(session, actor=actor, area_id=area.id)
        except DomainError as exc:
            report.add(feature.row, column, exc.message)
            continue
        if feature.error or feature.geometry is None:
            continue
        try:
            change = change_for(area, feature.geometry)
        except FieldError as exc:
            report.add(feature.row, "geometry", exc.message)
            continue
        if change:
            changes.append((feature.row, area, change))
    if report.errors or dry_run:
        return report.answer(updated=len(changes))
    _apply(session, actor, changes, report)
    return report.answer(updated=len(changes))


def _apply(
    session: Session, actor: Actor, changes: list[tuple[int, GrowingArea, dict[str, Any]]], report: Report
) -> None:
    """Write the checked changes; should the domain still refuse one, put back every area already changed."""
    before: list[tuple[GrowingArea, dict[str, Any]]] = []
    for row, area, change in changes:
        saved = {name: getattr(area, name) for name in _STORED}
        try:
            areas.update_area(session, actor=actor, area_id=area.id, changes=change)
        except DomainError as exc:
            for column, messages in (exc.errors or {"geometry": [exc.message]}).items():
                for message in messages:
                    report.add(row, column, message)
            break
        before.append((area, saved))
    if report.errors:
        for area, saved in before:
            for name, value in saved.items():
                setattr(area, name, value)
        session.flush()
