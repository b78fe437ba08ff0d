"""The functional core: the loaded catalog and everything that answers questions about it.

`Catalog` is imported on first use (PEP 562), so `import core.vocabulary` from the ETL does not pull
in scikit-learn and rapidfuzz, which only the search and the recommender need.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import CatalogInputError, DataNotFound

if TYPE_CHECKING:
    from core.catalog import Catalog

__all__ = ["Catalog", "CatalogInputError", "DataNotFound"]


def __getattr__(name: str):
    if name == "Catalog":
        from core.catalog import Catalog

        return Catalog
    raise AttributeError(f"module 'core' has no attribute {name!r}")
