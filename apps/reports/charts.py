"""Bar charts as server-rendered SVG: no chart JavaScript, the CSP stays strict.

The geometry is computed here; ``reports/figure.html`` draws it. Colours
come from classes in ``static/css/reports.css`` (no inline style). Every
chart has its numbers as a table next to it, so the SVG itself is marked as
an image with a short title.

Each chart comes in two layouts: wide (labels left of the bars) for screens
and print, narrow (labels above the bars, a smaller drawing area) for phones,
where the wide one would shrink its text below reading size. CSS shows one.
"""

from dataclasses import dataclass

from apps.reports.tables import Figure, Value, format_value

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = WIDTH - LABEL_WIDTH - 70
BAR_HEIGHT = 14
ROW_HEIGHT = 40
# The narrow layout: one label line above the bars of each row.
NARROW_WIDTH = 340
NARROW_BAR_AREA = NARROW_WIDTH - 50
NARROW_LABEL_HEIGHT = 16
NARROW_ROW_HEIGHT = NARROW_LABEL_HEIGHT + 2 * (BAR_HEIGHT + 2) + 12


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    text: str
    text_x: int
    css: str


@dataclass(frozen=True)
class ChartRow:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    title: str
    height: int
    width: int
    label_width: int
    rows: list[ChartRow]
    legend: list[tuple[str, str]]
    narrow: "Chart | None" = None
    # Where labels and bars start: left of the bars (wide) or above them (narrow).
    label_x: int = LABEL_WIDTH - 8
    label_anchor: str = "end"
    bar_x: int = LABEL_WIDTH


def _number(value: Value) -> float | None:
    if value is None or isinstance(value, str):
        return None
    return float(value)


def bar_chart(figure: Figure) -> Chart | None:
    """Horizontal bars of the figure's chart column (and its year-before column)."""
    column = figure.chart_column
    if column is None:
        return None
    compare = figure.compare_column
    rows = [row for row in figure.rows if not row.is_total]
    if not rows:
        return None
    series = [column] + ([compare] if compare is not None else [])
    numbers = [_number(row.values[c]) for row in rows for c in series]
    if not any(numbers):
        # Nothing to draw (all zero, or all suppressed in a published report): the table says it.
        return None
    largest = max((n for n in numbers if n is not None), default=0) or 1
    legend = [("chart__bar", figure.columns[column].label)]
    if compare is not None:
        legend.append(("chart__bar chart__bar--before", figure.columns[compare].label))
    title = f"Balkendiagramm: {figure.title}"

    def bars(top: int, row_values: list[Value], x: int, area: int) -> list[Bar]:
        drawn = []
        for offset, c in enumerate(series):
            value = row_values[c]
            number = _number(value)
            width = round(area * number / largest) if number else 0
            drawn.append(
                Bar(
                    y=top + offset * (BAR_HEIGHT + 2),
                    width=width,
                    text=format_value(value),
                    text_x=x + width + 6,
                    css="chart__bar" if offset == 0 else "chart__bar chart__bar--before",
                )
            )
        return drawn

    wide_rows = [
        ChartRow(
            label=_short(row.label),
            label_y=index * ROW_HEIGHT + 4 + BAR_HEIGHT,
            bars=bars(index * ROW_HEIGHT + 4, row.values, LABEL_WIDTH, BAR_AREA),
        )
        for index, row in enumerate(rows)
    ]
    narrow_rows = [
        ChartRow(
            label=_short(row.label, 48),
            label_y=index * NARROW_ROW_HEIGHT + 12,
            bars=bars(
                index * NARROW_ROW_HEIGHT + NARROW_LABEL_HEIGHT, row.values, 0, NARROW_BAR_AREA
            ),
        )
        for index, row in enumerate(rows)
    ]
    narrow = Chart(
        title=title,
        height=len(rows) * NARROW_ROW_HEIGHT,
        width=NARROW_WIDTH,
        label_width=0,
        rows=narrow_rows,
        legend=legend,
        label_x=0,
        label_anchor="start",
        bar_x=0,
    )
    return Chart(
        title=title,
        height=len(rows) * ROW_HEIGHT + 8,
        width=WIDTH,
        label_width=LABEL_WIDTH - 8,
        rows=wide_rows,
        legend=legend,
        narrow=narrow,
    )


def _short(label: str, limit: int = 34) -> str:
    """The label within ``limit`` characters, cut in the middle: rows such as
    "Provider – Team 1 – Pool" differ at the end, which must stay readable."""
    if len(label) <= limit:
        return label
    tail = (limit - 1) // 2
    return label[: limit - 1 - tail].rstrip() + "…" + label[-tail:].lstrip()
