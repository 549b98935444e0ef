"""Scans of public pages, their daily roll-up, and the alerts they raise.

A scan stores what was scanned, when, the page's language and a coarse device class. No IP address is stored:
``place`` is a short hash of the requester's network (an IPv4 /16 or IPv6 /32) salted with a key that changes
every day, so it can tell that scans came from many places at once, but not from where, nor link days together.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.db import UTCDateTime, enum_column, utcnow
from registry.core.extensions import db
from trace.lots.models import Lot

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class ScanLink(enum.StrEnum):
    DIGITAL_LINK = "dl"  # /01/{gtin}/10/{lot}
    SHORT = "short"  # /l/{token}
    PRODUCT = "product"  # /01/{gtin}


class Device(enum.StrEnum):
    MOBILE = "mobile"
    TABLET = "tablet"
    DESKTOP = "desktop"
    BOT = "bot"
    OTHER = "other"


class AlertKind(enum.StrEnum):
    OVER_UNITS = "over_units"  # more scans of a lot than it has units
    BURST = "burst"  # many scans of one lot in a short time
    MANY_PLACES = "many_places"  # scans of one lot from many places at once
    UNKNOWN_SERIAL = "unknown_serial"  # a serial the cooperative never issued, under a real lot
    SERIAL_OVERSCANNED = "serial_overscanned"  # one stamp scanned more than SERIAL_SCAN_LIMIT times
    VOID_SERIAL_SCANNED = "void_serial_scanned"  # a voided stamp scanned


class Scan(db.Model):
    __tablename__ = "scan"
    __table_args__ = (
        # The one index a write pays for: the alerts count a lot's recent scans. Summaries read scan_day.
        sa.Index("ix_scan_lot_time", "lot_id", "scanned_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scanned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    link: Mapped[ScanLink] = mapped_column(enum_column(ScanLink, "scan_link"))
    # No foreign keys: the log is only ever appended to, from lots and products that are never deleted, and a
    # constraint would cost three lookups for every scan written.
    lot_id: Mapped[int | None] = mapped_column(sa.Integer)
    product_id: Mapped[int] = mapped_column(sa.Integer)
    organization_id: Mapped[int] = mapped_column(sa.Integer)
    province_code: Mapped[str | None] = mapped_column(sa.String(2))
    lang: Mapped[str] = mapped_column(sa.String(5))
    device: Mapped[Device] = mapped_column(enum_column(Device, "scan_device"))
    place: Mapped[str | None] = mapped_column(sa.String(12))
    serial: Mapped[str | None] = mapped_column(sa.String(20))  # the stamp's serial (/21/), as scanned


class ScanDay(db.Model):
    """Scans per Vietnam day, lot and product, kept up to date as scans are written; lot_id 0 is the product page."""

    __tablename__ = "scan_day"
    __table_args__ = (
        sa.UniqueConstraint("day", "product_id", "lot_id", name="uq_scan_day"),
        sa.Index("ix_scan_day_lot", "lot_id", "day"),
        sa.Index("ix_scan_day_organization", "organization_id", "day"),
        sa.Index("ix_scan_day_province", "province_code", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[dt.date] = mapped_column(sa.Date)
    product_id: Mapped[int] = mapped_column(sa.Integer, index=True)
    lot_id: Mapped[int] = mapped_column(sa.Integer)
    organization_id: Mapped[int] = mapped_column(sa.Integer)
    province_code: Mapped[str | None] = mapped_column(sa.String(2))
    scans: Mapped[int] = mapped_column(sa.Integer)


class ScanMonth(db.Model):
    """Scans per Vietnam month (its first day), organization and province, kept up to date with scan_day.

    The indicators' monthly figures read this: a province's year is a few hundred rows, however many scans."""

    __tablename__ = "scan_month"
    __table_args__ = (
        sa.UniqueConstraint("month", "organization_id", "province_code", name="uq_scan_month"),
        sa.Index("ix_scan_month_province", "province_code", "month"),
        sa.Index("ix_scan_month_organization", "organization_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(sa.Date)
    organization_id: Mapped[int] = mapped_column(sa.Integer)
    # "" when the lot's province is unknown, so that the unique key holds (NULLs would never clash).
    province_code: Mapped[str] = mapped_column(sa.String(2))
    scans: Mapped[int] = mapped_column(sa.BigInteger)


class ScanAlert(db.Model):
    """Raised when scans are written; one per lot, kind and window, so a long burst is one alert, not hundreds."""

    __tablename__ = "scan_alert"
    __table_args__ = (
        sa.UniqueConstraint("lot_id", "kind", "window_key", name="uq_scan_alert"),
        sa.Index("ix_scan_alert_organization", "organization_id", "detected_at"),
        sa.Index("ix_scan_alert_province", "province_code", "detected_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AlertKind] = mapped_column(enum_column(AlertKind, "scan_alert_kind"))
    lot_id: Mapped[int] = mapped_column(sa.ForeignKey("lot.id"))
    product_id: Mapped[int] = mapped_column(sa.Integer)
    organization_id: Mapped[int] = mapped_column(sa.Integer)
    province_code: Mapped[str | None] = mapped_column(sa.String(2))
    window_key: Mapped[str] = mapped_column(sa.String(40))
    window_start: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    scans: Mapped[int] = mapped_column(sa.Integer)
    places: Mapped[int | None] = mapped_column(sa.Integer)
    serial: Mapped[str | None] = mapped_column(sa.String(20))
    threshold: Mapped[int] = mapped_column(sa.Integer)
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    lot: Mapped[Lot] = relationship(lazy="joined", innerjoin=True)
