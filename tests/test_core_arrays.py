"""Small core helpers on hand-made values: Arrow columns read as NumPy (a sliced column, another width, a
missing value) and a fitted model's state (only arrays can be mapped)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from core.fitted import NotMappable, fitted_state
from core.ratings import numpy_values


def test_a_column_is_read_as_its_values_only():
    sliced = pa.array([1, 2, 3, 4], pa.int32()).slice(1, 2)  # a view that starts inside its buffer
    assert numpy_values(sliced, np.int32).tolist() == [2, 3]
    assert numpy_values(pa.chunked_array([[5, 6], [7]], pa.int32()), np.int32).tolist() == [5, 6, 7]
    wider = numpy_values(pa.array([1, 2, 3], pa.int64()), np.int32)  # another width: converted
    assert wider.tolist() == [1, 2, 3] and wider.dtype == np.int32


def test_a_missing_value_where_none_may_be_is_a_bug():
    with pytest.raises(ValueError, match="^a column with a missing value where none may be$"):
        numpy_values(pa.array([1, None], pa.int32()), np.int32)


class Model:
    def __init__(self) -> None:
        self.works = ["given, not learned"]
        self.weights = np.ones(3)
        self.names = ["a", "b"]


def test_only_arrays_are_a_models_mappable_state():
    model = Model()
    with pytest.raises(NotMappable, match=r"^Model\.names is a list, not an array$"):
        fitted_state(model, ("works",))
    del model.names
    assert list(fitted_state(model, ("works",))) == ["weights"]
