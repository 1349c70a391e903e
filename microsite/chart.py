"""The mission timeline drawn at build time: an SVG with the days to scale.

The list of events on the home page stays the reference (for screen readers, search and
print); the drawing shows what the list cannot: how the days fall, the days before the
launch close together, then the long wait for the return. It is inline SVG, so it needs
no script and no extra request, and takes its colours from the theme (currentColor and
CSS classes), light or dark.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from xml.sax.saxutils import escape

from .model import MONTH_NAMES, Event

WIDTH = 360  # user units: at a 375 px phone about one to one, scaled up on a desktop
PAD = 24  # room for the first and last day's label
TOP = 10  # room above the highest dot
STACK = 11  # rise between two events of the same day


def timeline_svg(events: tuple[Event, ...], title: str) -> str:
    """The SVG for ``events`` (by date; a day's events in the file's order); "" for fewer than two days."""
    events = tuple(sorted(events, key=lambda e: e.date))  # stable: a day's events keep their order
    days = sorted({e.date for e in events})
    if len(days) < 2:
        return ""
    first, last = days[0], days[-1]
    span = (last - first).days
    axis = TOP + (max(Counter(e.date for e in events).values()) - 1) * STACK  # y of the axis line
    height = axis + 44

    def x(day: dt.date) -> float:
        return round(PAD + (day - first).days * (WIDTH - 2 * PAD) / span, 1)

    parts = [f'<line class="tl-axis" x1="{PAD}" y1="{axis}" x2="{WIDTH - PAD}" y2="{axis}"/>']
    parts += [f'<line class="tl-tick" x1="{x(first + dt.timedelta(days=n))}" y1="{axis - 3}" '
              f'x2="{x(first + dt.timedelta(days=n))}" y2="{axis + 3}"/>' for n in range(span + 1)]
    seen: Counter[dt.date] = Counter()
    for event in events:
        level = seen[event.date]
        seen[event.date] += 1
        parts.append(f'<circle class="tl-dot" cx="{x(event.date)}" cy="{axis - level * STACK}" r="4.5">'
                     f'<title>{escape(_label(event))}</title></circle>')
    for day in days:
        parts.append(f'<text class="tl-day" x="{x(day)}" y="{axis + 18}" text-anchor="middle">{day.day}</text>')
    parts.append(f'<text class="tl-month" x="{PAD}" y="{axis + 36}">{_month_span(first, last)}</text>')
    parts.append(f'<text class="tl-span" x="{WIDTH - PAD}" y="{axis + 36}" text-anchor="end">'
                 f'{span} days, to scale</text>')
    description = "; ".join(_label(e) for e in events)
    return (f'<svg class="timeline-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-labelledby="timeline-chart-title timeline-chart-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="timeline-chart-title">{escape(title)}: {_month_span(first, last)}, days to scale</title>'
            f'<desc id="timeline-chart-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>")


def _label(event: Event) -> str:
    when = f"{event.date.day} {MONTH_NAMES[event.date.month - 1]}" + (f", {event.time}" if event.time else "")
    return f"{when}: {event.title}"


def _month_span(first: dt.date, last: dt.date) -> str:
    one, other = MONTH_NAMES[first.month - 1], MONTH_NAMES[last.month - 1]
    if (first.year, first.month) == (last.year, last.month):
        return f"{one} {first.year}"
    return f"{one} to {other} {last.year}" if first.year == last.year else f"{one} {first.year} to {other} {last.year}"
