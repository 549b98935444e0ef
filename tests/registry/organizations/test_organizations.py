"""Correcting organizations: PATCH /api/v1/organizations/{id} and /organizations/<id>(/edit)."""

import pytest
import sqlalchemy as sa

from registry.organizations.models import Organization, OrganizationKind
from tests.conftest import csrf_token

TOO_BIG = 2**31


def org_row(db, org_id):
    db.session.expire_all()
    return db.session.get(Organization, org_id)


def patch(api, path, body):
    return api.client.patch(path, json=body, headers=api._headers())


# ---------------------------------------------------------------- API


def test_member_corrects_name_address_and_phone_of_own_organization(db, make_api, world):
    api = make_api(world.member_a)
    body = {"name": "HTX Bưởi Chí Đám mới", "address": "Thôn 3, xã Chí Đám", "phone": "0210 3888 999"}
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", body)
    assert response.status_code == 200, response.json
    assert {k: response.json[k] for k in body} == body
    assert response.json["updated_at"] is not None
    org = org_row(db, world.org_a.id)
    assert (org.name, org.address, org.phone) == (body["name"], body["address"], body["phone"])
    # Clearing the optional fields
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"address": None, "phone": "  "})
    assert response.status_code == 200
    org = org_row(db, world.org_a.id)
    assert (org.name, org.address, org.phone) == (body["name"], None, None)


def test_member_cannot_change_what_only_the_department_changes(db, make_api, world):
    api = make_api(world.member_a, "en")
    for body in ({"tax_code": "2699999999"}, {"kind": "enterprise"}, {"commune_code": "07996"}):
        response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"name": "Đổi tên", **body})
        assert response.status_code == 403, body
        assert (
            response.json["message"]
            == "Only the provincial department can change the kind, tax code, commune or dissolution date."
        )
    org = org_row(db, world.org_a.id)
    assert org.name == "HTX Bưởi Chí Đám" and org.kind == OrganizationKind.COOPERATIVE
    # Sending back the values it already has is not a change.
    same = {"kind": "cooperative", "tax_code": org.tax_code, "commune_code": "7999", "name": "HTX Chí Đám"}
    assert patch(api, f"/api/v1/organizations/{world.org_a.id}", same).status_code == 200
    assert org_row(db, world.org_a.id).name == "HTX Chí Đám"


def test_member_gets_not_found_for_another_organization(db, make_api, world):
    for language, message in (("vi", "Không tìm thấy tổ chức."), ("en", "Organization not found.")):
        response = patch(make_api(world.member_a, language), f"/api/v1/organizations/{world.org_b.id}", {"name": "X"})
        assert response.status_code == 404
        assert response.json["message"] == message
    assert org_row(db, world.org_b.id).name == "HTX Bưởi Bằng Luân"


def test_the_department_that_registers_organizations_corrects_them(db, make_api, world):
    api = make_api(world.auditor)
    assert api.get(f"/api/v1/organizations/{world.org_a.id}").status_code == 200
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"name": "Tên khác", "tax_code": "2600111333"})
    assert response.status_code == 200, response.json
    assert (org_row(db, world.org_a.id).name, org_row(db, world.org_a.id).tax_code) == ("Tên khác", "2600111333")


def test_admin_corrects_every_field_and_tax_codes_stay_unique(db, make_api, world):
    api = make_api(world.admin, "en")
    body = {"kind": "enterprise", "tax_code": "2600111222-001", "commune_code": "07996", "name": "Công ty Bưởi"}
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", body)
    assert response.status_code == 200, response.json
    assert response.json["kind"] == "enterprise" and response.json["tax_code"] == "2600111222-001"
    assert response.json["commune"]["code"] == "07996"
    # Another organization's tax code: refused, and the valid name in the same request is not saved.
    taken = world.org_b.tax_code
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"name": "Tên mới", "tax_code": taken})
    assert response.status_code == 422
    assert response.json["errors"] == {"tax_code": [f"An organization with tax code {taken} is already registered."]}
    vi = patch(make_api(world.admin, "vi"), f"/api/v1/organizations/{world.org_a.id}", {"tax_code": taken})
    assert vi.json["errors"] == {"tax_code": [f"Tổ chức có mã số thuế {taken} đã được đăng ký."]}
    org = org_row(db, world.org_a.id)
    assert (org.name, org.tax_code) == ("Công ty Bưởi", "2600111222-001")


