"""Inspections and history through the JSON API (/api/v1/areas/{id}/inspections, /history)."""

from __future__ import annotations

import datetime as dt

import pytest

from registry.core.db import today_in_vietnam
from registry.lifecycle.models import CodeStatus
from tests.registry.lifecycle.conftest import VALID_INSPECTION, counts


def url(area, tail="inspections"):
    return f"/api/v1/areas/{area.id}/{tail}"


def test_department_records_an_inspection_with_every_finding(db, make_api, world):
    auditor = make_api(world.auditor, "en")
    before = counts(db.session)
    response = auditor.post(url(world.area_a), json={**VALID_INSPECTION, "conclusion": "pass"})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "active"
    inspection = body["inspection"]
    assert isinstance(inspection["id"], int)
    expected = {
        "inspected_on": "2025-03-01",
        "inspector_name": "Nguyễn Văn Kiểm",
        "growth_stage": "Ra hoa",
        "pests": [{"name": "Rệp sáp", "density": "5 con/cành"}, {"name": "Nhện đỏ", "density": ""}],
        "diary_kept": True,
        "pesticides_permitted": False,
        "sampled": True,
        "sample_results": "Dư lượng trong ngưỡng",
        "field_hygiene": "fair",
        "packaging_collected": True,
        "notes": "Nhắc thu gom bao bì",
        "conclusion": "pass",
        "conclusion_label": "Pass",
        "corrective_deadline": None,
        "reason": None,
        "recorded_by": world.auditor.email,
    }
    assert {k: inspection[k] for k in expected} == expected
    assert counts(db.session) == {"inspection": before["inspection"] + 1, "status_change": before["status_change"]}

    # The owner reads its own inspections; the list is the same record.
    listed = make_api(world.member_a).get(url(world.area_a))
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json] == [inspection["id"]]


def test_corrective_action_keeps_the_code_active_and_sets_a_deadline(db, make_api, world):
    auditor = make_api(world.auditor)
    response = auditor.post(
        url(world.area_a),
        json={"inspected_on": "2025-03-01", "conclusion": "corrective_action", "corrective_deadline": "2025-04-01"},
    )
    assert response.status_code == 201, response.json
    assert response.json["status"] == "active"
    assert response.json["inspection"]["corrective_deadline"] == "2025-04-01"
    assert response.json["inspection"]["inspector_name"] == world.auditor.email  # defaults to who recorded it


def test_suspend_then_revoke_by_inspection_and_history_points_to_each(db, make_api, world):
    auditor = make_api(world.auditor)
    suspend = auditor.post(
        url(world.area_a), json={"inspected_on": "2025-03-01", "conclusion": "suspend", "reason": "Nhật ký bỏ trống"}
    )
    assert suspend.status_code == 201, suspend.json
    assert suspend.json["status"] == "suspended"
    revoke = auditor.post(
        url(world.area_a), json={"inspected_on": "2025-03-20", "conclusion": "revoke", "reason": "Dư lượng vượt ngưỡng"}
    )
    assert revoke.status_code == 201, revoke.json
    assert revoke.json["status"] == "revoked"

    history = make_api(world.member_a).get(url(world.area_a, "history"))
    assert history.status_code == 200
    moves = [(h["from_status"], h["to_status"], h["reason"], h["inspection_id"], h["actor"]) for h in history.json]
    inspector = "Sở NN&MT (thanh tra)"  # a member sees the department's people by role, not by email
    assert moves == [
        ("active", "suspended", "Nhật ký bỏ trống", suspend.json["inspection"]["id"], inspector),
        ("suspended", "revoked", "Dư lượng vượt ngưỡng", revoke.json["inspection"]["id"], inspector),
    ]
    assert all(h["at"] for h in history.json)
    db.session.refresh(world.area_a)
    assert world.area_a.status == CodeStatus.REVOKED

    # Newest first.
    listed = auditor.get(url(world.area_a)).json
    assert [i["id"] for i in listed] == [revoke.json["inspection"]["id"], suspend.json["inspection"]["id"]]


def test_history_records_a_plain_status_change_without_inspection(db, make_api, world, pending_area):
    auditor = make_api(world.auditor)
    assert auditor.post(url(pending_area, "status"), json={"status": "active"}).status_code == 200
    history = auditor.get(url(pending_area, "history")).json
    assert [(h["from_status"], h["to_status"], h["inspection_id"]) for h in history] == [("pending", "active", None)]
    assert history[0]["actor"] == world.auditor.email and history[0]["reason"] is None


