"""Cooperatives and enterprises."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db
from registry.units.models import Commune


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
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    # The day a cooperative or enterprise was dissolved (giải thể), recorded by the department; it then stops
    # counting as an active cooperative of its commune (indicator KT-1).
    dissolved_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    commune: Mapped[Commune] = relationship(lazy="joined")

    def active_on(self, day: dt.date) -> bool:
        return self.dissolved_on is None or self.dissolved_on > day

    @property
    def organization_id(self) -> int:
        """An organization is its own owner, for the shared scope rules."""
        return self.id
