"""The functional core: the loaded catalog and everything that answers questions about it."""
from core.catalog import Catalog
from core.errors import CatalogInputError, DataNotFound

__all__ = ["Catalog", "CatalogInputError", "DataNotFound"]
