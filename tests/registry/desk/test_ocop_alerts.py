"""Both home pages list OCOP certificates expiring within 30 days: the holder its own, the department all."""

from __future__ import annotations

import datetime as dt

from registry.ocop.rules import add_months
from tests.factories import ProductFactory
from tests.registry.desk.test_desk import section
from tests.registry.ocop.helpers import rate

TODAY = dt.date(2026, 11, 23)


def decided_for(expires_in_days: int) -> dt.date:
    """The decision date of a 36-month certificate that expires ``expires_in_days`` after TODAY."""
    return add_months(TODAY + dt.timedelta(days=expires_in_days), -36)


def test_holder_and_department_see_expiring_ocop_certificates(db, world, client, login, clock):
    soon_a = rate(db, world, world.product_a, decided=decided_for(12))
    soon_b = rate(db, world, world.product_b, stars=5, decided=decided_for(30))
    later = ProductFactory(organization=world.org_a, name="Bưởi còn hạn dài")
    db.session.commit()
    rate(db, world, later, decided=decided_for(31))
    expired = ProductFactory(organization=world.org_a, name="Bưởi đã hết hạn")
    db.session.commit()
    rate(db, world, expired, stars=3, decided=decided_for(-1))
    clock.set_today(TODAY)

    member = section(login(world.member_a.email).get("/").get_data(as_text=True), "desk-ocop-expiring")
    assert world.product_a.name in member and soon_a.decision_number in member
    assert "(còn 12 ngày)" in member
    for absent in (world.product_b.name, "Bưởi còn hạn dài", "Bưởi đã hết hạn", world.org_a.name):
        assert absent not in member, absent
    client.post("/logout", data={})

    department = section(login(world.auditor.email).get("/").get_data(as_text=True), "desk-ocop-expiring")
    assert department.index(world.product_a.name) < department.index(world.product_b.name)
    assert world.org_a.name in department and world.org_b.name in department
    assert soon_b.decision_number in department and "(2)" in department
    assert "Bưởi còn hạn dài" not in department and "Bưởi đã hết hạn" not in department


def test_a_renewed_certificate_leaves_the_alert(db, world, login, clock):
    rate(db, world, world.product_a, decided=decided_for(10))
    clock.set_today(TODAY)
    html = login(world.auditor.email).get("/").get_data(as_text=True)
    assert world.product_a.name in section(html, "desk-ocop-expiring")
    rate(db, world, world.product_a, decided=TODAY - dt.timedelta(days=2))
    html = login(world.auditor.email).get("/").get_data(as_text=True)
    assert world.product_a.name not in section(html, "desk-ocop-expiring")
    assert "Không có giấy chứng nhận OCOP nào sắp hết hạn." in section(html, "desk-ocop-expiring")
