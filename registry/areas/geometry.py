"""Checks of a growing area's record that need no database: the map (GeoJSON, geodesic hectares, a
server-drawn SVG), the GPS point, export markets and years.

Nothing here touches the database. Every check raises FieldError with a message the person can act on.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from registry.core.db import today_in_vietnam
from registry.core.i18n import _l
from registry.core.validators import FieldError
from registry.lifecycle.markets import market_codes, parse_markets  # noqa: F401  (re-exported for the area services)

# Where a growing area of Viet Nam can be, as (lon_min, lat_min, lon_max, lat_max) boxes in WGS 84.
# The mainland box also holds the near-shore islands (Phú Quốc, Thổ Chu, Côn Đảo, Bạch Long Vĩ, Cô Tô, Lý Sơn).
# The two offshore special zones (đặc khu) are included on purpose: Hoàng Sa (Đà Nẵng) and Trường Sa
# (Khánh Hòa), where island gardens are farmed. A box is rough: it also covers border strips of the neighbours.
VIET_NAM_BOXES = (
    (102.14, 8.18, 109.47, 23.40),  # mainland and near-shore islands
    (111.0, 15.6, 113.0, 17.2),  # Hoàng Sa
    (111.4, 6.0, 117.9, 12.0),  # Trường Sa
)
# Codes babel lists as territories that ISO 3166-1 does not assign to a country (reserved or private use).
MAX_POSITIONS = 5000  # a field boundary surveyed on a phone has tens of points; refuse absurd payloads
HA = Decimal("0.0001")
GPS_PLACES = Decimal("0.000001")  # NUMERIC(9, 6): about 10 cm


def in_viet_nam(lon: float, lat: float) -> bool:
    return any(x0 <= lon <= x1 and y0 <= lat <= y1 for x0, y0, x1, y1 in VIET_NAM_BOXES)


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(_l("Every position must be a pair of numbers [longitude, latitude]."))
    number = float(value)
    if not math.isfinite(number):
        raise FieldError(_l("Every position must be a pair of numbers [longitude, latitude]."))
    return number


def _ring(ring: Any, counter: list[int]) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise FieldError(_l("Each ring of a polygon needs at least 4 positions, the last equal to the first."))
    out = []
    for position in ring:
        if not isinstance(position, list) or len(position) not in (2, 3):
            raise FieldError(_l("Every position must be a pair of numbers [longitude, latitude]."))
        lon, lat = _number(position[0]), _number(position[1])
        if len(position) == 3:
            _number(position[2])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise FieldError(
                _l(
                    "Positions are [longitude, latitude] in degrees (WGS 84); %(lon)s, %(lat)s is not.",
                    lon=lon,
                    lat=lat,
                )
            )
        counter[0] += 1
        if counter[0] > MAX_POSITIONS:
            raise FieldError(_l("The map has more than %(n)s positions; simplify it.", n=MAX_POSITIONS))
        out.append([lon, lat])
    if out[0] != out[-1]:
        raise FieldError(_l("The polygon is not closed: its last position must repeat the first."))
    return out


def _polygon(rings: Any, counter: list[int]) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise FieldError(_l("A polygon is a list of rings, each a list of [longitude, latitude] positions."))
    return [_ring(r, counter) for r in rings]


def parse_geometry(value: Any) -> dict[str, Any] | None:
    """A GeoJSON Polygon or MultiPolygon (a Feature holding one is unwrapped), checked and normalised.

    Accepts a dict or its JSON text; None or blank clears the map.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise FieldError(_l("The map is not valid GeoJSON: it could not be read as JSON.")) from None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise FieldError(_l("The map must be a GeoJSON Polygon or MultiPolygon."))
    counter = [0]
    coordinates = value.get("coordinates")
    if value["type"] == "Polygon":
        geometry = {"type": "Polygon", "coordinates": _polygon(coordinates, counter)}
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise FieldError(_l("A MultiPolygon is a list of polygons."))
        geometry = {"type": "MultiPolygon", "coordinates": [_polygon(p, counter) for p in coordinates]}

    from shapely.geometry import shape
    from shapely.validation import explain_validity

    try:
        shp = shape(geometry)
    except (ValueError, TypeError):
        raise FieldError(_l("The map is not valid GeoJSON.")) from None
    if not shp.is_valid:
        raise FieldError(
            _l(
                "The polygon is not valid (for example it crosses itself): %(reason)s. Redraw the boundary.",
                reason=explain_validity(shp),
            )
        )
    if shp.is_empty or shp.area == 0:
        raise FieldError(_l("The polygon has no area."))
    outside = [(lon, lat) for lon, lat in _positions(geometry) if not in_viet_nam(lon, lat)]
    if outside:
        lon, lat = outside[0]
        raise FieldError(
            _l(
                "The map lies outside Viet Nam (position %(lon)s, %(lat)s). Positions are [longitude, latitude].",
                lon=lon,
                lat=lat,
            )
        )
    return geometry


def _positions(geometry: dict[str, Any]):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for rings in polygons:
        for ring in rings:
            for position in ring:
                yield position[0], position[1]


