"""/api/v1/linkage-models: create, read, list with filters, PATCH, and who may do what."""

from __future__ import annotations

import pytest

from registry.lifecycle.models import CodeStatus
from registry.linkage.models import LinkageModel
from tests.registry.linkage.conftest import counts

URL = "/api/v1/linkage-models"
BIG = 2**31


@pytest.fixture
def body(world):
    return {
        "name": "Liên kết bưởi Đoan Hùng",
        "crop": "pomelo",
        "partner_organization_ids": [world.org_b.id],
        "commune_codes": ["07999", "07996"],
        "area_ids": [world.area_a.id, world.area_b.id],
        "partner_households": 120,
        "started_on": "2025-01-01",
    }


def patch(api, path, json):
    return api.client.patch(path, json=json, headers=api._headers())


def test_member_creates_and_reads(wired, db, world, make_api, body):
    api = make_api(world.member_a, "en")
    before = counts(db.session)
    response = api.post(URL, json=body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["name"] == "Liên kết bưởi Đoan Hùng"
    assert data["lead_organization_id"] == world.org_a.id
    assert data["lead_organization"] == {"id": world.org_a.id, "name": "HTX Bưởi Chí Đám"}
    assert data["partner_organization_ids"] == [world.org_b.id]
    assert data["commune_codes"] == ["07996", "07999"]
    assert [c["code"] for c in data["communes"]] == ["07996", "07999"]
    assert data["area_ids"] == [world.area_a.id, world.area_b.id]
    assert [a["status"] for a in data["areas"]] == ["active", "active"]
    assert (data["crop"], data["crop_name"]) == ("pomelo", "Pomelo")
    assert (data["started_on"], data["ended_on"], data["partner_households"]) == ("2025-01-01", None, 120)
    assert data["tied_to_raw_material_area"] is True
    assert "active code" in data["tied_rule"]
    assert counts(db.session) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)
    got = api.get(f"{URL}/{data['id']}")
    assert got.status_code == 200
    assert got.get_json() == data


