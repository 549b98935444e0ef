"""Serialised stamps: issuing, voiding, and what a scan of a genuine, unknown or voided stamp shows and raises."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from qr.scans.models import AlertKind, Scan, ScanAlert
from qr.scans.recorder import recorder_of
from qr.serials.models import Serial
from qr.serials.services import ALPHABET, LENGTH
from tests.qr.test_public_void import _body, _paths

PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"}


@pytest.fixture
def pieces(make_api, world):
    """A lot of 50 pomelos (pieces) with a GTIN."""
    lot = make_api(world.member_a).post("/api/v1/lots", json=_body(world, quantity="50", unit="H87")).json
    assert "id" in lot, lot
    return lot


def _path(uri: str) -> str:
    return re.sub(r"^https://registry\.test", "", uri)


def test_issue_serials_for_a_lot_in_pieces(make_api, world, pieces, db):
    api = make_api(world.member_a)
    response = api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 20})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["count"] == 20 and len({s["serial"] for s in body["serials"]}) == 20
    for item in body["serials"]:
        assert len(item["serial"]) == LENGTH and set(item["serial"]) <= set(ALPHABET)
        assert item["label_uri"] == f"{pieces['label_uri']}/21/{item['serial']}"
    listed = api.get(f"/api/v1/lots/{pieces['id']}/serials?page_size=5")
    assert listed.status_code == 200 and len(listed.json) == 5
    assert listed.headers["X-Pagination"] and '"total": 20' in listed.headers["X-Pagination"]
    # 20 + 30 = 50 pieces: the lot is full.
    assert api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 30}).status_code == 201
    over = api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 1})
    assert over.status_code == 422 and "50" in str(over.json["errors"]["count"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Serial)) == 50


@pytest.mark.parametrize("count", [0, -1, "abc", 1.5, None, 100_001])
def test_a_count_that_is_not_a_whole_number_in_range_is_422(make_api, world, pieces, count):
    response = make_api(world.member_a).post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": count})
    assert response.status_code == 422


def test_a_weighed_lot_needs_its_number_of_packs(make_api, world, db):
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world)).json  # 800 kg
    assert api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 10}).status_code == 422
    assert api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 10, "packs": 8}).status_code == 422
    assert api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 10, "packs": 200}).status_code == 201


def test_a_short_link_lot_gets_short_links_with_the_serial(make_api, world):
    api = make_api(world.member_a)
    lot = api.post("/api/v1/lots", json=_body(world, product_id=world.product_a_no_gtin.id, unit="H87")).json
    item = api.post(f"/api/v1/lots/{lot['id']}/serials", json={"count": 1}).json["serials"][0]
    assert item["label_uri"] == f"{lot['label_uri']}/{item['serial']}"


def test_members_cannot_touch_another_organizations_serials(make_api, world, pieces):
    other = make_api(world.member_b)
    assert other.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 1}).status_code == 404
    assert other.get(f"/api/v1/lots/{pieces['id']}/serials").status_code == 404
    serial = make_api(world.member_a).post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 1}).json
    body = {"lot_id": pieces["id"], "serials": [serial["serials"][0]["serial"]], "reason": "Cuộn tem hỏng"}
    assert other.post("/api/v1/serials/void", json=body).status_code == 404


def test_voiding_is_all_or_nothing(make_api, world, pieces, db):
    api = make_api(world.member_a)
    serials = [s["serial"] for s in api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 3}).json["serials"]]
    wrong = api.post("/api/v1/serials/void", json={"lot_id": pieces["id"], "serials": [serials[0], "NOPE"],
                                                   "reason": "Cuộn tem hỏng"})  # fmt: skip
    assert wrong.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Serial).where(Serial.voided_at.is_not(None))) == 0
    assert (
        api.post(
            "/api/v1/serials/void", json={"lot_id": pieces["id"], "serials": serials[:1], "reason": ""}
        ).status_code
        == 422
    )
    done = api.post(
        "/api/v1/serials/void", json={"lot_id": pieces["id"], "serials": serials[:2], "reason": "Cuộn tem hỏng"}
    )
    assert done.status_code == 200 and sorted(done.json["voided"]) == sorted(serials[:2])


def test_scans_of_genuine_unknown_and_voided_stamps(app, client, make_api, world, pieces, db):
    api = make_api(world.member_a)
    issued = api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 2}).json["serials"]
    genuine, voided = issued
    api.post(
        "/api/v1/serials/void", json={"lot_id": pieces["id"], "serials": [voided["serial"]], "reason": "Cuộn tem hỏng"}
    )
    recorder = recorder_of(app)

    first = client.get(_path(genuine["label_uri"]), headers=PHONE)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and 'id="stamp-genuine"' in html and "Tem chính hãng" in html
    assert "đây là lần quét đầu tiên" in html
    recorder.flush()
    again = client.get(_path(genuine["label_uri"]), headers=PHONE).get_data(as_text=True)
    assert "<dd>2</dd>" in again  # scanned twice now; the first scan's time shows
    recorder.flush()

    void = client.get(_path(voided["label_uri"]), headers=PHONE)
    assert void.status_code == 200 and 'id="stamp-void"' in void.get_data(as_text=True)
    unknown = client.get(_paths([pieces])[0] + "/21/FAKE123456", headers=PHONE)
    text = unknown.get_data(as_text=True)
    assert unknown.status_code == 404 and 'id="stamp-unknown"' in text and "FAKE123456" in text
    recorder.flush()

    row = db.session.scalars(sa.select(Serial).where(Serial.serial == genuine["serial"])).one()
    assert row.scans == 2 and row.first_scanned_at is not None
    kinds = {(a.kind, a.serial) for a in db.session.scalars(sa.select(ScanAlert))}
    assert kinds == {(AlertKind.VOID_SERIAL_SCANNED, voided["serial"]), (AlertKind.UNKNOWN_SERIAL, "FAKE123456")}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan).where(Scan.serial.is_not(None))) == 4
    listed = api.get("/api/v1/scan-alerts").json
    assert {a["kind"] for a in listed} == {"void_serial_scanned", "unknown_serial"}


def test_a_stamp_scanned_too_often_raises_one_alert(app, client, make_api, world, pieces, db):
    api = make_api(world.member_a)
    stamp = api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 1}).json["serials"][0]
    app.config["SERIAL_SCAN_LIMIT"] = 3
    try:
        for _ in range(5):
            client.get(_path(stamp["label_uri"]), headers=PHONE)
            recorder_of(app).flush()
    finally:
        app.config["SERIAL_SCAN_LIMIT"] = 20
    alert = db.session.scalars(sa.select(ScanAlert)).one()
    assert alert.kind == AlertKind.SERIAL_OVERSCANNED and alert.threshold == 3 and alert.scans == 4


def test_the_alerts_page_names_the_serial(app, client, make_api, world, pieces, login):
    api = make_api(world.member_a)
    stamp = api.post(f"/api/v1/lots/{pieces['id']}/serials", json={"count": 1}).json["serials"][0]
    api.post("/api/v1/serials/void", json={"lot_id": pieces["id"], "serials": [stamp["serial"]], "reason": "Hỏng"})
    client.get(_path(stamp["label_uri"]), headers=PHONE)
    recorder_of(app).flush()
    login(world.member_a.email)
    html = client.get("/scans/alerts").get_data(as_text=True)
    assert "Tem đã hủy bị quét" in html and f"Sê-ri {stamp['serial']}" in html
