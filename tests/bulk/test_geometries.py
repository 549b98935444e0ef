"""Area maps imported from GeoJSON and KML: by code, within the actor's rights, all or nothing, idempotent."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from bulk.geo import FileRefused, write_geojson, write_kml
from bulk.geometries import import_geometries
from registry.areas import geometry as area_geometry
from registry.areas.models import AreaKind, GrowingArea
from registry.lifecycle.models import CodeStatus
from tests import factories


@pytest.fixture
def en(app, db):
    with app.test_request_context("/?lang=en"):
        yield


def ring(lon, lat, d=0.003):
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]


SQUARE = {"type": "Polygon", "coordinates": [ring(105.08, 21.63), ring(105.081, 21.631, 0.001)[::-1]]}
TWO_FIELDS = {"type": "MultiPolygon", "coordinates": [[ring(105.1, 21.6)], [ring(105.11, 21.61, 0.002)]]}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[105.08, 21.63], [105.09, 21.64], [105.09, 21.63], [105.08, 21.64], [105.08, 21.63]]],
}


def geojson(*features) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
        },
        ensure_ascii=False,
    ).encode()


def run(db, data, filename, actor, dry_run=False):
    return import_geometries(db.session, data, filename, actor=actor, dry_run=dry_run)


def stored(db, area_id):
    """The area as the database holds it after the caller commits."""
    db.session.commit()
    db.session.expire_all()
    return db.session.get(GrowingArea, area_id)


@pytest.fixture
def flushes(db):
    """Counts the session's flushes, to show that a refused or dry import writes nothing at all."""
    count = [0]

    def counted(session, context):
        count[0] += 1

    sa.event.listen(db.session(), "after_flush", counted)
    yield count
    sa.event.remove(db.session(), "after_flush", counted)


def test_a_member_sets_the_map_of_its_area_and_the_same_file_again_changes_nothing(db, world, en):
    data = geojson(({"code": world.area_a.code, "tên": "Vùng bưởi Chí Đám"}, SQUARE))
    assert run(db, data, "vung.geojson", world.member_a) == {"rows": 1, "created": 0, "updated": 1, "errors": []}
    area = stored(db, world.area_a.id)
    assert area.geometry == SQUARE
    assert area.geometry_ha == area_geometry.hectares(SQUARE) and area.geometry_ha > 0
    assert run(db, data, "vung.geojson", world.member_a) == {"rows": 1, "created": 0, "updated": 0, "errors": []}


def test_a_kml_placemark_names_its_area_and_an_export_imports_back_unchanged(db, world, en):
    placemark = """<Placemark><name> {code} </name><MultiGeometry>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>{a}</coordinates></LinearRing></outerBoundaryIs></Polygon>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>{b}</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </MultiGeometry></Placemark>"""

    def coordinates(positions):
        return " ".join(f"{lon},{lat},0" for lon, lat in positions)

    body = placemark.format(
        code=world.area_a.code,
        a=coordinates(TWO_FIELDS["coordinates"][0][0]),
        b=coordinates(TWO_FIELDS["coordinates"][1][0]),
    )
    data = f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>{body}</Folder></Document></kml>'
    answer = run(db, data.encode(), "google_earth.kml", world.member_a)
    assert answer == {"rows": 1, "created": 0, "updated": 1, "errors": []}
    area = stored(db, world.area_a.id)
    assert area.geometry == TWO_FIELDS
    exported = write_kml(["code", "name"], [([area.code, area.name], area.geometry)], name_column=1)
    assert run(db, exported, "export.kml", world.member_a)["updated"] == 0
    exported = write_geojson(["code", "name"], [([area.code, area.name], area.geometry)])
    assert run(db, exported, "export.geojson", world.member_a)["updated"] == 0


