"""KML 2.2 (and KMZ, zipped KML) read and written for Google Earth.

Reading goes through defusedxml only: a file with a DTD, entity declarations or external references ("billion
laughs", file:///etc/passwd) is refused whole before anything is expanded or fetched. A KMZ's size is checked
from its directory before anything is inflated, and inflating stops at the limit whatever the directory says.

A Placemark gives one feature: its <name>, its ExtendedData (<Data name><value> and <SchemaData><SimpleData>)
as properties, and its geometry: a Point, a Polygon (outer and inner boundaries) or a MultiGeometry of polygons
(or of points). When a Placemark has no ExtendedData, its <name> is its one property, "name"; when it has some,
the properties are the ExtendedData alone and the name stays on Feature.name, so a file written by write_kml
reads back with exactly the columns it was written with.
"""

from __future__ import annotations

import io
import math
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.sax.saxutils import escape, quoteattr

import defusedxml
import defusedxml.ElementTree as DefusedET

from bulk.features import (
    MAX_BYTES,
    MAX_FEATURES,
    MAX_KMZ_ENTRIES,
    MAX_KMZ_RATIO,
    MAX_XML_DEPTH,
    MAX_XML_ELEMENTS,
    Feature,
    FileRefused,
    Positions,
    RowError,
    text_value,
    too_large,
    too_many_features,
    too_many_parts,
)
from registry.core.i18n import _l

KML_NS = "http://www.opengis.net/kml/2.2"
_GEOMETRIES = {"Point", "Polygon", "MultiGeometry", "LineString", "LinearRing", "Model", "Track", "MultiTrack"}
_COMMA = re.compile(r"\s*,\s*")
# Characters XML 1.0 cannot hold at all; they are left out of what is written.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# ---------------------------------------------------------------- reading


def _open_kmz(data: bytes, filename: str) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    if not data.startswith(b"PK\x03\x04"):
        raise FileRefused(_l("The file %(name)s is not a KMZ (zipped KML) archive.", name=filename), 415)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_l("The KMZ archive is damaged and cannot be opened.")) from None
    if len(entries) > MAX_KMZ_ENTRIES:
        raise FileRefused(_l("The KMZ archive holds more than %(n)s files.", n=MAX_KMZ_ENTRIES), 413)
    kml = {e.filename: e for e in entries if e.filename.lower().endswith(".kml") and not e.is_dir()}
    if not kml:
        raise FileRefused(_l("The KMZ archive holds no KML document."))
    return archive, kml


def _inflate(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, budget: int) -> bytes:
    """One entry, refused as a zip bomb from its directory record before it is inflated, and cut at the budget."""
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > budget or (entry.file_size > 1024 * 1024 and ratio > MAX_KMZ_RATIO):
        raise FileRefused(
            _l("The KMZ archive would inflate to %(n)s bytes: it is refused as a zip bomb.", n=entry.file_size), 413
        )
    if entry.flag_bits & 0x1:
        raise FileRefused(_l("The KMZ archive is protected by a password."))
    try:
        with archive.open(entry) as fh:
            inflated = fh.read(budget + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, OSError, EOFError):
        raise FileRefused(_l("The KMZ archive is damaged and cannot be opened.")) from None
    if len(inflated) > budget:
        raise too_large()
    return inflated


def read_kmz(data: bytes, filename: str) -> list[Feature]:
    """The Placemarks of a KMZ: its main document (doc.kml, else the first .kml) and the documents inside the
    archive that it links with a NetworkLink (GDAL's LIBKML driver writes one per layer). Links out of the
    archive are never followed."""
    archive, kml = _open_kmz(data, filename)
    main = kml.get("doc.kml") or next(e for e in kml.values())
    queue, seen, budget = [main], {main.filename}, MAX_BYTES
    reader = _Reader()
    while queue:
        entry = queue.pop(0)
        inflated = _inflate(archive, entry, budget)
        budget -= len(inflated)
        root = reader.read(inflated, filename)
        for link in (el for el in root.iter() if _local(el.tag) == "NetworkLink"):
            href = next((h.text for h in link.iter() if _local(h.tag) == "href" and h.text), "").strip()
            target = posixpath.normpath(posixpath.join(posixpath.dirname(entry.filename), href)) if href else ""
            if target in kml and target not in seen:
                seen.add(target)
                queue.append(kml[target])
    return reader.features


