"""GeoJSON and KML read and written by bulk.geo: round trips, what GIS tools write, and hostile files."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import shapely
from fastkml import kml as fastkml
from fastkml.validator import get_schema_parser
from lxml import etree
from shapely.geometry import shape

from bulk import geo
from bulk.geo import FileRefused, read_features, text_value, write_geojson, write_kml


@pytest.fixture
def en(app):
    with app.test_request_context("/?lang=en"):
        yield


@pytest.fixture
def vi(app):
    with app.test_request_context("/?lang=vi"):
        yield


def ring(lon, lat, d):
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]


HOLED = {"type": "Polygon", "coordinates": [ring(105.08, 21.63, 0.004), ring(105.081, 21.631, 0.001)[::-1]]}
MULTI = {
    "type": "MultiPolygon",
    "coordinates": [[ring(105.1, 21.6, 0.002)], [ring(105.11, 21.61, 0.003), ring(105.111, 21.611, 0.001)]],
}
POINT = {"type": "Point", "coordinates": [105.123456, 21.654321]}
HEADERS = ["code", "tên vùng", "diện tích (ha)", "ngày cấp", "ghi chú", "số hộ", "xuất khẩu"]
ROWS = [
    (["VN-25-07999-100", "Vùng bưởi Chí Đám", Decimal("12.5000"), dt.date(2024, 3, 1), None, 12, True], HOLED),
    (["VN-25-07996-101", 'Vùng <bưởi> & "Bằng Luân"\r\nđồi 2', Decimal("0.0001"), None, "  ", 0, False], MULTI),
    (["25-07999-7", "Điểm thu mua Đoan Hùng", Decimal("3E+2"), dt.date(2025, 7, 1), "ô\tê", None, None], POINT),
    (["VN-25-07999-103", "Chưa có bản đồ", 1.25, None, "ưu tiên", 3, None], None),
]


def expected(rows=ROWS, headers=HEADERS):
    return [({h: text_value(v) for h, v in zip(headers, values, strict=True)}, g) for values, g in rows]


def got(features):
    return [(f.properties, f.geometry) for f in features]


# ---------------------------------------------------------------- round trips


def test_geojson_round_trip_keeps_properties_and_geometries(en):
    data = write_geojson(HEADERS, ROWS)
    features = read_features(data, "vùng trồng.geojson")
    assert got(features) == expected()
    assert [f.row for f in features] == [1, 2, 3, 4] and all(f.error is None for f in features)
    # Decimals keep their digits, as numbers; dates are ISO text; None is null.
    assert features[0].properties["diện tích (ha)"] == "12.5000"
    assert "Vùng bưởi Chí Đám".encode() in data  # UTF-8 text, not \u escapes
    document = json.loads(data)
    first = document["features"][0]["properties"]
    assert first["diện tích (ha)"] == 12.5 and first["ngày cấp"] == "2024-03-01" and first["ghi chú"] is None
    assert first["xuất khẩu"] is True


def test_geojson_output_is_rfc7946_as_shapely_and_gdal_read_it(en):
    document = json.loads(write_geojson(HEADERS, ROWS))
    assert document["type"] == "FeatureCollection" and "crs" not in document
    for feature in document["features"]:
        assert set(feature) == {"type", "properties", "geometry"} and feature["type"] == "Feature"
        if feature["geometry"] is not None:
            assert shape(feature["geometry"]).is_valid
    collection = shapely.from_geojson(write_geojson(HEADERS, ROWS[:3]).decode())
    assert [g.geom_type for g in collection.geoms] == ["Polygon", "MultiPolygon", "Point"]
    assert collection.geoms[0].interiors[0].coords[0] == (105.081, 21.631)
    assert len(collection.geoms[1].geoms[1].interiors) == 1


def kml_schema_errors(data: bytes) -> list[str]:
    schema = get_schema_parser()  # the OGC KML 2.2 schema, checked by libxml2
    valid = schema.validate(etree.fromstring(data))
    return [] if valid else [e.message for e in schema.error_log]


def test_kml_round_trip_keeps_properties_and_geometries(en):
    data = write_kml(HEADERS, ROWS, name_column=1)
    features = read_features(data, "vung.kml")
    assert got(features) == expected()
    assert [f.name for f in features] == [
        "Vùng bưởi Chí Đám",
        'Vùng <bưởi> & "Bằng Luân"\r\nđồi 2',
        "Điểm thu mua Đoan Hùng",
        "Chưa có bản đồ",
    ]


def test_kml_output_is_valid_kml22_and_an_independent_parser_reads_it(en):
    data = write_kml(HEADERS, ROWS, name_column=0)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert kml_schema_errors(data) == []
    document = fastkml.KML.from_string(data).features[0]
    placemarks = list(document.features)
    assert [p.name for p in placemarks] == [r[0][0] for r in ROWS]
    assert [p.geometry.geom_type if p.geometry else None for p in placemarks] == [
        "Polygon",
        "MultiPolygon",
        "Point",
        None,
    ]
    assert shape(placemarks[0].geometry).equals(shape(HOLED))
    assert shape(placemarks[1].geometry).equals(shape(MULTI))
    data_of_first = {d.name: d.value for d in placemarks[0].extended_data.elements}
    assert data_of_first["tên vùng"] == "Vùng bưởi Chí Đám" and data_of_first["diện tích (ha)"] == "12.5000"


def test_the_kml_schema_check_can_fail():
    broken = b"""<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
    <Placemark><Point><coordinates>105,21</coordinates></Point><name>geometry before name</name></Placemark>
    </Document></kml>"""
    assert kml_schema_errors(broken)


def test_kmz_round_trip(en):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("files/readme.txt", "không phải KML")
        archive.writestr("doc.kml", write_kml(HEADERS, ROWS, name_column=0))
    assert got(read_features(buffer.getvalue(), "VUNG.KMZ")) == expected()


def test_coordinates_written_as_plain_decimals_read_back_exactly(en):
    tiny = {"type": "Point", "coordinates": [105.00000001, 1e-05, 7]}
    data = write_kml(["code"], [(["x"], tiny)], name_column=0)
    assert b"105.00000001,0.00001,7.0" in data
    assert read_features(data, "x.kml")[0].geometry == tiny
    assert read_features(write_geojson(["code"], [(["x"], tiny)]), "x.json")[0].geometry == tiny


# ---------------------------------------------------------------- files written by GIS tools

QGIS_GEOJSON = """{
"type": "FeatureCollection",
"name": "vung_trong_phu_tho",
"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } },
"features": [
{ "type": "Feature", "properties": { "fid": 1, "ma_vung_trong": "VN-25-07999-100", "ten": "Vùng bưởi Chí Đám",
  "dien_tich": 12.50, "ghi_chu": null }, "geometry": { "type": "MultiPolygon", "coordinates": [ [ [ [ 105.08, 21.63 ],
  [ 105.084, 21.63 ], [ 105.084, 21.634 ], [ 105.08, 21.634 ], [ 105.08, 21.63 ] ] ] ] } },
{ "type": "Feature", "properties": { "fid": 2, "ma_vung_trong": "VN-25-07996-101", "ten": "Vùng bưởi Bằng Luân",
  "dien_tich": 8, "ghi_chu": "đã khảo sát" }, "geometry": { "type": "MultiPolygon", "coordinates": [ [ [ [ 105.1, 21.6 ],
  [ 105.103, 21.6 ], [ 105.103, 21.603 ], [ 105.1, 21.603 ], [ 105.1, 21.6 ] ] ] ] } }
]
}
"""


def test_a_qgis_export_with_a_crs84_member_is_read(en):
    features = read_features(QGIS_GEOJSON.encode(), "vung_trong.geojson")
    assert [f.properties for f in features] == [
        {
            "fid": "1",
            "ma_vung_trong": "VN-25-07999-100",
            "ten": "Vùng bưởi Chí Đám",
            "dien_tich": "12.50",
            "ghi_chu": "",
        },
        {
            "fid": "2",
            "ma_vung_trong": "VN-25-07996-101",
            "ten": "Vùng bưởi Bằng Luân",
            "dien_tich": "8",
            "ghi_chu": "đã khảo sát",
        },
    ]
    assert features[0].geometry["type"] == "MultiPolygon" and features[0].error is None


def test_another_crs_is_refused(en):
    vn2000 = QGIS_GEOJSON.replace("urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::3405")
    with pytest.raises(FileRefused) as refused:
        read_features(vn2000.encode(), "vn2000.geojson")
    assert refused.value.status_code == 422
    assert "EPSG::3405" in str(refused.value.message) and "WGS 84" in str(refused.value.message)


GOOGLE_EARTH_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"
     xmlns:kml="http://www.opengis.net/kml/2.2" xmlns:atom="http://www.w3.org/2005/Atom">
<Document>
  <name>Vùng trồng Đoan Hùng.kmz</name>
  <Style id="s"><PolyStyle><color>7f00ff00</color></PolyStyle></Style>
  <Folder>
    <name>Bưởi</name>
    <Placemark>
      <name>VN-25-07999-100</name>
      <description><![CDATA[Vùng bưởi <b>Chí Đám</b>]]></description>
      <styleUrl>#s</styleUrl>
      <Polygon>
        <tessellate>1</tessellate>
        <outerBoundaryIs>
          <LinearRing>
            <coordinates>
              105.08,21.63,0 105.084,21.63,0 105.084,21.634,0
              105.08,21.634,0 105.08,21.63,0
            </coordinates>
          </LinearRing>
        </outerBoundaryIs>
        <innerBoundaryIs><LinearRing><coordinates>105.081,21.631,0 105.081,21.632,0 105.082,21.632,0 105.081,21.631,0
        </coordinates></LinearRing></innerBoundaryIs>
      </Polygon>
    </Placemark>
    <Placemark>
      <name>Nhà sơ chế</name>
      <Point><gx:drawOrder>1</gx:drawOrder><coordinates>105.09, 21.64</coordinates></Point>
    </Placemark>
  </Folder>
</Document>
</kml>
"""


