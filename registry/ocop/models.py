"""OCOP evaluations (scored by the provincial council) and the certificates a decision issues from them."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db
from registry.lifecycle.models import ValidityMixin
from registry.products.models import Product

# Part A (production and community) 40, part B (product development) 25, part C (quality and market) 35.
MAX_A, MAX_B, MAX_C = 40, 25, 35


class OcopLevel(enum.StrEnum):
    PROVINCE = "province"  # 3 and 4 stars: the provincial People's Committee decides
    MINISTRY = "ministry"  # 5 stars: recognised at national level


class OcopEvaluation(db.Model):
    __tablename__ = "ocop_evaluation"
    __table_args__ = (
        sa.CheckConstraint(f"score_a BETWEEN 0 AND {MAX_A}", name="score_a_range"),
        sa.CheckConstraint(f"score_b BETWEEN 0 AND {MAX_B}", name="score_b_range"),
        sa.CheckConstraint(f"score_c BETWEEN 0 AND {MAX_C}", name="score_c_range"),
        sa.CheckConstraint("total = score_a + score_b + score_c", name="total_is_sum"),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"), index=True)
    group: Mapped[str] = mapped_column(sa.String(2))
    subgroup: Mapped[str] = mapped_column(sa.String(4))
    score_a: Mapped[int] = mapped_column(sa.SmallInteger)
    score_b: Mapped[int] = mapped_column(sa.SmallInteger)
    score_c: Mapped[int] = mapped_column(sa.SmallInteger)
    total: Mapped[int] = mapped_column(sa.SmallInteger)
    # Computed by registry.ocop.services.stars_for from the total; never typed in.
    stars: Mapped[int] = mapped_column(sa.SmallInteger)
    council: Mapped[str | None] = mapped_column(sa.Text)
    evaluated_on: Mapped[dt.date] = mapped_column(sa.Date, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    product: Mapped[Product] = relationship(lazy="joined")


class OcopCertificate(ValidityMixin, db.Model):
    """issued_on is the decision date; expires_on is 36 calendar months later."""

    __tablename__ = "ocop_certificate"
    __table_args__ = (
        sa.CheckConstraint("expires_on >= issued_on", name="expires_after_issue"),
        sa.CheckConstraint(
            "(stars = 5 AND level = 'ministry') OR (stars IN (3, 4) AND level = 'province')", name="level_fits_stars"
        ),
        sa.UniqueConstraint("product_id", "decision_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"), index=True)
    evaluation_id: Mapped[int] = mapped_column(sa.ForeignKey("ocop_evaluation.id"), index=True)
    stars: Mapped[int] = mapped_column(sa.SmallInteger)
    decision_number: Mapped[str] = mapped_column(sa.String(100))
    level: Mapped[OcopLevel] = mapped_column(enum_column(OcopLevel, "ocop_level"))
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The decision date is the issue date: one column, two names.
    decided_on: Mapped[dt.date] = synonym("issued_on")

    product: Mapped[Product] = relationship(lazy="joined")
    evaluation: Mapped[OcopEvaluation] = relationship()
