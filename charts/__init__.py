"""Charts over a loaded `core.Catalog`, shared by the exploratory report and the bot's `/stats`.

Every chart function is pure: it takes the catalog (or the ETL's parsed report) plus options and
returns a `Chart` holding the matplotlib Figure (drawn with Agg, never pyplot), the data drawn in
it and a one-line finding computed from that data.

The bot's `/stats [platform]` calls one function:

    chart = charts.titles_per_year(catalog, Platform.NETFLIX)   # or None for every platform
    await update.message.reply_photo(chart.png(), caption=chart.finding)

`titles_per_year(catalog, platform: Platform | None) -> Chart` counts titles per release year, split
into movies and TV shows; `chart.png() -> bytes` renders a PNG, `chart.finding: str` is one
sentence, `chart.data` is the DataFrame (release_year x {movie, tv show}).
"""
from charts.figure import Chart
from charts.ratings import rating_distribution, ratings_per_user, title_scores
from charts.repairs import missing_values, repairs
from charts.titles import (
    durations,
    maturity_ratings,
    people,
    releases_per_year,
    titles_per_platform,
    titles_per_year,
    top_countries,
    top_genres,
)

__all__ = [
    "Chart", "durations", "maturity_ratings", "missing_values", "people", "rating_distribution",
    "ratings_per_user", "releases_per_year", "repairs", "title_scores", "titles_per_platform",
    "titles_per_year", "top_countries", "top_genres",
]
