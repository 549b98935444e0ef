import sqlalchemy as sa

from registry.organizations.models import Organization


def test_organizations_by_department_only(db, make_api, world):
    body = {"name": "HTX Chè Tân Sơn", "kind": "cooperative", "tax_code": "2600999888", "commune_code": "08566"}
    assert make_api(world.member_a).post("/api/v1/organizations", json=body).status_code == 403
    response = make_api(world.auditor).post("/api/v1/organizations", json=body)
    assert response.status_code == 201
    assert response.json["commune"]["province_name"] == "Phú Thọ"
    again = make_api(world.auditor, "en").post("/api/v1/organizations", json=body)
    assert again.status_code == 422 and "tax_code" in again.json["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).where(Organization.tax_code == "2600999888")) == 1
