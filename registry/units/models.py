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
