"""Recalls (thu hồi): opened on a lot with a reason, reaching every lot downstream of it, closed with a note."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.core.db import UTCDateTime, utcnow
from registry.core.extensions import db
from trace.lots.models import Lot


class Recall(db.Model):
    __tablename__ = "recall"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    close_note: Mapped[str | None] = mapped_column(sa.Text)

    lot: Mapped[Lot] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])


class RecalledLot(db.Model):
    """A lot a recall reaches: the recalled lot itself (depth 0) and every lot downstream of it.

    Written when the recall opens, so that a scan finds it with one indexed probe; a lot under an open recall
    cannot be split, merged, transformed or shipped, so the set cannot grow behind the recall's back.
    """

    __tablename__ = "recalled_lot"
    __table_args__ = (sa.Index("ix_recalled_lot_lot", "lot_id", "recall_id"),)

    recall_id: Mapped[int] = mapped_column(sa.ForeignKey("recall.id", ondelete="CASCADE"), primary_key=True)
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"), primary_key=True)
    depth: Mapped[int] = mapped_column(sa.SmallInteger)

    lot: Mapped[Lot] = relationship()