def test_a_google_earth_file_is_read(en):
    features = read_features(GOOGLE_EARTH_KML.encode(), "doan_hung.kml")
    assert [f.properties for f in features] == [{"name": "VN-25-07999-100"}, {"name": "Nhà sơ chế"}]
    outer, hole = features[0].geometry["coordinates"]
    assert outer[0] == [105.08, 21.63, 0.0] and len(outer) == 5 and len(hole) == 4
    assert features[1].geometry == {"type": "Point", "coordinates": [105.09, 21.64]}


def test_ogr_simple_data_and_multigeometry_are_read(en):
    data = """<?xml version="1.0" encoding="utf-8" ?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document id="root_doc">
<Schema name="vung" id="vung"><SimpleField name="ma_vung_trong" type="string"></SimpleField></Schema>
<Folder><name>vung</name>
  <Placemark><ExtendedData><SchemaData schemaUrl="#vung">
      <SimpleData name="ma_vung_trong">VN-25-07996-101</SimpleData><SimpleData name="ten">Đồi 2</SimpleData>
  </SchemaData></ExtendedData>
  <MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>105.1,21.6 105.103,21.6 105.103,21.603 105.1,21.6</coordinates></LinearRing></outerBoundaryIs></Polygon>
  <MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>105.2,21.6 105.203,21.6 105.203,21.603 105.2,21.6</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry>
  </MultiGeometry></Placemark>
</Folder></Document></kml>"""
    (feature,) = read_features(data.encode(), "ogr.kml")
    assert feature.properties == {"ma_vung_trong": "VN-25-07996-101", "ten": "Đồi 2"}
    assert feature.geometry["type"] == "MultiPolygon" and len(feature.geometry["coordinates"]) == 2
    assert feature.geometry["coordinates"][1][0][0] == [105.2, 21.6]


DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["gdal_kml.kml", "gdal_libkml.kmz"])
def test_files_written_by_gdal_as_qgis_saves_them_are_read(en, name):
    """Written by GDAL 3.6.2 (ogr2ogr -f KML and -f LIBKML) from write_geojson(HEADERS, ROWS); the LIBKML KMZ
    keeps its layer in layers/vung.kml, linked from doc.kml by a NetworkLink."""
    features = read_features((DATA / name).read_bytes(), name)
    assert [f.geometry is None for f in features] == [g is None for _values, g in ROWS]
    for feature, (_values, geometry) in zip(features[:3], ROWS, strict=False):  # GDAL writes 15 digits
        assert shapely.force_2d(shape(feature.geometry)).equals_exact(shape(geometry), 1e-12)
    assert features[0].properties["tên vùng"] == "Vùng bưởi Chí Đám"
    assert features[1].properties["code"] == "VN-25-07996-101"
    assert features[2].properties["diện tích (ha)"] == "300"


def test_a_kmz_follows_links_inside_the_archive_only(en):
    def link(href):
        return f"<NetworkLink><Link><href>{href}</href></Link></NetworkLink>"

    def document(*parts):
        return f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{"".join(parts)}</Document></kml>'

    point = "<Placemark><name>{}</name><Point><coordinates>105.1,21.6</coordinates></Point></Placemark>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "doc.kml",
            document(
                point.format("gốc"),
                link("layers/a.kml"),
                link("http://example.invalid/b.kml"),
                link("../../outside.kml"),
                link("layers/a.kml"),
            ),
        )
        archive.writestr("layers/a.kml", document(point.format("lớp a"), link("../doc.kml"), link("b.kml")))
        archive.writestr("layers/b.kml", document(point.format("lớp b")))
        archive.writestr("unlinked.kml", document(point.format("không liên kết")))
    features = read_features(buffer.getvalue(), "links.kmz")
    assert [(f.row, f.name) for f in features] == [(1, "gốc"), (2, "lớp a"), (3, "lớp b")]


