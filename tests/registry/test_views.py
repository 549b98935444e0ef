import datetime as dt
import re

import sqlalchemy as sa

from registry.areas.models import GrowingArea
from registry.lifecycle.models import CodeStatus as AreaStatus
from registry.products.models import Product
from tests.conftest import csrf_token
from tests.factories import AreaFactory
from trace.models import Lot


def test_login_wrong_password(client, world):
    page = client.get("/login")
    response = client.post(
        "/login", data={"email": world.member_a.email, "password": "wrong", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 422
    assert "Email hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_forms_without_csrf_token_are_refused(client, world, login):
    assert client.post("/login", data={"email": world.member_a.email, "password": "x"}).status_code == 400
    login(world.member_a.email)
    response = client.post("/products/new", data={"name": "Bưởi", "crop": "pomelo", "organization_id": world.org_a.id})
    assert response.status_code == 400
    assert client.post("/logout").status_code == 400


def test_login_next_never_leaves_the_site(client, world):
    page = client.get("/login?next=https://evil.example/")
    response = client.post(
        "/login",
        data={
            "email": world.member_a.email,
            "password": "correct-horse-42",
            "csrf_token": csrf_token(page),
            "next": "https://evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_member_applies_for_an_area_and_auditor_activates_it(app, client, db, world, login):
    login(world.member_a.email)
    form = client.get("/areas/new")
    assert form.status_code == 200 and "Xã Chí Đám" in form.get_data(as_text=True)
    response = client.post(
        "/areas/new",
        data={
            "csrf_token": csrf_token(form), "name": "Vùng bưởi Đồi Cao", "organization_id": world.org_a.id,
            "kind": "domestic", "crop": "pomelo", "variety": "", "area_ha": "3.5",
            "commune_code": "07999", "code": "", "legacy_place": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    area = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.name == "Vùng bưởi Đồi Cao"))
    assert area.status == AreaStatus.PENDING

    auditor = app.test_client()
    page = auditor.get("/login")
    auditor.post(
        "/login", data={"email": world.auditor.email, "password": "correct-horse-42", "csrf_token": csrf_token(page)}
    )
    detail = auditor.get(f"/areas/{area.id}")
    assert "chờ duyệt" in detail.get_data(as_text=True)
    response = auditor.post(
        f"/areas/{area.id}/status", data={"csrf_token": csrf_token(detail), "status": "active", "reason": ""}
    )
    assert response.status_code == 302
    db.session.refresh(area)
    assert area.status == AreaStatus.ACTIVE and area.code.startswith("VN-25-07999-")
    assert "đang hiệu lực" in auditor.get(f"/areas/{area.id}").get_data(as_text=True)


def test_form_errors_show_beside_fields_in_vietnamese(client, db, world, login):
    login(world.member_a.email)
    form = client.get("/products/new")
    response = client.post(
        "/products/new",
        data={
            "csrf_token": csrf_token(form),
            "name": "Bưởi",
            "crop": "pomelo",
            "organization_id": world.org_a.id,
            "gtin": "09506000134353",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="field-error"' in html and "số kiểm tra" in html.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 3


def test_member_records_a_lot_in_the_browser_form(client, db, world, login):
    login(world.member_a.email)
    form = client.get("/lots/new")
    data = {
        "csrf_token": csrf_token(form), "product_id": world.product_a.id, "growing_area_id": world.area_a.id,
        "code": "Lô 1", "harvest_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(), "quantity": "10", "unit": "KGM",
    }  # fmt: skip
    bad = client.post("/lots/new", data=data)
    assert bad.status_code == 422 and "dấu" in bad.get_data(as_text=True)
    data["code"] = "LO-1"
    good = client.post("/lots/new", data=data)
    assert good.status_code == 302
    lot = db.session.scalar(sa.select(Lot).where(Lot.code == "LO-1"))
    assert good.headers["Location"].endswith(f"/lots/{lot.id}")


def test_lists_are_paginated(app, client, db, world, login):
    for _ in range(27):
        AreaFactory(organization=world.org_a)
    db.session.commit()
    login(world.member_a.email)
    first = client.get("/areas").get_data(as_text=True)
    second = client.get("/areas?page=2").get_data(as_text=True)
    area_links = re.compile(r'href="/areas/\d+"')
    assert "Trang 1/2" in first and 'href="/areas?page=2"' in first
    assert len(area_links.findall(first)) == app.config["PAGE_SIZE"]
    assert len(area_links.findall(second)) == 28 - app.config["PAGE_SIZE"]  # area_a plus 27; B's area is not listed
    assert "Trang 2/2" in second


def test_department_only_sections(client, world, login):
    login(world.member_a.email)
    html = client.get("/organizations").get_data(as_text=True)
    assert world.org_a.name in html and world.org_b.name not in html
    assert 'name="tax_code"' not in html
