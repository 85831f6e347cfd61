#!/usr/bin/env bash
# Write the lock files from pyproject.toml's ranges: every package at one version, with the
# hashes of its files, for Python 3.11 on Linux x86_64 (CI and the image).
#   requirements/app.txt   the bot ([project] dependencies; the Dockerfile installs it)
#   requirements/test.txt  the bot and the `test` extra (scripts/test.sh installs it); the
#                          packages both have are at the same version in both
# Both also pin [build-system] requires (setuptools), so installing the project itself
# afterwards (`pip install --no-deps --no-build-isolation`) fetches nothing unpinned.
#   bash scripts/lock.sh                          # keep the locked versions pyproject allows
#   bash scripts/lock.sh --upgrade                # the newest versions within the ranges
#   bash scripts/lock.sh --upgrade-package jinja2 # one package (repeatable)
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# uv: the one the test lock pins (scripts/test.sh puts it in .venv), else that same version
# installed by its hash into a throwaway venv; UV=/path/to/uv overrides.
uv=${UV:-}
if [ -z "$uv" ] && [ -x .venv/bin/uv ]; then
  uv=.venv/bin/uv
elif [ -z "$uv" ]; then
  awk '/^uv==/{p=1} p{print} p&&!/\\$/{exit}' requirements/test.txt >"$tmp/uv.txt"
  python3 -m venv "$tmp/venv"
  "$tmp/venv/bin/pip" install --quiet --require-hashes --no-deps -r "$tmp/uv.txt"
  uv="$tmp/venv/bin/uv"
fi

mkdir -p requirements
# requirements/build.in: [build-system] requires, copied from pyproject.toml on each run (a
# file in the repository, so the locks' "# via" lines stay the same from run to run).
python3 -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"]))' \
  >requirements/build.in
# --no-config: no uv.toml of this machine changes the index or the resolution.
common=(--quiet --no-config --generate-hashes --python-version 3.11
        --python-platform x86_64-manylinux_2_28 --custom-compile-command "bash scripts/lock.sh")
"$uv" pip compile "${common[@]}" "$@" pyproject.toml requirements/build.in \
  -o requirements/app.txt
"$uv" pip compile "${common[@]}" "$@" --extra test pyproject.toml requirements/build.in \
  -c requirements/app.txt -o requirements/test.txt
echo "requirements/app.txt: $(grep -c '^[a-z]' requirements/app.txt) packages;" \
     "requirements/test.txt: $(grep -c '^[a-z]' requirements/test.txt) packages ($("$uv" --version))"