def _looks_like_xml(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        return True
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


class _TooDeep(Exception):
    pass


class _Builder(TreeBuilder):
    """The standard tree builder, stopping at MAX_XML_ELEMENTS elements or MAX_XML_DEPTH levels."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.depth, self.count = 0, count

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth += 1
        self.count += 1
        if self.count > MAX_XML_ELEMENTS:
            raise too_many_parts(MAX_XML_ELEMENTS)
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeep
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


class _Reader:
    """Features of one or more documents, numbered on from one to the next, within the file's limits (the
    elements, features and positions of every document of a KMZ count together)."""

    def __init__(self) -> None:
        self.features: list[Feature] = []
        self.positions = Positions()
        self.elements = 0

    def read(self, data: bytes, filename: str) -> Element:
        root = self._parse(data, filename)
        placemarks = [el for el in root.iter() if _local(el.tag) == "Placemark"]
        if len(self.features) + len(placemarks) > MAX_FEATURES:
            raise too_many_features()
        start = len(self.features) + 1
        self.features += [_placemark(row, el, self.positions) for row, el in enumerate(placemarks, start=start)]
        return root

    def _parse(self, data: bytes, filename: str) -> Element:
        if not _looks_like_xml(data):
            raise FileRefused(_l("The file %(name)s is not KML: a KML file is XML.", name=filename), 415)
        if data.count(b"<") > 2 * (MAX_XML_ELEMENTS - self.elements) + 16:  # each element opens with "<"
            raise too_many_parts(MAX_XML_ELEMENTS)
        builder = _Builder(self.elements)
        parser = DefusedET.DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        try:
            parser.feed(data)
            root = parser.close()
        except defusedxml.DefusedXmlException:
            raise FileRefused(
                _l("The KML file declares a DTD, entities or external references, which are refused for safety.")
            ) from None
        except _TooDeep:
            raise FileRefused(_l("The KML file nests its elements more than %(n)s deep.", n=MAX_XML_DEPTH)) from None
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else "?"
            raise FileRefused(_l("The KML file is not well-formed XML (line %(line)s).", line=line)) from None
        if _local(root.tag) != "kml":
            raise FileRefused(_l("The file %(name)s is XML but not KML.", name=filename), 415)
        self.elements = builder.count
        return root


def read_kml(data: bytes, filename: str) -> list[Feature]:
    reader = _Reader()
    reader.read(data, filename)
    return reader.features


def _placemark(row: int, placemark: Element, positions: Positions) -> Feature:
    name: str | None = None
    properties: dict[str, str] = {}
    extended = False
    geometry_el: Element | None = None
    for child in placemark:
        tag = _local(child.tag)
        if tag == "name":
            name = (child.text or "").strip()
        elif tag == "ExtendedData":
            extended = True
            properties.update(_extended_data(child))
        elif tag in _GEOMETRIES and geometry_el is None:
            geometry_el = child
    if not extended and name is not None:
        properties["name"] = name
    try:
        geometry = None if geometry_el is None else _geometry(geometry_el, positions)
    except RowError as exc:
        return Feature(row, properties, None, str(exc.message), name)
    return Feature(row, properties, geometry, None, name)


def _extended_data(element: Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in element:
        tag = _local(item.tag)
        if tag == "Data" and item.get("name") is not None:
            value = next((c for c in item if _local(c.tag) == "value"), None)
            out[item.get("name")] = "" if value is None else "".join(value.itertext())
        elif tag == "SchemaData":
            for simple in item:
                if _local(simple.tag) == "SimpleData" and simple.get("name") is not None:
                    out[simple.get("name")] = "".join(simple.itertext())
    return out


def _coordinates(element: Element | None) -> list[list[float]]:
    node = None if element is None else next((c for c in element if _local(c.tag) == "coordinates"), None)
    text = "" if node is None else (node.text or "")
    tuples = _COMMA.sub(",", text.strip()).split()
    if not tuples:
        raise RowError(_l("A KML geometry has no coordinates."))
    out = []
    for item in tuples:
        parts = item.split(",")
        try:
            out.append([float(p) for p in parts])
        except ValueError:
            raise RowError(
                _l("KML coordinates are longitude,latitude[,altitude] numbers; %(text)s is not.", text=item[:60])
            ) from None
    return out


def _child(element: Element, tag: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == tag), None)


def _polygon(element: Element, positions: Positions) -> list[list[list[float]]]:
    outer = _child(element, "outerBoundaryIs")
    if outer is None or _child(outer, "LinearRing") is None:
        raise RowError(_l("A KML Polygon needs an outerBoundaryIs with a LinearRing."))
    rings = [positions.ring(_coordinates(_child(outer, "LinearRing")))]
    for inner in (c for c in element if _local(c.tag) == "innerBoundaryIs"):
        for ring in (c for c in inner if _local(c.tag) == "LinearRing"):
            rings.append(positions.ring(_coordinates(ring)))
    return rings


def _point(element: Element, positions: Positions) -> list[float]:
    coordinates = _coordinates(element)
    if len(coordinates) != 1:
        raise RowError(_l("A KML Point has exactly one longitude,latitude pair."))
    return positions.position(coordinates[0])


def _unsupported(tag: str) -> RowError:
    return RowError(
        _l(
            "The geometry type %(type)s cannot be read: use a Point, a Polygon (with its holes) or a MultiPolygon.",
            type=tag,
        )
    )


def _geometry(element: Element, positions: Positions) -> dict[str, Any]:
    tag = _local(element.tag)
    if tag == "Point":
        return {"type": "Point", "coordinates": _point(element, positions)}
    if tag == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(element, positions)}
    if tag != "MultiGeometry":
        raise _unsupported(tag)
    polygons, points = [], []
    stack = list(reversed(list(element)))  # nested MultiGeometry is flattened, in document order
    while stack:
        child = stack.pop()
        kind = _local(child.tag)
        if kind == "MultiGeometry":
            stack.extend(reversed(list(child)))
        elif kind == "Polygon":
            polygons.append(_polygon(child, positions))
        elif kind == "Point":
            points.append(_point(child, positions))
        elif kind in _GEOMETRIES:
            raise _unsupported(kind)
    if polygons and not points:
        return {"type": "MultiPolygon", "coordinates": polygons}
    if points and not polygons:
        return {"type": "MultiPoint", "coordinates": points}
    raise RowError(_l("A KML MultiGeometry must hold only polygons or only points."))


# ---------------------------------------------------------------- writing


def _text(value: Any) -> str:
    return escape(_NOT_XML.sub("", text_value(value)), {"\r": "&#13;"})


def _attr(value: Any) -> str:
    return quoteattr(_NOT_XML.sub("", text_value(value)), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _number(value: Any) -> str:
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"a coordinate must be a finite number, not {value!r}")
    text = repr(number)
    return format(Decimal(text), "f") if "e" in text else text  # Google Earth reads plain decimals


def _coords_xml(positions: Iterable[Any]) -> str:
    return "<coordinates>" + " ".join(",".join(_number(n) for n in p) for p in positions) + "</coordinates>"


def _polygon_xml(rings: list[Any]) -> str:
    outer, *holes = rings
    parts = ["<Polygon><outerBoundaryIs><LinearRing>", _coords_xml(outer), "</LinearRing></outerBoundaryIs>"]
    for hole in holes:
        parts += ["<innerBoundaryIs><LinearRing>", _coords_xml(hole), "</LinearRing></innerBoundaryIs>"]
    return "".join(parts) + "</Polygon>"


def geometry_xml(geometry: dict[str, Any] | None) -> str:
    if geometry is None:
        return ""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return "<Point>" + _coords_xml([coordinates]) + "</Point>"
    if kind == "MultiPoint":
        return (
            "<MultiGeometry>" + "".join(f"<Point>{_coords_xml([p])}</Point>" for p in coordinates) + "</MultiGeometry>"
        )
    if kind == "Polygon":
        return _polygon_xml(coordinates)
    if kind == "MultiPolygon":
        return "<MultiGeometry>" + "".join(_polygon_xml(p) for p in coordinates) + "</MultiGeometry>"
    raise ValueError(f"KML export holds points and polygons, not {kind!r}")


def write_kml(headers: list[str], rows: Iterable[tuple[list, dict | None]], name_column: int) -> bytes:
    """A KML 2.2 Document of Placemarks: <name> from ``name_column``, every column as ExtendedData, the geometry."""
    names = [_attr(h) for h in headers]
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="{KML_NS}">\n<Document>\n']
    for values, geometry in rows:
        if len(values) != len(names):
            raise ValueError(f"a row has {len(values)} values for {len(names)} headers")
        data = "".join(f"<Data name={n}><value>{_text(v)}</value></Data>" for n, v in zip(names, values, strict=True))
        out.append(
            f"<Placemark><name>{_text(values[name_column])}</name>"
            f"<ExtendedData>{data}</ExtendedData>{geometry_xml(geometry)}</Placemark>\n"
        )
    out.append("</Document>\n</kml>\n")
    return "".join(out).encode("utf-8")
