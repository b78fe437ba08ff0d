"""The ETL's account of what it changed (printed at the end of every run and saved in etl_report.json):
hand-written repairs and drops, and the lines a person running the ETL reads."""
from __future__ import annotations

from etl.repairs import RepairLog


def test_counts_add_up_per_reason_and_keep_three_examples_at_most():
    log = RepairLog()
    log.dropped("duplicate id", 2, ["ns1", "ns2"])
    log.dropped("duplicate id", 3, ["ns3", "ns4", "ns5"])
    log.repaired("year typed as 19999", 1, ("as7",))
    log.dropped("no title", 0, ["never shown"])  # nothing dropped: no line, no example
    log.repaired("nothing", 0)
    assert log.as_dict() == {
        "repaired": {"year typed as 19999": 1},
        "dropped": {"duplicate id": 5},
        "examples": {"duplicate id": ["ns1", "ns2", "ns3"], "year typed as 19999": ["as7"]},
    }
    assert log.lines() == [
        "  repaired         1  year typed as 19999 (e.g. as7)",
        "  dropped         5  duplicate id (e.g. ns1, ns2, ns3)",
    ]


def test_large_counts_get_thousands_separators_and_no_examples_no_brackets():
    log = RepairLog()
    log.dropped("rating of an unknown title", 1234567)
    log.dropped("rating out of range", 2.0, [1, 2, 3, 4])  # counts and examples of any type are written as text
    assert log.lines() == [
        "  dropped 1,234,567  rating of an unknown title",
        "  dropped         2  rating out of range (e.g. 1, 2, 3)",
    ]
    assert log.as_dict()["dropped"] == {"rating of an unknown title": 1234567, "rating out of range": 2}
    assert type(log.as_dict()["dropped"]["rating out of range"]) is int


def test_a_clean_run_says_so():
    assert RepairLog().lines() == ["  nothing to repair"]
    assert RepairLog().as_dict() == {"repaired": {}, "dropped": {}, "examples": {}}
