"""lot_month counts new lots once per INSERT statement (PostgreSQL).

The row trigger of 0008_indicators ran one upsert per new lot; an import writes 5,000 lots with one COPY, and now
one statement-level trigger adds them from its transition table, grouped by month, area and organization. The row
trigger stays for UPDATE and DELETE (a lot voided, re-dated or moved). SQLite keeps its row triggers.

Revision ID: 0012_lot_tally
Revises: 0011_accounts
Create Date: 2026-11-23 15:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_lot_tally'
down_revision = '0011_accounts'
branch_labels = None
depends_on = None

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
COLUMNS = "voided_at, harvest_date, growing_area_id, organization_id"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(STATEMENT_FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS lot_month_keep ON lot")
    op.execute(f"CREATE TRIGGER lot_month_keep AFTER DELETE OR UPDATE OF {COLUMNS} ON lot "
               "FOR EACH ROW EXECUTE FUNCTION lot_month_keep()")
    op.execute("CREATE TRIGGER lot_month_add AFTER INSERT ON lot REFERENCING NEW TABLE AS new_lots "
               "FOR EACH STATEMENT EXECUTE FUNCTION lot_month_add()")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS lot_month_add ON lot")
    op.execute("DROP FUNCTION IF EXISTS lot_month_add()")
    op.execute("DROP TRIGGER IF EXISTS lot_month_keep ON lot")
    op.execute(f"CREATE TRIGGER lot_month_keep AFTER INSERT OR DELETE OR UPDATE OF {COLUMNS} ON lot "
               "FOR EACH ROW EXECUTE FUNCTION lot_month_keep()")
