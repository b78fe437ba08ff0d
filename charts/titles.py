"""Charts of the catalog itself: sizes, release years, durations, genres, countries, ratings, people."""
from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from charts.figure import (
    PLATFORM_COLORS,
    TYPE_COLORS,
    Chart,
    barh_ranked,
    label,
    new_figure,
    platform_of,
    spread,
)
from core import Catalog
from core.vocabulary import MINUTES, MOVIE, SEASONS, Platform

TV_SHOW = "tv show"
TYPES = (MOVIE, TV_SHOW)
PLATFORM_KEYS = [p.key for p in Platform]
LABELS = {p.key: p.label for p in Platform}
COLORS = {p.key: PLATFORM_COLORS[p] for p in Platform}


def _titles(catalog: Catalog) -> pd.DataFrame:
    # Only these columns go to pandas (not the whole table's lists and descriptions): /stats in the bot uses it.
    frame = catalog.table.select(["id", "type", "display_title", "release_year", "duration_int", "duration_type",
                                  "rating"]).to_pandas()
    return frame.assign(platform=platform_of(frame["id"]))


def _names(catalog: Catalog, column: str) -> pd.DataFrame:
    """One row per (title row, name) of a list column, a name listed twice in one title kept once."""
    lists = catalog.table.column(column)
    rows = pc.list_parent_indices(lists).to_numpy()
    names = pd.DataFrame({"row": rows, "name": pc.list_flatten(lists).to_numpy(zero_copy_only=False)})
    names = names.drop_duplicates()
    names["platform"] = platform_of(catalog.frame["id"]).to_numpy()[names["row"].to_numpy()]
    return names


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


# ---- sizes and years -------------------------------------------------------------------------
def titles_per_platform(catalog: Catalog) -> Chart:
    """Movies and TV shows on each platform, stacked."""
    titles = _titles(catalog)
    counts = (
        pd.crosstab(titles["platform"], titles["type"])
        .reindex(index=PLATFORM_KEYS, columns=list(TYPES), fill_value=0)
    )
    counts["total"] = counts[MOVIE] + counts[TV_SHOW]

    figure = new_figure(7, 4)
    axes = figure.add_subplot()
    names = [LABELS[k] for k in counts.index]
    axes.bar(names, counts[MOVIE], color=TYPE_COLORS[MOVIE], label="movies")
    axes.bar(names, counts[TV_SHOW], bottom=counts[MOVIE], color=TYPE_COLORS[TV_SHOW], label="TV shows")
    for x, total in enumerate(counts["total"]):
        axes.annotate(f"{total:,}", (x, total), xytext=(0, 3), textcoords="offset points", ha="center", fontsize=9)
    axes.set_ylabel("titles")
    axes.margins(y=0.1)
    axes.legend(frameon=False)
    axes.set_title("Titles per platform and type")

    largest, smallest = counts["total"].idxmax(), counts["total"].idxmin()
    show_share = counts[TV_SHOW] / counts["total"].replace(0, np.nan)
    showiest = show_share.idxmax()
    most, least = counts.at[largest, "total"], counts.at[smallest, "total"]
    sizes = (
        f"{LABELS[largest]} has the most titles ({most:,}, {_share(counts.at[largest, MOVIE], most)} movies) "
        f"and {LABELS[smallest]} the fewest ({least:,})"
        if least < most else f"Every platform has {most:,} titles"
    )
    finding = (
        f"{sizes}; {LABELS[showiest]} has the highest share of TV shows "
        f"({_share(counts.at[showiest, TV_SHOW], counts.at[showiest, 'total'])}, "
        f"{counts.at[showiest, TV_SHOW]:,} of {counts.at[showiest, 'total']:,})."
    )
    return Chart("titles_per_platform", "Titles per platform and type", figure, counts, finding)


