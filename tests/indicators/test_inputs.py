"""What the indicators stand on: pre-2025 districts loaded from a CSV, a cooperative's dissolution date, and the
monthly scan roll-up the recorder keeps."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from qr.scans.models import Device, ScanLink, ScanMonth
from registry.units.models import LegacyDistrict, legacy_district_commune

GOOD = "commune_code,district_code,district_name\n07999,230,Huyện Đoan Hùng\n07996,230,Huyện Đoan Hùng\n08023,231,Huyện Hạ Hòa\n"


def _links(db):
    return sorted(tuple(r) for r in db.session.execute(sa.select(legacy_district_commune)))


def test_legacy_districts_load_from_csv_and_a_second_load_changes_nothing(runner, db, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["units", "load-legacy", str(path)])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 legacy districts and 3 commune links" in result.output
    first = _links(db)
    assert first == [("230", "07996"), ("230", "07999"), ("231", "08023")]
    assert runner.invoke(args=["units", "load-legacy", str(path)]).exit_code == 0
    assert _links(db) == first
    assert db.session.scalar(sa.select(LegacyDistrict.name).where(LegacyDistrict.code == "230")) == "Huyện Đoan Hùng"


def test_one_bad_row_and_nothing_is_loaded(runner, db, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_text(GOOD + "99998,232,Huyện Không Có\n07999,23,Thiếu số\n", encoding="utf-8")
    result = runner.invoke(args=["units", "load-legacy", str(path)])
    assert result.exit_code != 0
    assert "row 5" in result.output and "row 6" in result.output
    assert _links(db) == [] and db.session.scalar(sa.select(sa.func.count()).select_from(LegacyDistrict)) == 0
    path.write_text("commune,district\n07999,230\n", encoding="utf-8")
    result = runner.invoke(args=["units", "load-legacy", str(path)])
    assert result.exit_code != 0 and "commune_code, district_code, district_name" in result.output


def test_the_department_records_a_dissolution_and_a_member_cannot(make_api, world):
    auditor, member = make_api(world.auditor), make_api(world.member_a)
    url = f"/api/v1/organizations/{world.org_a.id}"
    refused = member.patch(url, json={"dissolved_on": "2026-06-30"})
    assert refused.status_code == 403
    bad = auditor.patch(url, json={"dissolved_on": "30/06/2026"})
    assert bad.status_code == 422 and "dissolved_on" in bad.json["errors"]
    ok = auditor.patch(url, json={"dissolved_on": "2026-06-30"})
    assert ok.status_code == 200 and ok.json["dissolved_on"] == "2026-06-30"
    # Sending back the value it has is no change, so a member's full form still saves.
    assert member.patch(url, json={"dissolved_on": "2026-06-30", "phone": "0210 123"}).status_code == 200
    assert auditor.patch(url, json={"dissolved_on": None}).json["dissolved_on"] is None


def test_the_recorder_keeps_scans_per_month(app, db, world):
    from qr.scans.recorder import write

    vn = dt.timezone(dt.timedelta(hours=7))

    def row(at, device=Device.MOBILE, province="25"):
        return (at, ScanLink.PRODUCT, None, world.product_a.id, world.org_a.id, province, "vi", device, "x", None)

    with db.engine.begin() as conn:
        write(conn, [row(dt.datetime(2026, 5, 31, 23, 30, tzinfo=vn)), row(dt.datetime(2026, 6, 1, 0, 30, tzinfo=vn)),
                     row(dt.datetime(2026, 6, 2, tzinfo=vn), Device.BOT), row(dt.datetime(2026, 6, 3, tzinfo=vn), province=None)],
              app.config)  # fmt: skip
    with db.engine.begin() as conn:
        write(conn, [row(dt.datetime(2026, 6, 4, tzinfo=vn))], app.config)
    months = {(m.month, m.province_code): m.scans for m in db.session.scalars(sa.select(ScanMonth))}
    # 23:30 on 31 May in Viet Nam is May; the bot is not counted; a scan of no known province is kept under "".
    assert months == {(dt.date(2026, 5, 1), "25"): 1, (dt.date(2026, 6, 1), "25"): 2, (dt.date(2026, 6, 1), ""): 1}


def test_the_database_keeps_lots_per_month_whatever_happens_to_a_lot(make_api, db, world):
    """lot_month follows every insert, void, re-dating, move and delete, through the API and in plain SQL."""
    from tests.qr.test_public_void import _body
    from trace.lots.models import Lot
    from trace.lots.tally import LotMonth

    def months():
        db.session.expire_all()
        rows = db.session.execute(sa.select(LotMonth.month, LotMonth.area_key, LotMonth.lots)).all()
        return {(m.isoformat()[:7], a): n for m, a, n in rows if n}

    api = make_api(world.member_a)
    first = api.post("/api/v1/lots", json=_body(world, code="T-1")).json
    second = api.post("/api/v1/lots", json=_body(world, code="T-2")).json
    month = first["harvest_date"][:7]
    assert months() == {(month, world.area_a.id): 2}
    assert api.post(f"/api/v1/lots/{second['id']}/void", json={"reason": "In nhầm tem"}).status_code == 200
    assert months() == {(month, world.area_a.id): 1}
    with db.engine.begin() as conn:
        conn.execute(sa.update(Lot).where(Lot.id == first["id"]).values(harvest_date=dt.date(2025, 3, 9)))
    assert months() == {("2025-03", world.area_a.id): 1}
    with db.engine.begin() as conn:
        conn.execute(sa.update(Lot).where(Lot.id == first["id"]).values(growing_area_id=None))
    assert months() == {("2025-03", 0): 1}
    with db.engine.begin() as conn:  # a lot written straight into the table, then deleted
        conn.execute(
            sa.insert(Lot.__table__).values(
                code="RAW", code_key="RAW", product_id=world.product_a.id, growing_area_id=world.area_a.id,
                organization_id=world.org_a.id, harvest_date=dt.date(2025, 3, 1), quantity=1, unit="KGM",
                public_token="raw-token", origin="harvest", created_at=dt.datetime.now(dt.UTC),
            )
        )  # fmt: skip
    assert months() == {("2025-03", 0): 1, ("2025-03", world.area_a.id): 1}
    with db.engine.begin() as conn:
        conn.execute(sa.delete(Lot.__table__).where(Lot.code == "RAW"))
    assert months() == {("2025-03", 0): 1}
