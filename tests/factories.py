"""factory-boy factories bound to the app's session, and a small two-cooperative world."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from registry.accounts.models import User
from registry.areas.models import AreaKind, GrowingArea
from registry.core.auth import Role
from registry.core.extensions import db
from registry.core.validators import gs1_check_digit
from registry.lifecycle.models import CodeStatus
from registry.organizations.models import Organization, OrganizationKind
from registry.products.models import Product

PASSWORD = "correct-horse-42"
_HASH = generate_password_hash(PASSWORD)  # hashing is slow on purpose; do it once


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class OrganizationFactory(Base):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    kind = OrganizationKind.COOPERATIVE
    tax_code = factory.Sequence(lambda n: f"26{n:08d}")
    commune_code = "07999"  # Chí Đám, Phú Thọ


def gtin_for(n: int) -> str:
    payload = f"0952012{n:06d}"
    return payload + str(gs1_check_digit(payload))


class AreaFactory(Base):
    class Meta:
        model = GrowingArea

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"VN-25-07999-{n + 100:03d}")
    name = factory.Sequence(lambda n: f"Vùng bưởi {n}")
    kind = AreaKind.DOMESTIC
    status = CodeStatus.ACTIVE
    crop = "pomelo"
    variety = "Bưởi Sửu"
    area_ha = Decimal("12.5")
    commune_code = "07999"


class ProductFactory(Base):
    class Meta:
        model = Product

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Bưởi Đoan Hùng {n}")
    crop = "pomelo"
    gtin = factory.Sequence(gtin_for)


class UserFactory(Base):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    password_hash = _HASH
    role = Role.MEMBER
    organization = factory.SubFactory(OrganizationFactory)


@dataclass
class World:
    org_a: Organization
    org_b: Organization
    area_a: GrowingArea
    area_b: GrowingArea
    product_a: Product
    product_a_no_gtin: Product
    product_b: Product
    member_a: User
    member_b: User
    auditor: User
    admin: User


def build_world(session) -> World:
    org_a = OrganizationFactory(name="HTX Bưởi Chí Đám")
    org_b = OrganizationFactory(name="HTX Bưởi Bằng Luân", commune_code="07996")
    world = World(
        org_a=org_a,
        org_b=org_b,
        area_a=AreaFactory(organization=org_a),
        area_b=AreaFactory(organization=org_b, commune_code="07996"),
        product_a=ProductFactory(organization=org_a),
        product_a_no_gtin=ProductFactory(organization=org_a, gtin=None, name="Bưởi chưa có mã vạch"),
        product_b=ProductFactory(organization=org_b),
        member_a=UserFactory(organization=org_a, email="a@test.example"),
        member_b=UserFactory(organization=org_b, email="b@test.example"),
        auditor=UserFactory(role=Role.AUDITOR, organization=None, email="auditor@test.example"),
        admin=UserFactory(role=Role.ADMIN, organization=None, email="admin@test.example"),
    )
    session.flush()
    return world