def test_derived_flag_follows_the_areas(wired, db, world, make_api, body):
    api = make_api(world.member_a)
    created = api.post(URL, json={**body, "area_ids": []}).get_json()
    assert created["tied_to_raw_material_area"] is False
    response = patch(api, f"{URL}/{created['id']}", {"area_ids": [world.area_b.id]})
    assert response.status_code == 200
    assert response.get_json()["tied_to_raw_material_area"] is True
    world.area_b.status = CodeStatus.SUSPENDED
    db.session.commit()
    assert api.get(f"{URL}/{created['id']}").get_json()["tied_to_raw_material_area"] is False
    # It cannot be declared.
    response = patch(api, f"{URL}/{created['id']}", {"tied_to_raw_material_area": True})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["tied_to_raw_material_area"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area_ids": [0], "partner_organization_ids": []}, "area_ids"),
        ({"area_ids": [BIG]}, "area_ids"),
        ({"partner_organization_ids": [BIG]}, "partner_organization_ids"),
        ({"partner_organization_ids": [999999]}, "partner_organization_ids"),
        ({"partner_organization_ids": ["2"]}, "partner_organization_ids"),  # strict integers
        ({"started_on": "2025-05-01", "ended_on": "2025-04-30"}, "ended_on"),
        ({"crop": "opium"}, "crop"),
        ({"commune_codes": ["99999"]}, "commune_codes"),
        ({"partner_households": BIG}, "partner_households"),
        ({"started_on": "1/5/2025"}, "started_on"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_422_and_stores_nothing(wired, db, world, make_api, body, changes, field):
    api = make_api(world.member_a, "en")
    before = counts(db.session)
    payload = {**body, **changes}
    if changes.get("area_ids") == [0]:
        payload["area_ids"] = [world.area_b.id]  # org_b's area, with org_b no longer a partner
    response = api.post(URL, json=payload)
    assert response.status_code == 422, response.get_json()
    assert list(response.get_json()["errors"]) == [field]
    assert counts(db.session) == before


def test_lead_as_its_own_partner_and_unknown_lead(wired, db, world, make_api, body):
    before = counts(db.session)
    response = make_api(world.member_a, "en").post(URL, json={**body, "partner_organization_ids": [world.org_a.id]})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "partner_organization_ids": ["The lead organization cannot also be its own partner."]
    }
    admin = make_api(world.admin, "en")
    for lead in (BIG, 999999):
        response = admin.post(URL, json={**body, "lead_organization_id": lead})
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == ["lead_organization_id"]
    assert counts(db.session) == before


def test_errors_in_vietnamese(wired, db, world, make_api, body):
    response = make_api(world.member_a, "vi").post(URL, json={**body, "crop": "opium"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"crop": ["Không có cây trồng “opium”."]}
    assert response.get_json()["message"] == "Một số trường thông tin cần được sửa lại."


def test_visibility_and_changes(wired, db, world, make_api, body, outsider):
    lead = make_api(world.member_a)
    model_id = lead.post(URL, json=body).get_json()["id"]
    partner, other, auditor = make_api(world.member_b), make_api(outsider), make_api(world.auditor)
    assert partner.get(f"{URL}/{model_id}").status_code == 200
    assert [m["id"] for m in partner.get(URL).get_json()] == [model_id]
    assert other.get(f"{URL}/{model_id}").status_code == 404
    assert other.get(URL).get_json() == []
    assert auditor.get(f"{URL}/{model_id}").status_code == 200
    assert [m["id"] for m in auditor.get(URL).get_json()] == [model_id]
    # Partners read only (403); outsiders are told nothing (404); inspectors check, not edit (403).
    assert patch(partner, f"{URL}/{model_id}", {"name": "Của HTX B"}).status_code == 403
    assert patch(other, f"{URL}/{model_id}", {"name": "Của HTX C"}).status_code == 404
    assert patch(auditor, f"{URL}/{model_id}", {"name": "Của Sở"}).status_code == 403
    assert db.session.get(LinkageModel, model_id).name == "Liên kết bưởi Đoan Hùng"
    response = patch(lead, f"{URL}/{model_id}", {"name": "Liên kết bưởi 2026", "ended_on": "2026-12-31"})
    assert response.status_code == 200
    assert (response.get_json()["name"], response.get_json()["ended_on"]) == ("Liên kết bưởi 2026", "2026-12-31")
    db.session.expire_all()
    assert db.session.get(LinkageModel, model_id).name == "Liên kết bưởi 2026"
    assert auditor.get(f"{URL}/{BIG}").status_code == 404
    assert patch(lead, f"{URL}/{model_id}", {"partner_organization_ids": [BIG]}).status_code == 422


def test_inspector_cannot_create(wired, db, world, make_api, body):
    before = counts(db.session)
    response = make_api(world.auditor).post(URL, json=body)
    assert response.status_code == 403
    assert counts(db.session) == before


def test_member_cannot_lead_for_another_organization(wired, db, world, make_api, body):
    before = counts(db.session)
    response = make_api(world.member_b).post(URL, json={**body, "lead_organization_id": world.org_a.id})
    assert response.status_code == 403
    assert counts(db.session) == before


def test_list_filters_and_pages(wired, db, world, make_api, body):
    api = make_api(world.member_a)
    tied = api.post(URL, json=body).get_json()["id"]
    untied = api.post(URL, json={**body, "area_ids": [], "crop": "tea", "commune_codes": ["00070"]}).get_json()["id"]

    def ids(query):
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 200, response.get_json()
        return [m["id"] for m in response.get_json()]

    assert ids("") == [untied, tied]
    assert ids("tied=yes") == [tied]
    assert ids("tied=no") == [untied]
    assert ids("province=25") == [tied]
    assert ids("province=01") == [untied]
    assert ids("commune=07996") == [tied]
    assert ids("crop=tea") == [untied]
    response = api.get(f"{URL}?page=2&page_size=1")
    assert [m["id"] for m in response.get_json()] == [tied]
    assert '"total": 2' in response.headers["X-Pagination"]
    for bad in ("tied=maybe", "crop=opium", "province=99", "commune=zzzz"):
        assert api.get(f"{URL}?{bad}").status_code == 422, bad


def test_token_required(wired, client):
    assert client.get(URL).status_code == 401