def test_vietnamese_headers_and_a_point_for_the_gps(db, world, en):
    data = geojson(
        ({"Mã vùng trồng": world.area_a.code}, {"type": "Point", "coordinates": [105.0812345, 21.6312345]}),
        ({"ma_vung_trong": world.area_b.code}, TWO_FIELDS),
    )
    answer = run(db, data, "qgis.json", world.admin)
    assert answer == {"rows": 2, "created": 0, "updated": 2, "errors": []}
    area_a = stored(db, world.area_a.id)
    assert (area_a.gps_lat, area_a.gps_lon) == (Decimal("21.631234"), Decimal("105.081234"))  # half-even to 6 places
    assert area_a.geometry is None
    assert stored(db, world.area_b.id).geometry == TWO_FIELDS
    assert run(db, data, "qgis.json", world.admin)["updated"] == 0


def test_another_cooperatives_area_is_answered_like_an_unknown_code(db, world, en, flushes):
    data = geojson(({"code": world.area_b.code}, SQUARE), ({"code": "VN-25-07999-999"}, SQUARE))
    answer = run(db, data, "vung.geojson", world.member_a)
    assert answer["updated"] == 0 and answer["created"] == 0 and answer["rows"] == 2
    assert answer["errors"] == [
        {"row": 1, "column": "code", "message": f"No growing area has the code {world.area_b.code}."},
        {"row": 2, "column": "code", "message": "No growing area has the code VN-25-07999-999."},
    ]
    assert flushes[0] == 0
    assert stored(db, world.area_b.id).geometry is None


def test_inspectors_may_not_change_maps_and_the_admin_may_change_any(db, world, en):
    data = geojson(({"code": world.area_a.code}, SQUARE), ({"code": world.area_b.code}, TWO_FIELDS))
    answer = run(db, data, "vung.geojson", world.auditor)
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(1, "code"), (2, "code")]
    assert "inspectors check records" in answer["errors"][0]["message"]
    assert stored(db, world.area_a.id).geometry is None
    assert run(db, data, "vung.geojson", world.admin)["updated"] == 2
    assert stored(db, world.area_b.id).geometry == TWO_FIELDS


def test_one_bad_row_and_nothing_is_stored_with_every_problem_reported(db, world, en, flushes):
    others = [factories.AreaFactory(organization=world.org_a) for _ in range(3)]
    db.session.commit()
    outside = {"type": "Polygon", "coordinates": [ring(2.35, 48.85)]}  # Paris
    data = geojson(
        ({"code": world.area_a.code}, SQUARE),  # fine on its own
        ({"code": others[0].code}, BOWTIE),
        ({"code": others[1].code}, {"type": "Polygon", "coordinates": [ring(105.08, 95.0)]}),
        ({"code": others[2].code}, outside),
        ({"code": world.area_a.code}, TWO_FIELDS),
        ({"tên": "không có mã"}, SQUARE),
        ({"code": others[1].code.lower()}, {"type": "LineString", "coordinates": [[105.1, 21.6], [105.2, 21.6]]}),
    )
    flushes[0] = 0
    answer = run(db, data, "vung.geojson", world.member_a)
    assert answer["updated"] == 0 and answer["rows"] == 7
    errors = [(e["row"], e["column"], e["message"]) for e in answer["errors"]]
    assert [(row, column) for row, column, _m in errors] == [
        (2, "geometry"),
        (3, "geometry"),
        (4, "geometry"),
        (5, "code"),
        (6, "code"),
        (7, "geometry"),
        (7, "code"),
    ]
    assert "crosses itself" in errors[0][2] and "Self-intersection" in errors[0][2]
    assert "out of range" in errors[1][2]
    assert "outside Viet Nam" in errors[2][2]
    assert f"{world.area_a.code} is already on row 1" in errors[3][2]
    assert 'in a "code" property' in errors[4][2]
    assert "LineString cannot be read" in errors[5][2] and "No growing area has the code" in errors[6][2]
    assert flushes[0] == 0 and not db.session.dirty and not db.session.new
    assert all(stored(db, a.id).geometry is None for a in [world.area_a, *others])


