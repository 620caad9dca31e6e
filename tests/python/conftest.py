"""Shared pytest configuration: one Hypothesis profile for the whole suite."""

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps its files (constants cache, failure patches) outside the source tree.
set_hypothesis_home_dir(str(Path(tempfile.gettempdir()) / "nogil-tests-hypothesis"))

# No example database: runs leave nothing behind in the source tree. No deadline: the first
# example of each test includes the compilation.
settings.register_profile(
    "nogil",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# In CI the examples are derived from each test's name, so a run is reproducible and cannot
# fail by drawing an unlucky example that an earlier run did not; local runs keep exploring.
settings.register_profile("ci", parent=settings.get_profile("nogil"), derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "nogil")
