"""Scans: recorded off the request's path, rolled up per day, summarised for owners and the department, and
alerts for copied labels."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from qr.scans.models import AlertKind, Device, Scan, ScanAlert, ScanDay, ScanLink
from qr.scans.recorder import Recorder, device_class, recorder_of
from registry.core.db import today_in_vietnam
from tests.qr.test_public_void import _body, _paths

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Zalo"


@pytest.fixture
def recorder(app):
    return recorder_of(app)


@pytest.fixture
def lots(make_api, world):
    """Lot A1 (org A, 3 pieces), lot A2 (org A, 800 kg), lot B1 (org B)."""
    api_a, api_b = make_api(world.member_a), make_api(world.member_b)
    a1 = api_a.post("/api/v1/lots", json=_body(world, code="A-1", quantity="3", unit="H87")).json
    a2 = api_a.post("/api/v1/lots", json=_body(world, code="A-2")).json
    b1 = api_b.post(
        "/api/v1/lots", json=_body(world, code="B-1", product_id=world.product_b.id, growing_area_id=world.area_b.id)
    ).json
    for lot in (a1, a2, b1):
        assert "id" in lot, lot
    return a1, a2, b1


def scan(client, lot, *, addr="203.0.113.7", agent=IPHONE, lang="vi"):
    response = client.get(
        _paths([lot])[0] + f"?lang={lang}", headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": addr}
    )
    assert response.status_code == 200
    return response


def test_a_scan_is_buffered_then_written_with_no_ip_address(db, client, recorder, lots, world):
    a1, *_ = lots
    scan(client, a1, addr="203.0.113.7")
    assert recorder.pending() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == 0  # nothing written on the request
    assert recorder.flush() == 1
    row = db.session.scalars(sa.select(Scan)).one()
    assert (row.lot_id, row.product_id, row.organization_id) == (a1["id"], world.product_a.id, world.org_a.id)
    assert row.link == ScanLink.DIGITAL_LINK and row.lang == "vi" and row.device == Device.MOBILE
    assert row.province_code == "25"
    stored = " ".join(str(getattr(row, c.name)) for c in Scan.__table__.columns)
    assert "203.0.113" not in stored and len(row.place) == 12
    day = db.session.scalars(sa.select(ScanDay)).one()
    assert (day.day, day.lot_id, day.scans) == (today_in_vietnam(), a1["id"], 1)


def test_the_place_is_the_network_not_the_address(recorder):
    now = dt.datetime.now(dt.UTC)
    assert recorder.place("203.0.113.7", now) == recorder.place("203.0.9.1", now)
    assert recorder.place("203.0.113.7", now) != recorder.place("198.51.100.7", now)
    assert recorder.place("2001:db8:1::1", now) == recorder.place("2001:db8:2::9", now)
    assert recorder.place(None, now) is None


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (IPHONE, Device.MOBILE),
        ("Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 Chrome/119 Mobile Safari/537.36", Device.MOBILE),
        ("Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 Chrome/119 Safari/537.36", Device.TABLET),
        ("Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)", Device.TABLET),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/119 Safari/537.36", Device.DESKTOP),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", Device.BOT),
        ("curl/8.4.0", Device.BOT),
        (None, Device.OTHER),
    ],
)
def test_device_classes(agent, device):
    assert device_class(agent) == device


def test_the_roll_up_adds_across_batches_and_languages(db, client, recorder, lots):
    a1, a2, _ = lots
    scan(client, a1)
    scan(client, a1, lang="en")
    recorder.flush()
    scan(client, a1)
    scan(client, a2)
    recorder.flush()
    days = dict(db.session.execute(sa.select(ScanDay.lot_id, ScanDay.scans)).all())
    assert days == {a1["id"]: 3, a2["id"]: 1}
    langs = sorted(db.session.scalars(sa.select(Scan.lang).where(Scan.lot_id == a1["id"])))
    assert langs == ["en", "vi", "vi"]


def test_the_product_page_and_short_link_are_scans_too(db, client, recorder, make_api, world):
    assert client.get(f"/01/{world.product_a.gtin}").status_code == 200
    short = make_api(world.member_a).post("/api/v1/lots", json=_body(world, product_id=world.product_a_no_gtin.id))
    assert client.get(_paths([short.json])[0]).status_code == 200
    recorder.flush()
    links = sorted((r.link.value, r.lot_id is None) for r in db.session.scalars(sa.select(Scan)))
    assert links == [("product", True), ("short", False)]
    assert db.session.scalar(sa.select(ScanDay.lot_id).where(ScanDay.product_id == world.product_a.id)) == 0


def test_the_linkset_redirects_and_head_are_not_scans(client, recorder, lots):
    a1, *_ = lots
    client.get(_paths([a1])[0] + "?linkType=all")
    client.get(_paths([a1])[0] + "?linkType=gs1:pip")
    client.head(_paths([a1])[0])
    assert recorder.pending() == 0


def test_a_link_preview_is_kept_but_not_counted(db, client, recorder, lots):
    a1, *_ = lots
    for _ in range(5):  # more than the lot's three pieces, all from a chat app's link preview
        scan(client, a1, agent="facebookexternalhit/1.1")
    recorder.flush()
    assert {r.device for r in db.session.scalars(sa.select(Scan))} == {Device.BOT}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanDay)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanAlert)) == 0


def test_summary_per_day_for_a_lot_a_product_and_a_province(db, client, recorder, lots, make_api, world):
    a1, a2, b1 = lots
    for lot in (a1, a1, a2, b1):
        scan(client, lot)
    recorder.flush()
    today = today_in_vietnam().isoformat()
    member_a, auditor = make_api(world.member_a), make_api(world.auditor)
    body = member_a.get(f"/api/v1/scans/summary?lot_id={a1['id']}").json
    assert body["total"] == 2 and body["scope"]["lot_code"] == "A-1"
    assert len(body["days"]) == 30 and body["days"][-1] == {"day": today, "scans": 2} and body["to"] == today
    assert member_a.get(f"/api/v1/scans/summary?product_id={world.product_a.id}").json["total"] == 3
    # A member sees its own organization's scans in a province; the department sees everyone's.
    assert member_a.get("/api/v1/scans/summary?province=25").json["total"] == 3
    by_province = auditor.get("/api/v1/scans/summary?province=25").json
    assert by_province["total"] == 4 and by_province["lots"][0] == {"lot_id": a1["id"], "lot_code": "A-1", "scans": 2}
    ranged = auditor.get(f"/api/v1/scans/summary?province=25&from={today}&to={today}").json
    assert ranged["days"] == [{"day": today, "scans": 4}]


def test_summary_refuses_what_it_should(client, lots, make_api, world):
    a1, _, b1 = lots
    member_a = make_api(world.member_a)
    assert member_a.get(f"/api/v1/scans/summary?lot_id={b1['id']}").status_code == 404
    assert member_a.get(f"/api/v1/scans/summary?product_id={world.product_b.id}").status_code == 404
    assert member_a.get("/api/v1/scans/summary?province=99").status_code == 422
    assert member_a.get("/api/v1/scans/summary?from=2026-13-01").status_code == 422
    assert member_a.get("/api/v1/scans/summary?from=2026-06-02&to=2026-06-01").status_code == 422
    assert member_a.get("/api/v1/scans/summary?from=2024-01-01&to=2026-06-01").status_code == 422
    both = member_a.get(f"/api/v1/scans/summary?lot_id={a1['id']}&province=25")
    assert both.status_code == 422
    assert client.get("/api/v1/scans/summary").status_code == 401


def test_more_scans_than_units_raises_one_alert(db, client, recorder, lots, make_api, world):
    a1, *_ = lots
    for _ in range(3):
        scan(client, a1)
    recorder.flush()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanAlert)) == 0  # 3 scans, 3 pieces
    scan(client, a1)
    recorder.flush()
    scan(client, a1)
    recorder.flush()
    alert = db.session.scalars(sa.select(ScanAlert)).one()
    assert (alert.kind, alert.lot_id, alert.threshold) == (AlertKind.OVER_UNITS, a1["id"], 3)
    assert alert.scans == 4 and alert.province_code == "25"


def test_a_burst_raises_one_alert_per_window(app, db, client, recorder, lots, make_api, world):
    _, a2, _ = lots
    app.config["SCAN_BURST_COUNT"] = 5
    try:
        for _ in range(4):
            scan(client, a2)
        recorder.flush()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ScanAlert)) == 0
        for _ in range(3):
            scan(client, a2)
            recorder.flush()
    finally:
        app.config["SCAN_BURST_COUNT"] = 100
    alert = db.session.scalars(sa.select(ScanAlert)).one()
    assert alert.kind == AlertKind.BURST and alert.scans == 5 and alert.threshold == 5
    assert alert.window_start is not None and alert.window_key.startswith("10m@")


def test_scans_from_many_places_raise_an_alert(app, db, client, recorder, lots):
    _, a2, _ = lots
    app.config["SCAN_PLACES_COUNT"] = 3
    try:
        for addr in ("203.0.113.7", "198.51.100.7", "192.0.2.7", "192.0.9.9"):  # the last two: one network
            scan(client, a2, addr=addr)
        recorder.flush()
    finally:
        app.config["SCAN_PLACES_COUNT"] = 20
    alert = db.session.scalars(sa.select(ScanAlert)).one()
    assert alert.kind == AlertKind.MANY_PLACES and alert.places == 3 and alert.scans == 4


def test_alerts_are_listed_for_the_owner_and_the_department_only(db, client, recorder, lots, make_api, world):
    a1, _, b1 = lots
    for _ in range(4):
        scan(client, a1)
    recorder.flush()
    member_a, member_b, auditor = make_api(world.member_a), make_api(world.member_b), make_api(world.auditor)
    listed = member_a.get("/api/v1/scan-alerts")
    assert listed.status_code == 200 and [a["lot_code"] for a in listed.json] == ["A-1"]
    assert listed.json[0]["kind"] == "over_units"
    assert member_b.get("/api/v1/scan-alerts").json == []
    assert member_b.get(f"/api/v1/scan-alerts?lot_id={a1['id']}").status_code == 404
    assert len(auditor.get("/api/v1/scan-alerts?province=25&kind=over_units").json) == 1
    assert auditor.get("/api/v1/scan-alerts?kind=burst").json == []
    assert auditor.get("/api/v1/scan-alerts?kind=nonsense").status_code == 422
    assert auditor.get("/api/v1/scan-alerts?province=99").status_code == 422


def test_the_pages(db, client, recorder, lots, login, world):
    a1, *_ = lots
    for _ in range(4):
        scan(client, a1)
    recorder.flush()
    login(world.member_a.email)
    page = client.get(f"/scans?lot_id={a1['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Lô A-1" in html and "4 lượt quét" in html
    alerts = client.get("/scans/alerts").get_data(as_text=True)
    assert "Quét nhiều hơn số đơn vị của lô" in alerts and "A-1" in alerts
    assert client.get("/scans?from=nonsense").status_code == 422
    assert client.get(f"/scans?lot_id={lots[2]['id']}").status_code == 404


def test_the_background_thread_writes_and_a_clean_shutdown_loses_nothing(app, db, lots, world):
    a1, *_ = lots
    app.config["SCAN_FLUSH_SECONDS"] = 0.05
    try:
        recorder = Recorder(app)
    finally:
        app.config["SCAN_FLUSH_SECONDS"] = 0
    kwargs = {"link": ScanLink.DIGITAL_LINK, "lot_id": a1["id"], "product_id": world.product_a.id,
              "organization_id": world.org_a.id, "province_code": "25", "lang": "vi", "user_agent": IPHONE,
              "remote_addr": "203.0.113.7"}  # fmt: skip
    recorder.record(**kwargs)
    deadline = time.monotonic() + 5
    while recorder.written < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert recorder.written == 1
    recorder._stop.set()  # the thread stops; what comes after waits for close()
    recorder._thread.join(timeout=5)
    recorder.record(**kwargs)
    recorder.record(**kwargs)
    recorder.close()
    db.session.rollback()
    assert db.session.scalar(sa.select(ScanDay.scans).where(ScanDay.lot_id == a1["id"])) == 3


def test_a_burst_across_midnight_is_seen(db, lots, world):
    """Scans of one lot at 23:30 and 00:10 (Vietnam) in a two-hour window: yesterday's count and today's are
    each below the threshold, together they reach it."""
    from qr.scans.recorder import write

    _, a2, _ = lots
    vn = dt.timezone(dt.timedelta(hours=7))
    before = dt.datetime(2026, 11, 21, 23, 30, tzinfo=vn)
    after = dt.datetime(2026, 11, 22, 0, 10, tzinfo=vn)

    def row(at):
        return (at, ScanLink.DIGITAL_LINK, a2["id"], world.product_a.id, world.org_a.id, "25", "vi", Device.MOBILE,
                "abc", None)  # fmt: skip

    config = {"SCAN_BURST_COUNT": 3, "SCAN_BURST_MINUTES": 120}
    with db.engine.begin() as conn:
        write(conn, [row(before), row(before)], config)
    with db.engine.begin() as conn:
        write(conn, [row(after)], config)
    alert = db.session.scalars(sa.select(ScanAlert)).one()
    assert alert.kind == AlertKind.BURST and alert.scans == 3
