"""Finds the BLAS library matrix products use (scipy-openblas64) and hands its path to the core.

The package is located without being imported (its own import reads package metadata, which
would cost every ``import nogil`` milliseconds); the core loads the library at the first
product of floats.
"""

import importlib.util
import os

from nogil import _core


def _library_path() -> str:
    spec = importlib.util.find_spec("scipy_openblas64")
    if spec is None or not spec.submodule_search_locations:
        return ""
    lib_dir = os.path.join(spec.submodule_search_locations[0], "lib")
    try:
        names = sorted(os.listdir(lib_dir))
    except OSError:
        return ""
    for name in names:
        if name.startswith("libscipy_openblas") and ".so" in name:
            return os.path.join(lib_dir, name)
    return ""


_core._set_blas_library(_library_path())
