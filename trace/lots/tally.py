"""lot_month: lots per month of harvest, growing area and organization, kept by the database itself.

Triggers on ``lot`` keep it exact however a lot arrives (a page, the API, a split or merge, an import, COPY) and
whatever changes after (voided, re-dated, moved to another area): a voided lot is not counted. The indicators read
it instead of counting a million lots. ``area_key`` is the growing area's id, or 0 for a lot with no single area.

A future migration that makes Alembic recreate ``lot`` on SQLite (batch mode, "move and copy") drops its
triggers with it: such a migration calls ``create_triggers`` afterwards.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.extensions import db


class LotMonth(db.Model):
    __tablename__ = "lot_month"
    __table_args__ = (
        sa.UniqueConstraint("month", "area_key", "organization_id", name="uq_lot_month"),
        sa.Index("ix_lot_month_area", "area_key", "month"),
        sa.Index("ix_lot_month_organization", "organization_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date] = mapped_column(sa.Date)  # the first day of the month of harvest
    area_key: Mapped[int] = mapped_column(sa.Integer)
    organization_id: Mapped[int] = mapped_column(sa.Integer)
    lots: Mapped[int] = mapped_column(sa.Integer)


# The row function is migration 0008_indicators'; since 0012_lot_tally it runs on UPDATE and DELETE only, and
# INSERT is counted once per statement from its transition table (an import's COPY of 5,000 lots is one upsert
# per month, area and organization, instead of 5,000). The same statements are in migration 0012_lot_tally.
ROW_FUNCTION = """
CREATE OR REPLACE FUNCTION lot_month_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.voided_at IS NULL THEN
    UPDATE lot_month SET lots = lots - 1
     WHERE month = date_trunc('month', OLD.harvest_date)::date AND area_key = coalesce(OLD.growing_area_id, 0)
       AND organization_id = OLD.organization_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.voided_at IS NULL THEN
    INSERT INTO lot_month (month, area_key, organization_id, lots)
    VALUES (date_trunc('month', NEW.harvest_date)::date, coalesce(NEW.growing_area_id, 0), NEW.organization_id, 1)
    ON CONFLICT (month, area_key, organization_id) DO UPDATE SET lots = lot_month.lots + 1;
  END IF;
  RETURN NULL;
END $$
"""
# Grouped and ordered, so that two transactions inserting lots lock lot_month's rows in the same order.
STATEMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION lot_month_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO lot_month (month, area_key, organization_id, lots)
  SELECT date_trunc('month', harvest_date)::date, coalesce(growing_area_id, 0), organization_id, count(*)
    FROM new_lots WHERE voided_at IS NULL
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (month, area_key, organization_id) DO UPDATE SET lots = lot_month.lots + EXCLUDED.lots;
  RETURN NULL;
END $$
"""
POSTGRESQL = (
    ROW_FUNCTION,
    STATEMENT_FUNCTION,
    # PostgreSQL allows a transition table only on a trigger with one event and no column list: two triggers.
    "CREATE TRIGGER lot_month_keep AFTER DELETE OR UPDATE OF voided_at, harvest_date, growing_area_id, "
    "organization_id ON lot FOR EACH ROW EXECUTE FUNCTION lot_month_keep()",
    "CREATE TRIGGER lot_month_add AFTER INSERT ON lot REFERENCING NEW TABLE AS new_lots "
    "FOR EACH STATEMENT EXECUTE FUNCTION lot_month_add()",
)

_SQLITE_ADD = (
    "INSERT INTO lot_month (month, area_key, organization_id, lots) "
    "VALUES (strftime('%Y-%m-01', NEW.harvest_date), coalesce(NEW.growing_area_id, 0), NEW.organization_id, 1) "
    "ON CONFLICT (month, area_key, organization_id) DO UPDATE SET lots = lots + 1;"
)
_SQLITE_REMOVE = (
    "UPDATE lot_month SET lots = lots - 1 WHERE month = strftime('%Y-%m-01', OLD.harvest_date) "
    "AND area_key = coalesce(OLD.growing_area_id, 0) AND organization_id = OLD.organization_id;"
)
SQLITE = (
    f"CREATE TRIGGER lot_month_insert AFTER INSERT ON lot WHEN NEW.voided_at IS NULL BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER lot_month_delete AFTER DELETE ON lot WHEN OLD.voided_at IS NULL BEGIN {_SQLITE_REMOVE} END",
    "CREATE TRIGGER lot_month_update_old AFTER UPDATE OF voided_at, harvest_date, growing_area_id, organization_id "
    f"ON lot WHEN OLD.voided_at IS NULL BEGIN {_SQLITE_REMOVE} END",
    "CREATE TRIGGER lot_month_update_new AFTER UPDATE OF voided_at, harvest_date, growing_area_id, organization_id "
    f"ON lot WHEN NEW.voided_at IS NULL BEGIN {_SQLITE_ADD} END",
)


def create_triggers(connection: sa.Connection) -> None:
    for statement in POSTGRESQL if connection.dialect.name == "postgresql" else SQLITE:
        connection.exec_driver_sql(statement)


@sa.event.listens_for(db.metadata, "after_create")
def _after_create(target, connection, tables=None, **kw) -> None:
    """With create_all (the tests), once every table exists the triggers follow; migrations create them too."""
    if tables is None or any(t.name in ("lot", "lot_month") for t in tables):
        create_triggers(connection)
