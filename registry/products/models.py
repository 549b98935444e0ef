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
    # The trade name on the pack (nhãn hiệu); the public page shows the producer's name when it is empty.
    brand: Mapped[str | None] = mapped_column(sa.String(100))
    # Days a lot keeps from its harvest (hạn sử dụng); the public page shows the date it runs to.
    shelf_life_days: Mapped[int | None] = mapped_column(sa.SmallInteger)
    # The stored image's content hash (its file name); the bytes are in product_image.
    image_key: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(lazy="joined")


class ProductImage(db.Model):
    """A product's photo, as the registry stores it: resized and re-encoded, never the uploaded file itself."""

    __tablename__ = "product_image"

    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32))
    mime: Mapped[str] = mapped_column(sa.String(30))
    width: Mapped[int] = mapped_column(sa.Integer)
    height: Mapped[int] = mapped_column(sa.Integer)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
