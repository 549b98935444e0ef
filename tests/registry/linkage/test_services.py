"""Linkage-model services: the derived 'tied to a raw-material area', refusals, visibility and filters."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from registry.core.db import VN_TZ, today_in_vietnam
from registry.core.errors import Forbidden, NotFound, ValidationError
from registry.lifecycle import services as lifecycle
from registry.lifecycle.models import CodeStatus, StatusChange
from registry.linkage import services
from registry.linkage.models import LinkageModel
from tests import factories
from tests.registry.linkage.conftest import counts

# ---------------------------------------------------------------- the derived flag


def test_no_areas_is_not_tied(db, make_model):
    model = make_model(area_ids=[])
    assert model.areas == []
    assert services.tied_to_raw_material_area(model) is False
    assert services.tied_to_raw_material_area(model, (dt.date(2020, 1, 1), today_in_vietnam())) is False


def test_an_active_area_ties_the_model(db, world, make_model):
    model = make_model(area_ids=[world.area_a.id])
    assert world.area_a.status == CodeStatus.ACTIVE
    assert services.tied_to_raw_material_area(model) is True
    assert services.tied_to_raw_material_area(model, today_in_vietnam()) is True


def test_a_suspended_only_area_does_not_tie(db, world, make_model):
    world.area_b.status = CodeStatus.SUSPENDED
    db.session.commit()
    model = make_model(area_ids=[world.area_b.id])
    assert services.tied_to_raw_material_area(model) is False
    # Suspending the other area too unties a model that was tied.
    other = make_model(area_ids=[world.area_a.id])
    assert services.tied_to_raw_material_area(other) is True
    world.area_a.status = CodeStatus.SUSPENDED
    db.session.commit()
    assert services.tied_to_raw_material_area(other) is False


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=VN_TZ)


@pytest.fixture
def area_with_history(db, world):
    """An org_a area applied for 1 Jan 2025, activated 1 Feb, suspended 1 Jun, through the real lifecycle."""
    area = factories.AreaFactory(organization=world.org_a, status=CodeStatus.PENDING, name="Vùng có lịch sử")
    lifecycle.start_history(db.session, area, actor=world.member_a)
    lifecycle.transition(db.session, area, actor=world.auditor, status="active")
    lifecycle.transition(db.session, area, actor=world.auditor, status="suspended", reason="Dư lượng thuốc")
    rows = list(db.session.scalars(sa.select(StatusChange).where(StatusChange.growing_area_id == area.id)))
    assert [r.to_status for r in sorted(rows, key=lambda r: r.id)] == ["pending", "active", "suspended"]
    for row, day in zip(
        sorted(rows, key=lambda r: r.id), (dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 6, 1)), strict=True
    ):
        row.at = _at(day)
    db.session.commit()
    return area


def test_an_area_active_earlier_in_the_period_ties_it_for_that_period(db, make_model, area_with_history):
    model = make_model(area_ids=[area_with_history.id])
    tied = services.tied_to_raw_material_area
    assert tied(model) is False  # suspended now
    assert tied(model, (dt.date(2025, 1, 1), dt.date(2025, 12, 31))) is True  # active Feb-May
    assert tied(model, (dt.date(2025, 3, 1), dt.date(2025, 3, 31))) is True  # active when it began
    assert tied(model, (dt.date(2025, 5, 20), dt.date(2025, 7, 1))) is True
    assert tied(model, (dt.date(2025, 1, 10), dt.date(2025, 2, 1))) is True  # activated on the last day
    assert tied(model, dt.date(2025, 4, 15)) is True
    assert tied(model, dt.date(2025, 1, 15)) is False  # still pending
    assert tied(model, (dt.date(2025, 1, 2), dt.date(2025, 1, 31))) is False
    assert tied(model, (dt.date(2025, 6, 2), dt.date(2025, 8, 1))) is False  # suspended all through
    assert tied(model, (dt.date(2024, 1, 1), dt.date(2024, 12, 31))) is False  # before the application


# ---------------------------------------------------------------- refusals


BIG = 2**31


def _bad_inputs(world):
    return [
        ({"area_ids": [world.area_b.id], "partner_organization_ids": []}, "area_ids"),
        ({"area_ids": [BIG]}, "area_ids"),
        ({"area_ids": [999999]}, "area_ids"),
        ({"started_on": dt.date(2025, 5, 1), "ended_on": dt.date(2025, 4, 30)}, "ended_on"),
        ({"crop": "opium"}, "crop"),
        ({"crop": ""}, "crop"),
        ({"commune_codes": ["99999"]}, "commune_codes"),
        ({"commune_codes": ["xã"]}, "commune_codes"),
        ({"partner_organization_ids": [999999]}, "partner_organization_ids"),
        ({"partner_organization_ids": [BIG]}, "partner_organization_ids"),
        ({"partner_organization_ids": [world.org_a.id, world.org_b.id]}, "partner_organization_ids"),
        ({"name": "   "}, "name"),
        ({"partner_households": -1}, "partner_households"),
        ({"partner_households": BIG}, "partner_households"),
        ({"started_on": "01/02/2025"}, "started_on"),
    ]


@pytest.mark.parametrize("case", range(15))
def test_bad_input_is_refused_per_field_and_nothing_stored(db, world, make_model, case):
    changes, field = _bad_inputs(world)[case]
    before = counts(db.session)
    with pytest.raises(ValidationError) as exc:
        make_model(**changes)
    db.session.rollback()
    assert list(exc.value.errors) == [field]
    assert exc.value.status_code == 422
    assert counts(db.session) == before


def test_all_errors_at_once(db, world, make_model):
    with pytest.raises(ValidationError) as exc:
        make_model(crop="x", commune_codes=["00000"], partner_organization_ids=[world.org_a.id], name="")
    assert set(exc.value.errors) == {"crop", "commune_codes", "partner_organization_ids", "name"}


def test_admin_names_an_existing_lead(db, world, make_model):
    before = counts(db.session)
    with pytest.raises(ValidationError) as exc:
        make_model(actor=world.admin, lead_organization_id=None)
    assert list(exc.value.errors) == ["lead_organization_id"]
    with pytest.raises(ValidationError) as exc:
        make_model(actor=world.admin, lead_organization_id=BIG)
    assert list(exc.value.errors) == ["lead_organization_id"]
    db.session.rollback()
    assert counts(db.session) == before
    model = make_model(
        actor=world.admin, lead_organization_id=world.org_b.id, partner_organization_ids=[world.org_a.id]
    )
    assert model.lead_organization_id == world.org_b.id
    assert counts(db.session) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)


def test_a_member_leads_only_for_its_own_organization(db, world, make_model):
    before = counts(db.session)
    with pytest.raises(Forbidden):
        make_model(lead_organization_id=world.org_b.id, partner_organization_ids=[])
    db.session.rollback()
    assert counts(db.session) == before
    model = make_model(lead_organization_id=world.org_a.id)
    assert model.lead_organization_id == world.org_a.id
    assert model.partner_organization_ids == [world.org_b.id]
    assert model.commune_codes == ["07996", "07999"]
    assert model.area_ids == sorted([world.area_a.id, world.area_b.id])
    assert model.partner_households == 120


def test_inspector_cannot_create(db, world, make_model):
    before = counts(db.session)
    with pytest.raises(Forbidden):
        make_model(actor=world.auditor)
    db.session.rollback()
    assert counts(db.session) == before


# ---------------------------------------------------------------- visibility and updates


def test_visibility(db, world, make_model, outsider):
    model = make_model()
    assert services.get_model(db.session, actor=world.member_a, model_id=model.id) is model
    assert services.get_model(db.session, actor=world.member_b, model_id=model.id) is model
    assert services.get_model(db.session, actor=world.auditor, model_id=model.id) is model
    with pytest.raises(NotFound):
        services.get_model(db.session, actor=outsider, model_id=model.id)
    for bad in (BIG, "abc", -1, model.id + 1):
        with pytest.raises(NotFound):
            services.get_model(db.session, actor=world.auditor, model_id=bad)
    assert [m.id for m in services.list_models(db.session, actor=world.member_b).items] == [model.id]
    assert services.list_models(db.session, actor=outsider).total == 0


def test_department_sees_all(db, world, make_model, outsider):
    ours = make_model()
    theirs = make_model(actor=outsider, partner_organization_ids=[], area_ids=[], crop="tea")
    assert [m.id for m in services.list_models(db.session, actor=world.auditor).items] == [theirs.id, ours.id]
    assert [m.id for m in services.list_models(db.session, actor=world.admin).items] == [theirs.id, ours.id]
    assert [m.id for m in services.list_models(db.session, actor=world.member_a).items] == [ours.id]
    assert [m.id for m in services.list_models(db.session, actor=outsider).items] == [theirs.id]


def test_lead_member_edits(db, world, make_model):
    model = make_model()
    services.update_model(
        db.session,
        actor=world.member_a,
        model_id=model.id,
        changes={"name": "Liên kết mới", "area_ids": [world.area_a.id], "ended_on": dt.date(2026, 1, 1)},
    )
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(LinkageModel, model.id)
    assert (row.name, row.area_ids, row.ended_on) == ("Liên kết mới", [world.area_a.id], dt.date(2026, 1, 1))
    assert row.updated_at is not None


def test_partner_reads_but_cannot_change(db, world, make_model):
    model = make_model()
    with pytest.raises(Forbidden):
        services.update_model(db.session, actor=world.member_b, model_id=model.id, changes={"name": "Của tôi"})
    db.session.rollback()
    assert db.session.get(LinkageModel, model.id).name == "Liên kết bưởi Đoan Hùng"


def test_outsider_and_inspector_cannot_change(db, world, make_model, outsider):
    model = make_model()
    with pytest.raises(NotFound):
        services.update_model(db.session, actor=outsider, model_id=model.id, changes={"name": "x"})
    with pytest.raises(Forbidden):
        services.update_model(db.session, actor=world.auditor, model_id=model.id, changes={"name": "x"})
    db.session.rollback()
    assert db.session.get(LinkageModel, model.id).name == "Liên kết bưởi Đoan Hùng"


def test_bad_update_changes_nothing(db, world, make_model):
    model = make_model()
    before = counts(db.session)
    with pytest.raises(ValidationError) as exc:
        services.update_model(
            db.session,
            actor=world.member_a,
            model_id=model.id,
            changes={
                "name": "Đổi tên",
                "partner_organization_ids": [],  # area_b (org_b's) still supplies the model
                "ended_on": dt.date(2024, 1, 1),
                "tied_to_raw_material_area": True,
                "colour": "red",
            },
        )
    assert set(exc.value.errors) == {
        "area_ids",
        "ended_on",
        "tied_to_raw_material_area",
        "colour",
    }
    db.session.rollback()
    db.session.expire_all()
    row = db.session.get(LinkageModel, model.id)
    assert (row.name, row.partner_organization_ids, row.ended_on) == (
        "Liên kết bưởi Đoan Hùng",
        [world.org_b.id],
        None,
    )
    assert counts(db.session) == before


def test_only_the_admin_moves_the_lead(db, world, make_model):
    model = make_model(partner_organization_ids=[], area_ids=[])
    with pytest.raises(ValidationError) as exc:
        services.update_model(
            db.session, actor=world.member_a, model_id=model.id, changes={"lead_organization_id": world.org_b.id}
        )
    assert list(exc.value.errors) == ["lead_organization_id"]
    db.session.rollback()
    # Sending the lead it already has is no change.
    services.update_model(
        db.session, actor=world.member_a, model_id=model.id, changes={"lead_organization_id": world.org_a.id}
    )
    assert db.session.get(LinkageModel, model.id).lead_organization_id == world.org_a.id


def test_admin_moves_the_lead(db, world, make_model):
    model = make_model()
    with pytest.raises(ValidationError) as exc:
        services.update_model(
            db.session, actor=world.admin, model_id=model.id, changes={"lead_organization_id": world.org_b.id}
        )
    assert list(exc.value.errors) == ["partner_organization_ids"]  # org_b would be its own partner
    db.session.rollback()
    services.update_model(
        db.session,
        actor=world.admin,
        model_id=model.id,
        changes={"lead_organization_id": world.org_b.id, "partner_organization_ids": [world.org_a.id]},
    )
    db.session.commit()
    db.session.expire_all()
    row = db.session.get(LinkageModel, model.id)
    assert (row.lead_organization_id, row.partner_organization_ids) == (world.org_b.id, [world.org_a.id])


# ---------------------------------------------------------------- list filters


def test_filters(db, world, make_model, outsider):
    world.area_b.status = CodeStatus.SUSPENDED
    db.session.commit()
    tied = make_model(name="Có vùng")
    untied = make_model(name="Không vùng", area_ids=[world.area_b.id], commune_codes=["00070"], crop="banana")
    bare = make_model(name="Trống", area_ids=[], commune_codes=[])

    def ids(**filters):
        return [m.id for m in services.list_models(db.session, actor=world.auditor, **filters).items]

    assert ids() == [bare.id, untied.id, tied.id]
    assert ids(tied="yes") == [tied.id]
    assert ids(tied="no") == [bare.id, untied.id]
    assert ids(province="01") == [untied.id]
    assert ids(province="25") == [tied.id]
    assert ids(commune="07996") == [tied.id]
    assert ids(commune="Hoàn Kiếm") == [untied.id]
    assert ids(province="25", commune="chi dam") == [tied.id]
    assert ids(crop="banana") == [untied.id]
    assert ids(crop="pomelo", tied="yes") == [tied.id]
    page = services.list_models(db.session, actor=world.auditor, page=2, per_page=2)
    assert ([m.id for m in page.items], page.total, page.pages) == ([tied.id], 3, 2)


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"province": "99"}, "province"),
        ({"commune": "zzzz"}, "commune"),
        ({"crop": "opium"}, "crop"),
        ({"tied": "maybe"}, "tied"),
    ],
)
def test_unknown_filter_values_are_named(db, world, filters, field):
    with pytest.raises(ValidationError) as exc:
        services.list_models(db.session, actor=world.auditor, **filters)
    assert list(exc.value.errors) == [field]
