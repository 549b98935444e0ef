"""The growing-area record over the JSON API: edits, map, households, certificates, seasons, filters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from registry.areas.models import GapCertificate, GrowingArea, Household, Season
from registry.core.db import today_in_vietnam
from tests.registry.areas.conftest import BANGKOK, BOWTIE, NOT_CLOSED, SQUARE, count, patch


def area_row(db, area_id):
    db.session.expire_all()
    return db.session.get(GrowingArea, area_id)


def test_patch_full_record_computes_hectares_and_detail_has_every_field(db, make_api, world):
    api = make_api(world.member_a, "en")
    body = {
        "household_count": 24,
        "planting_year": 2012,
        "seed_origin": "Cây ghép từ vườn ươm Chí Đám",
        "average_yield_t": "180.5",
        "expected_yield_t": "200",
        "geometry": SQUARE,
        "gps": {"lat": 21.6015, "lon": 105.2015},
        "kind": "export",
        "markets": ["cn", "US", "EU", "US"],
    }
    response = patch(api, f"/api/v1/areas/{world.area_a.id}", body)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["id"] == world.area_a.id and data["code"] == world.area_a.code and data["status"] == "active"
    assert data["kind"] == "export" and data["markets"] == ["CN", "US", "EU"]
    assert data["crop"] == "pomelo" and data["area_ha"] == "12.5000"
    assert data["households"] == 24 and data["household_count"] == 24
    assert data["planting_year"] == 2012 and data["seed_origin"] == "Cây ghép từ vườn ươm Chí Đám"
    assert data["average_yield_t"] == "180.500" and data["expected_yield_t"] == "200.000"
    assert data["geometry"] == SQUARE
    # 0.003° × 0.003° at 21.6° N on the WGS 84 ellipsoid: about 310.6 m × 332.0 m.
    assert Decimal("10.2") < Decimal(data["geometry_ha"]) < Decimal("10.5")
    assert data["gps"] == {"lat": 21.6015, "lon": 105.2015}
    assert data["certificates"] == [] and data["seasons"] == []
    assert [h["to_status"] for h in data["history"]] == []  # the factory area has no history rows
    row = area_row(db, world.area_a.id)
    assert row.geometry_ha == Decimal(data["geometry_ha"]) and row.gps_lat == Decimal("21.601500")


@pytest.mark.parametrize(
    ("geometry", "needle"),
    [
        ("{not json", "GeoJSON"),
        ({"type": "Point", "coordinates": [105.2, 21.6]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[["a", 1], [2, 3], [4, 5], ["a", 1]]]}, "numbers"),
        (NOT_CLOSED, "not closed"),
        (BOWTIE, "Self-intersection"),
        (BANGKOK, "outside Viet Nam"),
    ],
)
def test_bad_geometry_is_refused_and_nothing_changes(db, make_api, world, geometry, needle):
    api = make_api(world.member_a, "en")
    before = area_row(db, world.area_a.id)
    name_before = before.name
    response = patch(api, f"/api/v1/areas/{world.area_a.id}", {"name": "Tên mới", "geometry": geometry})
    assert response.status_code == 422, response.json
    assert needle in response.json["errors"]["geometry"][0]
    after = area_row(db, world.area_a.id)
    assert after.name == name_before and after.geometry is None and after.geometry_ha is None


def test_bad_geometry_message_in_vietnamese(make_api, world):
    vi = patch(make_api(world.member_a, "vi"), f"/api/v1/areas/{world.area_a.id}", {"geometry": NOT_CLOSED})
    assert vi.status_code == 422 and "khép kín" in vi.json["errors"]["geometry"][0]
    vi = patch(make_api(world.member_a, "vi"), f"/api/v1/areas/{world.area_a.id}", {"geometry": BANGKOK})
    assert "ngoài Việt Nam" in vi.json["errors"]["geometry"][0]


def test_create_with_full_record_and_bad_values_saves_nothing(db, make_api, world):
    api = make_api(world.member_a, "en")
    body = {
        "name": "Vùng bưởi Đồi Thông", "kind": "domestic", "crop": "pomelo", "area_ha": "10",
        "commune_code": "07999", "planting_year": today_in_vietnam().year + 1, "markets": ["CN"],
        "gps": {"lat": 13.75, "lon": 100.5}, "household_count": 0,
    }  # fmt: skip
    before = count(db, GrowingArea)
    response = api.post("/api/v1/areas", json=body)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert set(errors) == {"planting_year", "markets", "gps", "household_count"}
    assert "only to export" in errors["markets"][0]
    assert "outside Viet Nam" in errors["gps"][0]
    assert str(today_in_vietnam().year) in errors["planting_year"][0]
    assert count(db, GrowingArea) == before
    body.update(planting_year=1899)
    assert "planting_year" in api.post("/api/v1/areas", json=body).json["errors"]
    body.update(
        planting_year=2010, markets=[], gps={"lat": "21.6", "lon": "105.2"}, household_count=12, geometry=SQUARE
    )
    response = api.post("/api/v1/areas", json=body)
    assert response.status_code == 201, response.json
    assert response.json["households"] == 12 and response.json["gps"] == {"lat": 21.6, "lon": 105.2}
    assert count(db, GrowingArea) == before + 1


def test_markets_must_be_iso_alpha2_or_eu(db, make_api, world):
    api = make_api(world.member_a, "en")
    url = f"/api/v1/areas/{world.area_a.id}"
    for bad in (["XX"], ["CHN"], ["ZZ"], ["UN"], ["C1"], "CN,US,QQ"):
        response = patch(api, url, {"kind": "export", "markets": bad})
        assert response.status_code == 422, bad
        assert "ISO 3166" in response.json["errors"]["markets"][0]
    assert "QQ" in patch(api, url, {"kind": "export", "markets": "CN,US,QQ"}).json["errors"]["markets"][0]
    assert area_row(db, world.area_a.id).kind.value == "domestic"
    ok = patch(api, url, {"kind": "export", "markets": "cn eu jp"})
    assert ok.status_code == 200 and ok.json["markets"] == ["CN", "EU", "JP"]
    # Back to domestic while markets remain: refused, the kind names the problem.
    back = patch(api, url, {"kind": "domestic"})
    assert back.status_code == 422 and "kind" in back.json["errors"]
    assert patch(api, url, {"kind": "domestic", "markets": []}).status_code == 200


def test_code_and_status_cannot_be_patched(db, make_api, world):
    url = f"/api/v1/areas/{world.area_a.id}"
    code = world.area_a.code
    for lang, needles in (("en", ("issued", "status")), ("vi", ("cấp", "trạng thái"))):
        api = make_api(world.member_a, lang)
        response = patch(api, url, {"code": "VN-25-07999-999", "status": "revoked", "name": "Đổi tên"})
        assert response.status_code == 422
        assert needles[0] in response.json["errors"]["code"][0]
        assert needles[1] in response.json["errors"]["status"][0].lower()
    row = area_row(db, world.area_a.id)
    assert row.code == code and row.status.value == "active" and row.name != "Đổi tên"


def test_who_may_patch(db, make_api, world):
    url = f"/api/v1/areas/{world.area_a.id}"
    assert patch(make_api(world.auditor), url, {"name": "X"}).status_code == 403
    assert patch(make_api(world.member_b), url, {"name": "X"}).status_code == 404
    assert patch(make_api(world.admin), url, {"name": "Vùng bưởi của admin"}).status_code == 200
    assert patch(make_api(world.member_a), url, {"crop": "tea"}).status_code == 422  # not an editable field
    assert area_row(db, world.area_a.id).name == "Vùng bưởi của admin"


def test_area_ha_too_large_for_the_column(db, make_api, world):
    api = make_api(world.member_a, "en")
    response = patch(api, f"/api/v1/areas/{world.area_a.id}", {"area_ha": "100000000"})
    assert response.status_code == 422
    assert "too large" in response.json["errors"]["area_ha"][0]
    body = {"name": "Vùng lớn", "kind": "domestic", "crop": "tea", "area_ha": "100000000", "commune_code": "07999"}
    before = count(db, GrowingArea)
    assert api.post("/api/v1/areas", json=body).status_code == 422
    assert count(db, GrowingArea) == before
    assert area_row(db, world.area_a.id).area_ha == Decimal("12.5")


def test_ids_beyond_int32_are_not_found(make_api, world):
    api = make_api(world.admin, "en")
    big = 2**31
    assert api.get(f"/api/v1/areas/{big}").status_code == 404
    assert patch(api, f"/api/v1/areas/{big}", {"name": "x"}).status_code == 404
    assert api.get(f"/api/v1/areas/{big}/households").status_code == 404
    assert api.post(f"/api/v1/areas/{big}/seasons", json={}).status_code in (404, 422)
    assert api.get(f"/api/v1/areas/{2**31 - 1}").status_code == 404


# ---------------------------------------------------------------- households


def test_households_add_list_and_count(db, make_api, world):
    api = make_api(world.member_a, "en")
    url = f"/api/v1/areas/{world.area_a.id}/households"
    response = api.post(url, json={"name": "Nguyễn Văn An", "plot_ha": "5", "phone": "+84 912 345 678"})
    assert response.status_code == 201, response.json
    assert response.json["phone"] == "0912345678" and response.json["plot_ha"] == "5.0000"
    assert api.post(url, json={"name": "Trần Thị Bình", "plot_ha": "7.5", "phone": "0210 3852 123"}).status_code == 201
    listed = api.get(url).json
    assert [h["name"] for h in listed] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert listed[1]["phone"] == "02103852123"
    detail = api.get(f"/api/v1/areas/{world.area_a.id}").json
    assert detail["households"] == 2 and "Nguyễn" not in str(detail)
    assert make_api(world.auditor).get(url).status_code == 200
    # The area list never carries households.
    assert all("households" not in a for a in api.get("/api/v1/areas").json)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "A", "plot_ha": "0"}, "plot_ha"),
        ({"name": "A", "plot_ha": "-1"}, "plot_ha"),
        ({"name": "A", "plot_ha": "abc"}, "plot_ha"),
        ({"name": "A", "plot_ha": "1", "phone": "12345"}, "phone"),
        ({"name": "A", "plot_ha": "1", "phone": "0112345678"}, "phone"),
        ({"name": " ", "plot_ha": "1"}, "name"),
    ],
)
def test_bad_household_is_refused(db, make_api, world, body, field):
    before = count(db, Household)
    response = make_api(world.member_a, "en").post(f"/api/v1/areas/{world.area_a.id}/households", json=body)
    assert response.status_code == 422 and field in response.json["errors"]
    assert count(db, Household) == before


def test_plots_cannot_exceed_the_area(db, make_api, world):
    api = make_api(world.member_a, "en")
    url = f"/api/v1/areas/{world.area_a.id}/households"
    assert api.post(url, json={"name": "Hộ 1", "plot_ha": "10"}).status_code == 201
    response = api.post(url, json={"name": "Hộ 2", "plot_ha": "2.5001"})
    assert response.status_code == 422
    assert "12.5001" in response.json["errors"]["plot_ha"][0] and "2.5" in response.json["errors"]["plot_ha"][0]
    vi = make_api(world.member_a, "vi").post(url, json={"name": "Hộ 2", "plot_ha": "3"})
    assert vi.status_code == 422 and "vượt" in vi.json["errors"]["plot_ha"][0]
    assert count(db, Household) == 1
    assert api.post(url, json={"name": "Hộ 2", "plot_ha": "2.5"}).status_code == 201
    # Shrinking the area below the plots is refused too.
    shrink = patch(api, f"/api/v1/areas/{world.area_a.id}", {"area_ha": "12"})
    assert shrink.status_code == 422 and "12.5" in shrink.json["errors"]["area_ha"][0]
    assert area_row(db, world.area_a.id).area_ha == Decimal("12.5")


def test_other_organizations_households_are_not_found(db, make_api, world):
    url = f"/api/v1/areas/{world.area_a.id}/households"
    make_api(world.member_a).post(url, json={"name": "Hộ riêng tư", "plot_ha": "1"})
    other = make_api(world.member_b, "en")
    before = count(db, Household)
    read = other.get(url)
    write = other.post(url, json={"name": "Kẻ lạ", "plot_ha": "1"})
    assert read.status_code == write.status_code == 404
    assert "Hộ riêng tư" not in read.get_data(as_text=True)
    assert count(db, Household) == before
    assert make_api(world.auditor).post(url, json={"name": "Thanh tra", "plot_ha": "1"}).status_code == 403
    assert count(db, Household) == before


# ---------------------------------------------------------------- certificates and seasons


def test_certificate_expiry_before_issue_is_refused(db, make_api, world):
    url = f"/api/v1/areas/{world.area_a.id}/certificates"
    body = {"scheme": "vietgap", "number": "VG-25-0012", "issuer": "Trung tâm Chứng nhận Phù hợp QUACERT",
            "issued_on": "2025-03-01", "expires_on": "2025-02-28"}  # fmt: skip
    en = make_api(world.member_a, "en").post(url, json=body)
    vi = make_api(world.member_a, "vi").post(url, json=body)
    assert en.status_code == vi.status_code == 422
    assert "before the date of issue" in en.json["errors"]["expires_on"][0]
    assert en.json["errors"]["expires_on"][0] != vi.json["errors"]["expires_on"][0]
    assert count(db, GapCertificate) == 0
    bad_scheme = make_api(world.member_a, "en").post(url, json={**body, "scheme": "bio", "expires_on": "2028-03-01"})
    assert bad_scheme.status_code == 422 and set(bad_scheme.json["errors"]) == {"scheme"}
    assert count(db, GapCertificate) == 0


def test_expired_certificate_is_not_valid(db, make_api, world):
    api = make_api(world.member_a, "en")
    url = f"/api/v1/areas/{world.area_a.id}/certificates"
    today = today_in_vietnam()
    old = {"scheme": "vietgap", "number": "VG-OLD", "issuer": "QUACERT",
           "issued_on": (today - dt.timedelta(days=800)).isoformat(),
           "expires_on": (today - dt.timedelta(days=1)).isoformat()}  # fmt: skip
    new = {**old, "scheme": "globalgap", "number": "GG-NEW", "expires_on": today.isoformat()}
    response = api.post(url, json=old)
    assert response.status_code == 201 and response.json["valid"] is False and response.json["validity"] == "expired"
    assert api.post(url, json=new).json["valid"] is True
    detail = api.get(f"/api/v1/areas/{world.area_a.id}").json
    by_number = {c["number"]: c for c in detail["certificates"]}
    assert by_number["VG-OLD"]["valid"] is False and by_number["GG-NEW"]["valid"] is True
    assert set(by_number["VG-OLD"]) >= {"scheme", "number", "issuer", "issued_on", "expires_on", "valid"}


def test_seasons(db, make_api, world):
    api = make_api(world.member_a, "en")
    url = f"/api/v1/areas/{world.area_a.id}/seasons"
    bad = api.post(url, json={"name": "Vụ 2025", "harvest_from": "2025-10-01", "harvest_to": "2025-09-01"})
    assert bad.status_code == 422 and "harvest_to" in bad.json["errors"]
    negative = api.post(
        url, json={"name": "Vụ 2025", "harvest_from": "2025-09-01", "harvest_to": "2025-10-01", "actual_yield_t": "-3"}
    )
    assert negative.status_code == 422 and "actual_yield_t" in negative.json["errors"]
    assert count(db, Season) == 0
    ok = api.post(
        url,
        json={"name": "Vụ 2025", "harvest_from": "2025-09-01", "harvest_to": "2025-09-01", "target_market": "CN",
              "actual_yield_t": "150.5"},
    )  # fmt: skip
    assert ok.status_code == 201 and ok.json["actual_yield_t"] == "150.500"
    assert api.get(f"/api/v1/areas/{world.area_a.id}").json["seasons"][0]["name"] == "Vụ 2025"
    assert make_api(world.auditor).post(url, json={}).status_code == 422  # schema first: required fields
    assert count(db, Season) == 1


# ---------------------------------------------------------------- filters


def test_list_filters_and_unknown_values(db, make_api, world):
    api = make_api(world.auditor, "en")
    ids = lambda r: {a["id"] for a in r.json}  # noqa: E731
    assert ids(api.get("/api/v1/areas?province=25")) == {world.area_a.id, world.area_b.id}
    assert ids(api.get("/api/v1/areas?commune=chi dam")) == {world.area_a.id}
    assert ids(api.get("/api/v1/areas?province=25&commune=Bằng Luân")) == {world.area_b.id}
    assert ids(api.get(f"/api/v1/areas?organization_id={world.org_b.id}")) == {world.area_b.id}
    assert ids(api.get("/api/v1/areas?crop=tea")) == set()
    assert ids(api.get("/api/v1/areas?crop=pomelo&status=active")) == {world.area_a.id, world.area_b.id}
    assert api.get("/api/v1/areas").json[0]["organization_name"] in {world.org_a.name, world.org_b.name}
    for query, field, value in (
        ("province=99", "province", "99"),
        ("commune=khongcoxanay", "commune", "khongcoxanay"),
        ("crop=durian2", "crop", "durian2"),
        ("organization_id=999999", "organization_id", "999999"),
        (f"organization_id={2**40}", "organization_id", str(2**40)),
        ("status=bogus", "status", "bogus"),
    ):
        response = api.get(f"/api/v1/areas?{query}")
        assert response.status_code == 422, query
        assert set(response.json["errors"]) == {field}
        assert f"{field}={value}" in response.json["message"]
    # A member cannot use another organization's id as a filter.
    member = make_api(world.member_a, "en").get(f"/api/v1/areas?organization_id={world.org_b.id}")
    assert member.status_code == 422