def test_a_single_feature_and_a_bare_geometry_are_files_of_one_feature(en):
    single = {"type": "Feature", "properties": {"code": "VN-1"}, "geometry": POINT}
    assert got(read_features(json.dumps(single).encode(), "f.json")) == [({"code": "VN-1"}, POINT)]
    assert got(read_features(json.dumps(MULTI).encode(), "g.geojson")) == [({}, MULTI)]
    inside = {"type": "FeatureCollection", "features": [HOLED]}
    assert got(read_features(json.dumps(inside).encode(), "c.geojson")) == [({}, HOLED)]


# ---------------------------------------------------------------- row errors: the row stays, with its reason


def collection(*geometries):
    features = [{"type": "Feature", "properties": {"n": i}, "geometry": g} for i, g in enumerate(geometries)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_bad_geometries_are_row_errors_in_geojson(en):
    open_ring = {"type": "Polygon", "coordinates": [ring(105.1, 21.6, 0.01)[:-1] + [[105.2, 21.7]]]}
    out_of_range = {"type": "Polygon", "coordinates": [ring(185.0, 21.6, 0.01)]}
    swapped = {"type": "Point", "coordinates": [21.6, 105.1]}
    too_short = {"type": "Polygon", "coordinates": [[[105.1, 21.6], [105.2, 21.6], [105.1, 21.6]]]}
    line = {"type": "LineString", "coordinates": [[105.1, 21.6], [105.2, 21.6]]}
    text = {"type": "Point", "coordinates": ["105.1", "21.6"]}
    features = read_features(collection(HOLED, open_ring, out_of_range, swapped, too_short, line, text), "x.geojson")
    assert [f.row for f in features] == [1, 2, 3, 4, 5, 6, 7]
    assert features[0].error is None and features[0].geometry == HOLED
    assert all(f.geometry is None for f in features[1:])
    assert "not closed" in features[1].error
    assert "185.0, 21.6 is out of range" in features[2].error
    assert "105.1 is out of range" in features[3].error
    assert "at least 4 positions" in features[4].error
    assert "LineString cannot be read" in features[5].error
    assert "[longitude, latitude]" in features[6].error
    assert [f.properties["n"] for f in features] == [str(i) for i in range(7)]


def test_bad_geometries_are_row_errors_in_kml(en):
    def placemark(geometry):
        return f"<Placemark><name>p</name>{geometry}</Placemark>"

    body = "".join(
        [
            placemark("<Point><coordinates>105.1,21.6</coordinates></Point>"),
            placemark(
                "<Polygon><outerBoundaryIs><LinearRing><coordinates>105.1,21.6 105.2,21.6 105.2,21.7 105.1,21.7"
                "</coordinates></LinearRing></outerBoundaryIs></Polygon>"
            ),
            placemark("<Point><coordinates>105.1,abc</coordinates></Point>"),
            placemark("<Point><coordinates>105.1,95</coordinates></Point>"),
            placemark("<LineString><coordinates>105.1,21.6 105.2,21.6</coordinates></LineString>"),
            placemark(
                "<MultiGeometry><Point><coordinates>105.1,21.6</coordinates></Point><Polygon><outerBoundaryIs>"
                "<LinearRing><coordinates>105.1,21.6 105.2,21.6 105.2,21.7 105.1,21.6</coordinates></LinearRing>"
                "</outerBoundaryIs></Polygon></MultiGeometry>"
            ),
            placemark("<Polygon></Polygon>"),
        ]
    )
    data = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'.encode()
    features = read_features(data, "x.kml")
    assert features[0].error is None
    errors = [f.error for f in features[1:]]
    assert "not closed" in errors[0]
    assert "105.1,abc is not" in errors[1]
    assert "105.1, 95.0 is out of range" in errors[2]
    assert "LineString cannot be read" in errors[3]
    assert "only polygons or only points" in errors[4]
    assert "outerBoundaryIs" in errors[5]


def test_row_errors_speak_vietnamese(vi):
    (feature,) = read_features(collection({"type": "Point", "coordinates": [200, 21]}), "x.geojson")
    assert "ngoài" in feature.error or "vượt" in feature.error, feature.error


# ---------------------------------------------------------------- whole files refused


def refused(data: bytes, filename: str) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read_features(data, filename)
    return caught.value


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (collection(POINT), "looks.kml"),  # JSON claiming to be KML
        (PNG, "photo.kml"),
        (PNG, "photo.geojson"),
        (GOOGLE_EARTH_KML.encode(), "earth.geojson"),
        (GOOGLE_EARTH_KML.encode(), "earth.kmz"),  # a KMZ is a zip archive
        (collection(POINT), "vung.shp"),
        (collection(POINT), "vung"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "drawing.kml"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_415(en, data, filename):
    assert refused(data, filename).status_code == 415


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"type": "FeatureCollection", "features": [', "could not be read as JSON"),
        (b"[1, 2]", "one JSON object"),
        (b'{"type": "FeatureCollection"}', '"features" list'),
        (b'{"type": "Topology"}', '"type" must be'),
        (b'{"type": "Point", "coordinates": [NaN, 21]}', "could not be read as JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"type": "Feature", "properties": [1], "geometry": null}', '"properties" of feature 1'),
        ('{"type": "Feature", "properties": {"tên": "Vùng"}}'.encode("utf-16"), "not GeoJSON"),
        (b'{"type": "Feature", "properties": {"x": "\xff"}, "geometry": null}', "not UTF-8"),
        (b"   \n", "is empty"),
    ],
)
def test_malformed_geojson_is_refused(en, data, words):
    error = refused(data, "bad.geojson")
    assert error.status_code in (415, 422) and words in str(error.message)


@pytest.mark.parametrize(
    "data",
    [
        b"<kml xmlns='http://www.opengis.net/kml/2.2'><Document><Placemark></Document></kml>",
        b"<kml><Document>",
        b"<",
    ],
)
def test_malformed_kml_is_refused(en, data):
    error = refused(data, "bad.kml")
    assert error.status_code == 422 and "not well-formed XML" in str(error.message)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE kml [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&lol9;</name></Placemark></Document></kml>
"""


def test_an_entity_bomb_is_refused_before_expanding(en):
    started = time.perf_counter()
    error = refused(BILLION_LAUGHS, "bomb.kml")
    assert time.perf_counter() - started < 1
    assert error.status_code == 422 and "DTD" in str(error.message)


def test_an_external_entity_is_never_read(en, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT KHẨU BÍ MẬT")
    for target in ("file:///etc/passwd", secret.as_uri()):
        data = f"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "{target}">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&xxe;</name>
<Point><coordinates>105.1,21.6</coordinates></Point></Placemark></Document></kml>""".encode()
        error = refused(data, "xxe.kml")
        assert error.status_code == 422
        assert "root:" not in str(error.message) and "BÍ MẬT" not in str(error.message)


def test_a_dtd_alone_is_refused(en):
    data = b'<?xml version="1.0"?><!DOCTYPE kml SYSTEM "http://example.invalid/kml.dtd"><kml/>'
    assert refused(data, "dtd.kml").status_code == 422


def kmz_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def test_a_kmz_zip_bomb_is_refused_before_inflating(en, monkeypatch):
    over = kmz_of("doc.kml", b"<kml>" + b" " * geo.MAX_BYTES + b"</kml>")  # inflates past the limit
    dense = kmz_of("doc.kml", b"<kml>" + b"\x20" * (4 * 1024 * 1024) + b"</kml>")  # under it, but 1000:1
    assert len(over) < 100_000 and len(dense) < 10_000

    def never(*args, **kwargs):
        raise AssertionError("the archive was inflated")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    for bomb in (over, dense):
        error = refused(bomb, "bomb.kmz")
        assert error.status_code == 413 and "zip bomb" in str(error.message)


def test_a_kmz_without_kml_or_damaged_is_refused(en):
    assert "no KML" in str(refused(kmz_of("image.png", PNG), "x.kmz").message)
    assert "damaged" in str(refused(b"PK\x03\x04" + b"\x00" * 40, "x.kmz").message)


def test_a_file_over_the_size_limit_is_413(en):
    big = b'{"type": "FeatureCollection", "features": []' + b" " * geo.MAX_BYTES + b"}"
    for name in ("big.geojson", "big.kml", "big.kmz"):
        error = refused(big, name)
        assert error.status_code == 413 and "larger than 32 MB" in str(error.message)


def test_too_many_features_is_413(en):
    one = b'{"type":"Feature","properties":{},"geometry":null}'
    data = b'{"type":"FeatureCollection","features":[' + b",".join([one] * (geo.MAX_FEATURES + 1)) + b"]}"
    assert refused(data, "many.geojson").status_code == 413
    placemarks = b"<Placemark/>" * (geo.MAX_FEATURES + 1)
    assert refused(b"<kml><Document>" + placemarks + b"</Document></kml>", "many.kml").status_code == 413


def test_too_many_positions_is_413(en, monkeypatch):
    """Counted over the whole file; the limit is lowered so the test needs no 30 MB file."""
    import bulk.features

    monkeypatch.setattr(bulk.features, "MAX_VERTICES", 1000)
    square = {"type": "Polygon", "coordinates": [ring(105.1, 21.6, 0.001)]}  # 5 positions
    assert len(read_features(collection(*[square] * 200), "ok.geojson")) == 200
    error = refused(collection(*[square] * 201), "dense.geojson")
    assert error.status_code == 413 and "more than 1000 positions" in str(error.message)
    placemark = "<Placemark><Point><coordinates>105.1,21.6</coordinates></Point></Placemark>"
    data = f"<kml><Document>{placemark * 1001}</Document></kml>".encode()
    assert refused(data, "dense.kml").status_code == 413


def test_files_of_millions_of_tiny_parts_are_refused_before_parsing(en):
    started = time.perf_counter()
    elements = b"<kml>" + b"<a/>" * (2 * geo.MAX_XML_ELEMENTS + 17) + b"</kml>"
    assert refused(elements, "tiny.kml").status_code == 413
    lists = b'{"type": "FeatureCollection", "features": [], "x": [' + b"[]," * geo.MAX_JSON_CONTAINERS + b"[]]}"
    assert refused(lists, "tiny.geojson").status_code == 413
    assert time.perf_counter() - started < 2


def test_elements_are_counted_while_parsing(en, monkeypatch):
    import bulk.kml

    monkeypatch.setattr(bulk.kml, "MAX_XML_ELEMENTS", 1000)
    assert read_features(b"<kml>" + b"<a/>" * 998 + b"<Placemark/></kml>", "ok.kml")[0].row == 1
    error = refused(b"<kml>" + b"<a/>" * 1000 + b"</kml>", "many.kml")
    assert error.status_code == 413 and "more than 1000 elements" in str(error.message)
    # the documents of a KMZ count together
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = b"<NetworkLink><Link><href>layer.kml</href></Link></NetworkLink>"
        archive.writestr("doc.kml", b"<kml>" + link + b"<a/>" * 600 + b"</kml>")
        archive.writestr("layer.kml", b"<kml>" + b"<a/>" * 600 + b"</kml>")
    assert refused(buffer.getvalue(), "two.kmz").status_code == 413


def test_deep_nesting_is_refused_at_once(en):
    started = time.perf_counter()
    deep = b"<kml>" + b"<Folder>" * 1_000_000 + b"</Folder>" * 1_000_000 + b"</kml>"
    error = refused(deep, "deep.kml")
    assert error.status_code == 422 and "more than 100 deep" in str(error.message)
    assert time.perf_counter() - started < 2


def test_a_refusal_speaks_vietnamese(vi):
    error = refused(PNG, "anh.kml")
    assert "anh.kml" in str(error.message) and "KML" in str(error.message)
    assert str(error.message) != "The file anh.kml is not KML: a KML file is XML."