def releases_per_year(catalog: Catalog) -> Chart:
    """Titles per release year, one line per platform, with each platform's median year marked."""
    titles = _titles(catalog)
    counts = (
        pd.crosstab(titles["release_year"], titles["platform"])
        .reindex(columns=PLATFORM_KEYS, fill_value=0)
        .sort_index()
    )
    medians = titles.groupby("platform")["release_year"].median().reindex(PLATFORM_KEYS).dropna()

    figure = new_figure(8, 4.5)
    axes = figure.add_subplot()
    for key in PLATFORM_KEYS:
        axes.plot(counts.index, counts[key], color=COLORS[key], label=LABELS[key], linewidth=1.5)
        if key in medians:
            axes.axvline(medians[key], color=COLORS[key], linestyle="--", linewidth=0.8)
    axes.set_xlabel("release year (dashed: each platform's median)")
    # Log scale: recent years have a hundred times the titles of the 1950s, which would flatten the old catalogs.
    axes.set_yscale("log")
    axes.set_ylabel("titles (log scale)")
    axes.legend(frameon=False, loc="upper left")
    axes.set_title("Releases per year by platform")

    oldest = medians.idxmin()
    others = {k: v for k, v in medians.items() if k != oldest}
    elsewhere = f" vs {spread(others)} elsewhere" if others else ""
    before_2000 = titles[titles["release_year"] < 2000].groupby("platform").size() / titles.groupby("platform").size()
    finding = (
        f"{LABELS[oldest]} has the oldest catalog: median release year {medians[oldest]:.0f}{elsewhere}; "
        f"{before_2000.get(oldest, 0):.0%} of its titles were released before 2000."
    )
    data = {"counts": counts, "median_year": medians}
    return Chart("releases_per_year", "Releases per year by platform", figure, data, finding)


# The words drawn on the /stats chart; the bot passes its reader's language (bot.texts), the report English.
CHART_WORDS = {"movies": "movies", "tv_shows": "TV shows", "release_year": "release year", "titles": "titles",
               "heading": "Titles per release year: {where}", "all_platforms": "all platforms"}


def titles_per_year(catalog: Catalog, platform: Platform | None = None, words: dict[str, str] | None = None) -> Chart:
    """Titles per release year split into movies and TV shows, for one platform or all of them; `words`
    (keys of CHART_WORDS) label the figure in another language."""
    words = CHART_WORDS | (words or {})
    titles = _titles(catalog)
    if platform is not None:
        titles = titles[titles["platform"] == platform.key]
    where = platform.label if platform is not None else words["all_platforms"]
    counts = pd.crosstab(titles["release_year"], titles["type"]).reindex(columns=list(TYPES), fill_value=0)
    counts = counts.sort_index()

    figure = new_figure(8, 4)
    axes = figure.add_subplot()
    axes.bar(counts.index, counts[MOVIE], color=TYPE_COLORS[MOVIE], label=words["movies"], width=0.9)
    axes.bar(counts.index, counts[TV_SHOW], bottom=counts[MOVIE], color=TYPE_COLORS[TV_SHOW],
             label=words["tv_shows"], width=0.9)
    axes.set_xlabel(words["release_year"])
    axes.set_ylabel(words["titles"])
    axes.legend(frameon=False, loc="upper left")
    axes.set_title(words["heading"].format(where=where))

    total = int(counts.to_numpy().sum())
    facts: dict[str, int] = {"total": total}
    if total == 0:
        finding = f"{where} has no titles."
    else:
        per_year = counts.sum(axis=1)
        peak = int(per_year.idxmax())
        recent = int(per_year[per_year.index >= 2015].sum())
        facts |= {
            "first": int(counts.index.min()), "last": int(counts.index.max()), "peak": peak,
            "peak_titles": int(per_year[peak]), "peak_shows": int(counts.at[peak, TV_SHOW]),
            "recent_percent": round(100 * recent / total),
        }
        finding = (
            f"{total:,} titles ({where}) released {counts.index.min()}-{counts.index.max()}; the peak is {peak} "
            f"({per_year[peak]:,} titles, {counts.at[peak, TV_SHOW]:,} TV shows) and "
            f"{_share(recent, total)} were released in 2015 or later."
        )
    return Chart("titles_per_year", words["heading"].format(where=where), figure, counts, finding, facts)


# ---- durations -------------------------------------------------------------------------------
def _tukey_fence(values: pd.Series) -> float:
    q1, q3 = values.quantile([0.25, 0.75])
    return float(q3 + 1.5 * (q3 - q1))


def _amount(value: float, unit: str) -> str:
    if unit == MINUTES:
        return f"{value:.0f} min"
    return f"{value:.0f} season{'' if round(value) == 1 else 's'}"


