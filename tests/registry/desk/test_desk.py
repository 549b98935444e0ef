"""The department's home page lists its queues; a member sees its own overview and expiring certificates."""

from __future__ import annotations

import re

from registry.desk import services
from tests.registry.desk.rows import overdue_inspection


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section class="desk" aria-labelledby="{section_id}">(.*?)</section>', html, re.S)
    assert match, section_id
    return match.group(1)


def test_services_queues(db, world, desk):
    actor = world.auditor
    pending = services.pending_applications(db.session, actor=actor)
    assert [(i.kind, i.subject.id) for i in pending] == [
        ("packing_house", desk.pending_house.id),
        ("growing_area", desk.pending_area.id),
    ]
    overdue = services.overdue_corrective(db.session, actor=actor)
    assert [(i.kind, i.subject.id) for i in overdue] == [("growing_area", desk.overdue_area.id)]
    expiring = services.expiring_certificates(db.session, actor=actor)
    assert [c.number for c in expiring] == ["VG-SOON-B", "VG-SOON-A"]
    recent = services.recent_status_changes(db.session, actor=actor)
    assert [(i.kind, i.change.id) for i in recent] == [("growing_area", desk.change.id)]


def test_member_sees_only_own_expiring_certificates(db, world, desk):
    assert [c.number for c in services.expiring_certificates(db.session, actor=world.member_a)] == ["VG-SOON-A"]


def test_overdue_leaves_out_a_re_inspected_code(db, world, desk):
    from registry.core.db import today_in_vietnam
    from registry.lifecycle.models import Conclusion, Inspection

    db.session.add(
        Inspection(
            growing_area_id=desk.overdue_area.id,
            inspected_on=today_in_vietnam(),
            inspector_name="Kiểm tra lại",
            conclusion=Conclusion.PASS,
        )
    )
    db.session.commit()
    assert services.overdue_corrective(db.session, actor=world.auditor) == []


def test_recent_changes_are_the_last_twenty_of_both_kinds(db, world, desk):
    from registry.lifecycle.models import CodeStatus
    from tests.registry.desk.rows import add_change

    for _ in range(21):
        add_change(db.session, desk.pending_house, to_status=CodeStatus.PENDING)
    db.session.commit()
    recent = services.recent_status_changes(db.session, actor=world.auditor)
    assert len(recent) == 20
    assert {i.kind for i in recent} == {"packing_house"}
    assert desk.change.id not in {i.change.id for i in recent}


def test_department_home_page_lists_one_item_of_each_queue(login, world, desk):
    html = login("auditor@test.example").get("/?lang=en").get_data(as_text=True)
    pending = section(html, "desk-pending")
    assert pending.index("Nhà đóng gói chờ duyệt") < pending.index("Vùng chờ duyệt")  # oldest first
    assert f'href="/areas/{desk.pending_area.id}"' in pending
    overdue = section(html, "desk-overdue")
    assert f'href="/areas/{desk.overdue_area.id}">{desk.overdue_area.code}</a>' in overdue
    assert "Vùng quá hạn khắc phục" not in pending
    expiring = section(html, "desk-expiring")
    assert expiring.index("VG-SOON-B") < expiring.index("VG-SOON-A")
    for absent in ("VG-FAR", "VG-REVOKED", "VG-EXPIRED"):
        assert absent not in expiring
    assert "in 10 days" in expiring
    recent = section(html, "desk-recent")
    assert "Phát hiện dư lượng thuốc" in recent
    assert '<span class="badge suspended">suspended</span>' in recent
    assert 'href="/check"' in html


def test_department_home_page_in_vietnamese(login, world, desk):
    html = login("admin@test.example").get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert '<span class="badge suspended">tạm đình chỉ</span>' in section(html, "desk-recent")
    assert desk.expiring_b.expires_on.strftime("%d/%m/%Y") in section(html, "desk-expiring")


def test_member_home_page_keeps_overview_and_own_certificates(login, world, desk):
    html = login("a@test.example").get("/?lang=en").get_data(as_text=True)
    assert 'href="/areas/new"' in html  # the buttons
    assert "desk-pending" not in html and "desk-recent" not in html and "desk-overdue" not in html
    expiring = section(html, "desk-expiring")
    assert "VG-SOON-A" in expiring
    assert "VG-SOON-B" not in html  # another cooperative's


def test_overdue_revoked_codes_are_left_out(db, world, desk):
    from registry.lifecycle.models import CodeStatus

    desk.overdue_area.status = CodeStatus.REVOKED
    overdue_inspection(db.session, world.area_a)
    db.session.commit()
    assert [i.subject.id for i in services.overdue_corrective(db.session, actor=world.auditor)] == [world.area_a.id]


def test_department_queues_refuse_members(db, world, desk):
    import pytest

    from registry.core.errors import Forbidden

    for fn in (services.pending_applications, services.overdue_corrective, services.recent_status_changes):
        with pytest.raises(Forbidden):
            fn(db.session, actor=world.member_a)
