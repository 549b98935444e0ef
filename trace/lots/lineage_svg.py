"""Draw a lot's lineage as an inline SVG, on the server: no script, no CDN, readable on a phone.

Columns are steps: what the lot came from on the left, the lot in the middle, what it went into on the right.
"""

from __future__ import annotations

from dataclasses import dataclass

NODE_W, NODE_H, COL_GAP, ROW_GAP, PAD = 150, 46, 54, 14, 8
MAX_NODES = 200


@dataclass(frozen=True)
class Box:
    id: int
    x: int
    y: int
    code: str
    product: str
    recalled: bool
    root: bool
    href: str | None


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    kind: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    boxes: list[Box]
    lines: list[Line]
    truncated: bool


def layout(root_id: int, up: dict, down: dict, href) -> Drawing:
    """``up`` and ``down`` are lineage graphs (trace.lots.lineage.graph); ``href(node)`` is a link or None."""
    column: dict[int, int] = {root_id: 0}
    for edge in up["edges"]:
        column[edge["parent"]] = min(column.get(edge["parent"], 0), -edge["depth"])
    for edge in down["edges"]:
        column[edge["child"]] = max(column.get(edge["child"], 0), edge["depth"])
    nodes = {n["id"]: n for n in up["nodes"] + down["nodes"]}
    ordered = sorted(column, key=lambda i: (column[i], i))
    truncated = len(ordered) > MAX_NODES
    ordered = ordered[:MAX_NODES]
    first = min(column[i] for i in ordered)
    rows: dict[int, int] = {}
    place: dict[int, tuple[int, int]] = {}
    for node_id in ordered:
        col = column[node_id] - first
        row = rows.get(col, 0)
        rows[col] = row + 1
        place[node_id] = (PAD + col * (NODE_W + COL_GAP), PAD + row * (NODE_H + ROW_GAP))
    boxes = [
        Box(
            id=i,
            x=place[i][0],
            y=place[i][1],
            code=nodes[i]["code"],
            product=nodes[i]["product"],
            recalled=nodes[i]["recalled"],
            root=i == root_id,
            href=href(nodes[i]),
        )  # fmt: skip
        for i in ordered
    ]
    lines = []
    seen = set()
    for edge in up["edges"] + down["edges"]:
        key = (edge["parent"], edge["child"])
        if key in seen or edge["parent"] not in place or edge["child"] not in place:
            continue
        seen.add(key)
        (px, py), (cx, cy) = place[edge["parent"]], place[edge["child"]]
        lines.append(Line(px + NODE_W, py + NODE_H // 2, cx, cy + NODE_H // 2, edge["kind"]))
    width = PAD * 2 + (max(c for c in rows) + 1) * (NODE_W + COL_GAP) - COL_GAP
    height = PAD * 2 + max(rows.values()) * (NODE_H + ROW_GAP) - ROW_GAP
    return Drawing(width, height, boxes, lines, truncated)
