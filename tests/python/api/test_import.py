"""What `import nogil` costs a program: it must not import NumPy (or Numba) on its own."""

import json
import subprocess
import sys

SCRIPT = """\
import json
import sys

import nogil
from nogil import njit, prange


@njit
def add(a, b):
    return a + b


print(json.dumps({"result": add(2, 3), "modules": sorted(sys.modules)}))
"""


def test_import_and_a_compile_leave_numpy_unimported(tmp_path):
    script = tmp_path / "program.py"  # a file: nogil compiles from the function's source
    script.write_text(SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["result"] == 5
    modules = set(report["modules"])
    assert "nogil" in modules and "nogil._core" in modules
    for heavy in ("numpy", "numba", "llvmlite", "Cython"):
        assert heavy not in modules, f"import nogil imported {heavy}"
