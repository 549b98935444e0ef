"""Declarative base, naming convention, time helpers and pagination shared by every package."""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.TypeDecorator):
    """Timezone-aware UTC on every backend (SQLite drops the offset on its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored; use registry.db.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """Store an enum by its value, as VARCHAR plus a CHECK constraint on every backend."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(session: Session, stmt: sa.Select[Any], *, page: int, per_page: int) -> Page[Any]:
    page = max(1, page)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, total=total or 0, page=page, per_page=per_page)


VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _now() -> dt.datetime:
    """The wall clock every date rule reads. Tests replace it to move the whole app to another day."""
    return dt.datetime.now(dt.UTC)


def today_in_vietnam() -> dt.date:
    """The calendar date in Viet Nam: what 'today' means for a harvest, an expiry or a deadline."""
    return _now().astimezone(VN_TZ).date()


def connection_lost(exc: Exception) -> bool:
    """No connection, or one that broke: SQLAlchemy saw a disconnect, the driver could not connect (no SQLSTATE),
    or the server said so (08xxx connection exceptions, 57P0x shutdowns)."""
    if isinstance(exc, sa.exc.TimeoutError):
        return False  # every pooled connection is busy: the database is there
    if getattr(exc, "connection_invalidated", False) or isinstance(exc, sa.exc.InterfaceError):
        return True
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(("08", "57P"))
