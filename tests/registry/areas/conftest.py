"""Shapes and helpers for the growing-area tests. Real coordinates around Chí Đám, Phú Thọ (lon 105.2, lat 21.6)."""

from __future__ import annotations

import sqlalchemy as sa

# About 310 m × 333 m: roughly 10.4 ha, close to area_a's declared 12.5 ha.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[105.2, 21.6], [105.203, 21.6], [105.203, 21.603], [105.2, 21.603], [105.2, 21.6]]],
}
NOT_CLOSED = {"type": "Polygon", "coordinates": [[[105.2, 21.6], [105.203, 21.6], [105.203, 21.603], [105.2, 21.603]]]}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[105.2, 21.6], [105.203, 21.603], [105.203, 21.6], [105.2, 21.603], [105.2, 21.6]]],
}
BANGKOK = {
    "type": "Polygon",
    "coordinates": [[[100.5, 13.75], [100.503, 13.75], [100.503, 13.753], [100.5, 13.753], [100.5, 13.75]]],
}


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def patch(api, path, body):
    return api.client.patch(path, json=body, headers=api._headers())
