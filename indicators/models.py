"""The key products (nông sản chủ lực) each province names: what KT-2 and the key-crop share count."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime, utcnow
from registry.core.extensions import db


class KeyCrop(db.Model):
    """One key product of one province, set by the department (a crop code of registry.products.crops)."""

    __tablename__ = "key_crop"

    province_code: Mapped[str] = mapped_column(sa.ForeignKey("province.code"), primary_key=True)
    crop: Mapped[str] = mapped_column(sa.String(30), primary_key=True)
    set_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
