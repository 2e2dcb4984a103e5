#!/usr/bin/env bash
# The Python client's tests: statistics, transport, each framework integration, and end to end against
# the packaged server (target/lossprism.jar, or $LOSSPRISM_JAR). Maven runs this in the integration-test
# phase; it can also be run by hand after ./mvnw -B package -DskipTests.
#
# The virtual environment (numpy, pytest, keras, tensorflow-cpu, torch CPU, lightning: requirements-test.txt)
# is made once per requirements file and Python version under ~/.cache/lossprism (or $LOSSPRISM_VENV) and
# reused; the client itself is reinstalled from this folder on every run, and the tests import that copy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}

if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  echo "run-tests.sh: $python cannot make virtual environments; install python3-venv (.ci/run does)" >&2
  exit 1
fi
key=$( (cat "$here/requirements-test.txt"; "$python" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-12)
venv=${LOSSPRISM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lossprism/pyclient-venv-$key}
if [ ! -f "$venv/.complete" ]; then
  start=$SECONDS
  echo "run-tests.sh: making the test environment in $venv (once)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # PIP_RETRIES=1: an index that cannot be reached (the public one, on machines that have a mirror) is
  # given up after one more try instead of five per package. pip's warnings about it are kept in a log
  # that is shown only if the installation fails.
  if ! PIP_RETRIES=${PIP_RETRIES:-1} "$venv/bin/pip" install -q -r "$here/requirements-test.txt" >"$venv/pip.log" 2>&1; then
    cat "$venv/pip.log" >&2
    echo "run-tests.sh: pip could not install $here/requirements-test.txt (log above)" >&2
    exit 1
  fi
  touch "$venv/.complete"
  echo "run-tests.sh: environment ready in $((SECONDS - start)) s"
fi
"$venv/bin/pip" install -q --no-deps --no-build-isolation --force-reinstall "$here" >/dev/null

export LOSSPRISM_JAR=${LOSSPRISM_JAR:-$root/target/lossprism.jar}
export TF_CPP_MIN_LOG_LEVEL=3
cd "$root"
# the pytest script, not "python -m pytest": the current folder stays off sys.path, so the tests import
# the installed package; -p no:cacheprovider keeps the tree clean
exec "$venv/bin/pytest" -q -p no:cacheprovider -W "ignore::DeprecationWarning" "$here/tests" "$@"
