"""Correcting products: PATCH /api/v1/products/{id} and /products/<id>(/edit)."""

import pytest
import sqlalchemy as sa

from registry.products.models import Product
from tests.conftest import csrf_token
from tests.factories import gtin_for

TOO_BIG = 2**31


def product_row(db, product_id):
    db.session.expire_all()
    return db.session.get(Product, product_id)


def product_count(db):
    return db.session.scalar(sa.select(sa.func.count()).select_from(Product))


def patch(api, path, body):
    return api.client.patch(path, json=body, headers=api._headers())


# ---------------------------------------------------------------- API


def test_member_corrects_own_product(db, make_api, world):
    api = make_api(world.member_a)
    body = {"name": "Bưởi Sửu Chí Đám", "description": "Quả tròn, vỏ mỏng", "crop": "lychee"}
    response = patch(api, f"/api/v1/products/{world.product_a.id}", body)
    assert response.status_code == 200, response.json
    assert {k: response.json[k] for k in body} == body
    assert response.json["crop_name"] == "Vải"
    product = product_row(db, world.product_a.id)
    assert (product.name, product.description, product.crop) == (body["name"], body["description"], "lychee")
    assert product.gtin == world.product_a.gtin  # untouched: not sent


def test_member_gets_not_found_for_another_organizations_product(db, make_api, world):
    for language, message in (("vi", "Không tìm thấy sản phẩm."), ("en", "Product not found.")):
        api = make_api(world.member_a, language)
        response = patch(api, f"/api/v1/products/{world.product_b.id}", {"name": "X"})
        assert response.status_code == 404 and response.json["message"] == message
    assert product_row(db, world.product_b.id).name == world.product_b.name


def test_inspector_cannot_correct_a_product(db, make_api, world):
    api = make_api(world.auditor, "en")
    assert api.get(f"/api/v1/products/{world.product_a.id}").status_code == 200
    response = patch(api, f"/api/v1/products/{world.product_a.id}", {"name": "X"})
    assert response.status_code == 403
    assert response.json["message"] == (
        "Department inspectors check records; cooperatives and enterprises register them."
    )
    assert product_row(db, world.product_a.id).name == world.product_a.name


def test_admin_corrects_any_product(db, make_api, world):
    response = patch(make_api(world.admin), f"/api/v1/products/{world.product_b.id}", {"name": "Bưởi Bằng Luân"})
    assert response.status_code == 200
    assert product_row(db, world.product_b.id).name == "Bưởi Bằng Luân"


def test_gtin_can_be_set_changed_and_removed_while_no_lot_exists(db, make_api, world):
    api = make_api(world.member_a, "en")
    path = f"/api/v1/products/{world.product_a_no_gtin.id}"
    response = patch(api, path, {"gtin": "9520123456788"})  # a GTIN-13 is stored as GTIN-14
    assert response.status_code == 200, response.json
    assert response.json["gtin"] == "09520123456788"
    # Wrong check digit, and another product's GTIN: refused, nothing half-saved.
    response = patch(api, path, {"name": "Tên mới", "gtin": "09520123456781"})
    assert response.status_code == 422
    assert response.json["errors"] == {
        "gtin": ["The check digit is wrong: the last digit should be 8. Check the number under the barcode."]
    }
    taken = world.product_a.gtin
    response = patch(api, path, {"name": "Tên mới", "gtin": taken})
    assert response.status_code == 422
    assert response.json["errors"] == {"gtin": [f"The GTIN {taken} is already used by another product."]}
    assert product_row(db, world.product_a_no_gtin.id).name == "Bưởi chưa có mã vạch"
    assert patch(api, path, {"gtin": None}).status_code == 200
    assert product_row(db, world.product_a_no_gtin.id).gtin is None


def test_gtin_is_fixed_once_a_lot_exists(db, make_api, world, lot_of_product_a):
    api = make_api(world.member_a, "en")
    path = f"/api/v1/products/{world.product_a.id}"
    new_gtin = gtin_for(777)
    for gtin in (new_gtin, None, ""):
        response = patch(api, path, {"name": "Tên mới", "gtin": gtin})
        assert response.status_code == 422, gtin
        assert response.json["errors"] == {
            "gtin": ["Lots of this product are recorded with its GTIN; the GTIN can no longer change."]
        }
    assert product_row(db, world.product_a.id).name == world.product_a.name
    # The same GTIN again, in another printed form, is no change; other fields still correct freely.
    response = patch(api, path, {"name": "Tên mới", "gtin": world.product_a.gtin.lstrip("0")})
    assert response.status_code == 200
    product = product_row(db, world.product_a.id)
    assert (product.name, product.gtin) == ("Tên mới", world.product_a.gtin)


@pytest.mark.parametrize("name", ["   ", "\u200b\u200b", "\u2060", "\u3000"])
def test_names_nobody_can_see_are_refused(db, make_api, world, name):
    for language, message in (("vi", "Trường này là bắt buộc."), ("en", "This field is required.")):
        response = patch(make_api(world.member_a, language), f"/api/v1/products/{world.product_a.id}", {"name": name})
        assert response.status_code == 422
        assert response.json["errors"] == {"name": [message]}
    assert product_row(db, world.product_a.id).name == world.product_a.name


