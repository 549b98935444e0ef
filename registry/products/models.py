"""Products and their GTINs."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, utcnow
from registry.core.extensions import db
from registry.organizations.models import Organization


class Product(db.Model):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    crop: Mapped[str] = mapped_column(sa.String(30))
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    gtin: Mapped[str | None] = mapped_column(sa.String(14), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")
