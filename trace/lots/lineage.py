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

from registry.organizations.models import Organization
from trace.lots.events import EventItem, LotLink, TraceEvent
from trace.lots.identifiers import label_uri
from trace.lots.models import Lot

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


def graph(session: Session, lot: Lot, direction: Direction, depth: int, base_url: str) -> dict:
    """The lineage as nodes (lots: public facts only, as on their labels) and edges, nearest first."""
    found = edges(session, lot.id, direction, depth)
    ids = {lot.id} | {e.parent_lot_id for e in found} | {e.child_lot_id for e in found}
    lots = {row.id: row for row in session.scalars(sa.select(Lot).where(Lot.id.in_(ids)))}
    kinds = dict(
        session.execute(
            sa.select(TraceEvent.id, TraceEvent.kind).where(TraceEvent.id.in_({e.event_id for e in found}))
        ).all()
    )
    organizations = dict(
        session.execute(
            sa.select(Organization.id, Organization.name).where(
                Organization.id.in_({x.organization_id for x in lots.values()})
            )
        ).all()
    )
    nodes = [
        {
            "id": row.id,
            "code": row.code,
            "label_uri": label_uri(row, base_url),
            "product": row.product.name,
            "origin": row.origin.value,
            "organization": organizations.get(row.organization_id),
            "recalled": row.recalled,
        }
        for row in sorted(lots.values(), key=lambda r: r.id)
    ]
    return {
        "lot_id": lot.id,
        "direction": direction.value,
        "depth": depth,
        "nodes": nodes,
        "edges": [
            {
                "parent": e.parent_lot_id,
                "child": e.child_lot_id,
                "event_id": e.event_id,
                "kind": kinds[e.event_id].value,
                "depth": e.depth,
            }
            for e in found
        ],
    }


def lots_by_id(session: Session, ids: list[int]) -> list[Lot]:
    return list(session.scalars(sa.select(Lot).where(Lot.id.in_(set(ids))))) if ids else []


def history_stmt(session: Session, lot: Lot) -> sa.Select:
    """Every event on the lot and on the lots it came from and went into, to any depth, oldest first."""
    ids = {lot.id} | reached(session, lot.id, Direction.UP) | reached(session, lot.id, Direction.DOWN)
    touching = sa.select(EventItem.event_id).where(EventItem.lot_id.in_(ids))
    return sa.select(TraceEvent).where(TraceEvent.id.in_(touching)).order_by(TraceEvent.event_time, TraceEvent.id)
