"""Serialised anti-counterfeit stamps: the serial table; scans and alerts carry the stamp's serial, and alerts gain
the three serial kinds (an unknown serial, a stamp scanned too often, a voided stamp scanned).

Revision ID: 0007_serials
Revises: 0006_scans_and_product_page
Create Date: 2026-11-23 08:35:44.480756

"""
from alembic import op
import sqlalchemy as sa


revision = "0007_serials"
down_revision = "0006_scans_and_product_page"
branch_labels = None
depends_on = None

OLD_KINDS = ("over_units", "burst", "many_places")
NEW_KINDS = OLD_KINDS + ("unknown_serial", "serial_overscanned", "void_serial_scanned")


def _kinds(values):
    return "kind IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    op.create_table(
        "serial",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=20), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("first_scanned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scans", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["issued_by_id"], ["user_account.id"], name=op.f("fk_serial_issued_by_id_user_account")),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_serial_lot_id_lot")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_serial")),
        sa.UniqueConstraint("lot_id", "serial", name="uq_serial_lot_serial"),
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serial", sa.String(length=20), nullable=True))

    with op.batch_alter_table("scan_alert", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serial", sa.String(length=20), nullable=True))
        batch_op.drop_constraint(op.f("ck_scan_alert_scan_alert_kind"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=11), type_=sa.String(length=19),
                              existing_nullable=False)
        batch_op.create_check_constraint("scan_alert_kind", _kinds(NEW_KINDS))


def downgrade():
    op.execute("DELETE FROM scan_alert WHERE kind NOT IN ('over_units', 'burst', 'many_places')")
    with op.batch_alter_table("scan_alert", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_scan_alert_scan_alert_kind"), type_="check")
        batch_op.alter_column("kind", existing_type=sa.String(length=19), type_=sa.String(length=11),
                              existing_nullable=False)
        batch_op.create_check_constraint("scan_alert_kind", _kinds(OLD_KINDS))
        batch_op.drop_column("serial")

    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_column("serial")

    op.drop_table("serial")
