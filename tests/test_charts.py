"""Each chart's data against an independent computation over the loaded catalog, on the sample and
the full data, and each finding against the numbers it should quote."""
from __future__ import annotations

import json
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pytest

import charts
from charts import Chart
from core.vocabulary import Platform
from etl.report import build_charts
from fixture_scope import shared

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope=shared("module"), params=["sample", "full"])
def dataset(request):
    """(catalog, etl_report, {chart name: Chart}) for the sample and for the full data."""
    processed = request.getfixturevalue(f"{request.param}_processed")
    catalog = request.getfixturevalue(f"{request.param}_catalog")
    etl_report = json.loads((processed / "etl_report.json").read_text())
    built = {chart.name: chart for chart in build_charts(catalog, etl_report)}
    return catalog, etl_report, built


def ranked(counter: Counter, n: int) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:n]


def per_platform_top(catalog, names_of, n: int) -> dict[str, list[tuple[str, int]]]:
    """Top n names per platform, counting each title once per name: the plain-Python way."""
    tallies = {p.key: Counter() for p in Platform}
    for title in catalog.titles:
        tallies[title.platform.key].update(set(names_of(title)))
    return {key: ranked(tally, n) for key, tally in tallies.items()}


def chart_top(chart: Chart) -> dict[str, list[tuple[str, int]]]:
    return {
        key: list(zip(rows["name"], rows["titles"].astype(int), strict=True))
        for key, rows in chart.data.groupby("platform", sort=False)
    }


def test_every_chart_is_a_figure_with_a_finding_and_no_pyplot_state(dataset):
    _, _, built = dataset
    assert len(built) == 13
    for chart in built.values():
        assert chart.finding and "\n" not in chart.finding
        assert chart.figure.axes
    assert plt.get_fignums() == []


def test_titles_per_platform_match_count_platform(dataset):
    catalog, _, built = dataset
    chart = built["titles_per_platform"]
    for platform in Platform:
        counted = catalog.count_platform(platform)
        row = chart.data.loc[platform.key]
        assert (row["movie"], row["tv show"], row["total"]) == (counted.movies, counted.tv_shows, counted.total)
    totals = {p: catalog.count_platform(p).total for p in Platform}
    largest, smallest = max(totals, key=totals.get), min(totals, key=totals.get)
    if totals[largest] > totals[smallest]:
        assert f"{largest.label} has the most titles ({totals[largest]:,}" in chart.finding
        assert f"{smallest.label} the fewest ({totals[smallest]:,})" in chart.finding
    else:
        assert f"Every platform has {totals[largest]:,} titles" in chart.finding


def test_releases_per_year_sum_to_each_platform_and_name_the_oldest(dataset):
    catalog, _, built = dataset
    chart = built["releases_per_year"]
    counts = chart.data["counts"]
    assert counts.to_numpy().sum() == len(catalog)
    medians = {}
    for platform in Platform:
        assert counts[platform.key].sum() == catalog.count_platform(platform).total
        years = [t.release_year for t in catalog.titles if t.platform is platform]
        medians[platform] = float(np.median(years))
        assert chart.data["median_year"][platform.key] == medians[platform]
    oldest = min(medians, key=medians.get)
    assert chart.finding.startswith(f"{oldest.label} has the oldest catalog: median release year {medians[oldest]:.0f}")


@pytest.mark.parametrize("platform", [None, *Platform])
def test_titles_per_year_for_the_bot(dataset, platform):
    catalog, _, _ = dataset
    chart = charts.titles_per_year(catalog, platform)
    assert chart.png().startswith(PNG_SIGNATURE)
    titles = [t for t in catalog.titles if platform is None or t.platform is platform]
    by_year_type = Counter((t.release_year, t.type) for t in titles)
    assert {(year, kind): n for (year, kind), n in chart.data.stack().items() if n} == dict(by_year_type)
    assert f"{len(titles):,} titles" in chart.finding
    assert (platform.label if platform else "all platforms") in chart.finding
    per_year = Counter(t.release_year for t in titles)
    peak = max(per_year, key=lambda year: (per_year[year], -year))
    recent = sum(n for year, n in per_year.items() if year >= 2015)
    assert chart.facts == {
        "total": len(titles), "first": min(per_year), "last": max(per_year), "peak": peak,
        "peak_titles": per_year[peak], "peak_shows": by_year_type[(peak, "tv show")],
        "recent_percent": round(100 * recent / len(titles)),
    }


