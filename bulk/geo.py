"""GeoJSON (RFC 7946) and KML read into features and written from rows: pure functions, no database.

``read_features`` takes a file's bytes and its name and gives one Feature per feature or Placemark, in file
order; a file that is not what its name says, too large or malformed is refused whole (FileRefused), while a
feature with a bad geometry keeps its row with an error. ``write_geojson`` and ``write_kml`` write rows of
values (one per header) with a geometry each; ``read_features`` gives those values back as ``text_value``
writes them, and the geometries unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from bulk.features import (
    MAX_BYTES,
    MAX_FEATURES,
    MAX_JSON_CONTAINERS,
    MAX_KMZ_ENTRIES,
    MAX_KMZ_RATIO,
    MAX_VERTICES,
    MAX_XML_DEPTH,
    MAX_XML_ELEMENTS,
    Feature,
    FileRefused,
    JsonNumber,
    Positions,
    RowError,
    text_value,
    too_large,
    too_many_features,
    too_many_parts,
    unsupported,
)
from bulk.kml import read_kml, read_kmz, write_kml
from registry.core.i18n import _l

__all__ = [
    "MAX_BYTES",
    "MAX_FEATURES",
    "MAX_JSON_CONTAINERS",
    "MAX_KMZ_ENTRIES",
    "MAX_KMZ_RATIO",
    "MAX_VERTICES",
    "MAX_XML_DEPTH",
    "MAX_XML_ELEMENTS",
    "Feature",
    "FileRefused",
    "read_features",
    "text_value",
    "write_geojson",
    "write_kml",
]

GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
# Names of WGS 84 longitude/latitude that GIS tools still write in the `crs` member RFC 7946 removed (QGIS and
# GDAL write the first). EPSG:4326 is read longitude first, as GDAL and QGIS read it in GeoJSON.
WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "urn:ogc:def:crs:epsg::4326",
    "http://www.opengis.net/def/crs/epsg/0/4326",
    "epsg:4326",
    "crs84",
}


def read_features(data: bytes, filename: str) -> list[Feature]:
    """The features of a .geojson/.json, .kml or .kmz file, or FileRefused for the whole file."""
    extension = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if extension not in (".geojson", ".json", ".kml", ".kmz"):
        raise unsupported(filename)
    if len(data) > MAX_BYTES:
        raise too_large()
    if not data.strip():
        raise FileRefused(_l("The file %(name)s is empty.", name=filename))
    if extension == ".kmz":
        return read_kmz(data, filename)
    if extension == ".kml":
        return read_kml(data, filename)
    return _read_geojson(data, filename)


# ---------------------------------------------------------------- GeoJSON reading


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _malformed(reason: Any) -> FileRefused:
    return FileRefused(_l("The file is not valid GeoJSON: %(reason)s", reason=reason))


def _read_geojson(data: bytes, filename: str) -> list[Feature]:
    body = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not body.startswith((b"{", b"[")):
        raise FileRefused(_l("The file %(name)s is not GeoJSON: a GeoJSON file is a JSON object.", name=filename), 415)
    if body.count(b"[") + body.count(b"{") > MAX_JSON_CONTAINERS:  # counted before anything is built
        raise too_many_parts(MAX_JSON_CONTAINERS)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _malformed(_l("it is not UTF-8 text.")) from None
    try:
        document = json.loads(text, parse_float=JsonNumber, parse_int=JsonNumber, parse_constant=_refuse_constant)
    except RecursionError:
        raise _malformed(_l("it is nested too deeply.")) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        raise _malformed(_l("it could not be read as JSON (line %(line)s).", line=line)) from None
    if not isinstance(document, dict):
        raise _malformed(_l("the file must hold one JSON object."))
    _check_crs(document.get("crs"))
    kind = document.get("type")
    if kind == "FeatureCollection":
        items = document.get("features")
        if not isinstance(items, list):
            raise _malformed(_l('a FeatureCollection needs a "features" list.'))
    elif kind == "Feature" or kind in GEOMETRY_TYPES:
        items = [document]
    else:
        raise _malformed(_l('its "type" must be FeatureCollection, Feature or a geometry type.'))
    if len(items) > MAX_FEATURES:
        raise too_many_features()
    positions = Positions()
    return [_feature(row, item, positions) for row, item in enumerate(items, start=1)]


def _check_crs(crs: Any) -> None:
    """RFC 7946 has no `crs`; one naming WGS 84 longitude/latitude is harmless, any other is refused."""
    if crs is None:
        return
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    if isinstance(name, str) and name.strip().lower() in WGS84_NAMES:
        return
    shown = name if isinstance(name, str) else json.dumps(crs, ensure_ascii=False)[:80]
    raise FileRefused(
        _l(
            "The file is in another coordinate reference system (%(crs)s). Export it in WGS 84 longitude/latitude (EPSG:4326), as GeoJSON requires.",
            crs=shown[:80],
        )
    )


def _feature(row: int, item: Any, positions: Positions) -> Feature:
    if isinstance(item, dict) and item.get("type") in GEOMETRY_TYPES:  # a bare geometry
        item = {"type": "Feature", "properties": None, "geometry": item}
    if not isinstance(item, dict) or item.get("type") != "Feature":
        return Feature(row, {}, None, str(_l("Feature %(row)s is not a GeoJSON Feature.", row=row)))
    _check_crs(item.get("crs"))
    raw = item.get("properties")
    if raw is not None and not isinstance(raw, dict):
        raise _malformed(_l('the "properties" of feature %(row)s must be an object or null.', row=row))
    try:
        properties = {str(k): _property_text(v) for k, v in (raw or {}).items()}
    except RecursionError:
        raise _malformed(_l("it is nested too deeply.")) from None
    try:
        geometry = positions.geometry(item.get("geometry"))
    except RowError as exc:
        return Feature(row, properties, None, str(exc.message))
    return Feature(row, properties, geometry, None)


def _property_text(value: Any) -> str:
    """A property as text: numbers as written in the file, null as blank, objects and lists as JSON."""
    if isinstance(value, list | dict):
        return _json_text(value)
    return text_value(value)


def _json_text(value: Any) -> str:
    if isinstance(value, JsonNumber):
        return str.__str__(value)
    if isinstance(value, list):
        return "[" + ",".join(_json_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + _json_text(v) for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


# ---------------------------------------------------------------- GeoJSON writing


def _json_value(value: Any) -> str:
    """A property as JSON: numbers (Decimal with its exact digits) as numbers, dates as ISO text, None as null."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int | float | Decimal) and not isinstance(value, str):
        text = text_value(value)
        return text if text else "null"
    if isinstance(value, str):
        return json.dumps(str.__str__(value), ensure_ascii=False)
    text = text_value(value)
    return json.dumps(text, ensure_ascii=False)


def _number(value: Any) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not a coordinate")


def write_geojson(headers: list[str], rows: Iterable[tuple[list, dict | None]]) -> bytes:
    """An RFC 7946 FeatureCollection in UTF-8, one feature a line; a row without geometry has ``"geometry": null``."""
    keys = [json.dumps(str(h), ensure_ascii=False) for h in headers]
    features = []
    for values, geometry in rows:
        if len(values) != len(keys):
            raise ValueError(f"a row has {len(values)} values for {len(keys)} headers")
        properties = ",".join(f"{k}:{_json_value(v)}" for k, v in zip(keys, values, strict=True))
        shape = json.dumps(geometry, default=_number, allow_nan=False, separators=(",", ":"))
        features.append(f'{{"type":"Feature","properties":{{{properties}}},"geometry":{shape}}}')
    return ('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n").encode("utf-8")
