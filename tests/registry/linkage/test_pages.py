"""Linkage pages in Vietnamese and English: list, new, record and edit, and who may open which."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from registry.lifecycle.models import CodeStatus
from registry.linkage.models import LinkageModel
from tests.conftest import csrf_token
from tests.registry.linkage.conftest import counts

EN = {"Accept-Language": "en"}
VI = {"Accept-Language": "vi"}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def form_data(page, world, **overrides):
    data = {
        "csrf_token": csrf_token(page),
        "name": "Liên kết bưởi Đoan Hùng",
        "crop": "pomelo",
        "partner_organization_ids": [str(world.org_b.id)],
        "area_ids": [str(world.area_a.id), str(world.area_b.id)],
        "province": "25",
        "commune_codes": ["07999", "07996"],
        "partner_households": "120",
        "started_on": "2025-01-01",
        "ended_on": "",
        "notes": "Bao tiêu 80% sản lượng",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("headers", [VI, EN])
def test_member_registers_a_model(wired, db, world, login, headers):
    client = login("a@test.example")
    page = client.get("/linkage-models/new", headers=headers)
    assert page.status_code == 200
    body = text(page)
    assert ("Supplying growing areas" if headers is EN else 'name="area_ids"') in body
    assert f'value="{world.area_b.id}"' in body  # the partner's area is offered
    assert 'name="lead_organization_id"' not in body  # a member leads for its own organization
    before = counts(db.session)
    response = client.post("/linkage-models/new", data=form_data(page, world), headers=headers)
    assert response.status_code == 302, text(response)
    model = db.session.query(LinkageModel).one()
    assert response.headers["Location"].endswith(f"/linkage-models/{model.id}")
    assert (model.lead_organization_id, model.partner_organization_ids) == (world.org_a.id, [world.org_b.id])
    assert (model.commune_codes, model.started_on, model.partner_households) == (
        ["07996", "07999"],
        dt.date(2025, 1, 1),
        120,
    )
    assert counts(db.session) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"crop": "opium"}, "There is no crop “opium”."),
        ({"ended_on": "2024-12-31"}, "The period cannot end before it starts."),
        ({"partner_organization_ids": [], "area_ids": ["AREA_B"]}, "belongs to neither the lead organization"),
        ({"commune_codes": ["99999"]}, "There is no commune with code 99999."),
        ({"partner_organization_ids": ["ORG_A"]}, "The lead organization cannot also be its own partner."),
        ({"partner_households": "-3"}, "Enter a whole number of households, 0 or more."),
    ],
)
def test_bad_form_is_422_and_stores_nothing(wired, db, world, login, overrides, field_message):
    client = login("a@test.example")
    page = client.get("/linkage-models/new", headers=EN)
    ids = {"AREA_B": str(world.area_b.id), "ORG_A": str(world.org_a.id)}
    overrides = {k: [ids.get(x, x) for x in v] if isinstance(v, list) else v for k, v in overrides.items()}
    before = counts(db.session)
    response = client.post("/linkage-models/new", data=form_data(page, world, **overrides), headers=EN)
    assert response.status_code == 422
    assert field_message in text(response)
    assert counts(db.session) == before


def test_vietnamese_error_on_the_form(wired, db, world, login):
    client = login("a@test.example")
    page = client.get("/linkage-models/new", headers=VI)
    response = client.post("/linkage-models/new", data=form_data(page, world, crop="opium"), headers=VI)
    assert response.status_code == 422
    assert "Không có cây trồng “opium”." in text(response)


def test_show_communes_saves_nothing(wired, db, world, login):
    client = login("a@test.example")
    page = client.get("/linkage-models/new", headers=EN)
    before = counts(db.session)
    response = client.post(
        "/linkage-models/new", data=form_data(page, world, province="01", refresh="communes"), headers=EN
    )
    assert response.status_code == 200
    body = text(response)
    assert 'value="00070"' in body  # Hoàn Kiếm, Hà Nội: communes of the chosen province
    assert 'selected value="07999"' in body  # and the communes already chosen stay
    assert counts(db.session) == before


def test_inspector_cannot_open_the_form(wired, db, world, login):
    client = login("auditor@test.example")
    assert client.get("/linkage-models/new", headers=EN).status_code == 403
    assert "Register a linkage model" not in text(client.get("/linkage-models", headers=EN))


def test_admin_names_the_lead(wired, db, world, login):
    client = login("admin@test.example")
    page = client.get("/linkage-models/new", headers=EN)
    assert 'name="lead_organization_id"' in text(page)
    data = form_data(
        page, world, lead_organization_id=str(world.org_b.id), partner_organization_ids=[str(world.org_a.id)]
    )
    response = client.post("/linkage-models/new", data=data, headers=EN)
    assert response.status_code == 302, text(response)
    assert db.session.query(LinkageModel).one().lead_organization_id == world.org_b.id


@pytest.mark.parametrize(("headers", "words"), [(EN, ("Tied to a raw-material area", "Yes")), (VI, ("Có",))])
def test_detail_shows_everything_and_the_rule(wired, db, world, login, make_model, headers, words):
    world.area_b.status = CodeStatus.SUSPENDED
    db.session.commit()
    model = make_model()
    client = login("b@test.example")  # a partner reads it
    response = client.get(f"/linkage-models/{model.id}", headers=headers)
    assert response.status_code == 200
    body = text(response)
    for expected in ("HTX Bưởi Chí Đám", "HTX Bưởi Bằng Luân", "Xã Chí Đám", "Xã Bằng Luân", world.area_a.code, *words):
        assert expected in body
    assert '<span class="badge active">' in body and '<span class="badge suspended">' in body
    assert "active code" in body or headers is VI  # the rule, beside the figure
    assert f'href="/areas/{world.area_b.id}"' in body  # the partner's own area links
    assert f'href="/areas/{world.area_a.id}"' not in body  # the lead's area is not the partner's to open
    assert f'href="/linkage-models/{model.id}/edit"' not in body


def test_list_filters_and_links(wired, db, world, login, make_model):
    tied = make_model()
    untied = make_model(name="Liên kết chè", area_ids=[], crop="tea", commune_codes=["00070"])
    client = login("auditor@test.example")
    for headers in (EN, VI):
        body = text(client.get("/linkage-models", headers=headers))
        assert f'href="/linkage-models/{tied.id}"' in body and f'href="/linkage-models/{untied.id}"' in body
    body = text(client.get("/linkage-models?tied=yes&crop=pomelo", headers=EN))
    assert f'href="/linkage-models/{tied.id}"' in body and f'href="/linkage-models/{untied.id}"' not in body
    body = text(client.get("/linkage-models?province=01", headers=EN))
    assert f'href="/linkage-models/{untied.id}"' in body and f'href="/linkage-models/{tied.id}"' not in body
    response = client.get("/linkage-models?tied=maybe", headers=EN)
    assert response.status_code == 422
    assert "Answer yes or no." in text(response)
    assert client.get("/linkage-models?page=0", headers=EN).status_code == 422


def test_list_pages(wired, app, db, world, login, make_model):
    size = app.config["PAGE_SIZE"]
    made = [make_model(name=f"Mô hình {n}", area_ids=[]) for n in range(size + 1)]
    client = login("a@test.example")
    first = text(client.get("/linkage-models", headers=EN))
    second = text(client.get("/linkage-models?page=2", headers=EN))
    assert f'href="/linkage-models/{made[0].id}"' not in first and f'href="/linkage-models/{made[0].id}"' in second
    assert f'href="/linkage-models/{made[-1].id}"' in first


def test_edit_by_the_lead_only(wired, db, world, login, make_model, outsider):
    model = make_model()
    assert login("b@test.example").get(f"/linkage-models/{model.id}/edit").status_code == 403
    assert login("c@test.example").get(f"/linkage-models/{model.id}/edit").status_code == 404
    assert login("c@test.example").get(f"/linkage-models/{model.id}").status_code == 404
    client = login("a@test.example")
    page = client.get(f"/linkage-models/{model.id}/edit", headers=VI)
    assert page.status_code == 200
    assert f'selected value="{world.area_b.id}"' in text(page)
    data = form_data(page, world, name="Liên kết 2026", area_ids=[str(world.area_a.id)], ended_on="2026-12-31")
    response = client.post(f"/linkage-models/{model.id}/edit", data=data, headers=VI)
    assert response.status_code == 302, text(response)
    db.session.expire_all()
    row = db.session.get(LinkageModel, model.id)
    assert (row.name, row.area_ids, row.ended_on) == ("Liên kết 2026", [world.area_a.id], dt.date(2026, 12, 31))
    bad = form_data(page, world, started_on="2027-01-01", ended_on="2026-01-01")
    response = client.post(f"/linkage-models/{model.id}/edit", data=bad, headers=EN)
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(LinkageModel, model.id).started_on == dt.date(2025, 1, 1)