TOMORROW = (today_in_vietnam() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("payload", "language", "errors"),
    [
        (
            {"inspected_on": "2025-03-01", "conclusion": "suspend"},
            "vi",
            {"reason": ["Vui lòng nêu lý do tạm đình chỉ hoặc thu hồi mã số."]},
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "revoke", "reason": "   "},
            "en",
            {"reason": ["Give the reason for suspending or revoking the code."]},
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "corrective_action"},
            "en",
            {"corrective_deadline": ["Set the deadline for the corrective action."]},
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "corrective_action", "corrective_deadline": "2025-02-01"},
            "en",
            {"corrective_deadline": ["The deadline must come after the inspection date."]},
        ),
        (
            {"inspected_on": TOMORROW, "conclusion": "pass"},
            "en",
            {"inspected_on": ["The inspection date cannot be in the future."]},
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "maybe", "field_hygiene": "spotless"},
            "en",
            {
                "conclusion": ["Choose the conclusion of the inspection."],
                "field_hygiene": ["Choose good, fair or poor."],
            },
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "pass", "sample_results": "ok", "sampled": False},
            "en",
            {"sample_results": ["Sample results need 'samples taken' to be ticked."]},
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "pass", "pests": [{"name": " ", "density": "2"}]},
            "en",
            {"pests": ["This field is required."]},
        ),
        (
            {"inspected_on": "2025-03-01", "conclusion": "pass", "weather": "sunny"},
            "en",
            {"weather": ["Unknown field."]},
        ),
        ({"conclusion": "pass"}, "en", {"inspected_on": ["Missing data for required field."]}),
    ],
)
def test_bad_inspections_store_nothing(db, make_api, world, payload, language, errors):
    before = counts(db.session)
    response = make_api(world.auditor, language).post(url(world.area_a), json=payload)
    assert response.status_code == 422, response.json
    assert response.json["errors"] == errors
    assert counts(db.session) == before
    db.session.refresh(world.area_a)
    assert world.area_a.status == CodeStatus.ACTIVE


def test_a_member_cannot_record_an_inspection(db, make_api, world):
    before = counts(db.session)
    response = make_api(world.member_a).post(
        url(world.area_a), json={"inspected_on": "2025-03-01", "conclusion": "revoke", "reason": "tự thu hồi"}
    )
    assert response.status_code == 403
    assert response.json["message"] == "Chỉ Sở Nông nghiệp và Môi trường mới có quyền thực hiện thao tác này."
    assert counts(db.session) == before
    db.session.refresh(world.area_a)
    assert world.area_a.status == CodeStatus.ACTIVE


def test_a_member_cannot_change_a_status(db, make_api, world):
    before = counts(db.session)
    response = make_api(world.member_a).post(url(world.area_a, "status"), json={"status": "suspended", "reason": "x"})
    assert response.status_code == 403
    assert counts(db.session) == before


def test_other_organizations_inspections_and_history_are_not_found(db, make_api, world):
    make_api(world.auditor).post(url(world.area_a), json={"inspected_on": "2025-03-01", "conclusion": "pass"})
    member_b = make_api(world.member_b, "en")
    for tail in ("inspections", "history"):
        response = member_b.get(url(world.area_a, tail))
        assert response.status_code == 404
        assert response.json["message"] == "Growing area not found."
    before = counts(db.session)
    response = member_b.post(url(world.area_a), json={"inspected_on": "2025-03-01", "conclusion": "pass"})
    assert response.status_code == 404
    assert counts(db.session) == before


def test_no_inspection_on_a_revoked_code(db, make_api, world):
    auditor = make_api(world.auditor, "en")
    assert (
        auditor.post(url(world.area_a, "status"), json={"status": "revoked", "reason": "Gian lận"}).status_code == 200
    )
    before = counts(db.session)
    response = auditor.post(url(world.area_a), json={"inspected_on": "2025-03-01", "conclusion": "pass"})
    assert response.status_code == 409
    assert response.json["message"] == "This code is revoked; it can no longer be inspected."
    assert counts(db.session) == before


def test_a_suspend_conclusion_the_code_cannot_take_stores_no_inspection(db, make_api, world, pending_area):
    """A pending application cannot be suspended: the inspection that asks for it is refused whole."""
    before = counts(db.session)
    response = make_api(world.auditor, "en").post(
        url(pending_area), json={"inspected_on": "2025-03-01", "conclusion": "suspend", "reason": "Sâu bệnh"}
    )
    assert response.status_code == 422
    assert response.json["errors"] == {"conclusion": ["A code that is pending cannot become suspended."]}
    assert counts(db.session) == before
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.PENDING
