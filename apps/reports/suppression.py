"""The privacy rule of every published table: no cell may single out a child.

One function, :func:`suppress`, used for every table of a council report,
its print view and its CSV (the live steering page of the Familienamt shows
exact counts and does not call it):

1. A count from 1 to 4 is shown as "< 5" (primary suppression).
2. Where a row or column has a total, a hidden cell could be worked out by
   subtracting the others from the total. So in every such line (the cells
   of a column plus its total, or the summands of a row plus its total) that
   has exactly one hidden cell, a second cell is hidden too: the smallest
   other one, shown as "x" (secondary suppression). This repeats until no
   line has a single hidden cell, because hiding a cell can open another line.
3. A median, percentile, share or sum taken over fewer than 5 cases is not
   shown ("–").
"""

import copy

from apps.reports.tables import COUNT, MEASURE, Figure, Value

THRESHOLD = 5
SMALL = "< 5"
SECONDARY = "x"
NOT_SHOWN = "–"
LEGEND = (
    "„< 5“: weniger als fünf Fälle, zum Schutz der Kinder nicht genau angegeben. "
    "„x“: ausgeblendet, damit eine kleine Zahl nicht aus den Summen errechnet werden kann. "
    "„–“: nicht ausgewiesen (weniger als fünf Fälle oder kein Wert)."
)

Cell = tuple[int, int]  # (row index, column index)


def _count(value: Value) -> int | None:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return None
    number = float(value)
    return int(number) if number.is_integer() else None


def _lines(figure: Figure) -> list[list[Cell]]:
    """Every set of cells tied together by a total (cells plus their total)."""
    lines: list[list[Cell]] = []
    total_rows = [i for i, row in enumerate(figure.rows) if row.is_total]
    body_rows = [i for i, row in enumerate(figure.rows) if not row.is_total]
    for c, column in enumerate(figure.columns):
        if column.kind != COUNT:
            continue
        for t in total_rows:
            lines.append([(r, c) for r in body_rows] + [(t, c)])
    summands = [c for c, column in enumerate(figure.columns) if column.summand]
    totals = [c for c, column in enumerate(figure.columns) if column.total]
    if summands:
        for r in range(len(figure.rows)):
            for t in totals:
                lines.append([(r, c) for c in summands] + [(r, t)])
    # A cell without a value (not known, "–") takes no part in a sum.
    return [[(r, c) for r, c in line if figure.rows[r].values[c] is not None] for line in lines]


def _pick_second(line: list[Cell], hidden: set[Cell], figure: Figure) -> Cell | None:
    """The cell to hide beside the single hidden one: the smallest body cell, totals last."""
    candidates = [cell for cell in line if cell not in hidden]
    if not candidates:
        return None

    def cost(cell: Cell) -> tuple[int, int, int]:
        r, c = cell
        is_total = figure.rows[r].is_total or figure.columns[c].total
        value = _count(figure.rows[r].values[c]) or 0
        # Hide a non-zero body cell first (a hidden zero next to a hidden 3 still
        # tells the 3); then the smallest, so as little as possible is lost.
        return (int(is_total), int(value == 0), value)

    return min(candidates, key=cost)


def hidden_cells(figure: Figure) -> tuple[set[Cell], set[Cell]]:
    """The primarily and the secondarily suppressed cells of ``figure``."""
    primary: set[Cell] = set()
    for r, row in enumerate(figure.rows):
        for c, column in enumerate(figure.columns):
            value = _count(row.values[c])
            if column.kind == COUNT and value is not None and 0 < value < THRESHOLD:
                primary.add((r, c))
    hidden = set(primary)
    lines = _lines(figure)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) == 1:
                second = _pick_second(line, hidden, figure)
                if second is not None:
                    hidden.add(second)
                    changed = True
    return primary, hidden - primary


def suppress(figure: Figure) -> Figure:
    """A copy of ``figure`` safe to publish (see the module's rule)."""
    primary, secondary = hidden_cells(figure)
    safe = copy.deepcopy(figure)
    used = bool(primary or secondary)
    for r, row in enumerate(safe.rows):
        original = figure.rows[r].values
        for c, column in enumerate(safe.columns):
            if (r, c) in primary:
                row.values[c] = SMALL
            elif (r, c) in secondary:
                row.values[c] = SECONDARY
            elif column.kind == MEASURE and column.basis is not None:
                basis = _count(original[column.basis])
                if row.values[c] is not None and (basis is None or basis < THRESHOLD):
                    row.values[c] = NOT_SHOWN
                    used = True
    if used and LEGEND not in safe.notices:
        safe.notices.append(LEGEND)
    return safe
