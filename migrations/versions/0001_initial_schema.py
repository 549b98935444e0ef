"""initial schema: units, organizations, areas, products, users, lots

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-22 16:12:49.908890

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('province',
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('division_type', sa.String(length=30), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_province'))
    )
    op.create_table('commune',
    sa.Column('code', sa.String(length=5), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('division_type', sa.String(length=30), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['province_code'], ['province.code'], name=op.f('fk_commune_province_code_province')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_commune'))
    )
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commune_province_code'), ['province_code'], unique=False)

    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('cooperative', 'enterprise', name='organization_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('tax_code', sa.String(length=14), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_code'], ['commune.code'], name=op.f('fk_organization_commune_code_commune')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('tax_code', name=op.f('uq_organization_tax_code'))
    )
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organization_commune_code'), ['commune_code'], unique=False)

    op.create_table('growing_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=43), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('domestic', 'export', name='area_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'suspended', 'revoked', name='area_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('crop', sa.String(length=30), nullable=False),
    sa.Column('variety', sa.String(length=100), nullable=True),
    sa.Column('area_ha', sa.Numeric(precision=12, scale=4), nullable=False),
    sa.Column('commune_code', sa.String(length=5), nullable=False),
    sa.Column('legacy_place', sa.String(length=300), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('area_ha > 0', name=op.f('ck_growing_area_area_ha_positive')),
    sa.ForeignKeyConstraint(['commune_code'], ['commune.code'], name=op.f('fk_growing_area_commune_code_commune')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_growing_area_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_growing_area')),
    sa.UniqueConstraint('code', name=op.f('uq_growing_area_code'))
    )
    with op.batch_alter_table('growing_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_growing_area_commune_code'), ['commune_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_growing_area_crop'), ['crop'], unique=False)
        batch_op.create_index(batch_op.f('ix_growing_area_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_growing_area_status'), ['status'], unique=False)

    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('crop', sa.String(length=30), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_product_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('gtin', name=op.f('uq_product_gtin'))
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_organization_id'), ['organization_id'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('member', 'auditor', 'admin', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('is_active_account', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(role = 'member') = (organization_id IS NOT NULL)", name=op.f('ck_user_account_member_has_organization')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_user_account_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_account_organization_id'), ['organization_id'], unique=False)

    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('area_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('pending', 'active', 'suspended', 'revoked', name='area_status_from', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_status', sa.Enum('pending', 'active', 'suspended', 'revoked', name='area_status_to', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_area_status_change_actor_id_user_account')),
    sa.ForeignKeyConstraint(['area_id'], ['growing_area.id'], name=op.f('fk_area_status_change_area_id_growing_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_area_status_change'))
    )
    with op.batch_alter_table('area_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_status_change_area_id'), ['area_id'], unique=False)

    op.create_table('lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('growing_area_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('harvest_date', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit', sa.Enum('KGM', 'TNE', 'H87', name='unit', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('public_token', sa.String(length=22), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_lot_quantity_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_lot_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['growing_area_id'], ['growing_area.id'], name=op.f('fk_lot_growing_area_id_growing_area')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_lot_organization_id_organization')),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_lot_product_id_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot')),
    sa.UniqueConstraint('product_id', 'code', name=op.f('uq_lot_product_id_code')),
    sa.UniqueConstraint('public_token', name=op.f('uq_lot_public_token'))
    )
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_growing_area_id'), ['growing_area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lot_product_id'), ['product_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_product_id'))
        batch_op.drop_index(batch_op.f('ix_lot_organization_id'))
        batch_op.drop_index(batch_op.f('ix_lot_growing_area_id'))

    op.drop_table('lot')
    with op.batch_alter_table('area_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_status_change_area_id'))

    op.drop_table('area_status_change')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_account_organization_id'))

    op.drop_table('user_account')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_organization_id'))

    op.drop_table('product')
    with op.batch_alter_table('growing_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_growing_area_status'))
        batch_op.drop_index(batch_op.f('ix_growing_area_organization_id'))
        batch_op.drop_index(batch_op.f('ix_growing_area_crop'))
        batch_op.drop_index(batch_op.f('ix_growing_area_commune_code'))

    op.drop_table('growing_area')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_commune_code'))

    op.drop_table('organization')
    with op.batch_alter_table('commune', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commune_province_code'))

    op.drop_table('commune')
    op.drop_table('province')