def hectares(geometry: dict[str, Any]) -> Decimal:
    """Geodesic area on the WGS 84 ellipsoid, in hectares to 4 places."""
    from pyproj import Geod
    from shapely.geometry import shape

    area_m2, _perimeter = Geod(ellps="WGS84").geometry_area_perimeter(shape(geometry))
    return (Decimal(str(abs(area_m2))) / Decimal(10000)).quantize(HA, rounding=ROUND_HALF_EVEN)


def parse_map(value: Any) -> tuple[dict[str, Any] | None, Decimal | None]:
    """An area's map as it is stored: the checked geometry and its geodesic hectares; (None, None) clears it."""
    geometry = parse_geometry(value)
    if geometry is None:
        return None, None
    ha = hectares(geometry)
    if ha >= Decimal(10) ** 8 or ha <= 0:
        raise FieldError(_l("The map covers %(ha)s ha: draw the boundary of the growing area itself.", ha=ha))
    return geometry, ha


def coordinate(value: Any, message: Any, *, low: float, high: float) -> Decimal:
    """A latitude or longitude in degrees, kept to 6 decimal places (about 10 cm)."""
    if isinstance(value, bool):
        raise FieldError(message)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise FieldError(message) from None
    if not number.is_finite() or not (Decimal(str(low)) <= number <= Decimal(str(high))):
        raise FieldError(message)
    return number.quantize(GPS_PLACES, rounding=ROUND_HALF_EVEN)


def parse_gps(lat: Any, lon: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; inside Viet Nam."""
    blank_lat, blank_lon = lat in (None, ""), lon in (None, "")
    if blank_lat and blank_lon:
        return None, None
    if blank_lat or blank_lon:
        raise FieldError(_l("Give both the latitude and the longitude of the GPS point, or neither."))
    lat_d = coordinate(lat, _l("The latitude is a number of degrees between -90 and 90."), low=-90, high=90)
    lon_d = coordinate(lon, _l("The longitude is a number of degrees between -180 and 180."), low=-180, high=180)
    if not in_viet_nam(float(lon_d), float(lat_d)):
        raise FieldError(
            _l(
                "The GPS point %(lat)s, %(lon)s is outside Viet Nam. Check latitude and longitude.",
                lat=lat_d,
                lon=lon_d,
            )
        )
    return lat_d, lon_d


def differs(declared: Decimal | None, computed: Decimal | None, tolerance: Decimal = Decimal("0.2")) -> bool:
    """True when the hectares computed from the map differ from the declared ones by more than 20%."""
    if not declared or computed is None:
        return False
    return abs(computed - declared) > declared * tolerance


@dataclass(frozen=True)
class SvgMap:
    view_box: str
    path: str
    point: tuple[float, float] | None


def svg_map(
    geometry: dict[str, Any] | None, gps: tuple[Any, Any] | None = None, *, width: float = 400
) -> SvgMap | None:
    """Project lon/lat onto an equirectangular plane scaled by cos(latitude) and fit it into a viewBox.

    The page draws it as <svg viewBox=...><path d=...>: no tile server, no script, readable at 360 px.
    """
    if not geometry:
        return None
    points = list(_positions(geometry))
    lat0 = math.radians(sum(lat for _lon, lat in points) / len(points))
    k = math.cos(lat0)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return lon * k, -lat

    xy = [project(lon, lat) for lon, lat in points]
    gps_xy = None
    if gps and gps[0] is not None and gps[1] is not None:
        gps_xy = project(float(gps[1]), float(gps[0]))
        xy.append(gps_xy)
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    x0, y0 = min(xs), min(ys)
    span_x, span_y = max(max(xs) - x0, 1e-12), max(max(ys) - y0, 1e-12)
    pad = 12.0
    inner = width - 2 * pad
    scale = inner / max(span_x, span_y)
    height = max(span_y * scale + 2 * pad, 120.0)
    view_w = max(span_x * scale + 2 * pad, 120.0)
    off_x = (view_w - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def fit(p: tuple[float, float]) -> tuple[float, float]:
        return round(off_x + (p[0] - x0) * scale, 2), round(off_y + (p[1] - y0) * scale, 2)

    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts = []
    for rings in polygons:
        for ring in rings:
            fitted = [fit(project(lon, lat)) for lon, lat in (p[:2] for p in ring[:-1])]
            parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in fitted) + " Z")
    point = fit(gps_xy) if gps_xy else None
    return SvgMap(view_box=f"0 0 {view_w:.2f} {height:.2f}", path=" ".join(parts), point=point)


def whole_number(value: Any, message: Any, *, low: int, high: int) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise FieldError(message)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not (isinstance(value, int) or (text.isascii() and text.isdigit())):
        raise FieldError(message)
    number = int(text) if len(text) <= 12 else high + 1
    if not low <= number <= high:
        raise FieldError(message)
    return number


def planting_year(value: Any) -> int | None:
    this_year = today_in_vietnam().year
    return whole_number(
        value,
        _l("Enter the planting year as four digits, from 1900 to %(year)s.", year=this_year),
        low=1900,
        high=this_year,
    )


def gps_point(value: Any) -> tuple[Decimal | None, Decimal | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        raise FieldError(_l('The GPS point is {"lat": …, "lon": …} in degrees.'))
    return parse_gps(value.get("lat"), value.get("lon"))