def test_a_dry_run_counts_what_would_change_and_writes_nothing(db, world, en, flushes):
    data = geojson(({"code": world.area_a.code}, SQUARE), ({"code": world.area_b.code}, None))
    answer = run(db, data, "vung.geojson", world.member_a, dry_run=True)
    # area_b is another cooperative's: its row is an error even without a geometry
    assert answer["errors"][0]["row"] == 2
    answer = run(db, geojson(({"code": world.area_a.code}, SQUARE)), "v.geojson", world.member_a, dry_run=True)
    assert answer == {"rows": 1, "created": 0, "updated": 1, "errors": []}
    assert flushes[0] == 0
    assert stored(db, world.area_a.id).geometry is None


def test_a_feature_without_geometry_changes_nothing(db, world, en):
    run(db, geojson(({"code": world.area_a.code}, SQUARE)), "v.geojson", world.member_a)
    db.session.commit()
    answer = run(db, geojson(({"code": world.area_a.code}, None)), "v.geojson", world.member_a)
    assert answer == {"rows": 1, "created": 0, "updated": 0, "errors": []}
    assert stored(db, world.area_a.id).geometry == SQUARE


def test_a_closed_code_cannot_get_a_map(db, world, en):
    revoked = factories.AreaFactory(organization=world.org_a, status=CodeStatus.REVOKED)
    db.session.commit()
    answer = run(db, geojson(({"code": revoked.code}, SQUARE)), "v.geojson", world.member_a)
    assert answer["errors"] == [
        {
            "row": 1,
            "column": "code",
            "message": "A code that is revoked is closed: its record can no longer be changed.",
        }
    ]


def test_a_rule_only_update_area_knows_puts_back_the_rows_already_written(db, world, en):
    """A domestic code holding export markets (legacy data) is refused by update_area itself, after area_a was
    written: area_a is put back, so the session holds nothing changed even before the caller rolls back."""
    legacy = factories.AreaFactory(organization=world.org_a, kind=AreaKind.DOMESTIC, markets=["CN"])
    db.session.commit()
    data = geojson(({"code": world.area_a.code}, SQUARE), ({"code": legacy.code}, TWO_FIELDS))
    answer = run(db, data, "v.geojson", world.member_a)
    assert answer["updated"] == 0
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(2, "kind")]
    assert "Remove the export markets" in answer["errors"][0]["message"]
    assert world.area_a.geometry is None and world.area_a.geometry_ha is None
    assert stored(db, world.area_a.id).geometry is None
    assert stored(db, legacy.id).geometry is None


def test_a_file_that_cannot_be_read_is_refused_whole(db, world, en):
    with pytest.raises(FileRefused) as refused:
        run(db, geojson(({"code": world.area_a.code}, SQUARE)), "vung.kml", world.member_a)
    assert refused.value.status_code == 415


def test_errors_are_in_vietnamese_by_default(app, db, world):
    with app.test_request_context("/"):
        answer = run(db, geojson(({"code": "VN-00-00000-000"}, SQUARE)), "v.geojson", world.member_a)
    assert answer["errors"][0]["message"] != "No growing area has the code VN-00-00000-000."
    assert "VN-00-00000-000" in answer["errors"][0]["message"]


def test_a_qgis_layer_with_its_crs84_member_imports_by_ma_vung_trong(db, world, en):
    from tests.bulk.test_geo import QGIS_GEOJSON

    data = QGIS_GEOJSON.replace("VN-25-07999-100", world.area_a.code).replace("VN-25-07996-101", world.area_b.code)
    assert run(db, data.encode(), "vung_trong.geojson", world.admin)["updated"] == 2
    area_a = stored(db, world.area_a.id)
    assert area_a.geometry["type"] == "MultiPolygon"
    assert Decimal("10") < area_a.geometry_ha < Decimal("20")  # 0.004° by 0.004° at 21.6° N: about 17 ha
    assert run(db, data.encode(), "vung_trong.geojson", world.admin)["updated"] == 0
