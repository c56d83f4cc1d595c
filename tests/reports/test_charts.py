"""The SVG charts: drawn only where there is something to draw, labels that stay apart."""

from apps.reports.charts import bar_chart
from apps.reports.suppression import SMALL
from apps.reports.tables import Column, Figure, Row


def _figure(rows: list[Row]) -> Figure:
    return Figure(
        key="probe",
        title="Probe",
        row_header="Zeile",
        columns=[Column("Anzahl"), Column("Anzahl Vorjahr")],
        rows=rows,
        compare_column=1,
    )


def test_a_chart_of_suppressed_cells_only_is_left_out_the_table_stays():
    figure = _figure([Row("West", [SMALL, 0]), Row("Nord", [SMALL, SMALL])])

    assert bar_chart(figure) is None


def test_long_labels_keep_their_ends_so_rows_stay_apart():
    names = [
        "Lebenshilfe Inklusive Bildung – Regionalteam Weimar 1 – ohne Pool",
        "Lebenshilfe Inklusive Bildung – Regionalteam Weimar 2 – ohne Pool",
    ]
    chart = bar_chart(_figure([Row(name, [3, 2]) for name in names]))

    assert chart is not None and chart.narrow is not None
    for drawing in (chart, chart.narrow):
        labels = [row.label for row in drawing.rows]
        assert len(set(labels)) == 2 and all("…" in label for label in labels)
        assert labels[0].endswith("ohne Pool")


def test_the_narrow_chart_puts_labels_above_the_bars():
    chart = bar_chart(_figure([Row("West", [8, 5]), Row("Nord", [3, 0])]))

    assert chart is not None and chart.narrow is not None
    narrow = chart.narrow
    assert narrow.width < chart.width and narrow.label_anchor == "start"
    first = narrow.rows[0]
    assert first.label_y < min(bar.y for bar in first.bars)
    assert [bar.width for bar in first.bars][0] > [bar.width for bar in first.bars][1]
