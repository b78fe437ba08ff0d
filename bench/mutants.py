"""Mutation testing: how many one-line bugs planted by mutmut the fast test suite catches, per module.

    python -m bench mutants [--max-children 2] [--sample] [NAME-OR-GLOB ...] [--report]

Runs `mutmut run` over core/, etl/ and the bot's parsing, throttle and settings (configured in
pyproject.toml, [tool.mutmut]); mutmut maps every function to the tests that call it and runs only
those (the non-full suite on the sample data) against each of its mutants. Then prints, per module,
the share of mutants killed, and every survivor: the ones listed in `EQUIVALENT` with the reason they
cannot change behaviour, the others as work left for the tests. `--report` prints the figures of the
last run without running anything. `--sample` runs only the mutants numbered 5, 10, 15, ... of each
function: a fifth, the same ones on every run while a function is unchanged, so a before/after pair of
figures takes minutes instead of an hour. The figures are printed twice: the share killed of every mutant
checked, and the same with the survivors listed in `EQUIVALENT` left out.

mutmut first maps each function to the tests that run it (its "stats" run); the fixtures that build an
ETL output or a catalog for many tests are per test during that run only (tests/fixture_scope.py), so a
mutant in the ETL or the catalog's loading is checked by every test that would catch it. The map is kept
in mutants/mutmut-stats.json: after changing which fixtures are shared, delete mutants/ so it is made
again. Not run in CI: the whole run takes about an hour on two shared cores. mutmut is a dev dependency
(requirements-dev.txt, installed by `make mutants`), never imported by the bot.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

from core.settings import PROJECT_ROOT

MUTANTS_DIR = PROJECT_ROOT / "mutants"  # mutmut's working copy (ignored by git)
KILLED = {1, 3, 36, 37, 24, -24, 152, 255}  # failed tests, pytest internal error, timeouts, type check
SURVIVED = {0}
NOT_RUN = {None, 5, 33, 34}  # not checked, no test covers the function, skipped
PACKAGES = ("bot", "core", "etl")
SAMPLE = [f"{package}.*__mutmut_*[05]" for package in PACKAGES]  # mutants numbered 5, 10, 15, ...

# Survivors that cannot change behaviour, by mutmut's name ("module.x_function__mutmut_N" stays the same
# while the function is unchanged), with the reason. Anything else that survives is a missing test.
COPY = "a copy of an array nothing writes to (astype(copy=True))"
CODEC = "'UTF-8' and 'utf-8' name one codec"
EQUIVALENT: dict[str, str] = {
    "core.catalog.xǁCatalogǁmaturity_rating__mutmut_10":
        "the compact lookup's fallback is checked against the known ratings next: None is refused as the key is",
    "core.catalog.x__title_rows__mutmut_10": COPY,
    "core.catalog.x__title_rows__mutmut_20":
        "no lookup is null: the ETL keeps only ratings of catalog titles (unknown movieIds are dropped)",
    "core.imports.x__read_zip__mutmut_40":
        "ratings.csv is read first, so a film's first row has its stars when any file gives them; later rows never do",
    "core.movienight.xǁNightPickerǁ_choose__mutmut_90": "diversify gives no order for an empty pool by itself",
    "core.people.xǁPeopleǁclosest__mutmut_30":
        "ties: rapidfuzz keeps equal scores in the order of `keys`, which are sorted (and f[1] is equal within a tie)",
    "core.personal.xǁTasteǁnobody__mutmut_20":
        "an empty array of another dtype: nobody's works are never used as indices (each use checks len first)",
    "core.ratings.xǁUserRatingsǁfrom_sorted__mutmut_60": COPY,
    "core.people.xǁPeopleǁ__init____mutmut_40": "numpy's default integer is int64 here, the dtype it names",
    "core.personal.xǁPersonalRecommenderǁ_for_you__mutmut_40": "-2 and -1 both mean 'because of nothing' (_pick checks >= 0)",
    "core.personal.xǁPersonalRecommenderǁ__init____mutmut_40":
        "a film with no length counts 0 or 1 minutes: under FEATURE_MINUTES either way",
    "core.trigrams.xǁTrigramIndexǁvector__mutmut_20": "fromiter's count only preallocates; the values are the same",
    "core.ratings.xǁUserRatingsǁof__mutmut_10":
        "an empty array of another dtype: a user with no ratings is unknown, and their stars are never read",
    "core.trigrams.xǁTrigramIndexǁ__init____mutmut_80": "an empty array of another dtype, cast to float64 next",
    "core.trigrams.xǁTrigramIndexǁ__init____mutmut_90": "astype(None) is float64, the dtype it names",
    "core.trigrams.xǁTrigramIndexǁ__init____mutmut_110": "the product of two float32 matrices is float32 already",
    "core.catalog.xǁCatalogǁload__mutmut_40": "reads every column of ratings.parquet and uses the same three (memory only)",
    "core.ratings.xǁUserRatingsǁmapped__mutmut_40": "the offsets read whole instead of mapped: the same values (memory only)",
    "core.fitted.x_load_state__mutmut_50":
        "every entry save_state writes has 'matrix'; the default only serves saves older than that key",
    "core.fitted.x_save_state__mutmut_10": "a CSR matrix saved as CSR again (tocsr copies it); the values are the same",
    "core.catalog.x_recommender_meta__mutmut_10": "the key is written and compared by this one function: any spelling matches itself",
    "core.recommend.x_combine__mutmut_20": "hstack of CSR blocks with format=None is CSR already",
    "etl.ratings.x__read_as_text__mutmut_10":
        "reads the file's other columns too and uses the same four by name (the header holds only those four)",
    "core.catalog.xǁCatalogǁ_records__mutmut_30": "the dictionary indices read in their own integer dtype: the same numbers",
    "core.recommend.x__text_block__mutmut_10": "a float64 TF-IDF block: precision only, rows are normalised later",
    "core.recommend.x_content_blocks__mutmut_90": "the platform block as float64: precision only, rows are normalised later",
    "etl.ratings.x__read_as_text__mutmut_90": "the log keeps the first three examples whatever it is handed",
    "etl.ratings.x__read_as_text__mutmut_110": "the log keeps the first three examples whatever it is handed",
    "etl.ratings.x__read_as_text__mutmut_120": "userId as float64 on the text path; _file_rows stores it as int32",
    "etl.output.xǁRatingsWriterǁ__init____mutmut_20": "use_dictionary names a column: file size only, the values are the same",
    "etl.repairs.xǁRepairLogǁmerge__mutmut_10":
        "every counted repair has an examples entry (_remember makes it), so the default is never used",
    "etl.ratings.x__file_rows__mutmut_80": "the log keeps the first three examples whatever it is handed",
    "etl.ratings.x__star_values__mutmut_10": "zero_copy_only=None is falsy, as False is",
    "etl.ratings.x__star_values__mutmut_20": "an empty array of another dtype, stored as float32 by _file_rows",
    "etl.ratings.x__title_indices__mutmut_30": "-2 and -1 both mark an unknown title (the callers test < 0)",
    "etl.repairs.xǁRepairLogǁmerge__mutmut_20":
        "every counted drop has an examples entry (_remember makes it), so the default is never used",
    "etl.titles.x_clean_list__mutmut_30": "zero_copy_only=None is falsy, as False is",
    "etl.titles.x_fix_durations__mutmut_90": "the log keeps the first three examples whatever it is handed",
    "etl.ratings.x__file_rows__mutmut_170": COPY,
    "core.genres.x_genres_of__mutmut_10": "the dict is an ordered set: its values are never read",
    "core.search.xǁWorksǁ__init____mutmut_60":
        "sums of floats (or 0): numpy makes float64 of them by itself, and the division gives float64 anyway",
    "core.settings.x_setting_values__mutmut_10": "dotenv_values of a file that does not exist is empty",
    "etl.pipeline.x_run__mutmut_60": "with a schema, from_pandas writes only its columns; the index is not one of them",
    "etl.ratings.x__check_header__mutmut_10": CODEC,
    "etl.titles.x_build_titles__mutmut_70": "the log keeps the first three examples whatever it is handed",
    "core.recommend.x__names_block__mutmut_20": "a float64 names block: precision only, rows are normalised later",
    "etl.csvsafe.x_read_catalog__mutmut_10": "strings_can_be_null=None leaves pyarrow's default, which is False",
    "core.search.xǁTitleResolverǁ__init____mutmut_60":
        "key lengths as integers instead of float32: their ratios differ in the 8th digit only",
    "etl.csvsafe.x_recover_catalog__mutmut_60": CODEC,
}


def module_of(mutant: str) -> str:
    """'core.search.x_resolve__mutmut_3' and 'core.search.xǁWorksǁ__init____mutmut_1' -> 'core/search.py'."""
    head = mutant.split(".x_")[0].split(".xǁ")[0]
    return head.replace(".", "/") + ".py"


def load_results(mutants_dir: Path = MUTANTS_DIR) -> dict[str, int | None]:
    """{mutant name: mutmut's exit code}, from the .meta files mutmut leaves beside each mutated file."""
    results: dict[str, int | None] = {}
    for meta in sorted(mutants_dir.rglob("*.py.meta")):
        results.update(json.loads(meta.read_text())["exit_code_by_key"])
    return results


def summarise(results: dict[str, int | None],
              equivalent: dict[str, str] | None = None) -> list[tuple[str, int, int, int, int]]:
    """(module, killed, survived, of which equivalent, not run) per module, sorted by module."""
    equivalent = EQUIVALENT if equivalent is None else equivalent
    counts: dict[str, Counter] = defaultdict(Counter)
    for name, code in results.items():
        kind = "killed" if code in KILLED else "survived" if code in SURVIVED else "other"
        counts[module_of(name)][kind] += 1
        if kind == "survived" and name in equivalent:
            counts[module_of(name)]["equivalent"] += 1
    return [(m, c["killed"], c["survived"], c["equivalent"], c["other"]) for m, c in sorted(counts.items())]


def nothing_checked(results: dict[str, int | None]) -> bool:
    """mutmut also exits 1 when its clean run of the tests fails: then no mutant was checked, and a table of
    zeros would read as 100% killed."""
    return bool(results) and not any(code in KILLED | SURVIVED for code in results.values())


def share(killed: int, survived: int) -> float:
    return killed / (killed + survived) if killed + survived else 1.0


def report(results: dict[str, int | None], equivalent: dict[str, str] | None = None) -> int:
    """Per module and per package: the share killed of all mutants checked, and the same share with the
    survivors that cannot change behaviour (EQUIVALENT) left out of the count."""
    equivalent = EQUIVALENT if equivalent is None else equivalent
    rows = summarise(results, equivalent)
    if not rows:
        print("no mutation results: run `python -m bench mutants` first", file=sys.stderr)
        return 1
    print(f"{'module':<24} {'killed':>7} {'survived':>9} {'equiv.':>7} {'other':>6} {'killed':>8} "
          f"{'w/o equiv.':>11}")
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for module, killed, survived, same, other in rows:
        print(f"{module:<24} {killed:>7} {survived:>9} {same:>7} {other:>6} {share(killed, survived):>8.1%} "
              f"{share(killed, survived - same):>11.1%}")
        group = groups[module.split("/")[0] + "/"]
        group[0], group[1], group[2] = group[0] + killed, group[1] + survived, group[2] + same
    print()
    for name, (killed, survived, same) in sorted(groups.items()):
        print(f"{name:<24} {killed:>7} {survived:>9} {same:>7} {'':>6} {share(killed, survived):>8.1%} "
              f"{share(killed, survived - same):>11.1%}")
    survivors = sorted(name for name, code in results.items() if code in SURVIVED)
    same = [n for n in survivors if n in equivalent]
    missing = [n for n in survivors if n not in equivalent]
    if same:
        print("\nsurvivors that cannot change behaviour:")
        for name in same:
            print(f"  {name}: {equivalent[name]}")
    if missing:
        print(f"\nsurvivors no test catches yet ({len(missing)}; see each with `mutmut show NAME`):")
        for name in missing:
            print(f"  {name}")
    other = Counter(code for code in results.values() if code not in KILLED | SURVIVED)
    if other:
        print(f"\nnot counted (no covering test, not run, or suspicious): {dict(other)}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench mutants", description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 1, help="mutants run at once")
    parser.add_argument("--report", action="store_true", help="only print the last run's figures")
    parser.add_argument("--sample", action="store_true", help="only the mutants numbered 5, 10, 15, ... (a fifth)")
    parser.add_argument("names", nargs="*", help="only these mutants (mutmut's names or globs, e.g. 'core.search*')")
    args = parser.parse_args(argv)
    names = [*args.names, *(SAMPLE if args.sample else ())]
    if not args.report:
        command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(args.max_children), *names]
        finished = subprocess.run(command, cwd=PROJECT_ROOT)
        if finished.returncode not in (0, 1):  # mutmut exits 1 when mutants survive
            print(f"mutmut failed ({finished.returncode})", file=sys.stderr)
            return finished.returncode
    results = load_results()
    if names:  # only what this run covered, not what an earlier run left in mutants/
        results = {k: v for k, v in results.items() if any(fnmatch.fnmatchcase(k, n) for n in names)}
    if nothing_checked(results):
        print("no mutant was checked: mutmut stopped before running any (see its output above, e.g. "
              "'Failed to run clean test')", file=sys.stderr)
        return 1
    return report(results)
