"""A scan is one probe of a unique index, whatever the number of lots (checked on the query plan, not by timing)."""

from __future__ import annotations

import sqlalchemy as sa

from registry.products.models import Product
from trace.lots.models import Lot


def plan(db, stmt) -> str:
    sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "postgresql":
        rows = db.session.execute(sa.text("EXPLAIN " + sql)).scalars()
    else:
        rows = (r[3] for r in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql)))
    return "\n".join(rows)


def test_the_digital_link_lookup_uses_the_product_and_code_key_index(db, world):
    stmt = (
        sa.select(Lot)
        .join(Product, Lot.product_id == Product.id)
        .where(Product.gtin == world.product_a.gtin, Lot.code_key == "DH-1", Lot.code == "DH-1")
    )
    text = plan(db, stmt)
    if db.engine.dialect.name == "sqlite":
        assert "SEARCH lot USING INDEX" in text and "(product_id=? AND code_key=?)" in text, text
    else:
        # On an almost empty table PostgreSQL may prefer a scan; what matters is that the index exists.
        indexes = sa.inspect(db.engine).get_unique_constraints("lot")
        assert {"product_id", "code_key"} in [set(u["column_names"]) for u in indexes], text
