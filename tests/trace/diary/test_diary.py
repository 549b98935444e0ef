"""The production diary, and the pre-harvest interval it imposes on lots."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from registry.core.db import today_in_vietnam
from tests.conftest import csrf_token
from tests.trace.conftest import lot_body
from trace.diary.models import DiaryEntry
from trace.lots.models import Lot

TODAY = today_in_vietnam()


def day(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def spray(api, area_id, days_ago, phi, name="Anvil 5SC", ingredient="Hexaconazole"):
    body = {
        "kind": "spray", "date": day(days_ago), "input_name": name, "active_ingredient": ingredient,
        "dose": "20 ml/16 lít", "phi_days": phi, "performed_by": "Tổ phun thuốc",
    }  # fmt: skip
    response = api.post(f"/api/v1/areas/{area_id}/diary", json=body)
    assert response.status_code == 201, response.json
    return response.json


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_members_keep_their_diary_the_department_reads(db, make_api, world):
    a, b, auditor = make_api(world.member_a), make_api(world.member_b), make_api(world.auditor)
    entry = spray(a, world.area_a.id, 10, 7)
    assert (entry["kind"], entry["phi_days"], entry["safe_from"]) == ("spray", 7, day(3))
    fert = a.post(
        f"/api/v1/areas/{world.area_a.id}/diary",
        json={"kind": "fertilize", "date": day(2), "input_name": "NPK 16-16-8"},
    )
    assert fert.status_code == 201 and fert.json["safe_from"] is None
    listed = auditor.get(f"/api/v1/areas/{world.area_a.id}/diary").json
    assert [e["kind"] for e in listed] == ["fertilize", "spray"]
    assert [e["kind"] for e in a.get(f"/api/v1/areas/{world.area_a.id}/diary?kind=spray").json] == ["spray"]
    assert b.get(f"/api/v1/areas/{world.area_a.id}/diary").status_code == 404
    assert b.post(f"/api/v1/areas/{world.area_a.id}/diary", json={"kind": "other", "date": day(1)}).status_code == 404
    assert (
        auditor.post(f"/api/v1/areas/{world.area_a.id}/diary", json={"kind": "other", "date": day(1)}).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": "spray", "date": "D1", "input_name": "Anvil", "active_ingredient": "Hexaconazole"}, {"phi_days"}),
        ({"kind": "spray", "date": "D1", "phi_days": 7}, {"input_name", "active_ingredient"}),
        ({"kind": "spray", "date": "D1", "input_name": "A", "active_ingredient": "B", "phi_days": 400}, {"phi_days"}),
        ({"kind": "spray", "date": "D1", "input_name": "A", "active_ingredient": "B", "phi_days": -1}, {"phi_days"}),
        ({"kind": "spray", "date": "D1", "input_name": "A", "active_ingredient": "B", "phi_days": 1.5}, {"phi_days"}),
        ({"kind": "fertilize", "date": "D1", "phi_days": 7}, {"phi_days"}),
        ({"kind": "other", "date": "FUTURE"}, {"date"}),
        ({"kind": "dance", "date": "D1"}, {"kind"}),
        ({"kind": "other", "date": "not a date"}, {"date"}),
    ],
)
def test_bad_entries_are_refused_and_nothing_stored(db, make_api, world, body, fields):
    body = {
        k: (day(1) if v == "D1" else (TODAY + dt.timedelta(days=1)).isoformat() if v == "FUTURE" else v)
        for k, v in body.items()
    }
    response = make_api(world.member_a, "en").post(f"/api/v1/areas/{world.area_a.id}/diary", json=body)
    assert response.status_code == 422, response.json
    assert set(response.json["errors"]) == fields
    assert count(db, DiaryEntry) == 0


def test_unknown_fields_are_refused(db, make_api, world):
    body = {"kind": "other", "date": day(1), "colour": "green"}
    assert make_api(world.member_a).post(f"/api/v1/areas/{world.area_a.id}/diary", json=body).status_code == 422
    assert count(db, DiaryEntry) == 0


def test_a_harvest_inside_the_interval_is_refused_and_names_the_spray(db, make_api, world):
    a = make_api(world.member_a)
    spray(a, world.area_a.id, 10, 7)  # safe from day(3)
    before = count(db, Lot)
    refused = a.post("/api/v1/lots", json=lot_body(world, code="PHI-1", harvest_date=day(4)))
    assert refused.status_code == 422
    message = refused.json["errors"]["harvest_date"][0]
    safe = (TODAY - dt.timedelta(days=3)).strftime("%d/%m/%Y")
    assert "Anvil 5SC" in message and "Hexaconazole" in message and safe in message
    assert count(db, Lot) == before
    assert a.post("/api/v1/lots", json=lot_body(world, code="PHI-2", harvest_date=day(3))).status_code == 201


def test_the_latest_safe_day_is_named_and_later_sprays_do_not_block(db, make_api, world):
    a = make_api(world.member_a, "en")
    spray(a, world.area_a.id, 10, 7, name="Anvil 5SC")  # safe from day(3)
    spray(a, world.area_a.id, 8, 14, name="Score 250EC", ingredient="Difenoconazole")  # safe from day(-6)
    spray(a, world.area_a.id, 1, 30, name="Later spray")  # after the harvest below: irrelevant to it
    refused = a.post("/api/v1/lots", json=lot_body(world, code="PHI-3", harvest_date=day(2)))
    message = refused.json["errors"]["harvest_date"][0]
    assert "Score 250EC" in message and "Anvil" not in message
    # The area of the other organization is untouched by these sprays.
    b = make_api(world.member_b)
    other = lot_body(
        world, code="PHI-4", harvest_date=day(2), product_id=world.product_b.id, growing_area_id=world.area_b.id
    )
    assert b.post("/api/v1/lots", json=other).status_code == 201


def test_only_the_department_overrides_and_the_lot_is_flagged(db, make_api, world):
    a, auditor = make_api(world.member_a, "en"), make_api(world.auditor, "en")
    spray(a, world.area_a.id, 2, 7)
    body = lot_body(world, code="PHI-5", harvest_date=day(1), phi_override_reason="Thu hoạch gấp trước bão; mẫu đạt")
    before = count(db, Lot)
    assert a.post("/api/v1/lots", json=body).status_code == 403
    assert count(db, Lot) == before
    made = auditor.post("/api/v1/lots", json=body)
    assert made.status_code == 201, made.json
    shown = a.get(f"/api/v1/lots/{made.json['id']}").json
    # The member sees who allowed it by role; the department by email.
    by_role = {"reason": "Thu hoạch gấp trước bão; mẫu đạt", "by": "Provincial department (inspector)"}
    assert shown["phi_override"] == by_role
    by_email = auditor.get(f"/api/v1/lots/{made.json['id']}").json["phi_override"]
    assert by_email == {"reason": "Thu hoạch gấp trước bão; mẫu đạt", "by": world.auditor.email}
    checked = auditor.get("/api/v1/check", query_string={"q": made.json["label_uri"]}).json
    assert checked["phi_override_reason"] == "Thu hoạch gấp trước bão; mẫu đạt" and checked["recalled"] is False
    needless = auditor.post(
        "/api/v1/lots", json=lot_body(world, code="PHI-6", harvest_date=day(5), phi_override_reason="x")
    )
    assert needless.status_code == 422 and list(needless.json["errors"]) == ["phi_override_reason"]
    # Without an override the department still does not record lots.
    assert auditor.post("/api/v1/lots", json=lot_body(world, code="PHI-7", harvest_date=day(5))).status_code == 422


def test_the_diary_page(db, world, login):
    client = login(world.member_a.email)
    page = client.get(f"/areas/{world.area_a.id}/diary")
    assert page.status_code == 200 and "Nhật ký sản xuất" in page.get_data(as_text=True)
    token = csrf_token(page)
    bad = client.post(
        f"/areas/{world.area_a.id}/diary",
        data={"csrf_token": token, "kind": "spray", "date": day(1), "input_name": "Anvil 5SC"},
    )
    assert bad.status_code == 422 and count(db, DiaryEntry) == 0
    good = client.post(
        f"/areas/{world.area_a.id}/diary",
        data={
            "csrf_token": token,
            "kind": "spray",
            "date": day(1),
            "input_name": "Anvil 5SC",
            "active_ingredient": "Hexaconazole",
            "phi_days": "7",
        },
    )
    assert good.status_code == 302
    html = client.get(f"/areas/{world.area_a.id}/diary").get_data(as_text=True)
    assert "Phun thuốc BVTV" in html and "Anvil 5SC" in html
