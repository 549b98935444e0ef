"""A record's audit history on its page: the department sees it, members do not; names, never emails."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.trace.conftest import lot_body


@pytest.fixture
def named(world, db):
    world.auditor.full_name = "Trần Thanh Tra"
    db.session.commit()
    return world


def test_area_history_for_the_department_only(make_api, named, db, page_as):
    world = named
    api = make_api(world.auditor)
    assert (
        api.post(
            f"/api/v1/areas/{world.area_a.id}/status", json={"status": "suspended", "reason": "Kiểm tra"}
        ).status_code
        == 200
    )
    html = page_as(world.auditor).get(f"/areas/{world.area_a.id}").get_data(as_text=True)
    assert "Nhật ký thay đổi" in html
    assert "Trần Thanh Tra" in html and "auditor@test.example" not in html.split("Nhật ký thay đổi")[1]
    assert "active → suspended" in html
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert today.strftime("%d/%m/%Y") in html  # Vietnamese date format
    member_html = page_as(world.member_a).get(f"/areas/{world.area_a.id}").get_data(as_text=True)
    assert (
        "Nhật ký thay đổi" not in member_html
        and "Trần Thanh Tra" not in member_html.split("<main")[-1].split("lifecycle-history")[0]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/{org}",
        "/products/{product}",
        "/products/{product}/ocop",
        "/lots/{lot}",
        "/packing-houses/{house}",
    ],
)
def test_every_detail_page_shows_the_history(make_api, world, db, page_as, path):
    from tests.trace.conftest import make_house

    house = make_house(db.session, world.org_a, code="VN-25-07999-DG001", name="Nhà đóng gói")
    db.session.commit()
    lot = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world)).json
    url = path.format(org=world.org_a.id, product=world.product_a.id, lot=lot["id"], house=house.id)
    auditor = page_as(world.auditor).get(url)
    assert auditor.status_code == 200
    assert "Nhật ký thay đổi" in auditor.get_data(as_text=True)
    member = page_as(world.member_a).get(url)
    assert member.status_code == 200 and "Nhật ký thay đổi" not in member.get_data(as_text=True)
