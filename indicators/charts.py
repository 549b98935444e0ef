"""Server-side SVG for the dashboard: a bar against the target, and a trend by month. No script, no CDN."""

from __future__ import annotations

from markupsafe import Markup, escape

from registry.core.i18n import fmt_number

W, H = 300, 90  # the trend's viewBox; it scales to the card's width


def target_bar(value: float | None, target: float | None, label: str) -> Markup:
    """A 0–100% bar, filled to the value, with a mark at the target."""
    filled = max(0.0, min(100.0, value or 0.0))
    met = target is not None and value is not None and value >= target
    parts = [
        f'<svg class="target-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{escape(label)}">',
        '<rect class="track" x="0" y="1" width="100" height="8" rx="1"/>',
        f'<rect class="fill{" met" if met else ""}" x="0" y="1" width="{filled:.1f}" height="8" rx="1"/>',
    ]
    if target is not None:
        parts.append(f'<rect class="target" x="{min(99.4, target):.1f}" y="0" width="0.6" height="10"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (numbers and escape()d text only)


def trend(points: list[tuple[str, float | int | None]], *, percent: bool, target: float | None, label: str) -> Markup:
    """Bars per month (a count) or a line (a percentage, with the target as a dashed line)."""
    if not points:
        return Markup("")
    values = [v for _, v in points if v is not None]
    top = 100.0 if percent else float(max(values, default=0) or 1)
    step = W / len(points)

    def y(v: float) -> float:
        return round(H - 14 - (v / top) * (H - 24), 1)

    out = [f'<svg class="trend" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}">']
    if percent and target is not None:
        out.append(f'<line class="target" x1="0" x2="{W}" y1="{y(target)}" y2="{y(target)}"/>')
    line = []
    for i, (month, v) in enumerate(points):
        x = round(i * step + step / 2, 1)
        tip = f"{month}: {'—' if v is None else fmt_number(v)}{'%' if percent and v is not None else ''}"
        if percent:
            if v is not None:
                line.append(f"{x},{y(v)}")
                out.append(f'<circle cx="{x}" cy="{y(v)}" r="2.5"><title>{escape(tip)}</title></circle>')
        elif v:
            out.append(
                f'<rect x="{round(i * step + 1, 1)}" y="{y(v)}" width="{round(max(step - 2, 1), 1)}" '
                f'height="{round(H - 14 - y(v), 1)}"><title>{escape(tip)}</title></rect>'
            )
        if len(points) <= 12 or i % 3 == 0:
            out.append(f'<text x="{x}" y="{H - 2}" text-anchor="middle">{escape(month[5:])}</text>')
    if len(line) > 1:
        out.insert(1 + (percent and target is not None), f'<polyline points="{" ".join(line)}"/>')
    out.append("</svg>")
    return Markup("".join(out))  # noqa: S704  (numbers and escape()d text only)
