"""Importing growing areas: dry run, all or nothing, idempotency, rows by row and column, places after the reform."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from registry.areas.models import GapCertificate, GrowingArea, Household
from registry.lifecycle.models import CodeStatus, StatusChange
from registry.units.models import LegacyDistrict, legacy_district_commune
from tests.bulk.sheets import AREA_HEADERS, area_row, csv_bytes, upload, xlsx_bytes


def count(db, model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_dry_run_reports_and_stores_nothing(db, world, make_api):
    api = make_api(world.admin)
    data = csv_bytes(
        AREA_HEADERS,
        [area_row("VN-25-07999-501", world.org_a.tax_code), area_row("VN-25-07999-502", world.org_b.tax_code)],
    )
    before = count(db, GrowingArea)
    response = upload(api, "areas", data, "areas.csv", dry_run=True)
    assert response.status_code == 200
    assert response.get_json() == {"rows": 2, "created": 2, "updated": 0, "errors": []}
    assert count(db, GrowingArea) == before


def test_import_creates_with_history_then_reimport_changes_nothing(db, world, make_api):
    api = make_api(world.admin)
    rows = [
        area_row("VN-25-07999-601", world.org_a.tax_code, status="active"),
        area_row("VN-25-07999-602", world.org_a.tax_code, ha="8,75"),
    ]
    data = csv_bytes(AREA_HEADERS, rows)
    first = upload(api, "areas", data, "areas.csv")
    assert first.get_json() == {"rows": 2, "created": 2, "updated": 0, "errors": []}
    active = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.claimed_code == "VN-25-07999-601"))
    pending = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.claimed_code == "VN-25-07999-602"))
    assert active.code == "VN-25-07999-601" and active.status == CodeStatus.ACTIVE
    assert pending.code is None and pending.status == CodeStatus.PENDING and pending.area_ha == Decimal("8.75")
    for area in (active, pending):
        history = db.session.scalars(sa.select(StatusChange).where(StatusChange.growing_area_id == area.id)).all()
        assert [(h.from_status, h.to_status, h.actor_id) for h in history] == [(None, area.status, world.admin.id)]
    again = upload(api, "areas", data, "areas.csv")
    assert again.get_json() == {"rows": 2, "created": 0, "updated": 0, "errors": []}
    changed = csv_bytes(AREA_HEADERS, [rows[0], area_row("VN-25-07999-602", world.org_a.tax_code, ha="9")])
    assert upload(api, "areas", changed, "areas.csv").get_json()["updated"] == 1
    db.session.expire_all()
    assert db.session.get(GrowingArea, pending.id).area_ha == Decimal("9")


def test_one_bad_row_stores_nothing_and_every_problem_is_named(db, world, make_api):
    api = make_api(world.admin, language="en")
    rows = [
        area_row("VN-25-07999-701", world.org_a.tax_code),
        area_row("not a code", world.org_a.tax_code),
        area_row("VN-25-07999-701", world.org_a.tax_code),  # twice in the file
        area_row("VN-25-07999-703", world.org_a.tax_code, ha="1.234,5"),
        area_row("VN-25-07999-704", world.org_a.tax_code, commune="98765"),
        area_row("VN-25-07999-705", "0999999999", crop="jackfruit"),
    ]
    before = count(db, GrowingArea)
    response = upload(api, "areas", csv_bytes(AREA_HEADERS, rows), "areas.csv")
    assert response.status_code == 422
    body = response.get_json()
    assert set(body) == {"rows", "created", "updated", "errors"}
    where = {(e["row"], e["column"]) for e in body["errors"]}
    assert {
        (3, "code"),
        (4, "code"),
        (5, "area_ha"),
        (6, "commune_code"),
        (7, "organization_tax_code"),
        (7, "crop"),
    } <= where
    assert (2, "code") not in where
    assert all(isinstance(e["message"], str) and e["message"] for e in body["errors"])
    assert "thousands separators" in next(e["message"] for e in body["errors"] if e["column"] == "area_ha")
    assert count(db, GrowingArea) == before


def test_messages_follow_the_users_language(db, world, make_api):
    api = make_api(world.admin, language="vi")
    data = csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-801", world.org_a.tax_code, commune="98765")])
    message = upload(api, "areas", data, "areas.csv").get_json()["errors"][0]["message"]
    assert "Không có xã" in message


def test_vietnamese_headers_semicolons_and_bom(db, world, make_api):
    api = make_api(world.admin)
    headers = [
        "mã số",
        "tên vùng trồng",
        "mã số thuế tổ chức",
        "loại",
        "cây trồng",
        "giống",
        "diện tích (ha)",
        "mã xã",
        "địa danh cũ",
        "trạng thái",
    ]
    data = csv_bytes(headers, [area_row("VN-25-07999-811", world.org_a.tax_code, ha="3,5")], delimiter=";", bom=True)
    assert upload(api, "areas", data, "vung.csv").get_json() == {"rows": 1, "created": 1, "updated": 0, "errors": []}


def test_pre_reform_codes_keep_their_text_and_match_todays_commune(db, world, make_api):
    api = make_api(world.admin)
    rows = [
        area_row("VN-PTTO-0101", world.org_a.tax_code, commune="", legacy="Xã Chí Đám, huyện Đoan Hùng, tỉnh Phú Thọ"),
        area_row("VN-BG-0042", world.org_a.tax_code, commune="", legacy="Xã Tân Thành"),  # 13 communes of that name
        area_row("VN-XX-0043", world.org_a.tax_code, commune="", legacy="Xã Không Có Thật"),
    ]
    body = upload(api, "areas", csv_bytes(AREA_HEADERS, rows), "old.csv", dry_run=True).get_json()
    errors = {e["row"]: e for e in body["errors"]}
    assert set(errors) == {3, 4} and errors[3]["column"] == "commune_code"
    assert errors[3]["message"].count("(") >= 2  # the candidates are named, none is chosen
    ok = csv_bytes(AREA_HEADERS, rows[:1])
    assert upload(api, "areas", ok, "old.csv").get_json()["created"] == 1
    area = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.claimed_code == "VN-PTTO-0101"))
    assert area.commune_code == "07999" and area.legacy_place == "Xã Chí Đám, huyện Đoan Hùng, tỉnh Phú Thọ"


def test_a_loaded_legacy_district_resolves_an_ambiguous_name(db, world, make_api):
    candidates = db.session.execute(
        sa.text("SELECT code, province_code FROM commune WHERE name = 'Xã Tân Thành' ORDER BY code")
    ).all()
    chosen = candidates[0]
    db.session.add(LegacyDistrict(code="999", name="Huyện Thử Nghiệm", province_code=chosen.province_code))
    db.session.flush()
    db.session.execute(sa.insert(legacy_district_commune).values(district_code="999", commune_code=chosen.code))
    db.session.commit()
    api = make_api(world.admin)
    row = area_row("VN-OLD-0001", world.org_a.tax_code, commune="", legacy="Xã Tân Thành, huyện Thử Nghiệm")
    assert upload(api, "areas", csv_bytes(AREA_HEADERS, [row]), "old.csv").get_json()["created"] == 1
    area = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.claimed_code == "VN-OLD-0001"))
    assert area.commune_code == chosen.code


def test_members_import_their_own_only_and_cannot_grant_a_code(db, world, make_api):
    api = make_api(world.member_a)
    rows = [
        area_row("VN-25-07999-901", world.org_a.tax_code),
        area_row("VN-25-07999-902", world.org_b.tax_code),
        area_row("VN-25-07999-903", world.org_a.tax_code, status="active"),
    ]
    body = upload(api, "areas", csv_bytes(AREA_HEADERS, rows), "mine.csv").get_json()
    assert {(e["row"], e["column"]) for e in body["errors"]} == {(3, "organization_tax_code"), (4, "status")}
    ok = upload(api, "areas", csv_bytes(AREA_HEADERS, rows[:1]), "mine.csv")
    assert ok.status_code == 200 and ok.get_json()["created"] == 1
    # The owner may withdraw its own pending application; nothing else.
    withdraw = area_row("VN-25-07999-901", world.org_a.tax_code, status="withdrawn")
    assert upload(api, "areas", csv_bytes(AREA_HEADERS, [withdraw]), "mine.csv").get_json()["updated"] == 1
    # Another organization's existing code is not the member's to touch.
    theirs = area_row(world.area_b.code, world.org_a.tax_code)
    body = upload(api, "areas", csv_bytes(AREA_HEADERS, [theirs]), "mine.csv").get_json()
    assert body["errors"][0]["column"] == "code"


def test_inspectors_read_only(db, world, make_api):
    api = make_api(world.auditor)
    data = csv_bytes(AREA_HEADERS, [area_row("VN-25-07999-951", world.org_a.tax_code)])
    assert upload(api, "areas", data, "a.csv").status_code == 403
    assert upload(api, "areas", data, "a.csv", dry_run=True).status_code == 403


def test_admin_moves_a_status_along_the_lifecycle_only(db, world, make_api):
    api = make_api(world.admin)
    suspend = area_row(world.area_a.code, world.org_a.tax_code, name=world.area_a.name, status="suspended")
    assert upload(api, "areas", csv_bytes(AREA_HEADERS, [suspend]), "s.csv").get_json()["updated"] == 1
    db.session.expire_all()
    assert db.session.get(GrowingArea, world.area_a.id).status == CodeStatus.SUSPENDED
    back = area_row(world.area_a.code, world.org_a.tax_code, name=world.area_a.name, status="pending")
    body = upload(api, "areas", csv_bytes(AREA_HEADERS, [back]), "s.csv").get_json()
    assert body["errors"][0]["column"] == "status"


def test_households_and_certificates_sheets(db, world, make_api):
    api = make_api(world.admin)
    code = "VN-25-07999-990"
    homes = ["area_code", "name", "plot_ha", "phone"]
    certs = ["area_code", "scheme", "number", "issuer", "issued_on", "expires_on"]
    data = xlsx_bytes(
        ("areas", AREA_HEADERS, [area_row(code, world.org_a.tax_code, ha="5")]),
        ("hộ", homes, [[code, "Nguyễn Văn A", "2,5", "0912345678"], [code, "Trần Thị B", 1.5, None]]),
        ("certificates", certs, [[code, "vietgap", "VG-1", "Trung tâm Chứng nhận", "2025-01-02", "2028-01-01"]]),
    )
    body = upload(api, "areas", data, "areas.xlsx").get_json()
    assert body == {"rows": 1, "created": 4, "updated": 0, "errors": []}
    area = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.claimed_code == code))
    assert sorted(
        (h.name, h.plot_ha)
        for h in db.session.scalars(sa.select(Household).where(Household.growing_area_id == area.id))
    ) == [
        ("Nguyễn Văn A", Decimal("2.5")),
        ("Trần Thị B", Decimal("1.5")),
    ]
    assert count(db, GapCertificate) == 1
    assert upload(api, "areas", data, "areas.xlsx").get_json() == {"rows": 1, "created": 0, "updated": 0, "errors": []}
    too_much = xlsx_bytes(
        ("areas", AREA_HEADERS, [area_row(code, world.org_a.tax_code, ha="5")]),
        ("households", homes, [[code, "Lê Văn C", "4", None]]),
    )
    body = upload(api, "areas", too_much, "areas.xlsx").get_json()
    assert body["errors"][0]["column"] == "households.plot_ha"


def test_uncoded_applications_match_by_organization_and_name(db, world, make_api):
    api = make_api(world.member_a)
    data = csv_bytes(AREA_HEADERS, [area_row("", world.org_a.tax_code, name="Vùng mới chưa có mã")])
    assert upload(api, "areas", data, "new.csv").get_json()["created"] == 1
    assert upload(api, "areas", data, "new.csv").get_json() == {"rows": 1, "created": 0, "updated": 0, "errors": []}


def test_a_file_with_an_error_creates_nothing_and_says_so(db, world, make_api):
    """All or nothing, in the answer too: the good row is not counted as created, dry run or not."""
    api = make_api(world.admin)
    data = csv_bytes(
        AREA_HEADERS,
        [area_row("VN-25-07999-701", world.org_a.tax_code), area_row("VN-25-07999-702", "9999999999")],
    )
    before = count(db, GrowingArea)
    for dry_run in (True, False):
        body = upload(api, "areas", data, "areas.csv", dry_run=dry_run).get_json()
        assert (body["rows"], body["created"], body["updated"]) == (2, 0, 0)
        assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "organization_tax_code")]
    assert count(db, GrowingArea) == before
