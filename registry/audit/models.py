"""audit_entry: one row per change to one record, append-only, chained by SHA-256."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.db import UTCDateTime
from registry.core.extensions import db


class AuditEntry(db.Model):
    """``seq`` numbers the chain from 1 with no gap; ``hash`` covers every other field and ``prev_hash``.

    ``before``/``after`` hold canonical JSON text (registry.audit.values): the exact bytes the hash covers.
    Append-only: the ORM refuses to update or delete an entry (see capture.py); only the writer in chain.py
    inserts them, under a lock.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (sa.Index("ix_audit_entry_record", "record_type", "record_id", "seq"),)

    seq: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(sa.Integer)  # no FK: the trail outlives accounts
    actor_role: Mapped[str] = mapped_column(sa.String(16))  # member, auditor, admin, anonymous, cli, system
    actor_name: Mapped[str | None] = mapped_column(sa.String(200))
    record_type: Mapped[str] = mapped_column(sa.String(64))  # the table's name
    record_id: Mapped[str] = mapped_column(sa.String(200))  # its primary key; "a/b" for a composite key
    action: Mapped[str] = mapped_column(sa.String(16))  # create, update, delete, baseline
    before: Mapped[str | None] = mapped_column(sa.Text)
    after: Mapped[str | None] = mapped_column(sa.Text)
    request_id: Mapped[str | None] = mapped_column(sa.String(64))
    method: Mapped[str | None] = mapped_column(sa.String(10))  # HTTP method, or CLI
    path: Mapped[str | None] = mapped_column(sa.String(1000))  # request path, or the command line
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
