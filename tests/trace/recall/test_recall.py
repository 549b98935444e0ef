"""A recall reaches every lot downstream, shows on each, names who holds or received them, and closes."""

from __future__ import annotations

import sqlalchemy as sa

from tests.trace.conftest import lot_body
from tests.trace.lots.chain import build_chain
from trace.lots.models import Lot
from trace.recall.models import Recall, RecalledLot


def counts(db):
    return [db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in (Recall, RecalledLot)]


def test_a_recall_reaches_the_whole_chain_and_closes(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    a, b = make_api(world.member_a), make_api(world.member_b)
    a.post(
        f"/api/v1/lots/{chain.parts[1]['id']}/shipments",
        json={"quantity": "100", "receiver_name": "Chợ đầu mối Long Biên"},
    )
    opened = a.post("/api/v1/recalls", json={"lot_id": chain.harvest["id"], "reason": "Dư lượng Carbendazim vượt MRL"})
    assert opened.status_code == 201, opened.json
    recall = opened.json
    depth = {lot["code"]: lot["depth"] for lot in recall["lots"]}
    assert depth == {"DH-2511-100": 0, "DH-2511-100A": 1, "DH-2511-100B": 1, "BL-IN-0001": 2, "BL-SAY-0001": 3}
    parties = {p["name"]: p for p in recall["parties"]}
    assert parties[world.org_b.name]["received"] == [{"lot": "DH-2511-100A", "quantity": "650.000", "unit": "KGM"}]
    assert {h["lot"] for h in parties[world.org_b.name]["holds"]} == {"BL-IN-0001", "BL-SAY-0001"}
    assert parties["Chợ đầu mối Long Biên"]["received"] == [
        {"lot": "DH-2511-100B", "quantity": "100.000", "unit": "KGM"}
    ]
    # Every affected lot says so in the API, for both organizations.
    assert b.get(f"/api/v1/lots/{chain.dried['id']}").json["recalled"] is True
    assert a.get(f"/api/v1/lots/{chain.parts[1]['id']}").json["recalled"] is True
    # B holds affected lots, so it sees the recall; the department sees it too.
    assert b.get(f"/api/v1/recalls/{recall['id']}").status_code == 200
    assert make_api(world.auditor).get("/api/v1/recalls?status=open").json[0]["id"] == recall["id"]
    # B may not close A's recall; A may.
    assert b.post(f"/api/v1/recalls/{recall['id']}/close", json={"note": "x"}).status_code == 403
    closed = a.post(f"/api/v1/recalls/{recall['id']}/close", json={"note": "Đã thu hồi và tiêu hủy"})
    assert closed.status_code == 200 and closed.json["open"] is False
    assert b.get(f"/api/v1/lots/{chain.dried['id']}").json["recalled"] is False
    assert a.post(f"/api/v1/recalls/{recall['id']}/close", json={"note": "again"}).status_code == 409
    assert (
        make_api(world.auditor).get("/api/v1/recalls?status=closed").json[0]["close_note"] == "Đã thu hồi và tiêu hủy"
    )


def test_overlapping_recalls_keep_the_banner_until_both_close(db, make_api, world, houses):
    chain = build_chain(make_api, world, houses)
    auditor = make_api(world.auditor)
    downstream = auditor.post("/api/v1/recalls", json={"lot_id": chain.received["id"], "reason": "Nấm mốc"}).json
    upstream = auditor.post("/api/v1/recalls", json={"lot_id": chain.harvest["id"], "reason": "Dư lượng"}).json
    assert auditor.post("/api/v1/recalls", json={"lot_id": chain.dried["id"], "reason": "x"}).status_code == 409
    auditor.post(f"/api/v1/recalls/{downstream['id']}/close", json={"note": "Xong"})
    dried = db.session.get(Lot, chain.dried["id"])
    assert dried.open_recall_id == upstream["id"]  # the other open recall still reaches it
    auditor.post(f"/api/v1/recalls/{upstream['id']}/close", json={"note": "Xong"})
    db.session.expire_all()
    assert db.session.get(Lot, chain.dried["id"]).open_recall_id is None


def test_who_may_recall_and_bad_input(db, make_api, world, houses):
    a, b = make_api(world.member_a, "en"), make_api(world.member_b, "en")
    lot = a.post("/api/v1/lots", json=lot_body(world, code="DH-RC-9")).json
    before = counts(db)
    assert b.post("/api/v1/recalls", json={"lot_id": lot["id"], "reason": "x"}).status_code == 422  # not B's: unknown
    empty = a.post("/api/v1/recalls", json={"lot_id": lot["id"], "reason": "  "})
    assert empty.status_code == 422 and list(empty.json["errors"]) == ["reason"]
    assert a.post("/api/v1/recalls", json={"lot_id": 2**40, "reason": "x"}).status_code == 422
    assert a.post("/api/v1/recalls", json={"lot_id": lot["id"], "reason": "x", "urgent": True}).status_code == 422
    assert a.get("/api/v1/recalls?status=maybe").status_code == 422
    assert counts(db) == before
    assert a.post("/api/v1/recalls", json={"lot_id": lot["id"], "reason": "Nhầm nhãn"}).status_code == 201
    assert b.get("/api/v1/recalls").json == []
