"""Serialised anti-counterfeit stamps (tem chống giả): each label of a lot carries its own unguessable serial."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime, utcnow
from registry.core.extensions import db

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Serial(db.Model):
    """One stamp. ``scans`` and ``first_scanned_at`` are kept by the scans' writer (qr.scans), not on the page."""

    __tablename__ = "serial"
    __table_args__ = (sa.UniqueConstraint("lot_id", "serial", name="uq_serial_lot_serial"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    serial: Mapped[str] = mapped_column(sa.String(20))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    first_scanned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    scans: Mapped[int] = mapped_column(sa.Integer, default=0)
