"""Bar charts as server-rendered SVG: no chart JavaScript, the CSP stays strict.

The geometry is computed here; ``reports/figure.html`` draws it. Colours
come from classes in ``static/css/reports.css`` (no inline style). Every
chart has its numbers as a table next to it, so the SVG itself is marked as
an image with a short title.
"""

from dataclasses import dataclass

from apps.reports.tables import Figure, Value, format_value

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = WIDTH - LABEL_WIDTH - 70
BAR_HEIGHT = 14
ROW_HEIGHT = 40


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
    largest = max((n for n in numbers if n is not None), default=0) or 1
    chart_rows = []
    for index, row in enumerate(rows):
        top = index * ROW_HEIGHT + 4
        bars = []
        for offset, c in enumerate(series):
            value = row.values[c]
            number = _number(value)
            width = round(BAR_AREA * number / largest) if number else 0
            y = top + offset * (BAR_HEIGHT + 2)
            bars.append(
                Bar(
                    y=y,
                    width=width,
                    text=format_value(value),
                    text_x=LABEL_WIDTH + width + 6,
                    css="chart__bar" if offset == 0 else "chart__bar chart__bar--before",
                )
            )
        chart_rows.append(ChartRow(label=_short(row.label), label_y=top + BAR_HEIGHT, bars=bars))
    legend = [("chart__bar", figure.columns[column].label)]
    if compare is not None:
        legend.append(("chart__bar chart__bar--before", figure.columns[compare].label))
    return Chart(
        title=f"Balkendiagramm: {figure.title}",
        height=len(rows) * ROW_HEIGHT + 8,
        width=WIDTH,
        label_width=LABEL_WIDTH - 8,
        rows=chart_rows,
        legend=legend,
    )


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
