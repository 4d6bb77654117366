"""Horizontal bar charts as plain geometry, drawn as inline SVG by reports/_chart.html.

The dashboard and the PDF include the same template with the same figures, so a manager sees
the same chart on screen and on paper. WeasyPrint renders inline SVG, text included, so the
labels stay searchable text in the PDF. Horizontal bars keep long Vietnamese names readable.
"""

from dataclasses import dataclass

from django.utils.text import Truncator

from khuyencong.money import format_vnd

from .figures import MONEY

WIDTH = 640
LABEL_WIDTH = 190  # room for "Huyện Hoàng Su Phì" at the chart's font size
VALUE_WIDTH = 76  # room for "1.234 tr" after the longest bar
TOP = 26  # the legend


@dataclass(frozen=True)
class Geometry:
    """Sizes of a chart's bars and texts, in the SVG's units."""

    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar: int = 13
    gap: int = 3  # between the bars of a row
    row_gap: int = 10
    value_font: float = 11.5  # the figure after a bar
    value_dy: int = 10  # its baseline below the bar's top


SCREEN = Geometry()
# On paper a chart sits under its table: thinner bars keep a dozen units to a third of a page.
PRINT = Geometry(bar=7, gap=1, row_gap=5, value_font=8.5, value_dy=6)
# Beside a short table (the statuses): half as wide, so its text prints as large as the rest.
PRINT_BESIDE = Geometry(
    width=340, label_width=110, bar=10, gap=1, row_gap=6, value_font=11, value_dy=9
)

# Colours told apart in greyscale print, too (light to dark).
PALETTE = ("#9ec5e8", "#4a90c8", "#1f5f99", "#0b2f4d")

MONEY_SERIES = {
    "allocated": "Phân bổ",
    "contracted": "Hợp đồng",
    "disbursed": "Giải ngân",
    "accepted": "Nghiệm thu",
}


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    color: str
    value: str
    title: str


@dataclass(frozen=True)
class Row:
    label: str
    full_label: str
    label_y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Legend:
    x: int
    color: str
    name: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    label_width: int
    bar: int
    rows: tuple[Row, ...]
    legend: tuple[Legend, ...]
    value_font: float = SCREEN.value_font
    value_dy: int = SCREEN.value_dy


def short_vnd(amount):
    """1.234.000.000 → '1,23 tỷ'; 350.000.000 → '350 tr': a chart's label, not a figure."""
    if amount >= 1_000_000_000:
        return f"{amount / 1_000_000_000:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " tỷ"
    if amount >= 1_000_000:
        return f"{amount // 1_000_000:,}".replace(",", ".") + " tr"
    return format_vnd(amount, unit=False)


def bar_chart(title, rows, series, *, money=True, geometry=SCREEN):
    """`rows`: (label, [value per series]); `series`: the series' names, in order."""
    g = geometry
    colors = PALETTE[-len(series) :] if len(series) > 1 else (PALETTE[2],)
    top = max((max(values, default=0) for _, values in rows), default=0) or 1
    room = g.width - g.label_width - VALUE_WIDTH
    fmt = short_vnd if money else str
    drawn, y = [], TOP
    for label, values in rows:
        bars = tuple(
            Bar(
                y=y + i * (g.bar + g.gap),
                width=max(1, round(room * value / top)) if value else 0,
                color=colors[i],
                value=fmt(value),
                title=f"{name}: {format_vnd(value) if money else value}",
            )
            for i, (name, value) in enumerate(zip(series, values, strict=True))
        )
        height = len(bars) * (g.bar + g.gap) - g.gap
        drawn.append(
            Row(
                label=Truncator(label).chars(28),
                full_label=label,
                label_y=y + height // 2 + 4,
                bars=bars,
            )
        )
        y += height + g.row_gap
    legend = tuple(
        Legend(x=g.label_width + i * 105, color=colors[i], name=name)
        for i, name in enumerate(series)
    )
    return Chart(
        title=title,
        width=g.width,
        height=max(y, 44),
        label_width=g.label_width,
        bar=g.bar,
        rows=tuple(drawn),
        legend=legend if len(series) > 1 else (),
        value_font=g.value_font,
        value_dy=g.value_dy,
    )


def money_chart(title, rows, what=MONEY, geometry=SCREEN):
    """Rows of ProgressFigures (sources, units) as bars of the chosen amounts."""
    return bar_chart(
        title,
        [(row.name, [getattr(row, w) for w in what]) for row in rows],
        [MONEY_SERIES[w] for w in what],
        geometry=geometry,
    )


def figure_charts(figures, geometry=SCREEN, beside=None):
    """The three charts of the dashboard and the report; `beside`: the geometry of the status
    chart, which the report prints beside its table."""
    return {
        "by_source": money_chart("Kinh phí theo nguồn (đồng)", figures.sources, geometry=geometry),
        "by_unit": money_chart(
            "Phân bổ và giải ngân theo địa bàn (đồng)",
            [row for row in figures.by_unit if row.allocated or row.contracted],
            what=("allocated", "disbursed"),
            geometry=geometry,
        ),
        "by_status": bar_chart(
            "Số đề án theo trạng thái",
            [(row.label, [row.count]) for row in figures.statuses],
            ["Số đề án"],
            money=False,
            geometry=beside or geometry,
        ),
    }


HISTORY_MONEY = ("allocated", "disbursed", "accepted")


def history_chart(rows, geometry=SCREEN):
    """The multi-year table's bars: what each year's plans allocated, paid out and accepted.
    A year with none of it is a row of the table, not a row of zeros in the chart."""
    return money_chart(
        "Kinh phí theo năm kế hoạch (đồng)",
        [row for row in rows if any(getattr(row, w) for w in HISTORY_MONEY)],
        what=HISTORY_MONEY,
        geometry=geometry,
    )
