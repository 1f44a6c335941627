"""Bar charts as inline SVG, drawn on the server: no chart library in the browser. They
take the theme's colours from CSS and carry a text description for screen readers."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, GAP, AXIS = 640, 220, 4, 18


def bar_chart(points: list[tuple[str, float]], *, title: str, money: bool = False) -> str:
    """One bar per point, the highest filling the height; labels under the first, middle and
    last bars (more would not fit on a phone)."""
    if not points:
        return ""
    top = max(value for _, value in points) or 1
    step = WIDTH / len(points)
    bar = max(step - GAP, 1)
    shown = {0, len(points) // 2, len(points) - 1}
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + AXIS}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="none">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(points):
        height = HEIGHT * value / top
        x = index * step + GAP / 2
        text = f"{value / 100:.2f}" if money else f"{value:g}"
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{HEIGHT - height:.1f}" '
            f'width="{bar:.1f}" height="{height:.1f}"><title>{escape(label)}: {text}</title></rect>'
        )
        if index in shown:
            anchor = "start" if index == 0 else "end" if index == len(points) - 1 else "middle"
            tx = x if anchor == "start" else x + bar if anchor == "end" else x + bar / 2
            parts.append(
                f'<text class="chart-label" x="{tx:.1f}" y="{HEIGHT + AXIS - 4}" '
                f'text-anchor="{anchor}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