def test_nul_unknown_fields_and_huge_ids(db, make_api, world):
    api = make_api(world.member_a, "en")
    path = f"/api/v1/products/{world.product_a.id}"
    response = patch(api, path, {"name": "a\u0000b"})
    assert response.status_code == 422
    assert response.json["errors"] == {"name": ["Remove the invisible control characters from this text."]}
    vi = patch(make_api(world.member_a, "vi"), path, {"description": "x\u0000"})
    assert vi.json["errors"] == {"description": ["Vui lòng xóa các ký tự điều khiển ẩn khỏi nội dung này."]}
    # Moving a product to another organization is not a correction.
    response = patch(api, path, {"organization_id": world.org_b.id})
    assert response.status_code == 422 and "organization_id" in response.json["errors"]
    response = patch(api, path, {"crop": "apple"})
    assert response.status_code == 422 and response.json["errors"] == {"crop": ["Choose a crop from the list."]}
    assert product_row(db, world.product_a.id).organization_id == world.org_a.id
    assert patch(api, f"/api/v1/products/{TOO_BIG}", {"name": "x"}).status_code == 404
    assert api.get(f"/api/v1/products/{TOO_BIG}").status_code == 404


def test_an_organization_id_beyond_the_range_in_a_body_is_a_field_error(db, make_api, world):
    before = product_count(db)
    response = make_api(world.admin, "en").post(
        "/api/v1/products", json={"name": "Bưởi", "crop": "pomelo", "organization_id": TOO_BIG}
    )
    assert response.status_code == 422
    assert response.json["errors"] == {"organization_id": ["Organization not found."]}
    assert product_count(db) == before


# ---------------------------------------------------------------- pages


def test_list_rows_link_to_the_record_and_filter_by_organization(client, world, login):
    login(world.auditor.email)
    html = client.get("/products").get_data(as_text=True)
    for product in (world.product_a, world.product_a_no_gtin, world.product_b):
        assert f'href="/products/{product.id}"' in html
    only_b = client.get(f"/products?organization_id={world.org_b.id}").get_data(as_text=True)
    assert f'href="/products/{world.product_b.id}"' in only_b
    assert f'href="/products/{world.product_a.id}"' not in only_b
    nothing = client.get(f"/products?organization_id={TOO_BIG}")
    assert nothing.status_code == 200 and f'href="/products/{world.product_b.id}"' not in nothing.get_data(as_text=True)


def test_detail_page(client, world, login):
    login(world.member_a.email)
    response = client.get(f"/products/{world.product_a.id}?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert world.product_a.gtin in html and world.org_a.name in html
    assert f'href="/products/{world.product_a.id}/edit"' in html
    assert client.get(f"/products/{world.product_b.id}").status_code == 404
    assert client.get(f"/products/{world.product_b.id}/edit").status_code == 404
    assert client.get(f"/products/{TOO_BIG}").status_code == 404
    login(world.auditor.email)
    html = client.get(f"/products/{world.product_a.id}").get_data(as_text=True)
    assert f'href="/products/{world.product_a.id}/edit"' not in html


def test_member_edits_a_product_in_the_browser(client, db, world, login):
    login(world.member_a.email)
    page = client.get(f"/products/{world.product_a_no_gtin.id}/edit")
    assert page.status_code == 200 and 'name="gtin"' in page.get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "name": "Bưởi Sửu", "crop": "pomelo", "gtin": "", "description": "Ngọt"}
    response = client.post(f"/products/{world.product_a_no_gtin.id}/edit", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/products/{world.product_a_no_gtin.id}"
    product = product_row(db, world.product_a_no_gtin.id)
    assert (product.name, product.description, product.gtin) == ("Bưởi Sửu", "Ngọt", None)
    data.update(gtin="09506000134353", name="Tên khác")
    response = client.post(f"/products/{world.product_a_no_gtin.id}/edit", data=data)
    assert response.status_code == 422
    assert "số kiểm tra" in response.get_data(as_text=True).lower()
    assert product_row(db, world.product_a_no_gtin.id).name == "Bưởi Sửu"


def test_the_edit_page_drops_the_gtin_once_lots_exist(client, db, world, login, lot_of_product_a):
    login(world.member_a.email)
    page = client.get(f"/products/{world.product_a.id}/edit")
    html = page.get_data(as_text=True)
    assert 'name="gtin"' not in html and world.product_a.gtin in html
    data = {"csrf_token": csrf_token(page), "name": "Bưởi mới", "crop": "pomelo", "description": "", "gtin": "1"}
    assert client.post(f"/products/{world.product_a.id}/edit", data=data).status_code == 302
    product = product_row(db, world.product_a.id)
    assert (product.name, product.gtin) == ("Bưởi mới", world.product_a.gtin)


def test_inspector_cannot_open_the_edit_page(client, db, world, login):
    login(world.auditor.email)
    assert client.get(f"/products/{world.product_a.id}/edit").status_code == 403
    page = client.get("/products")
    data = {"csrf_token": csrf_token(page), "name": "X", "crop": "pomelo"}
    assert client.post(f"/products/{world.product_a.id}/edit", data=data).status_code == 403
    assert product_row(db, world.product_a.id).name == world.product_a.name


def test_a_new_product_opens_on_its_record(client, db, world, login):
    login(world.member_a.email)
    form = client.get("/products/new")
    response = client.post(
        "/products/new",
        data={"csrf_token": csrf_token(form), "name": "Chè Shan", "crop": "tea", "organization_id": world.org_a.id},
    )
    assert response.status_code == 302
    product = db.session.scalar(sa.select(Product).where(Product.name == "Chè Shan"))
    assert response.headers["Location"] == f"/products/{product.id}"


def test_inspectors_are_never_shown_a_registration_form(client, world, login):
    """Registering is for cooperatives and the admin: the form pages refuse an inspector up front."""
    login(world.auditor.email)
    for path in ("/products/new", "/lots/new", "/areas/new", "/packing-houses/new"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert '<form method="post" class="stack card"' not in response.get_data(as_text=True), path
