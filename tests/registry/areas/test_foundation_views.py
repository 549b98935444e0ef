import re

import sqlalchemy as sa

from registry.areas.models import GrowingArea
from registry.lifecycle.models import CodeStatus as AreaStatus
from tests.conftest import csrf_token
from tests.factories import AreaFactory


def test_member_applies_for_an_area_and_auditor_activates_it(app, client, db, world, login):
    login(world.member_a.email)
    form = client.get("/areas/new")
    assert form.status_code == 200 and "Xã Chí Đám" in form.get_data(as_text=True)
    response = client.post(
        "/areas/new",
        data={
            "csrf_token": csrf_token(form), "name": "Vùng bưởi Đồi Cao", "organization_id": world.org_a.id,
            "kind": "domestic", "crop": "pomelo", "variety": "", "area_ha": "3.5",
            "commune_code": "07999", "code": "", "legacy_place": "",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    area = db.session.scalar(sa.select(GrowingArea).where(GrowingArea.name == "Vùng bưởi Đồi Cao"))
    assert area.status == AreaStatus.PENDING

    auditor = app.test_client()
    page = auditor.get("/login")
    auditor.post(
        "/login", data={"email": world.auditor.email, "password": "correct-horse-42", "csrf_token": csrf_token(page)}
    )
    detail = auditor.get(f"/areas/{area.id}")
    assert "chờ duyệt" in detail.get_data(as_text=True)
    response = auditor.post(
        f"/areas/{area.id}/status",
        data={"csrf_token": csrf_token(detail), "status": "active", "reason": "", "confirm": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(area)
    assert area.status == AreaStatus.ACTIVE and area.code.startswith("VN-25-07999-")
    assert "đang hiệu lực" in auditor.get(f"/areas/{area.id}").get_data(as_text=True)


def test_lists_are_paginated(app, client, db, world, login):
    for _ in range(27):
        AreaFactory(organization=world.org_a)
    db.session.commit()
    login(world.member_a.email)
    first = client.get("/areas").get_data(as_text=True)
    second = client.get("/areas?page=2").get_data(as_text=True)
    area_links = re.compile(r'href="/areas/\d+"')
    assert "Trang 1/2" in first and 'href="/areas?page=2"' in first
    assert len(area_links.findall(first)) == app.config["PAGE_SIZE"]
    assert len(area_links.findall(second)) == 28 - app.config["PAGE_SIZE"]  # area_a plus 27; B's area is not listed
    assert "Trang 2/2" in second
