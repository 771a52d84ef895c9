"""The table behind `statsrv watch`: one row per object, one column per statistic.

Each cell holds the open `Statistic` it shows (read afresh at each render, so values update in
place) or the name of the error that refused it. Rendering is separate from the connection:
`plain_table` for scripts and pipes, `rich_table` for a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table
from rich.text import Text

from protocol import StatisticObject
from statsrv.client.formatting import NO_VALUE, format_cell
from statsrv.client.objects import object_label
from statsrv.client.statistic import Statistic

OBJECT_HEADER = "Object"


@dataclass(slots=True)
class Cell:
    """One statistic of one object: its handle once open, or why it could not be opened."""

    statistic: Statistic | None = None
    error: str | None = None

    @property
    def text(self) -> str:
        """What the cell shows: the value (`?` appended when invalid), or the error's name."""
        if self.error is not None:
            return self.error
        stat = self.statistic
        if stat is None:
            return NO_VALUE
        return format_cell(stat.value, valid=stat.valid, has_value=stat.has_value)

    @property
    def valid(self) -> bool:
        """False when refused or invalid."""
        return self.error is None and (self.statistic is None or self.statistic.valid)


@dataclass(slots=True)
class Board:
    """The objects (rows), statistic names (columns) and their cells."""

    objects: tuple[StatisticObject, ...]
    stats: tuple[str, ...]
    title: str | None = None
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in range(len(self.objects)):
            for col in range(len(self.stats)):
                self.cells[row, col] = Cell()

    def positions(self) -> list[tuple[int, int]]:
        """Every (row, column)."""
        return list(self.cells)

    def rows(self) -> list[list[str]]:
        """The text of each row: the object's label, then each cell."""
        return [
            [object_label(obj)] + [self.cells[row, col].text for col in range(len(self.stats))]
            for row, obj in enumerate(self.objects)
        ]


def plain_table(board: Board) -> str:
    """The board as aligned plain text: a header, a rule, one line per object."""
    header = [OBJECT_HEADER, *board.stats]
    lines = [header, *board.rows()]
    widths = [max(len(line[col]) for line in lines) for col in range(len(header))]

    def render(line: list[str]) -> str:
        first = line[0].ljust(widths[0])
        rest = [text.rjust(width) for text, width in zip(line[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [render(header), "  ".join("-" * width for width in widths)]
    out.extend(render(line) for line in lines[1:])
    if board.title:
        out.insert(0, board.title)
    return "\n".join(out) + "\n"


def rich_table(board: Board) -> Table:
    """The board as a rich `Table`; invalid values in red with `?`, refusals dimmed."""
    table = Table(title=board.title)
    table.add_column(OBJECT_HEADER, style="bold")
    for name in board.stats:
        table.add_column(name, justify="right")
    for row, obj in enumerate(board.objects):
        cells = [board.cells[row, col] for col in range(len(board.stats))]
        table.add_row(object_label(obj), *(_styled(cell) for cell in cells))
    return table


def _styled(cell: Cell) -> Text:
    if cell.error is not None:
        return Text(cell.text, style="dim italic")
    return Text(cell.text, style="" if cell.valid else "red")
