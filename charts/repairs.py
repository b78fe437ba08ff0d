"""Charts of what the ETL found and fixed, from its `etl_report.json` (already parsed to a dict)."""
from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd

from charts.figure import Chart, new_figure

# The raw `duration` column ("90 min", "2 Seasons") becomes `duration_int` + `duration_type`; its
# missing values are compared with duration_int's, the half that can stay missing.
RAW_TO_PROCESSED = {"duration": "duration_int"}


def missing_values(etl_report: dict[str, Any]) -> Chart:
    """Missing values per column in the raw catalogs and after the ETL, for columns missing any."""
    missing = etl_report.get("missing_values", {})
    before = {RAW_TO_PROCESSED.get(k, k): v for k, v in missing.get("before", {}).items()}
    after = missing.get("after", {})
    data = pd.DataFrame({"before": pd.Series(before, dtype="Int64"), "after": pd.Series(after, dtype="Int64")})
    data = data[(data.fillna(0) > 0).any(axis=1)].sort_values("before", ascending=True, na_position="first")

    figure = new_figure(8, 4)
    axes = figure.add_subplot()
    y = np.arange(len(data))
    axes.barh(y + 0.2, data["before"].fillna(0), height=0.4, color="#c44e52", label="raw catalogs")
    axes.barh(y - 0.2, data["after"].fillna(0), height=0.4, color="#4c72b0", label="after the ETL")
    axes.set_yticks(y, data.index)
    axes.set_xlabel("titles with the value missing")
    axes.legend(frameon=False, loc="lower right")
    axes.set_title("Missing values per column")

    filled = data[data["after"].fillna(0) < data["before"].fillna(0)]
    kept = data[(data["after"].fillna(0) > 0) & (data["after"] == data["before"])]
    total_before, total_after = int(data["before"].fillna(0).sum()), int(data["after"].fillna(0).sum())
    filled_text = ", ".join(f"{c} {r.before:,}->{r.after:,}" for c, r in filled.fillna(0).iterrows()) or "none"
    kept_text = ", ".join(f"{c} {int(v):,}" for c, v in kept["after"].sort_values(ascending=False).items()) or "none"
    finding = (
        f"{total_before:,} missing values before the ETL, {total_after:,} after; filled or repaired: {filled_text}; "
        f"left missing (unknown in the source): {kept_text}."
    )
    return Chart("missing_values", "Missing values before and after the ETL", figure, data, finding)


def repairs(etl_report: dict[str, Any]) -> Chart:
    """Every kind of repair and drop the ETL made, with its count, on a log axis (counts span decades)."""
    rows = [("repaired", what, n) for what, n in etl_report.get("repaired", {}).items()]
    rows += [("dropped", why, n) for why, n in etl_report.get("dropped", {}).items()]
    data = pd.DataFrame(rows, columns=["action", "what", "count"]).sort_values("count", ascending=True)

    figure = new_figure(10, 0.9 + 0.42 * max(len(data), 1))
    axes = figure.add_subplot()
    colors = ["#c44e52" if a == "dropped" else "#4c72b0" for a in data["action"]]
    axes.barh([textwrap.shorten(w, 70, placeholder="...") for w in data["what"]], data["count"], color=colors)
    for yi, value in enumerate(data["count"]):
        axes.annotate(f"{value:,}", (value, yi), xytext=(2, 0), textcoords="offset points", va="center", fontsize=7)
    if len(data):
        axes.set_xscale("log")
        axes.margins(x=0.08)  # room for the value printed after the longest bar
    axes.tick_params(axis="y", labelsize=8)
    axes.set_xlabel("rows or values (log scale; red: dropped)")
    axes.set_title("What the ETL repaired")

    repaired = data[data["action"] == "repaired"]
    dropped = data[data["action"] == "dropped"]
    if repaired.empty:
        finding = "The ETL had nothing to repair"
    else:
        largest = repaired.iloc[-1]
        finding = (
            f"{len(repaired)} kinds of repair, {int(repaired['count'].sum()):,} in all; the largest: "
            f"{largest['what']} ({int(largest['count']):,})"
        )
    titles_in, titles_out = etl_report.get("titles_in"), etl_report.get("titles_out")
    kept = f" ({titles_out:,} of {titles_in:,} titles kept)" if titles_in is not None and titles_out is not None else ""
    finding += f"; {int(dropped['count'].sum()):,} rows dropped{kept}."
    return Chart("repairs", "What the ETL repaired", figure, data, finding)
