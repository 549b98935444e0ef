"""Members see the department's people by role, never by email; the department sees who by email.

One rule (registry.core.people.public_name), checked on its own and on every page and endpoint that names a
person: area history and inspections, recalls, lots, diaries.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from markupsafe import escape

from registry.accounts.models import User
from registry.core.db import today_in_vietnam
from registry.core.people import public_name
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UserFactory
from tests.trace.conftest import lot_body
from trace.lots.models import Lot

INSPECTOR_VI = "Sở NN&MT (thanh tra)"
INSPECTOR_HTML = str(escape(INSPECTOR_VI))
ADMIN_VI = "Sở NN&MT (quản trị)"


@pytest.fixture
def people(db, world):
    """Named colleagues in A (one to act, one to look) and a named inspector, besides the world's accounts."""
    world.member_a.full_name = "Nguyễn Thị Bưởi"
    world.auditor.full_name = "Trần Văn Thanh"
    colleague = UserFactory(organization=world.org_a, email="colleague@test.example", full_name="Lê Văn Cam")
    db.session.commit()
    return colleague


def test_the_rule(app, db, world, people):
    with app.test_request_context("/?lang=vi"):
        assert public_name(world.auditor, world.member_a) == INSPECTOR_VI
        assert public_name(world.admin, world.member_b) == ADMIN_VI
        assert public_name(world.member_a, people) == "Nguyễn Thị Bưởi"  # a colleague, by name
        assert public_name(world.member_b, world.member_b) == "b@test.example"  # own organization, no name: email
        assert public_name(world.member_a, world.member_b) == world.org_a.name  # another organization: its name
        assert public_name(world.auditor, None) == INSPECTOR_VI  # nobody signed in
        assert public_name(world.member_a, None) == world.org_a.name
        for viewer in (world.auditor, world.admin):
            assert public_name(world.auditor, viewer) == "auditor@test.example"
            assert public_name(world.member_b, viewer) == "b@test.example"
        assert public_name(None, world.member_a) is None
        assert public_name(world.auditor) == INSPECTOR_VI  # the request's viewer by default: nobody here
    with app.test_request_context("/?lang=en"), force_locale("en"):
        assert public_name(world.auditor, world.member_a) == "Provincial department (inspector)"


def suspend_with_inspection(make_api, world):
    """The inspector records an inspection without typing a name (it defaults to the account) and suspends."""
    auditor = make_api(world.auditor)
    response = auditor.post(
        f"/api/v1/areas/{world.area_a.id}/inspections",
        json={"inspected_on": "2025-03-01", "conclusion": "suspend", "reason": "Nhật ký bỏ trống"},
    )
    assert response.status_code == 201, response.json
    return response.json["inspection"]


def test_area_history_and_inspections_on_the_page(db, world, people, make_api, login):
    # The world's auditor had no name when the inspection was recorded: the old default was the email.
    world.auditor.full_name = None
    db.session.commit()
    inspection = suspend_with_inspection(make_api, world)
    assert inspection["inspector_name"] == "auditor@test.example"  # the department sees the email
    client = login(world.member_a.email)
    html = client.get(f"/areas/{world.area_a.id}").get_data(as_text=True)
    assert "auditor@test.example" not in html
    history = html[html.index('class="lifecycle-history"') :]
    assert INSPECTOR_HTML in history[: history.index("</table>")]
    inspections = html[html.index('class="lifecycle-inspections"') :]
    assert INSPECTOR_HTML in inspections[: inspections.index("</table>")]


def test_the_department_sees_emails_on_the_page(app, db, world, people, make_api):
    suspend_with_inspection(make_api, world)
    client = app.test_client()
    page = client.get("/login")
    client.post("/login", data={"email": world.auditor.email, "password": PASSWORD, "csrf_token": csrf_token(page)})
    html = client.get(f"/areas/{world.area_a.id}").get_data(as_text=True)
    history = html[html.index('class="lifecycle-history"') :]
    assert "auditor@test.example" in history[: history.index("</table>")]
    assert "Trần Văn Thanh" in html  # the inspector's name, typed by default from the account


