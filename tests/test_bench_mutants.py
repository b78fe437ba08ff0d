"""`python -m bench mutants`' arithmetic on hand-written mutmut results: modules, shares, and a run that
checked nothing (mutmut exits 1 both when mutants survive and when its clean run fails)."""
from __future__ import annotations

from bench.mutants import module_of, nothing_checked, report, share, summarise

RESULTS = {
    "core.search.x_resolve__mutmut_1": 1,  # killed (a test failed)
    "core.search.x_resolve__mutmut_2": 0,  # survived
    "core.search.xǁWorksǁ__init____mutmut_3": 152,  # killed by a timeout
    "core.search.x_resolve__mutmut_4": 33,  # no test covers it
    "etl.linkage.x_link__mutmut_1": 0,
    "etl.linkage.x_link__mutmut_2": None,  # not checked yet
}


def test_module_of_a_mutant():
    assert module_of("core.search.x_resolve__mutmut_3") == "core/search.py"
    assert module_of("core.search.xǁWorksǁ__init____mutmut_1") == "core/search.py"
    assert module_of("etl.linkage.x_link__mutmut_12") == "etl/linkage.py"


def test_killed_survived_and_not_counted_per_module():
    assert summarise(RESULTS, {}) == [("core/search.py", 2, 1, 0, 1), ("etl/linkage.py", 0, 1, 0, 1)]
    same = {"etl.linkage.x_link__mutmut_1": "a copy", "core.search.x_resolve__mutmut_1": "killed anyway"}
    assert summarise(RESULTS, same) == [("core/search.py", 2, 1, 0, 1), ("etl/linkage.py", 0, 1, 1, 1)]
    assert share(2, 1) == 2 / 3 and share(0, 1) == 0.0 and share(0, 0) == 1.0


def test_the_report_lists_shares_and_survivors(capsys):
    assert report(RESULTS, {}) == 0
    out = capsys.readouterr().out
    assert "core/search.py" in out and "66.7%" in out and "0.0%" in out
    assert "core.search.x_resolve__mutmut_2" in out and "etl.linkage.x_link__mutmut_1" in out
    assert "core.search.x_resolve__mutmut_1\n" not in out


def test_a_run_that_checked_nothing_is_not_a_full_score():
    assert nothing_checked({"core.a.x_f__mutmut_1": None, "core.a.x_f__mutmut_2": 33})
    assert not nothing_checked(RESULTS) and not nothing_checked({})


def test_the_report_gives_the_share_with_and_without_equivalent_survivors(capsys):
    assert report(RESULTS, {"core.search.x_resolve__mutmut_2": "a copy the caller never writes to"}) == 0
    out = capsys.readouterr().out
    core = next(line for line in out.splitlines() if line.startswith("core/ "))
    assert core.split()[-2:] == ["66.7%", "100.0%"]  # 2 of 3 killed; 2 of 2 once the copy is left out
    assert "core.search.x_resolve__mutmut_2: a copy the caller never writes to" in out
    assert "survivors no test catches yet (1;" in out  # etl's, not listed as equivalent
