"""flask audit verify: the tamper tests. Entries and records edited, removed or inserted in SQL are named."""

from __future__ import annotations

import sqlalchemy as sa

from registry.audit.values import entry_hash
from tests.registry.audit.conftest import entries
from tests.trace.conftest import lot_body

INSERT_KEY_CROP = "INSERT INTO key_crop (province_code, crop, set_at) VALUES ('01', 'pomelo', '2026-01-02 03:04:05')"


def _sql(db, statement, **params):
    with db.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def _history(make_api, world):
    """A few entries: lots created and an area suspended, through the API."""
    api = make_api(world.member_a)
    for n in range(3):
        assert api.post("/api/v1/lots", json=lot_body(world, code=f"DH-2511-00{n}")).status_code == 201
    response = make_api(world.auditor).post(f"/api/v1/areas/{world.area_a.id}/status", json={"status": "suspended",
                                                                                        "reason": "Kiểm tra"})  # fmt: skip
    assert response.status_code == 200


def test_an_untouched_trail_verifies(make_api, world, db, verify):
    _history(make_api, world)
    result = verify()
    assert result.exit_code == 0, result.output
    assert "Nhật ký thay đổi nguyên vẹn" in result.output


def test_tamper_an_entry_and_a_record_in_sql(make_api, world, db, verify):
    """The issue's tamper test: an audit row and a record are edited with SQL; verify names both."""
    _history(make_api, world)
    lot_entry = entries(db, "lot")[1]
    _sql(db, "UPDATE audit_entry SET after = replace(after, 'DH-2511-001', 'DH-9999-001') WHERE seq = :seq",
         seq=lot_entry.seq)  # fmt: skip
    _sql(db, "UPDATE growing_area SET status = 'revoked' WHERE id = :id", id=world.area_a.id)
    result = verify()
    assert result.exit_code == 1
    assert f"Mục {lot_entry.seq} " in result.output  # the entry, by number
    assert f"growing_area {world.area_a.id}: status là 'revoked' trong bảng, 'suspended' theo nhật ký" in result.output
    assert f"lot {lot_entry.record_id}: code là 'DH-2511-001' trong bảng, 'DH-9999-001' theo nhật ký" in result.output


def test_a_removed_entry_is_named(make_api, world, db, verify):
    _history(make_api, world)
    victim = entries(db, "lot")[1]
    _sql(db, "DELETE FROM audit_entry WHERE seq = :seq", seq=victim.seq)
    result = verify()
    assert result.exit_code == 1
    assert f"Các mục từ {victim.seq} đến {victim.seq} đã bị xoá" in result.output
    # The lot it created is now a record the trail does not know.
    assert f"lot {victim.record_id} có trong bảng nhưng không có trong nhật ký" in result.output


def test_an_inserted_entry_is_named(make_api, world, db, verify):
    _history(make_api, world)
    rows = entries(db)
    last = rows[-1]
    # A forged entry that hashes correctly but links to an older entry than the last one.
    forged = {
        c: getattr(last, c) for c in ("at", "actor_id", "actor_role", "actor_name", "request_id", "method", "path")
    }
    forged.update(seq=last.seq + 1, record_type="growing_area", record_id=str(world.area_b.id), action="update",
                  before='{"status":"active"}', after='{"status":"revoked"}', prev_hash=rows[-2].hash)  # fmt: skip
    forged["hash"] = entry_hash(forged)
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO audit_entry (seq, at, actor_id, actor_role, actor_name, record_type, "
                             "record_id, action, before, after, request_id, method, path, prev_hash, hash) VALUES "
                             "(:seq, :at, :actor_id, :actor_role, :actor_name, :record_type, :record_id, :action, "
                             ":before, :after, :request_id, :method, :path, :prev_hash, :hash)"),
                     {**forged, "at": forged["at"].isoformat(sep=" ")} if conn.dialect.name == "sqlite" else forged)  # fmt: skip
    result = verify()
    assert result.exit_code == 1
    assert f"Mục {last.seq + 1} không nối tiếp mục {last.seq}" in result.output
    assert f"growing_area {world.area_b.id}: status là 'active' trong bảng, 'revoked' theo nhật ký" in result.output


def test_records_inserted_or_deleted_outside_the_trail(make_api, world, db, verify):
    _history(make_api, world)
    token_id = entries(db, "api_token")[0].record_id
    _sql(db, "DELETE FROM api_token WHERE id = :id", id=int(token_id))
    _sql(db, INSERT_KEY_CROP)
    result = verify()
    assert result.exit_code == 1
    assert f"api_token {token_id} có trong nhật ký nhưng không có trong bảng" in result.output
    assert "key_crop 01/pomelo có trong bảng nhưng không có trong nhật ký" in result.output


def test_baseline_covers_records_from_before_the_trail(world, db, runner, verify):
    _sql(db, INSERT_KEY_CROP)
    assert verify().exit_code == 1
    result = runner.invoke(args=["audit", "baseline"])
    assert result.exit_code == 0, result.output
    assert "1 " in result.output
    [entry] = entries(db, "key_crop")
    assert (entry.action, entry.actor_role) == ("baseline", "cli")
    assert verify().exit_code == 0
    again = runner.invoke(args=["audit", "baseline"])
    assert again.exit_code == 0 and len(entries(db, "key_crop")) == 1
