"""Harvest lots."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db
from registry.packing.models import PackingHouse
from registry.products.models import Product


class Unit(enum.StrEnum):
    """Stored as UN/ECE Recommendation 20 codes, as EPCIS quantity lists need them."""

    KGM = "KGM"  # kilogram
    TNE = "TNE"  # tonne
    H87 = "H87"  # piece


class LotOrigin(enum.StrEnum):
    HARVEST = "harvest"  # picked from a growing area
    SPLIT = "split"  # a part of one lot
    MERGE = "merge"  # several lots of one product put together
    TRANSFORM = "transform"  # made from other lots (fresh tea leaves into dried tea)
    RECEIVE = "receive"  # what another organization shipped


class Lot(db.Model):
    __tablename__ = "lot"
    __table_args__ = (
        # A person reading a label cannot tell DH-01 from dh-01: one product never has both.
        sa.UniqueConstraint("product_id", "code_key"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        # The indicators count lots by area or organization and harvest month.
        sa.Index("ix_lot_area_harvest", "growing_area_id", "harvest_date"),
        sa.Index("ix_lot_organization_harvest", "organization_id", "harvest_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # GS1 AI 10: up to 20 characters of CSET 82, compared case-sensitively.
    code: Mapped[str] = mapped_column(sa.String(20))
    # The code upper-cased, for the case-blind uniqueness above.
    code_key: Mapped[str] = mapped_column(sa.String(20))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"), index=True)
    # The area it was harvested from. A split or a receipt keeps its parent's; a merge or a transformation of
    # lots from several areas has none, and its lineage names them.
    growing_area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("growing_area.id"))
    origin: Mapped[LotOrigin] = mapped_column(
        enum_column(LotOrigin, "lot_origin"), default=LotOrigin.HARVEST, server_default=LotOrigin.HARVEST.value
    )
    packing_house_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packing_house.id"), index=True)
    # Denormalised from the product so that a member's lot list is one indexed filter.
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    harvest_date: Mapped[dt.date] = mapped_column(sa.Date)
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(14, 3))
    unit: Mapped[Unit] = mapped_column(enum_column(Unit, "unit"))
    # Unguessable key of the short label link /l/<token> for products without a GTIN.
    public_token: Mapped[str] = mapped_column(sa.String(22), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)
    # A lot whose label is printed is never deleted or re-coded; it is voided with a reason.
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    voided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # Harvested inside a spray's pre-harvest interval, allowed by the department with a reason: flagged
    # wherever the lot shows.
    phi_override_reason: Mapped[str | None] = mapped_column(sa.Text)
    phi_override_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    # The open recall that reaches this lot, kept here by trace.recall so that a scan reads it with the lot.
    open_recall_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)

    product: Mapped[Product] = relationship(lazy="joined")
    growing_area: Mapped[GrowingArea | None] = relationship(lazy="joined")
    packing_house: Mapped[PackingHouse | None] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    voided_by: Mapped[User | None] = relationship(foreign_keys=[voided_by_id])
    phi_override_by: Mapped[User | None] = relationship(foreign_keys=[phi_override_by_id])

    @property
    def recalled(self) -> bool:
        return self.open_recall_id is not None


# lot_month, the roll-up the lot triggers keep, is declared with them.
from trace.lots.tally import LotMonth as LotMonth  # noqa: E402
