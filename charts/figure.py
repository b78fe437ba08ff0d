"""The chart value every chart function returns, and the few drawing helpers they share.

Figures are plain `matplotlib.figure.Figure` objects, never pyplot's: they need no backend and no
global registry, so nothing leaks between the report, the bot and the tests. PNGs are rendered by
the Agg canvas, which works headless.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.vocabulary import Platform

# The services' own brand colours, so a platform looks the same in every figure.
PLATFORM_COLORS = {
    Platform.AMAZON: "#00a8e1",
    Platform.DISNEY: "#113ccf",
    Platform.HULU: "#1db954",
    Platform.NETFLIX: "#e50914",
}
TYPE_COLORS = {"movie": "#4c72b0", "tv show": "#dd8452"}
DPI = 100


@dataclass(frozen=True)
class Chart:
    """One figure with the data drawn in it and a one-line finding computed from that data.

    `data` is what the figure shows (a DataFrame, or a dict of them for multi-panel figures), so
    a test can compare it with the catalog without reading pixels.
    """

    name: str  # file stem, e.g. "titles_per_platform"
    title: str
    figure: Figure
    data: pd.DataFrame | dict[str, Any]
    finding: str
    # The numbers the finding quotes, for callers that word it themselves (the bot, in Spanish too).
    facts: dict[str, Any] = field(default_factory=dict)

    def png(self, dpi: int = DPI) -> bytes:
        return png_bytes(self.figure, dpi)


def new_figure(width: float = 8.0, height: float = 4.5) -> Figure:
    """A figure drawn by Agg (no pyplot), with constrained layout so labels are never clipped."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure, dpi: int = DPI) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def platform_of(ids: pd.Series) -> pd.Series:
    """The platform key ("amazon", ...) of each title id; the id's first letter is the platform."""
    return ids.str[0].map({p.code: p.key for p in Platform})


def label(text: str) -> str:
    """Names are stored lowercase; title case reads better on an axis."""
    return str(text).title()


def barh_ranked(axes: Axes, counts: pd.Series, color: str, title: str) -> None:
    """A horizontal bar per entry of `counts` (already ranked), the largest at the top, with values."""
    axes.barh([label(k) for k in counts.index[::-1]], counts.to_numpy()[::-1], color=color)
    for y, value in enumerate(counts.to_numpy()[::-1]):
        axes.annotate(f"{value:,}", (value, y), xytext=(2, 0), textcoords="offset points", va="center", fontsize=7)
    axes.set_title(title, fontsize=10)
    axes.tick_params(axis="y", labelsize=8)
    axes.margins(x=0.18)


def spread(values: dict[str, float], fmt: str = "{:.0f}") -> str:
    """'2016-2017' for the range of a few values, or the single value when they agree."""
    low, high = min(values.values()), max(values.values())
    return fmt.format(low) if low == high else f"{fmt.format(low)}-{fmt.format(high)}"
