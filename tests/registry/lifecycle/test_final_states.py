"""Withdraw (owner), refuse (department, with a reason) and revoke are final states of their own."""

from __future__ import annotations

import pytest

from registry.lifecycle.models import CodeStatus
from tests.registry.lifecycle.conftest import counts


def url(area, tail):
    return f"/api/v1/areas/{area.id}/{tail}"


def test_the_owner_withdraws_its_pending_application(db, make_api, world, pending_area):
    member = make_api(world.member_a)
    response = member.post(url(pending_area, "withdraw"), json={"reason": "Đổi ý, gộp vào vùng khác"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "withdrawn" and response.json["code"] is None
    history = member.get(url(pending_area, "history")).json
    assert [(h["from_status"], h["to_status"], h["reason"], h["actor"]) for h in history] == [
        ("pending", "withdrawn", "Đổi ý, gộp vào vùng khác", world.member_a.email)
    ]
    # Final: the department cannot activate it, nor refuse it, nor can the owner withdraw twice.
    before = counts(db.session)
    auditor = make_api(world.auditor, "en")
    activate = auditor.post(url(pending_area, "status"), json={"status": "active"})
    assert activate.status_code == 409
    assert activate.json["message"] == "A code that is withdrawn cannot become active."
    assert auditor.post(url(pending_area, "status"), json={"status": "refused", "reason": "x"}).status_code == 409
    assert member.post(url(pending_area, "withdraw"), json={"reason": "lần nữa"}).status_code == 409
    assert counts(db.session) == before
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.WITHDRAWN and pending_area.code is None


def test_withdraw_through_the_status_route_too(db, make_api, world, pending_area):
    response = make_api(world.member_a).post(
        url(pending_area, "status"), json={"status": "withdrawn", "reason": "Thôi"}
    )
    assert response.status_code == 200
    assert response.json["status"] == "withdrawn"


def test_the_admin_may_withdraw_for_an_organization(db, make_api, world, pending_area):
    response = make_api(world.admin).post(url(pending_area, "withdraw"), json={"reason": "Theo yêu cầu của HTX"})
    assert response.status_code == 200
    assert response.json["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("who", "tail", "payload", "status", "errors"),
    [
        ("member_a", "withdraw", {"reason": ""}, 422, {"reason": ["Give the reason for this decision."]}),
        ("member_a", "withdraw", {}, 422, {"reason": ["Missing data for required field."]}),
        ("member_a", "withdraw", {"reason": "x", "status": "active"}, 422, {"status": ["Unknown field."]}),
        ("member_b", "withdraw", {"reason": "phá đám"}, 404, {}),
        ("auditor", "withdraw", {"reason": "thay HTX"}, 403, {}),
        ("auditor", "status", {"status": "withdrawn", "reason": "thay HTX"}, 403, {}),
        ("member_a", "status", {"status": "refused", "reason": "tự từ chối"}, 403, {}),
        ("auditor", "status", {"status": "refused"}, 422, {"reason": ["Give the reason for this decision."]}),
        ("auditor", "status", {"status": "suspended", "reason": "x"}, 409, {}),
    ],
)
def test_wrong_moves_on_a_pending_application_store_nothing(
    db, make_api, world, pending_area, who, tail, payload, status, errors
):
    before = counts(db.session)
    response = make_api(getattr(world, who), "en").post(url(pending_area, tail), json=payload)
    assert response.status_code == status, response.json
    assert response.json["errors"] == errors
    assert counts(db.session) == before
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.PENDING


def test_the_department_refuses_with_a_reason_and_refused_is_final(db, make_api, world, pending_area):
    auditor = make_api(world.auditor, "en")
    response = auditor.post(url(pending_area, "status"), json={"status": "refused", "reason": "Diện tích dưới 1 ha"})
    assert response.status_code == 200
    assert response.json["status"] == "refused" and response.json["code"] is None
    before = counts(db.session)
    again = auditor.post(url(pending_area, "status"), json={"status": "active"})
    assert again.status_code == 409
    assert again.json["message"] == "A code that is refused cannot become active."
    assert make_api(world.member_a).post(url(pending_area, "withdraw"), json={"reason": "muộn"}).status_code == 409
    assert counts(db.session) == before


def test_an_active_code_cannot_be_withdrawn_and_revoked_stays_revoked(db, make_api, world):
    member, auditor = make_api(world.member_a, "en"), make_api(world.auditor, "en")
    withdraw = member.post(url(world.area_a, "withdraw"), json={"reason": "không dùng nữa"})
    assert withdraw.status_code == 409
    assert withdraw.json["message"] == "A code that is active cannot become withdrawn."
    assert (
        auditor.post(url(world.area_a, "status"), json={"status": "revoked", "reason": "Gian lận"}).status_code == 200
    )
    before = counts(db.session)
    for target in ("active", "suspended", "refused"):
        assert auditor.post(url(world.area_a, "status"), json={"status": target, "reason": "x"}).status_code == 409
    assert member.post(url(world.area_a, "withdraw"), json={"reason": "x"}).status_code == 409
    assert counts(db.session) == before
    db.session.refresh(world.area_a)
    assert world.area_a.status == CodeStatus.REVOKED
