"""Voiding a lot: POST /api/v1/lots/<id>/void and the void form on the lot page."""

import pytest

from tests.conftest import csrf_token
from tests.trace.conftest import fresh_lot


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}])
def test_void_needs_a_reason(db, make_api, world, lot_a, body):
    response = make_api(world.member_a, "en").post(f"/api/v1/lots/{lot_a['id']}/void", json=body)
    assert response.status_code == 422
    assert "reason" in response.json["errors"]
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.voided_at, lot.void_reason, lot.voided_by_id) == (None, None, None)


def test_owner_voids_a_lot_once(db, make_api, world, lot_a):
    api = make_api(world.member_a, "en")
    response = api.post(f"/api/v1/lots/{lot_a['id']}/void", json={"reason": "In nhầm mã lô trên tem"})
    assert response.status_code == 200, response.json
    assert response.json["voided"] is True
    assert response.json["void_reason"] == "In nhầm mã lô trên tem"
    assert response.json["voided_at"]
    lot = fresh_lot(db, lot_a["id"])
    assert lot.voided_at is not None and lot.voided_by_id == world.member_a.id
    first = lot.voided_at
    again = api.post(f"/api/v1/lots/{lot_a['id']}/void", json={"reason": "again"})
    assert again.status_code == 409
    lot = fresh_lot(db, lot_a["id"])
    assert (lot.voided_at, lot.void_reason) == (first, "In nhầm mã lô trên tem")
    listed = api.get("/api/v1/lots").json
    assert [(x["id"], x["voided"]) for x in listed] == [(lot_a["id"], True)]


def test_who_may_void(db, make_api, world, lot_a):
    path = f"/api/v1/lots/{lot_a['id']}/void"
    assert make_api(world.auditor).post(path, json={"reason": "x"}).status_code == 403
    assert make_api(world.member_b).post(path, json={"reason": "x"}).status_code == 404
    assert fresh_lot(db, lot_a["id"]).voided_at is None
    assert make_api(world.admin).post(path, json={"reason": "x"}).status_code == 200
    assert fresh_lot(db, lot_a["id"]).voided_by_id == world.admin.id


def test_void_form_needs_confirmation_and_reason(db, world, lot_a, login):
    client = login(world.member_a.email)
    page = client.get(f"/lots/{lot_a['id']}?lang=en")
    html = page.get_data(as_text=True)
    assert f'action="/lots/{lot_a["id"]}/void"' in html
    token = csrf_token(page)
    unconfirmed = client.post(f"/lots/{lot_a['id']}/void?lang=en", data={"reason": "Sai", "csrf_token": token})
    assert unconfirmed.status_code == 422
    assert "Tick the confirmation to void the lot." in unconfirmed.get_data(as_text=True)
    no_reason = client.post(
        f"/lots/{lot_a['id']}/void?lang=en", data={"reason": " ", "confirm": "y", "csrf_token": token}
    )
    assert no_reason.status_code == 422
    assert "This field is required." in no_reason.get_data(as_text=True)
    assert fresh_lot(db, lot_a["id"]).voided_at is None
    done = client.post(
        f"/lots/{lot_a['id']}/void", data={"reason": "Sai ngày thu hoạch", "confirm": "y", "csrf_token": token}
    )
    assert done.status_code == 302
    lot = fresh_lot(db, lot_a["id"])
    assert lot.void_reason == "Sai ngày thu hoạch" and lot.voided_by_id == world.member_a.id
    detail = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Đã hủy lô DH-2511-001." in detail
    assert "Lô này đã bị hủy ngày" in detail and "Lý do: Sai ngày thu hoạch" in detail
    # Once voided: no edit link, no void form.
    assert f"/lots/{lot_a['id']}/edit" not in detail and f"/lots/{lot_a['id']}/void" not in detail
    listing = client.get("/lots").get_data(as_text=True)
    assert '<tr class="voided">' in listing and '<span class="badge voided">Đã hủy</span>' in listing


def test_inspector_sees_no_void_form_and_cannot_post_it(db, world, lot_a, login):
    client = login(world.auditor.email)
    page = client.get(f"/lots/{lot_a['id']}")
    assert page.status_code == 200
    assert "/void" not in page.get_data(as_text=True) and "/edit" not in page.get_data(as_text=True)
    response = client.post(
        f"/lots/{lot_a['id']}/void", data={"reason": "x", "confirm": "y", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 403
    assert fresh_lot(db, lot_a["id"]).voided_at is None


def test_voiding_twice_from_the_page_is_a_conflict(db, world, lot_a, login, make_api):
    client = login(world.member_a.email)
    page = client.get(f"/lots/{lot_a['id']}")
    assert make_api(world.member_a).post(f"/api/v1/lots/{lot_a['id']}/void", json={"reason": "a"}).status_code == 200
    response = client.post(
        f"/lots/{lot_a['id']}/void", data={"reason": "b", "confirm": "y", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 409
    assert fresh_lot(db, lot_a["id"]).void_reason == "a"
