"""Provisional codes: a code claimed on an application is confirmed only when the department activates it."""

from __future__ import annotations

import sqlalchemy as sa

from registry.areas.models import GrowingArea
from registry.lifecycle.models import CodeStatus
from tests.registry.lifecycle.conftest import counts


def application(code: str, name: str = "Vùng bưởi Bằng Luân") -> dict:
    return {
        "name": name,
        "kind": "export",
        "crop": "pomelo",
        "area_ha": "3.5",
        "commune_code": "07996",
        "code": code,
    }


def test_claiming_another_organizations_code_reveals_nothing_and_clashes_on_activation(db, make_api, world):
    code_a = world.area_a.code
    member_b = make_api(world.member_b, "en")
    response = member_b.post("/api/v1/areas", json=application(code_a.lower()))
    assert response.status_code == 201, response.json
    body = response.get_data(as_text=True)
    assert response.json["claimed_code"] == code_a and response.json["code"] is None
    assert response.json["status"] == "pending"
    for secret in (world.org_a.name, world.area_a.name):
        assert secret not in body
    claim_id = response.json["id"]
    # B reads its application back: still nothing about A.
    again = member_b.get(f"/api/v1/areas/{claim_id}")
    assert world.org_a.name not in again.get_data(as_text=True) and world.area_a.name not in again.get_data(
        as_text=True
    )

    before = counts(db.session)
    activate = make_api(world.auditor, "en").post(f"/api/v1/areas/{claim_id}/status", json={"status": "active"})
    assert activate.status_code == 409
    assert activate.json["message"] == (
        f"The code {code_a} is already held by the growing area {world.area_a.name} of {world.org_a.name}. "
        "Resolve the clash before activating."
    )
    assert counts(db.session) == before
    db.session.expire_all()
    claim = db.session.get(GrowingArea, claim_id)
    assert claim.status == CodeStatus.PENDING and claim.code is None and claim.claimed_code == code_a
    holder = db.session.get(GrowingArea, world.area_a.id)
    assert holder.code == code_a and holder.status == CodeStatus.ACTIVE
    # The department may still refuse the clashing application, with its reason.
    refuse = make_api(world.auditor).post(
        f"/api/v1/areas/{claim_id}/status", json={"status": "refused", "reason": "Mã số đã cấp cho HTX khác"}
    )
    assert refuse.status_code == 200 and refuse.json["status"] == "refused"


def test_two_pending_claims_of_one_code_first_activated_gets_it(db, make_api, world):
    claimed = "VN-25-07996-777"
    member_a, member_b = make_api(world.member_a), make_api(world.member_b)
    first = member_b.post("/api/v1/areas", json=application(claimed))
    second = member_a.post(
        "/api/v1/areas", json={**application(claimed, "Vùng bưởi Chí Đám 2"), "commune_code": "07999"}
    )
    assert first.status_code == 201 and second.status_code == 201
    auditor = make_api(world.auditor, "en")

    win = auditor.post(f"/api/v1/areas/{second.json['id']}/status", json={"status": "active"})
    assert win.status_code == 200, win.json
    assert win.json["code"] == claimed and win.json["status"] == "active"

    before = counts(db.session)
    lose = auditor.post(f"/api/v1/areas/{first.json['id']}/status", json={"status": "active"})
    assert lose.status_code == 409
    assert lose.json["message"] == (
        f"The code {claimed} is already held by the growing area Vùng bưởi Chí Đám 2 of {world.org_a.name}. "
        "Resolve the clash before activating."
    )
    assert counts(db.session) == before
    db.session.expire_all()
    holders = db.session.scalars(sa.select(GrowingArea).where(GrowingArea.code == claimed)).all()
    assert [h.id for h in holders] == [second.json["id"]]
    assert db.session.get(GrowingArea, first.json["id"]).status == CodeStatus.PENDING