def test_durations_name_the_longest_titles(dataset):
    catalog, _, built = dataset
    chart = built["durations"]
    for unit in ("min", "season"):
        longest = catalog.max_duration(None, None, unit)
        top = chart.data[f"longest_{unit}"].iloc[0]
        assert top["duration_int"] == longest.duration_int
        assert top["display_title"] == longest.titles[0].display_title
        assert f"'{top['display_title']}' ({longest.duration_int} " in chart.finding
        for platform in Platform:
            value = catalog.max_duration(None, platform, unit).duration_int
            if value is not None:
                assert chart.data[unit].loc[platform.key, "max"] == value


def test_top_genres_countries_and_maturity_ratings_recomputed(dataset):
    catalog, _, built = dataset
    for name, names_of in (
        ("top_genres", lambda t: t.genres),
        ("top_countries", lambda t: t.countries),
        ("maturity_ratings", lambda t: [t.rating]),
    ):
        expected = per_platform_top(catalog, names_of, 8)
        got = chart_top(built[name])
        assert got == {k: v for k, v in expected.items() if v}, name
        for top in got.values():
            assert f"({top[0][1]:,})" in built[name].finding or f"'{top[0][0]}'" in built[name].finding


def test_most_frequent_cast_and_directors_recomputed(dataset):
    catalog, _, built = dataset
    chart = built["people"]
    for field, names_of in (("cast", lambda t: t.cast), ("director", lambda t: t.directors)):
        expected = ranked(Counter(name for t in catalog.titles for name in set(names_of(t))), 12)
        assert list(chart.data[field].items()) == expected
        assert f"{expected[0][0].title()} ({expected[0][1]:,} titles" in chart.finding


def test_rating_distribution_counts_every_rating(dataset):
    catalog, _, built = dataset
    chart = built["rating_distribution"]
    values, counts = np.unique(catalog.ratings.rating, return_counts=True)
    assert chart.data.sum() == catalog.ratings.row_count
    assert dict(zip(values.tolist(), counts.tolist(), strict=True)) == {k: v for k, v in chart.data.items() if v}
    assert f"{catalog.ratings.row_count:,} ratings from {len(catalog.ratings):,} users" in chart.finding


def test_title_scores_are_the_mean_of_each_titles_ratings(dataset):
    catalog, _, built = dataset
    chart = built["title_scores"]
    ratings = catalog.ratings
    counts = np.bincount(ratings.title_index, minlength=len(catalog))
    sums = np.bincount(ratings.title_index, weights=ratings.rating, minlength=len(catalog))
    assert (chart.data["rating_count"].to_numpy() == counts).all()
    rated = counts > 0
    assert np.allclose(chart.data["score"].to_numpy()[rated], sums[rated] / counts[rated])
    scores = sums[rated] / counts[rated]
    assert f"{scores.min():.2f}-{scores.max():.2f} (sd {scores.std():.2f})" in chart.finding
    assert f"{counts.min():,}-{counts.max():,} ratings" in chart.finding


def test_ratings_per_user_sum_to_the_ratings_rows(dataset):
    catalog, _, built = dataset
    chart = built["ratings_per_user"]
    ratings = catalog.ratings
    assert chart.data.sum() == ratings.row_count
    assert len(chart.data) == len(ratings)
    most = ratings.most_active_user()
    assert chart.data.max() == len(ratings.of(most)[0])
    assert f"{len(ratings):,} users" in chart.finding and f"the most active {chart.data.max():,}" in chart.finding


def test_missing_values_and_repairs_come_from_the_etl_report(dataset):
    _, etl_report, built = dataset
    missing = built["missing_values"].data
    after = etl_report["missing_values"]["after"]
    before = etl_report["missing_values"]["before"]
    for column, n in after.items():
        if n:
            assert missing.loc[column, "after"] == n
    assert missing["before"].sum() == sum(before.values())
    assert f"{sum(before.values()):,} missing values before the ETL, {sum(after.values()):,} after" in (
        built["missing_values"].finding
    )
    repairs = built["repairs"]
    repaired = repairs.data[repairs.data["action"] == "repaired"]
    assert dict(zip(repaired["what"], repaired["count"], strict=True)) == etl_report["repaired"]
    if etl_report["repaired"]:
        assert f"{sum(etl_report['repaired'].values()):,} in all" in repairs.finding
