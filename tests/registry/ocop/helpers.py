"""Rate and certify a product through the real OCOP services, on given dates (no clock needed)."""

from __future__ import annotations

import datetime as dt

from registry.ocop import services as ocop

# Scores for each star band: 4★ = 75, 5★ = 92, 3★ = 58.
SCORES = {3: (25, 15, 18), 4: (30, 20, 25), 5: (37, 23, 32)}


def rate(db, world, product, *, stars=4, decided=dt.date(2023, 12, 5), number=None):
    """Evaluate ``product`` at ``stars`` twenty days before ``decided``, then certify at the level the stars need."""
    a, b, c = SCORES[stars]
    ocop.evaluate(
        db.session,
        actor=world.auditor,
        product_id=product.id,
        score_a=a,
        score_b=b,
        score_c=c,
        evaluated_on=decided - dt.timedelta(days=20),
        subgroup="1a",
        today=decided,
    )
    row = ocop.certify(
        db.session,
        actor=world.auditor,
        product_id=product.id,
        decision_number=number or f"{product.id}-{decided:%y%m%d}/QĐ-UBND",
        decided_on=decided,
        level="ministry" if stars == 5 else "province",
        today=decided,
    )
    db.session.commit()
    return row