def durations(catalog: Catalog, named: int = 3) -> Chart:
    """Movie minutes and show seasons per platform as box plots, the longest titles named."""
    titles = _titles(catalog).dropna(subset=["duration_int"])
    titles = titles.assign(duration_int=titles["duration_int"].astype(int))
    figure = new_figure(11, 4.5)
    data: dict[str, pd.DataFrame] = {}
    facts = {}
    for column, (unit, noun) in enumerate(((MINUTES, "minutes"), (SEASONS, "seasons"))):
        of_unit = titles[titles["duration_type"] == unit]
        data[unit] = of_unit.groupby("platform")["duration_int"].describe().reindex(PLATFORM_KEYS)
        longest = of_unit.sort_values(["duration_int", "display_title"], ascending=[False, True]).head(named)
        data[f"longest_{unit}"] = longest[["id", "display_title", "platform", "duration_int"]].reset_index(drop=True)
        fence = _tukey_fence(of_unit["duration_int"]) if len(of_unit) else 0.0
        facts[unit] = (of_unit["duration_int"], longest, fence)

        axes = figure.add_subplot(1, 2, column + 1)
        present = [k for k in PLATFORM_KEYS if (of_unit["platform"] == k).any()]
        boxes = axes.boxplot(
            [of_unit.loc[of_unit["platform"] == k, "duration_int"] for k in present],
            tick_labels=[LABELS[k] for k in present], patch_artist=True, widths=0.6,
            flierprops={"markersize": 2, "alpha": 0.4},
        )
        for patch, key in zip(boxes["boxes"], present, strict=True):
            patch.set_facecolor(COLORS[key])
            patch.set_alpha(0.6)
        # The longest titles are circled and named in a corner box: labels beside the points overlap.
        lines = []
        for rank, row in enumerate(longest.itertuples(), start=1):
            axes.plot(present.index(row.platform) + 1, row.duration_int, "o", markersize=7, mfc="none", mec="black")
            name = textwrap.shorten(row.display_title, 34, placeholder="...")
            lines.append(f"{rank}. {name} ({row.duration_int}, {LABELS[row.platform]})")
        if lines:
            axes.text(0.98, 0.97, "Longest:\n" + "\n".join(lines), transform=axes.transAxes, ha="right", va="top",
                      fontsize=7, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "#cccccc"})
        axes.set_ylabel(noun)
        axes.set_title(f"{'Movies' if unit == MINUTES else 'TV shows'}: {noun}", fontsize=10)

    parts = []
    for unit, kind in ((MINUTES, "movies"), (SEASONS, "shows")):
        values, longest, fence = facts[unit]
        if values.empty:
            continue
        top = longest.iloc[0]
        over = int((values > fence).sum())
        parts.append(
            f"{kind} run a median {_amount(values.median(), unit)}, outliers: {over:,} above "
            f"{_amount(fence, unit)} (Tukey fence), the longest '{top['display_title']}' "
            f"({_amount(top['duration_int'], unit)}, {LABELS[top['platform']]})"
        )
    finding = ("; ".join(parts) or "no durations") + "."
    finding = finding[0].upper() + finding[1:]
    return Chart("durations", "Duration: minutes for movies, seasons for shows", figure, data, finding)


# ---- top genres, countries and maturity ratings per platform ---------------------------------
def _top_per_platform(counts: pd.DataFrame, n: int) -> pd.DataFrame:
    """counts (platform, name, titles) -> the n largest per platform, ties by name, with a rank."""
    ranked = counts.sort_values(["platform", "titles", "name"], ascending=[True, False, True])
    ranked = ranked.groupby("platform", sort=False).head(n).copy()
    ranked["rank"] = ranked.groupby("platform").cumcount() + 1
    return ranked.reset_index(drop=True)


def _panels_per_platform(top: pd.DataFrame, title: str):
    figure = new_figure(12, 4.2)
    for column, key in enumerate(PLATFORM_KEYS):
        axes = figure.add_subplot(1, 4, column + 1)
        rows = top[top["platform"] == key]
        barh_ranked(axes, pd.Series(rows["titles"].to_numpy(), index=rows["name"]), COLORS[key], LABELS[key])
    figure.suptitle(title)
    return figure


def _leaders(top: pd.DataFrame) -> str:
    """'Drama on Amazon (1,854) and Hulu (1,000); Family on Disney+ (632)': each platform's first."""
    firsts = top[top["rank"] == 1]
    groups = []
    for name, rows in firsts.groupby("name", sort=False):
        where = [f"{LABELS[r.platform]} ({r.titles:,})" for r in rows.itertuples()]
        groups.append(f"{label(name)} on {' and '.join(where) if len(where) < 3 else ', '.join(where)}")
    return "; ".join(groups)


