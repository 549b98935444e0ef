"""Every change through the session lands in the trail, in the same transaction, with who and where."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from registry.areas.models import GrowingArea, Season
from registry.audit.models import AuditEntry
from registry.audit.policy import REDACTED
from registry.core.db import today_in_vietnam
from tests.registry.audit.conftest import after, before, entries
from tests.trace.conftest import lot_body


def test_api_lot_creation_is_recorded_with_who_and_request(make_api, world, db):
    api = make_api(world.member_a)
    response = api.post("/api/v1/lots", json=lot_body(world), headers={"X-Request-ID": "req-42.a:b"})
    assert response.status_code == 201
    assert response.headers["X-Request-ID"] == "req-42.a:b"
    [entry] = entries(db, "lot", response.json["id"])
    assert entry.action == "create"
    assert (entry.actor_id, entry.actor_role) == (world.member_a.id, "member")
    assert (entry.request_id, entry.method, entry.path) == ("req-42.a:b", "POST", "/api/v1/lots")
    values = after(entry)
    assert values["code"] == "DH-2511-001" and values["quantity"] == "1200" and values["unit"] == "KGM"
    assert entry.before is None and entry.at.tzinfo is not None


@pytest.mark.parametrize("sent", ["", "x" * 65, "bad id", "<script>", "ký-tự"])
def test_an_insane_request_id_is_replaced(make_api, world, db, sent):
    response = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world), headers={"X-Request-ID": sent})
    assert response.status_code == 201
    generated = response.headers["X-Request-ID"]
    assert generated != sent and len(generated) == 32
    assert entries(db, "lot")[0].request_id == generated


def test_every_response_carries_a_request_id(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_update_records_only_changed_columns(make_api, world, db):
    api = make_api(world.member_a)
    old = {"name": world.area_a.name, "variety": world.area_a.variety}
    response = api.patch(f"/api/v1/areas/{world.area_a.id}", json={"name": "Vùng bưởi mới", "variety": "Diễn"})
    assert response.status_code == 200, response.json
    [entry] = entries(db, "growing_area", world.area_a.id, action="update")
    assert before(entry) == old
    assert {k: v for k, v in after(entry).items() if k != "updated_at"} == {"name": "Vùng bưởi mới", "variety": "Diễn"}
    assert after(entry)["updated_at"]  # set by the flush itself (onupdate)


def test_status_change_is_recorded_by_the_department(make_api, world, db):
    api = make_api(world.auditor)
    response = api.post(f"/api/v1/areas/{world.area_a.id}/status", json={"status": "suspended", "reason": "Sâu bệnh"})
    assert response.status_code == 200, response.json
    [entry] = entries(db, "growing_area", world.area_a.id, action="update")
    assert before(entry)["status"] == "active" and after(entry)["status"] == "suspended"
    assert entry.actor_role == "auditor"
    [change] = entries(db, "status_change")
    assert after(change)["to_status"] == "suspended" and change.request_id == entry.request_id


def test_refused_request_writes_nothing(make_api, world, db):
    api = make_api(world.member_a)
    count = len(entries(db))
    response = api.post("/api/v1/lots", json=lot_body(world, quantity="-1"))
    assert response.status_code == 422
    assert len(entries(db)) == count


def test_rollback_drops_collected_changes_and_savepoints_keep_the_rest(world, db):
    count = len(entries(db))
    world.area_a.name = "Đổi rồi bỏ"
    db.session.flush()
    db.session.rollback()
    assert len(entries(db)) == count
    area = db.session.get(GrowingArea, world.area_a.id)
    area.name = "Giữ lại"
    with pytest.raises(RuntimeError), db.session.begin_nested():
        area.variety = "Bỏ đi"
        db.session.flush()
        raise RuntimeError
    db.session.commit()
    [entry] = entries(db, "growing_area", area.id, action="update")
    assert after(entry)["name"] == "Giữ lại" and "variety" not in after(entry)


def test_the_value_before_is_known_even_for_an_expired_record(world, db):
    """After a commit every attribute is expired: setting one does not load its old value; the trail reads it."""
    old = world.area_a.variety
    db.session.commit()
    world.area_a.variety = "Da xanh"
    db.session.commit()
    [entry] = entries(db, "growing_area", world.area_a.id, action="update")
    assert before(entry)["variety"] == old and old is not None and after(entry)["variety"] == "Da xanh"


def test_delete_keeps_the_values_before(world, db):
    season = Season(
        growing_area_id=world.area_a.id, name="Vụ thu", harvest_from=dt.date(2026, 8, 1), harvest_to=dt.date(2026, 9, 1)
    )
    db.session.add(season)
    db.session.commit()
    season_id = season.id
    db.session.delete(season)
    db.session.commit()
    created, deleted = entries(db, "season", season_id)
    assert (created.action, deleted.action) == ("create", "delete")
    assert before(deleted)["harvest_from"] == "2026-08-01" and deleted.after is None


def test_secrets_are_never_written(world, db, runner):
    result = runner.invoke(args=["tokens", "create", "--email", world.member_a.email])
    assert result.exit_code == 0, result.output
    [user] = entries(db, "user_account", world.member_a.id)
    assert after(user)["password_hash"] == REDACTED
    [token] = entries(db, "api_token")
    assert after(token)["token_hash"] == REDACTED
    assert world.member_a.password_hash not in (user.after or "")


def test_cli_runs_are_recorded_with_the_command_line(world, db, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "new@test.example", "--password", "mật-khẩu-dài", "--role", "auditor"]
    )
    assert result.exit_code == 0, result.output
    [entry] = entries(db, "user_account", action="create", actor_role="cli")
    assert entry.actor_id is None and entry.method == "CLI"
    assert "users create" in entry.path and "--email=new@test.example" in entry.path
    assert "mật-khẩu-dài" not in entry.path and "--password=[redacted]" in entry.path


def test_bulk_statements_through_the_session_are_recorded(make_api, world, db):
    """trace.recall writes recalled_lot with INSERT and lot.open_recall_id with UPDATE statements."""
    lot = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world)).json
    response = make_api(world.auditor).post("/api/v1/recalls", json={"lot_id": lot["id"], "reason": "Dư lượng"})
    assert response.status_code == 201, response.json
    recall_id = response.json["id"]
    [reach] = entries(db, "recalled_lot")
    assert reach.record_id == f"{recall_id}/{lot['id']}" and after(reach)["depth"] == 0
    [flag] = entries(db, "lot", lot["id"], action="update")
    assert before(flag)["open_recall_id"] is None and after(flag)["open_recall_id"] == recall_id
    assert set(after(flag)) == {"open_recall_id", "updated_at"}  # the statement runs the column's onupdate
    assert flag.actor_id == world.auditor.id


def test_bulk_delete_and_serial_inserts_are_recorded(make_api, world, db):
    from indicators.key_crops import set_key_crops
    from qr.serials.services import issue_serials

    set_key_crops(db.session, actor=world.admin, province="01", crops=["pomelo", "longan"])
    db.session.commit()
    set_key_crops(db.session, actor=world.admin, province="01", crops=["pomelo"])
    db.session.commit()
    assert [e.action for e in entries(db, "key_crop", "01/longan")] == ["create", "delete"]
    lot = make_api(world.member_a).post("/api/v1/lots", json=lot_body(world, unit="H87", quantity="50")).json
    issue_serials(db.session, actor=world.member_a, lot_id=lot["id"], count=3)
    db.session.commit()
    serials = entries(db, "serial")
    assert len(serials) == 3 and all(after(e)["lot_id"] == lot["id"] for e in serials)
    assert "scans" not in after(serials[0])  # telemetry column, written by the scan counter


def test_many_to_many_rows_are_recorded(world, db):
    from registry.linkage.services import create_model

    model = create_model(db.session, actor=world.member_a, name="Liên kết bưởi", crop="pomelo",
                         started_on=today_in_vietnam(), area_ids=[world.area_a.id], commune_codes=["07999"])  # fmt: skip
    db.session.commit()
    [link] = entries(db, "linkage_area")
    assert after(link) == {"model_id": model.id, "growing_area_id": world.area_a.id}
    assert entries(db, "linkage_commune")[0].record_id == f"{model.id}/07999"


def test_excluded_tables_write_no_entry(app, world, db, client):
    from qr.scans.models import Scan

    recorder = app.extensions["scan_recorder"]
    client.get(f"/01/{world.product_a.gtin}")
    recorder.flush()
    assert not entries(db, Scan.__tablename__)
    assert not entries(db, "code_serial")


def test_entries_are_append_only(world, db):
    entry = entries(db)[0]
    entry.action = "delete"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.delete(db.session.get(AuditEntry, 1))
        db.session.flush()
    db.session.rollback()


def test_the_chain_is_numbered_and_linked(world, db):
    rows = entries(db)
    assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == len(rows)


def test_token_use_is_telemetry_not_a_change(make_api, world, db):
    from registry.accounts.models import ApiToken

    assert make_api(world.member_a).get("/api/v1/areas").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(sa.select(ApiToken.last_used_at)) is not None
    assert [e.action for e in entries(db, "api_token")] == ["create"]
