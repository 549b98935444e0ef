"""Administrative units after the July 2025 reform: 34 provinces and 3,321 communes, no districts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.extensions import db


class Province(db.Model):
    __tablename__ = "province"

    code: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    division_type: Mapped[str] = mapped_column(sa.String(30))

    communes: Mapped[list[Commune]] = relationship(back_populates="province", order_by="Commune.name")


class Commune(db.Model):
    """A commune, ward or special zone (xã, phường, đặc khu) after the July 2025 reform."""

    __tablename__ = "commune"

    code: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    division_type: Mapped[str] = mapped_column(sa.String(30))
    province_code: Mapped[str] = mapped_column(sa.ForeignKey("province.code"), index=True)

    province: Mapped[Province] = relationship(back_populates="communes", lazy="joined")

    @property
    def full_name(self) -> str:
        return f"{self.name}, {self.province.name}"


class LegacyDistrict(db.Model):
    """A district (cấp huyện) as it stood before July 2025, kept only to report figures the old way.

    Loaded by the department from its own table (flask --app wsgi units load-legacy FILE); the registry never
    guesses it. A commune of today may come from communes of several old districts, so the mapping is many to many.
    """

    __tablename__ = "legacy_district"

    code: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    province_code: Mapped[str] = mapped_column(sa.ForeignKey("province.code"), index=True)


legacy_district_commune = sa.Table(
    "legacy_district_commune",
    db.metadata,
    sa.Column("district_code", sa.ForeignKey("legacy_district.code", ondelete="CASCADE"), primary_key=True),
    sa.Column("commune_code", sa.ForeignKey("commune.code"), primary_key=True, index=True),
)
