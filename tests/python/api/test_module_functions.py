"""nogil's module functions called with bad arguments: Numba's exception types, messages that
name the parameter, and the setting left unchanged."""

import os
import subprocess
import sys

import numpy as np
import pytest

import nogil


@pytest.mark.parametrize("value", [2**63, 2**31, 10**100, -1, -(2**63) - 1, 0, False])
def test_set_num_threads_out_of_range_raises_value_error(value):
    before = nogil.get_num_threads()
    with pytest.raises(ValueError, match=r"set_num_threads\(\) argument 'n': .* between 1 and"):
        nogil.set_num_threads(value)
    assert nogil.get_num_threads() == before


@pytest.mark.parametrize("value", [1.5, 2.0, "2", None, [2], np.float64(2.0)])
def test_set_num_threads_with_a_non_integer_raises_type_error(value):
    name = type(value).__name__
    with pytest.raises(TypeError, match=rf"argument 'n' must be an integer, not '[\w.]*{name}'"):
        nogil.set_num_threads(value)


@pytest.mark.parametrize("value", [1, True, np.int64(1), np.uint8(1)])
def test_set_num_threads_takes_integers_of_any_kind(value):
    before = nogil.get_num_threads()
    nogil.set_num_threads(value)
    assert nogil.get_num_threads() == 1
    nogil.set_num_threads(n=before)
    assert nogil.get_num_threads() == before


def test_set_num_threads_with_the_wrong_number_of_arguments():
    with pytest.raises(TypeError, match="set_num_threads"):
        nogil.set_num_threads()
    with pytest.raises(TypeError, match="set_num_threads"):
        nogil.set_num_threads(1, 2)


@pytest.mark.parametrize(
    "function",
    [
        nogil.get_num_threads,
        nogil.array_memory,
        nogil.reset_array_memory_peak,
        nogil.cache_info,
    ],
)
def test_functions_without_parameters_refuse_arguments(function):
    with pytest.raises(TypeError, match=rf"{function.__name__}\(\) takes no arguments"):
        function(1)
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        function(x=1)


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "lots", str(2**63), str(2**31)])
def test_a_bad_nogil_num_threads_fails_the_import_with_value_error(value):
    done = subprocess.run(
        [sys.executable, "-c", "import nogil"],
        env=dict(os.environ, NOGIL_NUM_THREADS=value),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "ValueError: NOGIL_NUM_THREADS must be" in done.stderr, done.stderr


def zeros(n):
    return np.zeros(n)


def test_the_array_memory_type_cannot_be_instantiated():
    # An instance made from Python would export an empty, formatless buffer.
    returned = nogil.njit(zeros)(3)
    exporter = returned.base.obj  # NumPy holds the exporter through a memoryview
    for cls in (nogil._core.ArrayMemory, type(exporter)):
        with pytest.raises(TypeError, match=r"cannot create 'nogil\.ArrayMemory' instances"):
            cls()