def _name_counts(catalog: Catalog, column: str, n: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(one row per title and name, titles per platform and name, the top n names per platform)."""
    names = _names(catalog, column)
    counts = names.groupby(["platform", "name"]).size().rename("titles").reset_index()
    return names, counts, _top_per_platform(counts, n)


def top_genres(catalog: Catalog, n: int = 8) -> Chart:
    # the platforms' own labels ("Dramas", "TV Dramas", "Drama") mapped onto one vocabulary (core/genres.py)
    _, counts, top = _name_counts(catalog, "genres", n)
    labels = _names(catalog, "listed_in")["name"].nunique()
    platforms_per_genre = counts.groupby("name")["platform"].nunique()
    everywhere = int((platforms_per_genre == counts["platform"].nunique()).sum())
    finding = (
        f"Top genre: {_leaders(top)}. The platforms' {labels} genre labels map onto {len(platforms_per_genre)} genres,"
        f" {everywhere} of them on every platform."
    )
    figure = _panels_per_platform(top, f"Top {n} genres per platform (titles listing the genre)")
    return Chart("top_genres", "Top genres per platform", figure, top, finding)


def top_countries(catalog: Catalog, n: int = 8) -> Chart:
    names, _, top = _name_counts(catalog, "country", n)
    titles = _titles(catalog)
    has_country = np.zeros(len(titles), bool)
    has_country[names["row"].to_numpy()] = True
    without = pd.Series(~has_country).groupby(titles["platform"].to_numpy()).mean().reindex(PLATFORM_KEYS).dropna()
    finding = (
        f"Top country: {_leaders(top)}. {_share((~has_country).sum(), len(titles))} of titles list no country "
        f"({', '.join(f'{LABELS[k]} {v:.0%}' for k, v in without.items())}), so country counts are lower bounds."
    )
    figure = _panels_per_platform(top, f"Top {n} production countries per platform")
    return Chart("top_countries", "Top countries per platform", figure, top, finding)


def maturity_ratings(catalog: Catalog, n: int = 8) -> Chart:
    titles = _titles(catalog)
    counts = titles.groupby(["platform", "rating"]).size().rename("titles").reset_index()
    counts = counts.rename(columns={"rating": "name"})
    top = _top_per_platform(counts, n)
    firsts = top[top["rank"] == 1].set_index("platform")
    totals = titles.groupby("platform").size()
    shares = ", ".join(
        f"{LABELS[k]} '{r['name']}' ({_share(r['titles'], totals[k])})" for k, r in firsts.iterrows()
    )
    finding = f"Most common maturity rating: {shares}; {titles['rating'].nunique()} distinct ratings in all."
    figure = _panels_per_platform(top, f"Top {n} maturity ratings per platform")
    return Chart("maturity_ratings", "Maturity ratings per platform", figure, top, finding)


# ---- people ------------------------------------------------------------------------------------
def people(catalog: Catalog, n: int = 12) -> Chart:
    """The cast members and directors credited on the most titles, all platforms together."""
    figure = new_figure(11, 4.5)
    data = {}
    parts = []
    for column, (field, noun) in enumerate((("cast", "cast member"), ("director", "director"))):
        names = _names(catalog, field)
        counts = names.groupby("name").size().rename("titles").reset_index()
        counts = counts.sort_values(["titles", "name"], ascending=[False, True]).head(n)
        counts = counts.set_index("name")["titles"]
        data[field] = counts
        axes = figure.add_subplot(1, 2, column + 1)
        barh_ranked(axes, counts, "#55a868" if field == "cast" else "#8172b2", f"Most frequent {noun}s")
        if not counts.empty:
            top_name = counts.index[0]
            platforms = names[names["name"] == top_name].groupby("platform").size().sort_values(ascending=False)
            credited = len(np.unique(names["row"]))
            parts.append(
                f"{noun} {label(top_name)} ({counts.iloc[0]:,} titles, {platforms.iloc[0]:,} on "
                f"{LABELS[platforms.index[0]]}); {_share(len(catalog) - credited, len(catalog))} of titles "
                f"name no {noun}"
            )
    finding = ("Most frequent " + "; most frequent ".join(parts) + ".") if parts else "No cast or directors listed."
    return Chart("people", "Most frequent cast members and directors", figure, data, finding)
