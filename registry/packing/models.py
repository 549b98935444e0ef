"""Packing houses (mã số cơ sở đóng gói): the facilities lots pass through, on the same lifecycle as areas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.core.extensions import db
from registry.core.i18n import _l
from registry.lifecycle.models import CodedMixin, Inspection, StatusChange
from registry.organizations.models import Organization
from registry.units.models import Commune


class PackingHouse(CodedMixin, db.Model):
    __tablename__ = "packing_house"
    __table_args__ = (
        sa.CheckConstraint("capacity_t_per_day IS NULL OR capacity_t_per_day > 0", name="capacity_positive"),
    )
    SUBJECT_COLUMN = "packing_house_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    commune_code: Mapped[str] = mapped_column(sa.ForeignKey("commune.code"), index=True)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    legacy_place: Mapped[str | None] = mapped_column(sa.String(300))
    # Tonnes a day the facility can pack.
    capacity_t_per_day: Mapped[Decimal | None] = mapped_column(sa.Numeric(10, 2))
    markets: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    commune: Mapped[Commune] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")
    history: Mapped[list[StatusChange]] = relationship(order_by=StatusChange.id, viewonly=True)
    inspections: Mapped[list[Inspection]] = relationship(
        order_by=(Inspection.inspected_on.desc(), Inspection.id.desc()), viewonly=True
    )

    def issue_prefix(self) -> str:
        return f"VN-{self.commune.province_code}-{self.commune_code}-DG"

    def held_by_label(self) -> str:
        """How a code clash names this holder to the department (never to a member)."""
        return str(_l("the packing house %(name)s of %(org)s", name=self.name, org=self.organization.name))
