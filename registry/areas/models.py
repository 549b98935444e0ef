"""Growing areas (mã số vùng trồng) and their record: households, GAP certificates and seasons.

Status history and inspections are the shared lifecycle's (registry.lifecycle); the relationships to them
are declared here, on the higher side.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.lifecycle.models import CodedMixin, Inspection, StatusChange, ValidityMixin
from registry.organizations.models import Organization
from registry.units.models import Commune


class AreaKind(enum.StrEnum):
    DOMESTIC = "domestic"
    EXPORT = "export"


class GrowingArea(CodedMixin, db.Model):
    """A growing area and its code. The code is kept exactly as issued."""

    __tablename__ = "growing_area"
    __table_args__ = (sa.CheckConstraint("area_ha > 0", name="area_ha_positive"),)
    SUBJECT_COLUMN = "growing_area_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[AreaKind] = mapped_column(enum_column(AreaKind, "area_kind"))
    crop: Mapped[str] = mapped_column(sa.String(30), index=True)
    variety: Mapped[str | None] = mapped_column(sa.String(100))
    area_ha: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))
    commune_code: Mapped[str] = mapped_column(sa.ForeignKey("commune.code"), index=True)
    # Place as written on a code issued before the 2025 reform; never rewritten.
    legacy_place: Mapped[str | None] = mapped_column(sa.String(300))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # Households as declared on the application; the list below is private to the owner and the department.
    household_count: Mapped[int | None] = mapped_column(sa.Integer)
    planting_year: Mapped[int | None] = mapped_column(sa.SmallInteger)
    seed_origin: Mapped[str | None] = mapped_column(sa.String(300))
    average_yield_t: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))
    expected_yield_t: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))
    # GeoJSON Polygon or MultiPolygon in WGS 84, and the hectares computed from it when it was saved.
    geometry: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    geometry_ha: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 4))
    gps_lat: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    gps_lon: Mapped[Decimal | None] = mapped_column(sa.Numeric(9, 6))
    # Export codes: ISO 3166 alpha-2 markets (and EU) for which the importing country approved the code.
    markets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    commune: Mapped[Commune] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")
    history: Mapped[list[StatusChange]] = relationship(order_by=StatusChange.id, viewonly=True)
    inspections: Mapped[list[Inspection]] = relationship(
        order_by=(Inspection.inspected_on.desc(), Inspection.id.desc()), viewonly=True
    )
    households: Mapped[list[Household]] = relationship(
        back_populates="area", order_by="Household.id", cascade="all, delete-orphan"
    )
    certificates: Mapped[list[GapCertificate]] = relationship(
        back_populates="area", order_by="GapCertificate.expires_on.desc()", cascade="all, delete-orphan"
    )
    seasons: Mapped[list[Season]] = relationship(
        back_populates="area", order_by="Season.harvest_from.desc()", cascade="all, delete-orphan"
    )

    def issue_prefix(self) -> str:
        return f"VN-{self.commune.province_code}-{self.commune_code}-"

    def held_by_label(self) -> str:
        """How a code clash names this holder to the department (never to a member)."""
        return str(_l("the growing area %(name)s of %(org)s", name=self.name, org=self.organization.name))


class Household(db.Model):
    """A household farming part of an area. Private: never on a public page or public JSON."""

    __tablename__ = "household"
    __table_args__ = (sa.CheckConstraint("plot_ha > 0", name="plot_ha_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    growing_area_id: Mapped[int] = mapped_column(sa.ForeignKey("growing_area.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    plot_ha: Mapped[Decimal] = mapped_column(sa.Numeric(12, 4))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[GrowingArea] = relationship(back_populates="households")


class GapScheme(enum.StrEnum):
    VIETGAP = "vietgap"
    GLOBALGAP = "globalgap"
    ORGANIC = "organic"


class GapCertificate(ValidityMixin, db.Model):
    __tablename__ = "gap_certificate"
    __table_args__ = (sa.CheckConstraint("expires_on >= issued_on", name="expires_after_issue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    growing_area_id: Mapped[int] = mapped_column(sa.ForeignKey("growing_area.id"), index=True)
    scheme: Mapped[GapScheme] = mapped_column(enum_column(GapScheme, "gap_scheme"))
    number: Mapped[str] = mapped_column(sa.String(100))
    issuer: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[GrowingArea] = relationship(back_populates="certificates")


class Season(db.Model):
    __tablename__ = "season"
    __table_args__ = (sa.CheckConstraint("harvest_to >= harvest_from", name="window_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    growing_area_id: Mapped[int] = mapped_column(sa.ForeignKey("growing_area.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    harvest_from: Mapped[dt.date] = mapped_column(sa.Date)
    harvest_to: Mapped[dt.date] = mapped_column(sa.Date)
    target_market: Mapped[str | None] = mapped_column(sa.String(100))
    actual_yield_t: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    area: Mapped[GrowingArea] = relationship(back_populates="seasons")