def test_admin_gets_every_field_error_at_once(db, make_api, world):
    api = make_api(world.admin, "en")
    body = {"name": "", "kind": "farm", "tax_code": "123", "commune_code": "99999", "phone": "0" * 21}
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", body)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"name", "kind", "tax_code", "commune_code", "phone"}
    assert org_row(db, world.org_a.id).name == "HTX Bưởi Chí Đám"


@pytest.mark.parametrize("name", ["   ", "\u200b\u200b", "\ufeff", "\u00a0\u2003"])
def test_names_nobody_can_see_are_refused(db, make_api, world, name):
    for language, message in (("vi", "Trường này là bắt buộc."), ("en", "This field is required.")):
        response = patch(make_api(world.member_a, language), f"/api/v1/organizations/{world.org_a.id}", {"name": name})
        assert response.status_code == 422
        assert response.json["errors"] == {"name": [message]}
    assert org_row(db, world.org_a.id).name == "HTX Bưởi Chí Đám"


def test_nul_unknown_fields_and_huge_ids(db, make_api, world):
    api = make_api(world.admin, "en")
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"name": "a\u0000b"})
    assert response.status_code == 422 and "name" in response.json["errors"]
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"name": "Tên", "colour": "green"})
    assert response.status_code == 422 and "colour" in response.json["errors"]
    response = patch(api, f"/api/v1/organizations/{world.org_a.id}", {"name": None})
    assert response.status_code == 422 and "name" in response.json["errors"]
    assert org_row(db, world.org_a.id).name == "HTX Bưởi Chí Đám"
    assert patch(api, f"/api/v1/organizations/{TOO_BIG}", {"name": "x"}).status_code == 404
    assert api.get(f"/api/v1/organizations/{TOO_BIG}").status_code == 404
    assert patch(api, "/api/v1/organizations/999999", {"name": "x"}).status_code == 404


def test_list_and_create_still_answer(db, make_api, world):
    api = make_api(world.admin)
    assert [o["id"] for o in api.get("/api/v1/organizations").json] == [world.org_b.id, world.org_a.id]  # by name
    assert api.get(f"/api/v1/organizations/{world.org_a.id}").json["name"] == "HTX Bưởi Chí Đám"
    body = {"name": "HTX Chè", "kind": "cooperative", "tax_code": "2600999888", "commune_code": "08566", "phone": "1"}
    response = api.post("/api/v1/organizations", json=body)
    assert response.status_code == 201 and response.json["phone"] == "1"


# ---------------------------------------------------------------- pages


def test_every_list_row_links_to_its_record(client, world, login):
    login(world.auditor.email)
    html = client.get("/organizations").get_data(as_text=True)
    assert f'href="/organizations/{world.org_a.id}"' in html
    assert f'href="/organizations/{world.org_b.id}"' in html


