"""The lifecycle's HTML routes on growing areas: confirmed status changes, withdrawal, the inspection form."""

from __future__ import annotations

import datetime as dt

from registry.core.db import today_in_vietnam
from registry.lifecycle.models import CodeStatus, Conclusion, Hygiene, Inspection
from tests.conftest import csrf_token
from tests.registry.lifecycle.conftest import counts

EN = {"Accept-Language": "en"}


def test_a_status_change_needs_the_confirmation(db, client, login, world, pending_area):
    login(world.auditor.email)
    detail = client.get(f"/areas/{pending_area.id}", headers=EN)
    token = csrf_token(detail)
    before = counts(db.session)
    refused = client.post(
        f"/areas/{pending_area.id}/status",
        data={"csrf_token": token, "status": "active", "reason": ""},
        headers=EN,
        follow_redirects=True,
    )
    assert refused.status_code == 200
    assert "Tick “I confirm this decision” to go ahead." in refused.get_data(as_text=True)
    assert counts(db.session) == before
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.PENDING

    done = client.post(
        f"/areas/{pending_area.id}/status",
        data={"csrf_token": token, "status": "active", "reason": "", "confirm": "y"},
        headers=EN,
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/areas/{pending_area.id}")
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.ACTIVE and pending_area.code.startswith("VN-25-07999-")


def test_a_refused_move_is_explained_and_stores_nothing(db, client, login, world):
    login(world.auditor.email)
    token = csrf_token(client.get(f"/areas/{world.area_a.id}"))
    before = counts(db.session)
    response = client.post(
        f"/areas/{world.area_a.id}/status",
        data={"csrf_token": token, "status": "suspended", "reason": "", "confirm": "y"},
        headers=EN,
        follow_redirects=True,
    )
    assert "Give the reason for this decision." in response.get_data(as_text=True)
    assert counts(db.session) == before


def test_a_member_cannot_change_a_status_from_the_page(db, client, login, world):
    login(world.member_a.email)
    token = csrf_token(client.get(f"/areas/{world.area_a.id}"))
    before = counts(db.session)
    response = client.post(
        f"/areas/{world.area_a.id}/status",
        data={"csrf_token": token, "status": "revoked", "reason": "x", "confirm": "y"},
        follow_redirects=True,
    )
    assert "Chỉ Sở Nông nghiệp và Môi trường mới có quyền thực hiện thao tác này." in response.get_data(as_text=True)
    assert counts(db.session) == before
    db.session.refresh(world.area_a)
    assert world.area_a.status == CodeStatus.ACTIVE


def test_the_owner_withdraws_from_the_page(db, client, login, world, pending_area):
    login(world.member_a.email)
    token = csrf_token(client.get(f"/areas/{pending_area.id}"))
    before = counts(db.session)
    empty = client.post(
        f"/areas/{pending_area.id}/withdraw",
        data={"csrf_token": token, "reason": " "},
        headers=EN,
        follow_redirects=True,
    )
    assert "Give the reason for this decision." in empty.get_data(as_text=True)
    assert counts(db.session) == before
    response = client.post(f"/areas/{pending_area.id}/withdraw", data={"csrf_token": token, "reason": "Gộp vùng"})
    assert response.status_code == 302
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.WITHDRAWN
    assert client.post(f"/areas/{pending_area.id}/withdraw", data={"reason": "x"}).status_code == 400  # no CSRF


def test_another_organization_cannot_withdraw(db, client, login, world, pending_area):
    login(world.member_b.email)
    token = csrf_token(client.get("/areas"))
    response = client.post(f"/areas/{pending_area.id}/withdraw", data={"csrf_token": token, "reason": "x"})
    assert response.status_code == 404
    db.session.refresh(pending_area)
    assert pending_area.status == CodeStatus.PENDING


def test_members_cannot_open_the_inspection_form(db, client, login, world):
    login(world.member_a.email)
    assert client.get(f"/areas/{world.area_a.id}/inspections/new").status_code == 403
    token = csrf_token(client.get(f"/areas/{world.area_a.id}"))
    before = counts(db.session)
    response = client.post(
        f"/areas/{world.area_a.id}/inspections/new",
        data={"csrf_token": token, "inspected_on": "2025-03-01", "conclusion": "revoke", "reason": "x"},
    )
    assert response.status_code == 403
    assert counts(db.session) == before


def test_inspection_form_shows_errors_beside_the_fields(db, client, login, world):
    login(world.auditor.email)
    page = client.get(f"/areas/{world.area_a.id}/inspections/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="vi">' in html  # Vietnamese by default
    for name in ("inspected_on", "inspector_name", "growth_stage", "pests", "diary_kept", "pesticides_permitted",
                 "sampled", "sample_results", "field_hygiene", "packaging_collected", "conclusion",
                 "corrective_deadline", "reason", "notes"):  # fmt: skip
        assert f'name="{name}"' in html, name
    assert world.auditor.email in html  # the inspector defaults to who records it

    tomorrow = (today_in_vietnam() + dt.timedelta(days=1)).isoformat()
    before = counts(db.session)
    response = client.post(
        f"/areas/{world.area_a.id}/inspections/new",
        data={"csrf_token": csrf_token(page), "inspected_on": tomorrow, "conclusion": "suspend", "reason": ""},
        headers=EN,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="field-error">The inspection date cannot be in the future.</p>' in html
    assert '<p class="field-error">Give the reason for suspending or revoking the code.</p>' in html
    assert html.index('name="inspected_on"') < html.index("cannot be in the future") < html.index('name="growth_stage"')
    assert counts(db.session) == before

    response = client.post(
        f"/areas/{world.area_a.id}/inspections/new",
        data={
            "csrf_token": csrf_token(page),
            "inspected_on": "2025-03-01",
            "conclusion": "corrective_action",
            "diary_kept": "maybe",
            "pests": "Rệp sáp: 5 con/cành\n: không tên",
        },
        headers=EN,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<p class="field-error">Set the deadline for the corrective action.</p>' in html
    assert '<p class="field-error">Answer yes or no.</p>' in html
    assert '<p class="field-error">This field is required.</p>' in html  # the pest line without a name
    assert "Rệp sáp: 5 con/cành" in html  # what was typed is kept
    assert counts(db.session) == before


def test_a_suspend_inspection_from_the_page(db, client, login, world):
    login(world.auditor.email)
    page = client.get(f"/areas/{world.area_a.id}/inspections/new")
    before = counts(db.session)
    response = client.post(
        f"/areas/{world.area_a.id}/inspections/new",
        data={
            "csrf_token": csrf_token(page),
            "inspected_on": "2025-03-01",
            "inspector_name": "Trần Thị Giám",
            "growth_stage": "Quả non",
            "pests": "Rệp sáp: 5 con/cành\n\n  Nhện đỏ  \nRuồi vàng: 2 con/bẫy",
            "diary_kept": "no",
            "pesticides_permitted": "yes",
            "sampled": "y",
            "sample_results": "Carbendazim vượt MRL",
            "field_hygiene": "poor",
            "packaging_collected": "",
            "conclusion": "suspend",
            "reason": "Dư lượng vượt ngưỡng",
            "notes": "Lấy 3 mẫu",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/areas/{world.area_a.id}")
    assert counts(db.session) == {"inspection": before["inspection"] + 1, "status_change": before["status_change"] + 1}
    inspection = db.session.query(Inspection).one()
    assert inspection.pests == [
        {"name": "Rệp sáp", "density": "5 con/cành"},
        {"name": "Nhện đỏ", "density": ""},
        {"name": "Ruồi vàng", "density": "2 con/bẫy"},
    ]
    assert (inspection.diary_kept, inspection.pesticides_permitted, inspection.packaging_collected) == (
        False,
        True,
        None,
    )
    assert inspection.sampled is True and inspection.field_hygiene == Hygiene.POOR
    assert inspection.conclusion == Conclusion.SUSPEND and inspection.inspector_name == "Trần Thị Giám"
    db.session.refresh(world.area_a)
    assert world.area_a.status == CodeStatus.SUSPENDED
    assert world.area_a.history[-1].inspection_id == inspection.id
    detail = client.get(f"/areas/{world.area_a.id}")
    assert "Dư lượng vượt ngưỡng" in detail.get_data(as_text=True)


def test_the_inspection_form_for_a_revoked_code_is_refused(db, client, login, world):
    login(world.auditor.email)
    page = client.get(f"/areas/{world.area_a.id}/inspections/new")
    world.area_a.status = CodeStatus.REVOKED
    db.session.commit()
    before = counts(db.session)
    response = client.post(
        f"/areas/{world.area_a.id}/inspections/new",
        data={"csrf_token": csrf_token(page), "inspected_on": "2025-03-01", "conclusion": "pass"},
        headers=EN,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert (
        '<div class="alert error" role="alert"><p>This code is revoked; it can no longer be inspected.</p></div>'
        in html
    )
    assert "field-error" not in html
    assert counts(db.session) == before


MACROS = """{% from "registry/lifecycle/_macros.html" import history_table, inspections_table, status_form,
withdraw_form, inspect_link %}
{{ history_table(subject) }}|{{ inspections_table(subject) }}|{{ status_form(form, '/s') }}|{{ withdraw_form('/w') }}|
{{ inspect_link('/i') }}"""


def test_the_macros_the_detail_pages_import(app, db, make_api, world):
    from flask import render_template_string

    from registry.areas.models import GrowingArea
    from registry.core.forms import choices
    from registry.lifecycle import services as lifecycle
    from registry.lifecycle.forms import StatusForm

    make_api(world.auditor).post(
        f"/api/v1/areas/{world.area_a.id}/inspections",
        json={"inspected_on": "2025-03-01", "conclusion": "corrective_action", "corrective_deadline": "2025-04-15",
              "inspector_name": "Lê Văn Soát", "reason": "Thiếu nhật ký"},
    )  # fmt: skip
    make_api(world.auditor).post(
        f"/api/v1/areas/{world.area_a.id}/inspections",
        json={"inspected_on": "2025-03-20", "conclusion": "suspend", "reason": "Không khắc phục"},
    )
    db.session.expire_all()
    with app.test_request_context("/", headers=EN):
        subject = db.session.get(GrowingArea, world.area_a.id)
        form = StatusForm()
        form.status.choices = choices(
            (s.value, lifecycle.status_label(s)) for s in lifecycle.allowed_moves(subject, world.auditor)
        )
        html = render_template_string(MACROS, subject=subject, form=form)
    history, inspections, status, withdraw, link = html.split("|")
    assert "Không khắc phục" in history and "(inspection of 20 Mar 2025)" in history
    assert '<span class="badge suspended">suspended</span>' in history
    rows = inspections.split("<tr>")[2:]  # newest first
    assert "20 Mar 2025" in rows[0] and "1 Mar 2025" in rows[1]
    assert "Suspend the code" in rows[0] and "Không khắc phục" in rows[0]
    assert "Corrective action required" in rows[1] and "Lê Văn Soát" in rows[1] and "15 Apr 2025" in rows[1]
    assert 'action="/s"' in status and 'name="confirm"' in status and 'type="checkbox"' in status
    assert '<option value="active">active</option><option value="revoked">revoked</option>' in status
    assert 'action="/w"' in withdraw and 'name="reason"' in withdraw and 'name="csrf_token"' in withdraw
    assert 'href="/i"' in link
