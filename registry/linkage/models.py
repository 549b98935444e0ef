"""Production-linkage models (mô hình liên kết sản xuất).

A lead enterprise or cooperative buys a key product from partner cooperatives and households, in some
communes, supplied by growing areas. Whether a model is *tied to a raw-material area* is never stored: it is
derived from the supplying areas' codes (registry.linkage.services.tied_to_raw_material_area).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.areas.models import GrowingArea
from registry.core.db import UTCDateTime, utcnow
from registry.core.extensions import db
from registry.organizations.models import Organization
from registry.units.models import Commune

linkage_partner = sa.Table(
    "linkage_partner",
    db.metadata,
    sa.Column("model_id", sa.ForeignKey("linkage_model.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organization.id"), primary_key=True, index=True),
)

linkage_commune = sa.Table(
    "linkage_commune",
    db.metadata,
    sa.Column("model_id", sa.ForeignKey("linkage_model.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("commune_code", sa.ForeignKey("commune.code"), primary_key=True, index=True),
)

linkage_area = sa.Table(
    "linkage_area",
    db.metadata,
    sa.Column("model_id", sa.ForeignKey("linkage_model.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("growing_area_id", sa.ForeignKey("growing_area.id"), primary_key=True, index=True),
)


class LinkageModel(db.Model):
    """A production-linkage model: the lead organization maintains it; partner organizations read it."""

    __tablename__ = "linkage_model"
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="period_in_order"),
        sa.CheckConstraint("partner_households IS NULL OR partner_households >= 0", name="households_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    lead_organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    # A code from registry.products.crops.CROPS.
    crop: Mapped[str] = mapped_column(sa.String(30), index=True)
    # Households selling to the model, as declared by the lead organization.
    partner_households: Mapped[int | None] = mapped_column(sa.Integer)
    started_on: Mapped[dt.date] = mapped_column(sa.Date)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    lead_organization: Mapped[Organization] = relationship(lazy="joined")
    partners: Mapped[list[Organization]] = relationship(
        secondary=linkage_partner, order_by=Organization.name, lazy="selectin"
    )
    communes: Mapped[list[Commune]] = relationship(secondary=linkage_commune, order_by=Commune.code, lazy="selectin")
    areas: Mapped[list[GrowingArea]] = relationship(secondary=linkage_area, order_by=GrowingArea.id, lazy="selectin")

    @property
    def partner_organization_ids(self) -> list[int]:
        return [o.id for o in self.partners]

    @property
    def commune_codes(self) -> list[str]:
        return [c.code for c in self.communes]

    @property
    def area_ids(self) -> list[int]:
        return [a.id for a in self.areas]

    @property
    def organization_ids(self) -> set[int]:
        """The lead and its partners: the organizations whose members see the model."""
        return {self.lead_organization_id, *self.partner_organization_ids}
