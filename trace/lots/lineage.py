"""Lineage: the lots a lot came from (up) or went into (down), one step or to any depth.

One recursive query over ``lot_link`` per call, on SQLite and PostgreSQL alike. A depth bound stops it; the
lineage graph has no cycles (the services refuse an edge that would close one), and ``UNION`` (not
``UNION ALL``) keeps a diamond (a split whose parts are merged again) from being walked twice.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from trace.lots.events import LotLink

MAX_DEPTH = 100


class Direction(enum.StrEnum):
    UP = "up"  # where it came from: parents, grandparents...
    DOWN = "down"  # where it went: children, grandchildren...


@dataclass(frozen=True)
class Edge:
    parent_lot_id: int
    child_lot_id: int
    event_id: int
    depth: int  # 1 for the lot's own parents or children


def edges(session: Session, lot_id: int, direction: Direction, depth: int = MAX_DEPTH) -> list[Edge]:
    """Every lineage edge reachable from ``lot_id`` in ``direction`` within ``depth`` steps, nearest first."""
    link = LotLink.__table__
    near, far = (
        (link.c.child_lot_id, link.c.parent_lot_id)
        if direction == Direction.UP
        else (
            link.c.parent_lot_id,
            link.c.child_lot_id,
        )
    )
    seed = sa.select(
        link.c.parent_lot_id, link.c.child_lot_id, link.c.event_id, far.label("reached"), sa.literal(1).label("depth")
    ).where(near == lot_id)
    walk = seed.cte("walk", recursive=True)
    near2, far2 = (
        (link.c.child_lot_id, link.c.parent_lot_id)
        if direction == Direction.UP
        else (
            link.c.parent_lot_id,
            link.c.child_lot_id,
        )
    )
    step = (
        sa.select(link.c.parent_lot_id, link.c.child_lot_id, link.c.event_id, far2, walk.c.depth + 1)
        .join(walk, near2 == walk.c.reached)
        .where(walk.c.depth < depth)
    )
    walk = walk.union(step)
    stmt = (
        sa.select(walk.c.parent_lot_id, walk.c.child_lot_id, walk.c.event_id, sa.func.min(walk.c.depth))
        .group_by(walk.c.parent_lot_id, walk.c.child_lot_id, walk.c.event_id)
        .order_by(sa.func.min(walk.c.depth), walk.c.parent_lot_id, walk.c.child_lot_id)
    )
    return [Edge(*row) for row in session.execute(stmt)]


def reached(session: Session, lot_id: int, direction: Direction, depth: int = MAX_DEPTH) -> set[int]:
    """The ids of every lot reachable from ``lot_id`` (not itself) in ``direction`` within ``depth`` steps."""
    found = set()
    for edge in edges(session, lot_id, direction, depth):
        found.add(edge.parent_lot_id if direction == Direction.UP else edge.child_lot_id)
    found.discard(lot_id)
    return found


def would_cycle(session: Session, parent_ids: set[int], child_id: int) -> bool:
    """True if making ``child_id`` from any of ``parent_ids`` closes a cycle: the child is already upstream."""
    if child_id in parent_ids:
        return True
    return bool(parent_ids & reached(session, child_id, Direction.DOWN))