def test_area_history_and_inspections_in_the_api(db, world, people, make_api):
    suspend_with_inspection(make_api, world)
    member, auditor = make_api(world.member_a), make_api(world.auditor)
    assert [h["actor"] for h in member.get(f"/api/v1/areas/{world.area_a.id}/history").json] == [INSPECTOR_VI]
    assert [h["actor"] for h in auditor.get(f"/api/v1/areas/{world.area_a.id}/history").json] == [
        "auditor@test.example"
    ]
    seen = member.get(f"/api/v1/areas/{world.area_a.id}/inspections").json[0]
    assert (seen["recorded_by"], seen["inspector_name"]) == (INSPECTOR_VI, "Trần Văn Thanh")
    assert auditor.get(f"/api/v1/areas/{world.area_a.id}/inspections").json[0]["recorded_by"] == "auditor@test.example"
    checked = auditor.get("/api/v1/check", query_string={"q": world.area_a.code}).json
    assert "auditor@test.example" in str(checked)  # the department's own look-up keeps the email


def test_recall_page_names_the_department_by_role(db, world, people, make_api, login):
    lot = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world, code="DH-PN-1"))
    assert lot.status_code == 201, lot.json
    opened = make_api(world.auditor).post(
        "/api/v1/recalls", json={"lot_id": lot.json["id"], "reason": "Dư lượng vượt MRL"}
    )
    assert opened.status_code == 201, opened.json
    client = login(people.email)
    html = client.get(f"/recalls/{opened.json['id']}").get_data(as_text=True)
    assert INSPECTOR_HTML in html and "auditor@test.example" not in html


def test_lot_page_and_api_name_colleagues_by_name_and_the_department_by_role(db, world, people, make_api, login):
    member = make_api(world.member_a)
    harvested = (today_in_vietnam() - dt.timedelta(days=1)).isoformat()
    lot = member.post("/api/v1/lots", json=lot_body(world, code="DH-PN-2", harvest_date=harvested)).json
    row = db.session.get(Lot, lot["id"])
    row.phi_override_reason, row.phi_override_by_id = "Thu hoạch gấp trước bão", world.auditor.id
    db.session.commit()
    assert member.post(f"/api/v1/lots/{lot['id']}/void", json={"reason": "Sai mã"}).status_code == 200

    client = login(people.email)
    html = client.get(f"/lots/{lot['id']}").get_data(as_text=True)
    assert INSPECTOR_HTML in html and "Nguyễn Thị Bưởi" in html
    assert "auditor@test.example" not in html and "a@test.example" not in html

    seen = make_api(db.session.get(User, people.id)).get(f"/api/v1/lots/{lot['id']}").json
    assert seen["phi_override"]["by"] == INSPECTOR_VI
    assert make_api(world.auditor).get(f"/api/v1/lots/{lot['id']}").json["phi_override"]["by"] == (
        "auditor@test.example"
    )


def test_diary_entries_name_who_recorded_them(db, world, people, make_api):
    body = {
        "kind": "spray", "date": today_in_vietnam().isoformat(), "input_name": "Anvil 5SC",
        "active_ingredient": "Hexaconazole", "dose": "20 ml/16 lít", "phi_days": 7, "performed_by": "Tổ phun thuốc",
    }  # fmt: skip
    recorded = make_api(world.member_a).post(f"/api/v1/areas/{world.area_a.id}/diary", json=body)
    assert recorded.status_code == 201, recorded.json
    by_colleague = make_api(db.session.get(User, people.id)).get(f"/api/v1/areas/{world.area_a.id}/diary").json
    assert [e["recorded_by"] for e in by_colleague] == ["Nguyễn Thị Bưởi"]
    by_department = make_api(world.auditor).get(f"/api/v1/areas/{world.area_a.id}/diary").json
    assert [e["recorded_by"] for e in by_department] == ["a@test.example"]