def test_detail_page_for_the_department_counts_users(client, world, login):
    login(world.auditor.email)
    response = client.get(f"/organizations/{world.org_a.id}?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "User accounts" in html and "<dd>1</dd>" in html  # member_a
    assert f'href="/areas?organization_id={world.org_a.id}"' in html
    assert f'href="/products?organization_id={world.org_a.id}"' in html
    assert f'href="/organizations/{world.org_a.id}/edit"' in html  # the department corrects what it registered


def test_detail_page_for_a_member(client, world, login):
    login(world.member_a.email)
    html = client.get(f"/organizations/{world.org_a.id}?lang=en").get_data(as_text=True)
    assert world.org_a.tax_code in html and "User accounts" not in html
    assert f'href="/organizations/{world.org_a.id}/edit"' in html
    assert client.get(f"/organizations/{world.org_b.id}").status_code == 404
    assert client.get(f"/organizations/{world.org_b.id}/edit").status_code == 404
    assert client.get(f"/organizations/{TOO_BIG}").status_code == 404
    assert client.get(f"/organizations/{TOO_BIG}/edit").status_code == 404


def test_member_edits_own_organization_in_the_browser(client, db, world, login):
    login(world.member_a.email)
    page = client.get(f"/organizations/{world.org_a.id}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="name"' in html and 'name="phone"' in html
    assert 'name="tax_code"' not in html and 'name="commune_code"' not in html and 'name="kind"' not in html
    data = {"csrf_token": csrf_token(page), "name": "HTX Bưởi Sửu", "address": "Xóm Đình", "phone": "0987"}
    response = client.post(f"/organizations/{world.org_a.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organizations/{world.org_a.id}"
    org = org_row(db, world.org_a.id)
    assert (org.name, org.address, org.phone) == ("HTX Bưởi Sửu", "Xóm Đình", "0987")
    # A member cannot slip department fields into the form.
    data.update(csrf_token=csrf_token(page), tax_code="2699999999", name="HTX Bưởi Sửu 2")
    assert client.post(f"/organizations/{world.org_a.id}/edit", data=data).status_code == 302
    assert org_row(db, world.org_a.id).tax_code == world.org_a.tax_code


def test_member_sees_errors_in_the_form(client, db, world, login):
    login(world.member_a.email)
    page = client.get(f"/organizations/{world.org_a.id}/edit")
    response = client.post(
        f"/organizations/{world.org_a.id}/edit",
        data={"csrf_token": csrf_token(page), "name": "\u200b", "address": "Xóm Mới", "phone": ""},
    )
    assert response.status_code == 422
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)
    org = org_row(db, world.org_a.id)
    assert (org.name, org.address) == ("HTX Bưởi Chí Đám", None)


def test_another_cooperative_cannot_open_the_edit_page(client, db, world, login):
    login(world.member_b.email)
    assert client.get(f"/organizations/{world.org_a.id}/edit").status_code == 404
    page = client.get("/organizations")
    response = client.post(
        f"/organizations/{world.org_a.id}/edit", data={"csrf_token": csrf_token(page), "name": "Tên"}
    )
    assert response.status_code == 404
    assert org_row(db, world.org_a.id).name == "HTX Bưởi Chí Đám"
    assert org_row(db, world.org_a.id).name == "HTX Bưởi Chí Đám"


def test_admin_edits_every_field_in_the_browser(client, db, world, login):
    login(world.admin.email)
    page = client.get(f"/organizations/{world.org_a.id}/edit?province=25")
    html = page.get_data(as_text=True)
    assert 'name="tax_code"' in html and '<option selected value="07999">' in html
    response = client.post(
        f"/organizations/{world.org_a.id}/edit",
        data={
            "csrf_token": csrf_token(page), "province": "25", "name": "Công ty Bưởi", "kind": "enterprise",
            "tax_code": world.org_b.tax_code, "commune_code": "07996", "address": "", "phone": "",
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "Tổ chức có mã số thuế" in response.get_data(as_text=True)
    assert org_row(db, world.org_a.id).kind == OrganizationKind.COOPERATIVE
    response = client.post(
        f"/organizations/{world.org_a.id}/edit",
        data={
            "csrf_token": csrf_token(page), "province": "25", "name": "Công ty Bưởi", "kind": "enterprise",
            "tax_code": "2600777666", "commune_code": "07996", "address": "", "phone": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    org = org_row(db, world.org_a.id)
    assert (org.name, org.kind, org.tax_code, org.commune_code) == (
        "Công ty Bưởi", OrganizationKind.ENTERPRISE, "2600777666", "07996"
    )  # fmt: skip


def test_a_name_with_markup_is_shown_escaped_after_creation(client, db, world, login):
    login(world.admin.email)
    page = client.get("/organizations")
    name = "<svg/onload=alert(1)>"
    response = client.post(
        "/organizations",
        data={
            "csrf_token": csrf_token(page), "province": "25", "name": name, "kind": "cooperative",
            "tax_code": "2600555444", "commune_code": "07999", "address": "", "phone": "",
        },
        follow_redirects=True,
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "&lt;svg/onload=alert(1)&gt;" in html
    assert "<svg/onload" not in html
    org = db.session.scalar(sa.select(Organization).where(Organization.tax_code == "2600555444"))
    assert org.name == name
    detail = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "&lt;svg/onload=alert(1)&gt;" in detail and "<svg/onload" not in detail


def test_inspector_edit_page_offers_every_field(client, db, world, login):
    login(world.auditor.email)
    page = client.get(f"/organizations/{world.org_a.id}/edit")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="tax_code"' in html and 'name="kind"' in html
