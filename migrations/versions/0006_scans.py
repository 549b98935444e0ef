"""Scans of public pages, their daily roll-up and the alerts they raise; a product's brand, shelf life and photo.

A scan keeps what was scanned, when, the language and a coarse device class, and a daily-salted hash of the
requester's network (never an IP address). scan_day counts scans per Vietnam day, lot and product (lot 0 is the
product page) and is what the summaries read. scan_alert holds one alert per lot, kind and window.

Revision ID: 0006_scans_and_product_page
Revises: 0005_traceability
Create Date: 2026-11-23 07:01:10.138551

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_scans_and_product_page"
down_revision = "0005_traceability"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scan_day",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("scans", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_day")),
        sa.UniqueConstraint("day", "product_id", "lot_id", name="uq_scan_day"),
    )
    with op.batch_alter_table("scan_day", schema=None) as batch_op:
        batch_op.create_index("ix_scan_day_lot", ["lot_id", "day"], unique=False)
        batch_op.create_index("ix_scan_day_organization", ["organization_id", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_scan_day_product_id"), ["product_id"], unique=False)
        batch_op.create_index("ix_scan_day_province", ["province_code", "day"], unique=False)

    op.create_table(
        "product_image",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("mime", sa.String(length=30), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_product_image_product_id_product"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_image")),
    )
    op.create_table(
        "scan",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "link",
            sa.Enum("dl", "short", "product", name="scan_link", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column(
            "device",
            sa.Enum(
                "mobile",
                "tablet",
                "desktop",
                "bot",
                "other",
                name="scan_device",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("place", sa.String(length=12), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan")),
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.create_index("ix_scan_lot_time", ["lot_id", "scanned_at"], unique=False)

    op.create_table(
        "scan_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "over_units", "burst", "many_places", name="scan_alert_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("window_key", sa.String(length=40), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("scans", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], name=op.f("fk_scan_alert_lot_id_lot")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan_alert")),
        sa.UniqueConstraint("lot_id", "kind", "window_key", name="uq_scan_alert"),
    )
    with op.batch_alter_table("scan_alert", schema=None) as batch_op:
        batch_op.create_index("ix_scan_alert_organization", ["organization_id", "detected_at"], unique=False)
        batch_op.create_index("ix_scan_alert_province", ["province_code", "detected_at"], unique=False)

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("brand", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("shelf_life_days", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("image_key", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("image_key")
        batch_op.drop_column("shelf_life_days")
        batch_op.drop_column("brand")

    with op.batch_alter_table("scan_alert", schema=None) as batch_op:
        batch_op.drop_index("ix_scan_alert_province")
        batch_op.drop_index("ix_scan_alert_organization")

    op.drop_table("scan_alert")
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_index("ix_scan_lot_time")

    op.drop_table("scan")
    op.drop_table("product_image")
    with op.batch_alter_table("scan_day", schema=None) as batch_op:
        batch_op.drop_index("ix_scan_day_province")
        batch_op.drop_index(batch_op.f("ix_scan_day_product_id"))
        batch_op.drop_index("ix_scan_day_organization")
        batch_op.drop_index("ix_scan_day_lot")

    op.drop_table("scan_day")
