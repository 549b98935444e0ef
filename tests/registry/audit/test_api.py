"""GET /api/v1/audit: the department reads the trail; members are refused."""

from __future__ import annotations

import json

from tests.trace.conftest import lot_body


def test_department_reads_a_records_history_newest_first(make_api, world, db):
    assert make_api(world.auditor).post(f"/api/v1/areas/{world.area_a.id}/status",
                                        json={"status": "suspended", "reason": "Kiểm tra"}).status_code == 200  # fmt: skip
    for user in (world.auditor, world.admin):
        response = make_api(user).get(f"/api/v1/audit?record_type=growing_area&record_id={world.area_a.id}")
        assert response.status_code == 200
        update, create = response.json
        assert (update["action"], create["action"]) == ("update", "create")
        assert update["before"]["status"] == "active" and update["after"]["status"] == "suspended"
        assert update["actor_role"] == "auditor" and update["method"] == "POST" and update["seq"] > create["seq"]
        assert len(update["hash"]) == 64 and create["before"] is None
        assert json.loads(response.headers["X-Pagination"])["total"] == 2


def test_the_trail_is_paginated(make_api, world, db):
    api = make_api(world.member_a)
    for n in range(3):
        assert api.post("/api/v1/lots", json=lot_body(world, code=f"DH-2511-00{n}")).status_code == 201
    auditor = make_api(world.auditor)
    first = auditor.get("/api/v1/audit?record_type=lot&page_size=2")
    second = auditor.get("/api/v1/audit?record_type=lot&page_size=2&page=2")
    assert [len(first.json), len(second.json)] == [2, 1]
    assert json.loads(first.headers["X-Pagination"])["total_pages"] == 2
    assert len(auditor.get("/api/v1/audit").json) >= 3


def test_members_and_strangers_are_refused(make_api, world, client):
    assert make_api(world.member_a).get("/api/v1/audit").status_code == 403
    assert client.get("/api/v1/audit").status_code == 401


def test_bad_filters_are_field_errors(make_api, world):
    response = make_api(world.auditor, "en").get("/api/v1/audit?record_type=" + "x" * 201)
    assert response.status_code == 422 and "record_type" in response.json["errors"]


def test_the_operation_is_documented(client):
    spec = client.get("/api/openapi.json").json
    operation = spec["paths"]["/api/v1/audit"]["get"]
    assert {"200", "401", "403", "422"} <= set(operation["responses"])
    assert "AuditEntry" in spec["components"]["schemas"]
