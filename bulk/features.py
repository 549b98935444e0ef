"""What the GeoJSON and KML readers share: the feature read from a file, the refusal of a whole file, the limits,
the check of a geometry's positions and the text a property value is written as.

A geometry is kept as a GeoJSON geometry mapping, [longitude, latitude] in WGS 84 (RFC 7946). A feature whose
geometry breaks the rules (an open ring, a position out of range, an unknown type) keeps its row with an error,
so an import can report every bad row at once; a file that cannot be read at all is refused whole.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from registry.core.errors import DomainError
from registry.core.i18n import _l

# Limits for one file. A file over MAX_BYTES (or a KMZ that would inflate past it) is refused before parsing.
MAX_BYTES = 32 * 1024 * 1024
MAX_FEATURES = 100_000
MAX_VERTICES = 1_000_000  # positions in the whole file: 10,000 areas of 100 positions
# Parsing cost grows with the number of XML elements and JSON objects and lists, not with the bytes: a file of
# 32 MB of "<a/>" or "[]" would hold ten million of them. Both are bounded; legitimate KML nests a dozen deep.
MAX_XML_ELEMENTS = 1_000_000
MAX_XML_DEPTH = 100
MAX_JSON_CONTAINERS = MAX_VERTICES + 8 * MAX_FEATURES
MAX_KMZ_ENTRIES = 1_000  # files inside a KMZ archive
MAX_KMZ_RATIO = 200  # a KML compresses about 10 to 20 times; a zip bomb thousands of times


@dataclass
class Feature:
    """One feature of a file, in file order (``row`` counts from 1).

    ``properties`` are text, as a spreadsheet cell would be (see ``text_value``). ``geometry`` is a GeoJSON
    geometry mapping or None; when it could not be read, ``error`` says why and ``geometry`` is None.
    ``name`` is a KML Placemark's <name> (None in GeoJSON).
    """

    row: int
    properties: dict[str, str]
    geometry: dict[str, Any] | None
    error: str | None
    name: str | None = None


class FileRefused(DomainError):
    """The whole file is refused: 415 when it is not what its name says, 413 when too large, 422 when malformed."""

    def __init__(self, message: Any, status_code: int = 422) -> None:
        super().__init__(message, {"file": [message]})
        self.status_code = status_code


def unsupported(filename: str) -> FileRefused:
    return FileRefused(
        _l(
            "The file %(name)s is not what its name says: expected GeoJSON (.geojson, .json) or KML (.kml, .kmz).",
            name=filename,
        ),
        415,
    )


def too_many_features() -> FileRefused:
    return FileRefused(_l("The file has more than %(n)s features; split it.", n=MAX_FEATURES), 413)


def too_many_vertices() -> FileRefused:
    return FileRefused(_l("The file has more than %(n)s positions; split or simplify it.", n=MAX_VERTICES), 413)


def too_many_parts(limit: int) -> FileRefused:
    return FileRefused(_l("The file holds more than %(n)s elements, objects or lists; split it.", n=limit), 413)


def too_large() -> FileRefused:
    return FileRefused(_l("The file is larger than %(n)s MB.", n=MAX_BYTES // (1024 * 1024)), 413)


def text_value(value: Any) -> str:
    """A cell as text, the same in both formats: what a reader gives back for a value the writers wrote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum) and not isinstance(value, str):
        return text_value(value.value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else ""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


class JsonNumber(str):
    """A number of a JSON file kept as its literal text, so 12.50 reads back as "12.50", not 12.5."""


class RowError(ValueError):
    """A feature that cannot be used; the message is shown against its row."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class Positions:
    """Checks positions and counts them over the whole file, so no file holds more than MAX_VERTICES."""

    def __init__(self) -> None:
        self.count = 0

    def position(self, value: Any) -> list[float]:
        if not isinstance(value, list | tuple) or len(value) not in (2, 3):
            raise RowError(_l("Every position must be [longitude, latitude] or [longitude, latitude, altitude]."))
        numbers = []
        for part in value:
            if isinstance(part, bool) or not isinstance(part, int | float | JsonNumber):
                raise RowError(_l("Every position must be [longitude, latitude] or [longitude, latitude, altitude]."))
            number = float(part)
            if not math.isfinite(number):
                raise RowError(_l("Every position must be [longitude, latitude] or [longitude, latitude, altitude]."))
            numbers.append(number)
        lon, lat = numbers[0], numbers[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise RowError(
                _l(
                    "The position %(lon)s, %(lat)s is out of range: longitude is from -180 to 180 and latitude from -90 to 90 degrees (WGS 84).",
                    lon=lon,
                    lat=lat,
                )
            )
        self.count += 1
        if self.count > MAX_VERTICES:
            raise too_many_vertices()
        return numbers

    def ring(self, value: Any) -> list[list[float]]:
        if not isinstance(value, list) or len(value) < 4:
            raise RowError(_l("Each ring of a polygon needs at least 4 positions, the last equal to the first."))
        ring = [self.position(p) for p in value]
        if ring[0] != ring[-1]:
            raise RowError(_l("A ring of a polygon is not closed: its last position must repeat the first."))
        return ring

    def polygon(self, value: Any) -> list[list[list[float]]]:
        if not isinstance(value, list) or not value:
            raise RowError(_l("A polygon is a list of rings: the outer boundary first, then any holes."))
        return [self.ring(r) for r in value]

    def geometry(self, value: Any) -> dict[str, Any] | None:
        """A GeoJSON geometry mapping, checked; Point, MultiPoint, Polygon and MultiPolygon are read."""
        if value is None:
            return None
        if not isinstance(value, dict):
            raise RowError(_l("The geometry must be a GeoJSON object or null."))
        kind, coordinates = value.get("type"), value.get("coordinates")
        if kind == "Point":
            return {"type": kind, "coordinates": self.position(coordinates)}
        if kind == "Polygon":
            return {"type": kind, "coordinates": self.polygon(coordinates)}
        if kind in ("MultiPoint", "MultiPolygon"):
            if not isinstance(coordinates, list) or not coordinates:
                raise RowError(_l("A %(type)s needs at least one part.", type=kind))
            part = self.position if kind == "MultiPoint" else self.polygon
            return {"type": kind, "coordinates": [part(p) for p in coordinates]}
        raise RowError(
            _l(
                "The geometry type %(type)s cannot be read: use a Point, a Polygon (with its holes) or a MultiPolygon.",
                type=str(kind)[:40],
            )
        )
