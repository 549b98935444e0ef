"""Registry models: administrative units, organizations, growing areas, products, users and API tokens."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.db import UTCDateTime, enum_column, utcnow
from registry.extensions import db


class Province(db.Model):
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    division_type: Mapped[str] = mapped_column(sa.String(30))

    communes: Mapped[list[Commune]] = relationship(back_populates="province", order_by="Commune.name")


class Commune(db.Model):
    """A commune, ward or special zone (xã, phường, đặc khu) after the July 2025 reform."""

    __tablename__ = "commune"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    division_type: Mapped[str] = mapped_column(sa.String(30))
    province_code: Mapped[str] = mapped_column(sa.ForeignKey("province.code"), index=True)

    province: Mapped[Province] = relationship(back_populates="communes", lazy="joined")

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.province.name}"


class OrganizationKind(enum.StrEnum):
    COOPERATIVE = "cooperative"
    ENTERPRISE = "enterprise"


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrganizationKind] = mapped_column(enum_column(OrganizationKind, "organization_kind"))
    tax_code: Mapped[str] = mapped_column(sa.String(14), unique=True)
    commune_code: Mapped[str] = mapped_column(sa.ForeignKey("commune.code"), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune: Mapped[Commune] = relationship(lazy="joined")


class AreaKind(enum.StrEnum):
    DOMESTIC = "domestic"
    EXPORT = "export"


class AreaStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


# pending -> active -> suspended <-> active -> revoked (final); a pending application may be refused.
AREA_TRANSITIONS: dict[AreaStatus, frozenset[AreaStatus]] = {
    AreaStatus.PENDING: frozenset({AreaStatus.ACTIVE, AreaStatus.REVOKED}),
    AreaStatus.ACTIVE: frozenset({AreaStatus.SUSPENDED, AreaStatus.REVOKED}),
    AreaStatus.SUSPENDED: frozenset({AreaStatus.ACTIVE, AreaStatus.REVOKED}),
    AreaStatus.REVOKED: frozenset(),
}


class GrowingArea(db.Model):
    """A growing area and its code (mã số vùng trồng). The code is kept exactly as issued."""

    __tablename__ = "growing_area"
    __table_args__ = (sa.CheckConstraint("area_ha > 0", name="area_ha_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Empty while an application is pending without a code; issued on activation.
    code: Mapped[str | None] = mapped_column(sa.String(43), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind, "area_kind"))
    status: Mapped[AreaStatus] = mapped_column(
        enum_column(AreaStatus, "area_status"), default=AreaStatus.PENDING, index=True
    )
    crop: Mapped[str] = mapped_column(sa.String(30), index=True)
    variety: Mapped[str | None] = mapped_column(sa.String(100))
    area_ha: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))
    commune_code: Mapped[str] = mapped_column(sa.ForeignKey("commune.code"), index=True)
    # Place as written on a code issued before the 2025 reform; never rewritten.
    legacy_place: Mapped[str | None] = mapped_column(sa.String(300))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    commune: Mapped[Commune] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")
    history: Mapped[list[AreaStatusChange]] = relationship(
        back_populates="area", order_by="AreaStatusChange.id", cascade="all, delete-orphan"
    )


class AreaStatusChange(db.Model):
    """Who changed an area's status, when and why. Rows are only ever added."""

    __tablename__ = "area_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("growing_area.id"), index=True)
    from_status: Mapped[AreaStatus | None] = mapped_column(enum_column(AreaStatus, "area_status_from"))
    to_status: Mapped[AreaStatus] = mapped_column(enum_column(AreaStatus, "area_status_to"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[GrowingArea] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


class Product(db.Model):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    crop: Mapped[str] = mapped_column(sa.String(30))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    gtin: Mapped[str | None] = mapped_column(sa.String(14), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")


class Role(enum.StrEnum):
    MEMBER = "member"  # works for one cooperative or enterprise
    AUDITOR = "auditor"  # provincial department
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    __table_args__ = (
        sa.CheckConstraint("(role = 'member') = (organization_id IS NOT NULL)", name="member_has_organization"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    organization_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    is_active_account: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_account

    @property
    def is_department(self) -> bool:
        return self.role in (Role.AUDITOR, Role.ADMIN)


class ApiToken(db.Model):
    """Only the SHA-256 of a token is stored; the token itself is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")
