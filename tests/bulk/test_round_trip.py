"""Exports import back unchanged, and a file imported into an empty registry exports as the same rows."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from registry.core.auth import Role
from tests.bulk.sheets import rows_of_csv, upload, xlsx_bytes
from tests.factories import OrganizationFactory, UserFactory

VI_AREAS = [
    "mã số",
    "tên vùng trồng",
    "mã số thuế tổ chức",
    "loại",
    "cây trồng",
    "giống",
    "diện tích (ha)",
    "mã xã",
    "địa danh cũ",
    "trạng thái",
]
VI_HOMES = ["mã số vùng trồng", "tên hộ", "diện tích thửa (ha)", "điện thoại"]
VI_CERTS = ["mã số vùng trồng", "tiêu chuẩn", "số chứng nhận", "tổ chức cấp", "ngày cấp", "ngày hết hạn"]


@pytest.fixture
def empty_registry(db):
    """Two organizations and an admin, nothing else."""
    orgs = [
        OrganizationFactory(tax_code="2600100022"),
        OrganizationFactory(tax_code="0101234567", commune_code="07996"),
    ]
    admin = UserFactory(role=Role.ADMIN, organization=None, email="admin@test.example")
    db.session.commit()
    return orgs, admin


ORIGINAL = [
    [
        "VN-25-07999-001",
        "Vùng bưởi Chí Đám",
        "2600100022",
        "domestic",
        "pomelo",
        "Bưởi Sửu",
        "45",
        "07999",
        "",
        "active",
    ],
    [
        "VN-PTTO-0102",
        "Vùng bưởi Bằng Luân",
        "0101234567",
        "export",
        "pomelo",
        "",
        "28.3",
        "07996",
        "xã Bằng Luân, huyện Đoan Hùng, tỉnh Phú Thọ",
        "suspended",
    ],
    [
        "VN-25-07999-003",
        "-Vùng thử @công thức",
        "2600100022",
        "domestic",
        "tea",
        "Trung du",
        "2.125",
        "07999",
        "",
        "pending",
    ],
]


def test_csv_into_an_empty_registry_exports_the_same_rows(db, empty_registry, make_api):
    _orgs, admin = empty_registry
    api = make_api(admin)
    original = (
        "\ufeff"
        + "\r\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in [VI_AREAS, *ORIGINAL])
        + "\r\n"
    )
    original = original.replace("-Vùng thử", "'-Vùng thử")  # as an export writes a cell that starts like a formula
    data = original.encode("utf-8")
    assert upload(api, "areas", data, "vung.csv").get_json() == {"rows": 3, "created": 3, "updated": 0, "errors": []}
    exported = api.get("/api/v1/exports/areas.csv").data
    assert rows_of_csv(exported) == rows_of_csv(data)
    assert exported == data
    assert upload(api, "areas", exported, "again.csv").get_json() == {
        "rows": 3,
        "created": 0,
        "updated": 0,
        "errors": [],
    }


def _values(book_bytes):
    book = load_workbook(io.BytesIO(book_bytes))
    return {ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def test_xlsx_with_households_and_certificates_round_trips(db, empty_registry, make_api):
    _orgs, admin = empty_registry
    api = make_api(admin)
    numeric = [[*row[:6], float(row[6]), *row[7:]] for row in ORIGINAL]
    numeric = [[c if c != "" else None for c in row] for row in numeric]
    homes = [["VN-25-07999-001", "Nguyễn Văn An", 2.5, "0912345678"], ["VN-25-07999-001", "Hà Thị Bình", 1, None]]
    certs = [["VN-PTTO-0102", "globalgap", "GG-77", "Control Union", dt.datetime(2025, 3, 1), dt.datetime(2028, 2, 28)]]
    data = xlsx_bytes(("areas", VI_AREAS, numeric), ("hộ", VI_HOMES, homes), ("chứng nhận", VI_CERTS, certs))
    assert upload(api, "areas", data, "vung.xlsx").get_json() == {"rows": 3, "created": 6, "updated": 0, "errors": []}
    exported = api.get("/api/v1/exports/areas.xlsx").data
    assert _values(exported) == _values(data)
    assert upload(api, "areas", exported, "again.xlsx").get_json() == {
        "rows": 3,
        "created": 0,
        "updated": 0,
        "errors": [],
    }


@pytest.mark.parametrize("kind", ["areas", "packing-houses", "lots"])
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_exports_import_back_unchanged(db, world, make_api, kind, ext):
    from tests.bulk.test_import_lots import add_house, lot_rows

    api = make_api(world.admin)
    add_house(db, world)
    assert upload(api, "lots", lot_rows(world, 3), "lots.csv").get_json()["created"] == 3
    exported = api.get(f"/api/v1/exports/{kind}.{ext}")
    assert exported.status_code == 200
    body = upload(api, kind, exported.data, f"{kind}.{ext}").get_json()
    assert body["errors"] == [] and body["created"] == 0 and body["updated"] == 0 and body["rows"] > 0


def test_exports_keep_to_what_the_asker_may_see_and_the_filters(db, world, make_api):
    member = make_api(world.member_a)
    rows = rows_of_csv(member.get("/api/v1/exports/areas.csv").data)
    assert [r[0] for r in rows[1:]] == [world.area_a.code]
    admin = make_api(world.admin, language="en")
    assert len(rows_of_csv(admin.get("/api/v1/exports/areas.csv").data)) == 3
    assert rows_of_csv(admin.get("/api/v1/exports/areas.csv").data)[0][0] == "code"
    filtered = rows_of_csv(admin.get(f"/api/v1/exports/areas.csv?organization_id={world.org_b.id}").data)
    assert [r[0] for r in filtered[1:]] == [world.area_b.code]
    assert len(rows_of_csv(admin.get("/api/v1/exports/areas.csv?status=pending").data)) == 1
    assert admin.get("/api/v1/exports/areas.csv?status=nonsense").status_code == 422
    geo = json.loads(admin.get("/api/v1/exports/areas.geojson").data)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2
    assert admin.get("/api/v1/exports/areas.kml").data.startswith(b"<?xml")
    assert admin.get("/api/v1/exports/ocop-products.csv").status_code == 200
    assert admin.get("/api/v1/exports/cows.csv").status_code == 404


def test_templates(db, world, make_api):
    vi, en = make_api(world.member_a, language="vi"), make_api(world.member_a, language="en")
    assert rows_of_csv(vi.get("/api/v1/imports/areas/template.csv").data) == [VI_AREAS]
    assert rows_of_csv(en.get("/api/v1/imports/areas/template.csv").data)[0][:3] == [
        "code",
        "name",
        "organization_tax_code",
    ]
    book = load_workbook(io.BytesIO(vi.get("/api/v1/imports/areas/template.xlsx").data))
    assert [ws.title for ws in book.worksheets] == ["areas", "hộ", "chứng nhận", "Hướng dẫn"]
    for kind in ("packing-houses", "organizations", "lots"):
        for ext in ("csv", "xlsx"):
            response = vi.get(f"/api/v1/imports/{kind}/template.{ext}")
            assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    # A template imports as an empty file: nothing to do, nothing wrong.
    empty = upload(vi, "areas", vi.get("/api/v1/imports/areas/template.xlsx").data, "t.xlsx", dry_run=True)
    assert empty.get_json() == {"rows": 0, "created": 0, "updated": 0, "errors": []}


def test_area_maps_export_to_geojson_and_kml_and_import_back(db, world, make_api):
    square = {
        "type": "Polygon",
        "coordinates": [[[105.2, 21.6], [105.21, 21.6], [105.21, 21.61], [105.2, 21.61], [105.2, 21.6]]],
    }
    world.area_a.geometry = square
    db.session.commit()
    api = make_api(world.admin)
    for ext in ("geojson", "kml"):
        exported = api.get(f"/api/v1/exports/areas.{ext}")
        assert exported.status_code == 200
        body = upload(api, "geometries", exported.data, f"areas.{ext}").get_json()
        assert body["errors"] == [] and body["created"] == 0 and body["updated"] == 0 and body["rows"] == 2
    features = json.loads(api.get("/api/v1/exports/areas.geojson").data)["features"]
    mapped = next(f for f in features if f["properties"]["code"] == world.area_a.code)
    assert mapped["geometry"] == square
    auditor = make_api(world.auditor)
    assert upload(auditor, "geometries", exported.data, "areas.kml").status_code == 403


def test_download_headers(db, world, make_api):
    api = make_api(world.admin)
    csv = api.get("/api/v1/exports/areas.csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.headers["Content-Disposition"] == 'attachment; filename="areas.csv"'
    assert api.get("/api/v1/exports/lots.xlsx").headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert api.get("/api/v1/exports/areas.geojson").headers["Content-Type"] == "application/geo+json"
