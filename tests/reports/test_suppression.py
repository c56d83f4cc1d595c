"""The privacy rule of published tables (apps/reports/suppression.py)."""

import itertools

from apps.reports.suppression import NOT_SHOWN, SECONDARY, SMALL, suppress
from apps.reports.tables import COUNT, MEASURE, Column, Figure, Row


def _figure(rows: list[list[int]], *, total_row: bool = True, total_col: bool = False) -> Figure:
    columns = [Column(f"c{i}", COUNT, summand=total_col) for i in range(len(rows[0]))]
    body = [Row(f"r{i}", list(values)) for i, values in enumerate(rows)]
    if total_col:
        columns.append(Column("Summe", COUNT, total=True))
        for row in body:
            row.values.append(sum(row.values))
    if total_row:
        sums = [sum(row.values[c] for row in body) for c in range(len(columns))]
        body.append(Row("Insgesamt", sums, is_total=True))
    return Figure(key="t", title="T", row_header="", columns=columns, rows=body)


def _shown(figure: Figure) -> list[list[object]]:
    return [row.values for row in figure.rows]


def test_counts_from_one_to_four_are_shown_as_less_than_five():
    safe = suppress(_figure([[0], [1], [4], [5], [12]], total_row=False))

    assert _shown(safe) == [[0], [SMALL], [SMALL], [5], [12]]


def test_zero_and_five_are_shown_exactly():
    safe = suppress(_figure([[0], [5]], total_row=False))

    assert _shown(safe) == [[0], [5]]


def test_a_single_small_cell_in_a_column_with_a_total_hides_a_second_cell():
    safe = suppress(_figure([[3], [20], [30]]))

    values = [row.values[0] for row in safe.rows]
    assert values[0] == SMALL
    # The smallest other body cell goes too, so 53 - 30 does not give away the 3.
    assert values[1] == SECONDARY
    assert values[2] == 30 and values[3] == 53


def test_two_small_cells_need_no_second_suppression():
    safe = suppress(_figure([[3], [2], [30]]))

    assert [row.values[0] for row in safe.rows] == [SMALL, SMALL, 30, 35]


def test_a_lone_cell_beside_its_total_takes_the_total_with_it():
    safe = suppress(_figure([[0], [3]], total_col=False))

    assert [row.values[0] for row in safe.rows] == [0, SMALL, SMALL]


def test_row_and_column_totals_are_both_protected():
    safe = suppress(_figure([[3, 10, 12], [8, 9, 15], [20, 6, 7]], total_col=True))

    assert safe.rows[0].values[0] == SMALL
    _assert_no_cell_recoverable(safe)


def _assert_no_cell_recoverable(safe: Figure) -> None:
    """Try what a reader would: every row and column sum, solved for one unknown."""
    hidden = {
        (r, c)
        for r, row in enumerate(safe.rows)
        for c, value in enumerate(row.values)
        if value in (SMALL, SECONDARY)
    }
    lines = []
    body = [r for r, row in enumerate(safe.rows) if not row.is_total]
    totals = [r for r, row in enumerate(safe.rows) if row.is_total]
    for c in range(len(safe.columns)):
        for t in totals:
            lines.append([(r, c) for r in body] + [(t, c)])
    summands = [c for c, col in enumerate(safe.columns) if col.summand]
    total_cols = [c for c, col in enumerate(safe.columns) if col.total]
    for r in range(len(safe.rows)):
        for t in total_cols:
            lines.append([(r, c) for c in summands] + [(r, t)])
    for line in lines:
        unknown = [cell for cell in line if cell in hidden]
        assert len(unknown) != 1, f"{unknown[0]} lässt sich aus der Summe errechnen"


def test_no_hidden_cell_can_be_recovered_by_subtraction_in_many_tables():
    # Every 3×3 table of small and large counts, with both totals.
    for cells in itertools.product((0, 2, 7), repeat=6):
        grid = [list(cells[0:3]), list(cells[3:6]), [9, 1, 12]]
        safe = suppress(_figure(grid, total_col=True))
        _assert_no_cell_recoverable(safe)


def test_an_attacker_subtracting_the_shown_cells_from_the_total_gets_no_single_value():
    original = _figure([[2], [14], [9]])
    safe = suppress(original)
    shown_total = safe.rows[-1].values[0]
    shown_known = sum(v for row in safe.rows[:-1] for v in row.values if isinstance(v, int))

    remainder = shown_total - shown_known

    # 25 - 14 = 11 is the sum of two hidden cells (2 and 9), not the 2 itself.
    assert remainder == 11
    assert [row.values[0] for row in safe.rows[:-1]].count(SMALL) == 1
    assert [row.values[0] for row in safe.rows[:-1]].count(SECONDARY) == 1


def test_a_median_over_fewer_than_five_cases_is_not_shown():
    figure = Figure(
        key="m",
        title="M",
        row_header="",
        columns=[Column("n"), Column("Median", MEASURE, basis=0)],
        rows=[Row("a", [4, 3.5]), Row("b", [5, 7.0]), Row("c", [0, None])],
    )

    safe = suppress(figure)

    assert _shown(safe) == [[SMALL, NOT_SHOWN], [5, 7.0], [0, None]]


def test_suppression_leaves_the_original_untouched_and_explains_itself():
    original = _figure([[3], [20]])

    safe = suppress(original)

    assert original.rows[0].values == [3]
    assert any("< 5" in notice for notice in safe.notices)


def test_suppressing_twice_changes_nothing():
    once = suppress(_figure([[3, 10], [8, 2], [20, 6]], total_col=True))

    assert _shown(suppress(once)) == _shown(once)
