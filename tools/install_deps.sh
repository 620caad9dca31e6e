#!/usr/bin/env bash
# Installs what building and testing nogil needs, and only what is missing, so a
# second run costs well under a second. Debian packages through apt-get, Python
# ones through pip. Extra pip requirements may be given as arguments (the demo's peers).
set -euo pipefail

PYTHON=${PYTHON:-python3}
APT_PACKAGES=(llvm-19-dev libtbb-dev libgtest-dev clang-format-19 zlib1g-dev libzstd-dev libxml2-dev
  libtsan2 libasan8 libubsan1)
# Build and test tools, pinned where a new major version could break the build.
PIP_PACKAGES=("nanobind>=2.4,<4" "scikit-build-core>=0.10,<2" "cmake>=3.26" "ninja" "packaging"
  "pytest>=8" "hypothesis>=6" "ruff>=0.6,<1"
  # Peers, for the demo, the benchmarks and the test that loads Numba's LLVM next to ours.
  "numpy>=1.26" "numba>=0.60" "cython>=3.0" "matplotlib>=3.7")

missing_apt=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing_apt+=("$pkg")
done
if [ ${#missing_apt[@]} -gt 0 ]; then
  echo "installing with apt-get: ${missing_apt[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing_apt[@]}" >/dev/null
fi

# Asks pip only for the requirements this environment does not already satisfy.
missing_pip=$("$PYTHON" - "${PIP_PACKAGES[@]}" "$@" <<'PY'
import re
import sys
from importlib.metadata import PackageNotFoundError, version

missing = []
for spec in sys.argv[1:]:
    name = re.match(r"[A-Za-z0-9_.\-]+", spec).group(0)
    try:
        installed = version(name)
    except PackageNotFoundError:
        missing.append(spec)
        continue
    try:
        from packaging.requirements import Requirement
    except ImportError:
        continue
    if not Requirement(spec).specifier.contains(installed, prereleases=True):
        missing.append(spec)
print("\n".join(missing))
PY
)
if [ -n "$missing_pip" ]; then
  mapfile -t reqs <<<"$missing_pip"
  echo "installing with pip: ${reqs[*]}"
  "$PYTHON" -m pip install -q --disable-pip-version-check "${reqs[@]}"
fi
