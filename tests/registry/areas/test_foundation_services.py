from decimal import Decimal

import pytest
import sqlalchemy as sa

from registry.areas import services
from registry.areas.models import GrowingArea
from registry.core.errors import Conflict, Forbidden, NotFound, ValidationError
from registry.lifecycle.models import CodeStatus as AreaStatus
from registry.products import services as product_services
from tests.factories import AreaFactory


def test_area_starts_pending_and_activation_issues_a_structured_code(db, world):
    area = services.create_area(
        db.session, actor=world.member_a, name="  Vùng bưởi mới ", kind="domestic", crop="pomelo",
        area_ha="3.5", commune_code="7999",
    )  # fmt: skip
    assert area.status == AreaStatus.PENDING and area.code is None
    assert area.name == "Vùng bưởi mới"
    assert area.organization_id == world.org_a.id
    services.change_area_status(db.session, actor=world.auditor, area_id=area.id, status="active")
    assert area.status == AreaStatus.ACTIVE
    assert area.code.startswith("VN-25-07999-")
    assert [(h.from_status, h.to_status) for h in area.history] == [
        (None, AreaStatus.PENDING),
        (AreaStatus.PENDING, AreaStatus.ACTIVE),
    ]
    assert area.history[-1].actor_id == world.auditor.id


def test_issued_serials_increase_per_commune(db, world):
    first = AreaFactory(organization=world.org_a, code=None, status=AreaStatus.PENDING, commune_code="08152")
    second = AreaFactory(organization=world.org_a, code=None, status=AreaStatus.PENDING, commune_code="08152")
    for area in (first, second):
        services.change_area_status(db.session, actor=world.auditor, area_id=area.id, status="active")
    assert (first.code, second.code) == ("VN-25-08152-001", "VN-25-08152-002")


def test_vietnamese_text_is_normalised_to_nfc(db, world):
    decomposed = "Vu\u0300ng bu\u031bo\u031b\u0309i"  # "Vùng bưởi" typed as combining marks
    area = services.create_area(
        db.session,
        actor=world.member_a,
        name=decomposed,
        kind="domestic",
        crop="pomelo",
        area_ha="2",
        commune_code="07999",
    )
    assert area.name == "Vùng bưởi"


def test_lifecycle_rules(db, world):
    area = world.area_a
    with pytest.raises(ValidationError) as exc:
        services.change_area_status(db.session, actor=world.auditor, area_id=area.id, status="suspended")
    assert "reason" in exc.value.errors
    services.change_area_status(
        db.session, actor=world.auditor, area_id=area.id, status="suspended", reason="Sâu đục quả"
    )
    services.change_area_status(db.session, actor=world.auditor, area_id=area.id, status="active")
    services.change_area_status(db.session, actor=world.auditor, area_id=area.id, status="revoked", reason="Vi phạm")
    with pytest.raises(Conflict):
        services.change_area_status(db.session, actor=world.auditor, area_id=area.id, status="active")
    assert [h.to_status for h in area.history][-3:] == [AreaStatus.SUSPENDED, AreaStatus.ACTIVE, AreaStatus.REVOKED]


def test_members_cannot_change_status(db, world):
    with pytest.raises(Forbidden):
        services.change_area_status(
            db.session, actor=world.member_a, area_id=world.area_a.id, status="suspended", reason="x"
        )


def test_minimum_scale_per_crop(db, world):
    kwargs = dict(actor=world.member_a, name="Nhỏ", kind="domestic", commune_code="07999")
    with pytest.raises(ValidationError) as exc:
        services.create_area(db.session, crop="pomelo", area_ha="0.5", **kwargs)
    assert "area_ha" in exc.value.errors
    area = services.create_area(db.session, crop="banana", area_ha="0.5", **kwargs)  # annual: 0.1 ha
    assert area.area_ha == Decimal("0.5")


def test_all_field_errors_are_reported_together(db, world):
    with pytest.raises(ValidationError) as exc:
        services.create_area(
            db.session, actor=world.member_a, name="", kind="abroad", crop="rubber", area_ha="-1", commune_code="99999"
        )
    assert set(exc.value.errors) == {"name", "kind", "crop", "area_ha", "commune_code"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GrowingArea)) == 2  # only the world's


def test_scope_hides_other_cooperatives(db, world):
    assert {a.id for a in services.list_areas(db.session, actor=world.member_a).items} == {world.area_a.id}
    assert services.list_areas(db.session, actor=world.auditor).total == 2
    with pytest.raises(NotFound):
        services.get_area(db.session, actor=world.member_a, area_id=world.area_b.id)
    with pytest.raises(NotFound):
        product_services.get_product(db.session, actor=world.member_a, product_id=world.product_b.id)
    with pytest.raises(Forbidden):
        product_services.create_product(
            db.session, actor=world.member_a, organization_id=world.org_b.id, name="x", crop="pomelo"
        )
