"""A tiny desktop wallboard: a grid of tiles, one per object and statistic, kept live.

    python examples/wallboard.py --port 7070 Campaign:Spring2027 CampaignGroup:Spring2027@Sales \\
        --stat DialsMade --stat AnswerRate --stat CampaignState

It uses the blocking client: values arrive on its thread-safe queue, and the Tk loop drains
the queue every 250 ms into `WallboardModel`, which knows nothing of Tk (and is tested without
a display). Tiles of invalid statistics turn grey; the client reconnects by itself.
"""

from __future__ import annotations

import argparse
import queue
from dataclasses import dataclass
from typing import Any

from statsrv.client import BlockingClient, Invalid, StatServerError, format_value

POLL_MILLISECONDS = 250
VALID_COLOUR, INVALID_COLOUR, ERROR_COLOUR = "#1b5e20", "#757575", "#b71c1c"


@dataclass(slots=True)
class Tile:
    """One statistic of one object on the board."""

    object_label: str
    stat: str
    text: str = "-"
    valid: bool = True
    error: str | None = None

    @property
    def colour(self) -> str:
        """Green while valid, grey while invalid, red when the server refused it."""
        if self.error is not None:
            return ERROR_COLOUR
        return VALID_COLOUR if self.valid else INVALID_COLOUR


class WallboardModel:
    """The tiles and what each shows; fed by value updates, independent of any GUI."""

    def __init__(self, objects: list[str], stats: list[str]) -> None:
        self.objects, self.stats = objects, stats
        self.tiles = {(obj, stat): Tile(obj, stat) for obj in objects for stat in stats}
        self._by_id: dict[int, Tile] = {}

    def bind(self, object_label: str, stat: str, statistic_id: int) -> None:
        """The tile of `(object_label, stat)` shows the statistic `statistic_id`."""
        self._by_id[statistic_id] = self.tiles[object_label, stat]

    def refuse(self, object_label: str, stat: str, error_name: str) -> None:
        """The server refused this tile's statistic."""
        tile = self.tiles[object_label, stat]
        tile.text, tile.error = error_name, error_name

    def apply(self, statistic_id: int, value: Any, valid: bool) -> Tile | None:
        """Show one update (a value or an `Invalid` marker); returns the tile it changed."""
        tile = self._by_id.get(statistic_id)
        if tile is None:
            return None
        tile.valid = valid and not isinstance(value, Invalid)
        if not isinstance(value, Invalid):
            tile.text = format_value(value)
        return tile

    def drain(self, updates: queue.Queue[Any]) -> int:
        """Apply every update waiting on the client's queue; returns how many."""
        count = 0
        while True:
            try:
                update = updates.get_nowait()
            except queue.Empty:
                return count
            self.apply(update.statistic.statistic_id, update.value, update.valid)
            count += 1

    def open_all(self, client: BlockingClient, profile: str | None = None) -> None:
        """Open every tile's statistic on `client`; refused ones show their error."""
        for obj, stat in self.tiles:
            try:
                handle = client.open_statistic(obj, stat, profile)
            except StatServerError as exc:
                self.refuse(obj, stat, exc.error_name)
            else:
                self.bind(obj, stat, handle.statistic_id)

    def grid(self) -> list[list[Tile]]:
        """The tiles row by row (one row per object)."""
        return [[self.tiles[obj, stat] for stat in self.stats] for obj in self.objects]


class WallboardView:
    """The Tk window: a header row of statistic names and a label per tile."""

    def __init__(self, root: Any, model: WallboardModel, client: BlockingClient) -> None:
        import tkinter as tk  # noqa: PLC0415 - importable where Tk is not installed

        self.root, self.model, self.client = root, model, client
        self.labels: dict[tuple[str, str], Any] = {}
        font = ("Helvetica", 18, "bold")
        for col, stat in enumerate(model.stats, start=1):
            tk.Label(root, text=stat, font=("Helvetica", 12)).grid(row=0, column=col, padx=6)
        for row, tiles in enumerate(model.grid(), start=1):
            tk.Label(root, text=tiles[0].object_label, anchor="w").grid(row=row, column=0)
            for col, tile in enumerate(tiles, start=1):
                label = tk.Label(root, width=14, font=font, fg="white", pady=12)
                label.grid(row=row, column=col, padx=4, pady=4)
                self.labels[tile.object_label, tile.stat] = label
        self.refresh()

    def refresh(self) -> None:
        """Show every tile's text and colour."""
        for key, label in self.labels.items():
            tile = self.model.tiles[key]
            label.configure(text=tile.text, bg=tile.colour)

    def poll(self) -> None:
        """Drain the client's queue, redraw, and come back in a moment."""
        if self.model.drain(self.client.updates):
            self.refresh()
        self.root.after(POLL_MILLISECONDS, self.poll)


def main() -> None:
    """Open the window and keep it live until it is closed."""
    import tkinter as tk  # noqa: PLC0415 - importable where Tk is not installed

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("objects", nargs="+", metavar="OBJECT", help="[Tenant/]Type:Id")
    parser.add_argument("--stat", action="append", required=True, help="statistic type")
    parser.add_argument("--profile", help="time profile")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7070)
    args = parser.parse_args()
    model = WallboardModel(args.objects, args.stat)
    with BlockingClient(args.host, args.port, client_name="wallboard", reconnect=True) as client:
        model.open_all(client, args.profile)
        root = tk.Tk()
        root.title("statsrv wallboard")
        view = WallboardView(root, model, client)
        view.poll()
        root.mainloop()


if __name__ == "__main__":
    main()
