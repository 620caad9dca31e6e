#!/usr/bin/env bash
# Prints the interpreter of a virtual environment for Python VERSION (3.12, 3.13, ...) under
# build/venv-VERSION, made on first use from pyenv's newest VERSION.x (or a pythonVERSION on
# the PATH), so that `make test-python PYTHON=$(tools/python_env.sh 3.13)` builds and tests
# nogil on that version. The environment has no system site packages: `make` installs into it
# what that version needs. Fails, saying why, when no such interpreter is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:?usage: tools/python_env.sh VERSION (e.g. 3.13)}
venv=build/venv-$version

# Whether $1 runs and is Python $version.
is_wanted() {
  [ -x "$1" ] && [ "$("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]
}

if ! is_wanted "$venv/bin/python"; then
  base=""
  pyenv_root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
  for candidate in $(ls -d "$pyenv_root/versions/$version".* 2>/dev/null | sort -V -r); do
    if is_wanted "$candidate/bin/python"; then
      base=$candidate/bin/python
      break
    fi
  done
  if [ -z "$base" ] && command -v "python$version" >/dev/null && is_wanted "$(command -v "python$version")"; then
    base=$(command -v "python$version")
  fi
  if [ -z "$base" ]; then
    echo "no Python $version found (looked in $pyenv_root/versions/$version.* and for" \
      "python$version on the PATH): install it, e.g. \`pyenv install $version\`" >&2
    exit 1
  fi
  rm -rf "$venv"
  "$base" -m venv "$venv" >&2
fi
echo "$PWD/$venv/bin/python"
