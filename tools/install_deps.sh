#!/usr/bin/env bash
# Installs what building and testing nogil needs, and only what is missing, so a
# second run costs well under a second. Debian packages through apt-get, Python
# ones through pip. Extra pip requirements may be given as arguments (the demo's peers).
# Works for every supported Python (3.11 to 3.13): a peer that has no release for the
# interpreter at hand is left out with a note (its tests skip, naming it); any other pip
# failure fails the script.
set -euo pipefail

PYTHON=${PYTHON:-python3}
APT_PACKAGES=(llvm-19-dev libtbb-dev libgtest-dev clang-format-19 zlib1g-dev libzstd-dev libxml2-dev
  libtsan2 libasan8 libubsan1)
# Build and test tools, pinned where a new major version could break the build.
PIP_PACKAGES=("nanobind>=2.4,<4" "scikit-build-core>=0.10,<2" "cmake>=3.26" "ninja" "packaging"
  "pytest>=8" "pytest-xdist>=3.5" "hypothesis>=6" "ruff>=0.6,<1" "numpy>=1.26"
  # The BLAS of matrix products (loaded at run time; pinned: its symbol names are an ABI).
  "scipy-openblas64==0.3.34.481.3")
# Peers, for the demo, the benchmarks and the test that loads Numba's LLVM next to ours. They
# come as wheels only: an sdist of numba or llvmlite for a Python they do not support yet would
# try to build LLVM bindings for many minutes and fail.
PEER_PACKAGES=("numba>=0.60" "cython>=3.0" "matplotlib>=3.7")

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

# Prints, one a line, the requirements given as arguments that this environment does not
# already satisfy.
missing_requirements() {
  "$PYTHON" - "$@" <<'PY'
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
}

missing_pip=$(missing_requirements "${PIP_PACKAGES[@]}" "$@")
if [ -n "$missing_pip" ]; then
  mapfile -t reqs <<<"$missing_pip"
  echo "installing with pip: ${reqs[*]}"
  "$PYTHON" -m pip install -q --disable-pip-version-check "${reqs[@]}"
fi

missing_peers=$(missing_requirements "${PEER_PACKAGES[@]}")
if [ -n "$missing_peers" ]; then
  mapfile -t peers <<<"$missing_peers"
  for peer in "${peers[@]}"; do
    echo "installing with pip: $peer"
    if ! log=$("$PYTHON" -m pip install -q --disable-pip-version-check --only-binary :all: \
      "$peer" 2>&1); then
      if grep -q "No matching distribution found" <<<"$log"; then
        echo "note: $peer has no release for $("$PYTHON" -V 2>&1): left out, the tests that need it skip"
      else
        echo "$log" >&2
        exit 1
      fi
    fi
  done
fi
