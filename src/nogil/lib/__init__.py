"""The library layer: NumPy's functions above the core's primitives, written in the language
nogil compiles and bound to ``np.<name>`` and to array methods by nogil.extending.overload.
Importing this package registers them (nogil does so when compiled code may use NumPy)."""

from nogil.lib import (  # noqa: F401  (they register overloads)
    complex_parts,
    creation,
    cumulative,
    elementwise,
    flat,
    indexing,
    memory_order,
    reductions,
    searching,
    selection,
    sorting,
    spacing,
    statistics,
    stride_tricks,
    triangles,
    two_outputs,
)
