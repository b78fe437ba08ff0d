"""The scope of fixtures that build something once for many tests (an ETL output, a catalog, a fit).

Shared in a normal run, so `make test` builds each once. Per test while mutmut maps the tests to the
functions they run (its "stats" phase, MUTANT_UNDER_TEST=stats): mutmut credits a function only to the test
during which it ran, so a fixture built once would be credited to the first test that asked for it alone,
and a mutant in the ETL or the catalog's loading would be checked by that one test, though hundreds catch
it. Each mutant then runs in a fresh process with shared fixtures again, so only the mapping pays for it.

    @pytest.fixture(scope=shared("module"))
"""
from __future__ import annotations

import os
from collections.abc import Callable


def mapping_tests_for_mutmut() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def shared(scope: str) -> Callable[..., str]:
    """pytest's dynamic scope: `scope`, or "function" while mutmut maps tests to functions."""
    def decide(fixture_name: str, config) -> str:
        return "function" if mapping_tests_for_mutmut() else scope
    return decide
