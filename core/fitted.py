"""A fitted model's learned state as files, read back memory-mapped, so workers share one copy.

    save_state(folder, fitted_state(recommender), meta)      # the ETL, once per build
    meta, state = load_state(folder)                          # Catalog.load: np.load(mmap_mode="r")
    recommender = restore(ContentRecommender, state, works=works, weights=weights)

Generic on purpose: the state is every attribute the fit set (`vars(model)`) apart from the
configuration it was given, whatever the model's authors name or add. NumPy arrays become `NAME.npy`;
SciPy sparse matrices `NAME.data.npy`, `NAME.indices.npy` and `NAME.indptr.npy` (their format and
shape in `state.json`). Anything else (a dict, a list) cannot be mapped: `fitted_state` raises
`NotMappable`, and the caller fits in process instead.

`code_digest` tells whether the state was fitted by this code: the bytes of the modules the fit runs.
A state from other code (or other weights) is not used; the caller fits again, as before this file.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

STATE_FILE = "state.json"
_SPARSE_PARTS = ("data", "indices", "indptr")


class NotMappable(TypeError):
    """The model holds state that is neither a NumPy array nor a SciPy sparse matrix."""


def fitted_state(model: Any, config: tuple[str, ...]) -> dict[str, Any]:
    """Every attribute of the fitted `model` except its configuration (`config`: inputs such as the
    works and the weights, which the loader passes again)."""
    state = {name: value for name, value in vars(model).items() if name not in config}
    for name, value in state.items():
        if not sparse.issparse(value) and not (isinstance(value, np.ndarray) and value.dtype != object):
            raise NotMappable(f"{type(model).__name__}.{name} is a {type(value).__name__}, not an array")
    return state


def restore(cls: type, state: dict[str, Any], **config: Any) -> Any:
    """An instance of `cls` with its fitted state and configuration set, without fitting."""
    model = cls.__new__(cls)
    vars(model).update(config)
    vars(model).update(state)
    return model


def save_state(folder: Path, state: dict[str, Any], meta: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    entries = {}
    for name, value in state.items():
        if sparse.issparse(value):
            compressed = value if value.format in ("csr", "csc") else value.tocsr()
            for part in _SPARSE_PARTS:
                np.save(folder / f"{name}.{part}.npy", getattr(compressed, part))
            entries[name] = {"format": compressed.format, "shape": list(compressed.shape),
                             "matrix": not isinstance(compressed, sparse.sparray)}
        else:
            np.save(folder / f"{name}.npy", np.ascontiguousarray(value))
            entries[name] = {"format": "dense"}
    (folder / STATE_FILE).write_text(json.dumps({"meta": meta, "state": entries}, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")


def load_state(folder: Path) -> tuple[dict, dict[str, Any]] | None:
    """(meta, state) with every array memory-mapped read-only; None when the folder holds no state."""
    try:
        saved = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    state = {}
    for name, entry in saved["state"].items():
        if entry["format"] == "dense":
            state[name] = np.load(folder / f"{name}.npy", mmap_mode="r")
            continue
        parts = [np.load(folder / f"{name}.{part}.npy", mmap_mode="r") for part in _SPARSE_PARTS]
        kind = {"csr": (sparse.csr_matrix, sparse.csr_array), "csc": (sparse.csc_matrix, sparse.csc_array)}
        matrix_type, array_type = kind[entry["format"]]
        state[name] = (matrix_type if entry.get("matrix", True) else array_type)(
            tuple(parts), shape=tuple(entry["shape"]), copy=False)
    return saved["meta"], state


def code_digest(*modules: str) -> str:
    """A digest of the named modules' source: a fit's state is reused only by the code that made it."""
    digest = hashlib.sha256()
    for name in modules:
        origin = importlib.util.find_spec(name).origin  # found, not imported: no import costs
        digest.update(name.encode() + b"\0" + Path(origin).read_bytes())
    return digest.hexdigest()
