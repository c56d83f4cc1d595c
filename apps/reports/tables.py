"""The shape every figure takes: a table of rows and typed columns.

The steering page, the charts, the CSV downloads and the frozen council
reports all read this one shape, so the privacy rule in ``suppression.py``
sees every number before anyone outside the Familienamt does.
"""

import csv
import io
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

COUNT = "count"  # how many cases, requests, reports: suppressed when 1–4
MEASURE = "measure"  # a median, a percentile, a sum over cases: hidden when its basis is < 5
AMOUNT = "amount"  # not about children (budgets, team hours): shown as it is

Value = int | float | Decimal | str | None


@dataclass
class Column:
    label: str
    kind: str = COUNT
    # MEASURE: the index of the COUNT column that says over how many cases it was taken.
    basis: int | None = None
    # COUNT columns that add up to the row's total column (for secondary suppression).
    summand: bool = False
    total: bool = False
    unit: str = ""


@dataclass
class Row:
    label: str
    values: list[Any]  # Value; Any because list is invariant and rows are built from ints
    is_total: bool = False


@dataclass
class Figure:
    key: str
    title: str
    row_header: str
    columns: list[Column]
    rows: list[Row]
    note: str = ""
    # The column the bar chart draws (None: no chart, the table says it better).
    chart_column: int | None = 0
    # The same measure for the period a year before, drawn as a second bar.
    compare_column: int | None = None
    # Shown on the live steering page only, never in a report to the council.
    internal: bool = False
    notices: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        for row in data["rows"]:
            row["values"] = [_json_value(v) for v in row["values"]]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figure":
        return cls(
            key=data["key"],
            title=data["title"],
            row_header=data["row_header"],
            columns=[Column(**column) for column in data["columns"]],
            rows=[Row(**row) for row in data["rows"]],
            note=data.get("note", ""),
            chart_column=data.get("chart_column"),
            compare_column=data.get("compare_column"),
            internal=data.get("internal", False),
            notices=data.get("notices", []),
        )


def _json_value(value: Value) -> Value:
    if isinstance(value, Decimal):
        return float(value)
    return value


def format_value(value: Value) -> str:
    """German number format: decimal comma, no thousands separator needed in tables."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}".replace(",", ".")
    text = f"{number:,.1f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def figure_csv(figures: list[Figure]) -> str:
    """Semicolon-separated, with a byte order mark so spreadsheet programs read UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for index, figure in enumerate(figures):
        if index:
            writer.writerow([])
        writer.writerow([figure.title])
        writer.writerow([figure.row_header, *(_heading(c) for c in figure.columns)])
        for row in figure.rows:
            writer.writerow([row.label, *(format_value(v) for v in row.values)])
        for line in (figure.note, *figure.notices):
            if line:
                writer.writerow([line])
    return "\ufeff" + out.getvalue()


def _heading(column: Column) -> str:
    return f"{column.label} ({column.unit})" if column.unit else column.label
