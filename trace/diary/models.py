"""The production diary (nhật ký sản xuất) of a growing area: sprays, fertilising, irrigation and other work."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.accounts.models import User
from registry.areas.models import GrowingArea
from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db

MAX_PHI_DAYS = 365


class DiaryKind(enum.StrEnum):
    SPRAY = "spray"  # a plant-protection product: starts its pre-harvest interval
    FERTILIZE = "fertilize"
    IRRIGATE = "irrigate"
    PRUNE = "prune"
    BAG = "bag"  # bagging fruit
    OTHER = "other"


class DiaryEntry(db.Model):
    __tablename__ = "diary_entry"
    __table_args__ = (
        sa.CheckConstraint(f"phi_days IS NULL OR phi_days BETWEEN 0 AND {MAX_PHI_DAYS}", name="phi_days_range"),
        # A spray without its product and pre-harvest interval could not protect a harvest.
        sa.CheckConstraint(
            "kind <> 'spray' OR (input_name IS NOT NULL AND phi_days IS NOT NULL)", name="spray_has_input_and_phi"
        ),
        sa.Index("ix_diary_entry_area_done_on", "growing_area_id", "done_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    growing_area_id: Mapped[int] = mapped_column(sa.ForeignKey("growing_area.id"))
    kind: Mapped[DiaryKind] = mapped_column(enum_column(DiaryKind, "diary_kind"))
    # The day the work was done (the API calls it "date").
    done_on: Mapped[dt.date] = mapped_column(sa.Date)
    # Who did the work: a person's or a team's name, as the diary on paper has it.
    performed_by: Mapped[str | None] = mapped_column(sa.String(200))
    input_name: Mapped[str | None] = mapped_column(sa.String(200))
    active_ingredient: Mapped[str | None] = mapped_column(sa.String(200))
    dose: Mapped[str | None] = mapped_column(sa.String(100))
    phi_days: Mapped[int | None] = mapped_column(sa.SmallInteger)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    growing_area: Mapped[GrowingArea] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    @property
    def safe_from(self) -> dt.date | None:
        """The first day a harvest is safe after this spray: the spray day plus the pre-harvest interval."""
        if self.kind != DiaryKind.SPRAY or self.phi_days is None:
            return None
        return self.done_on + dt.timedelta(days=self.phi_days)
