# Every target does its own set-up on a fresh machine: Debian packages, the
# venv, the build. Re-running is quick when nothing changed.
VENV        := .venv
PY          := $(VENV)/bin/python
PIP         := $(VENV)/bin/pip
BUILD_DIR   := build/py
APT_PACKAGES := llvm-19-dev libtbb-dev ccache cmake ninja-build g++ libgtest-dev python3-venv \
                zlib1g-dev libzstd-dev libedit-dev libxml2-dev libffi-dev openmpi-bin libopenmpi-dev
# Every Python package is installed at the version pinned here (make lock refreshes it).
CONSTRAINTS := requirements/constraints.txt
BUILD_REQUIREMENTS := scikit-build-core nanobind numpy
# The persistent build folder and the C++ tests are make's; `pip install .` uses neither.
BUILD_SETTINGS = -Cbuild-dir=$(BUILD_DIR) -Ccmake.define.NUMJIT_BUILD_TESTS=ON
SOURCES     := $(shell find src bindings tests/cpp -name '*.cpp' -o -name '*.h') CMakeLists.txt pyproject.toml
PYTEST_ARGS ?=

.PHONY: test-libraries build demo test test-cpp test-python test-latest lock bench clean fuzz fuzz-sample

# pip writes the .pyc files of a regular install but not of an editable one,
# and with PYTHONDONTWRITEBYTECODE nothing writes them later: every process
# then compiled numjit's Python from source (import 67 -> 23 ms).
# compileall only redoes files whose source changed.
build: $(BUILD_DIR)/.stamp-installed
	@$(PY) -m compileall -q python/numjit

.stamp-apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:" $$missing; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
	@touch $@

$(VENV)/.stamp-venv: .stamp-apt pyproject.toml $(CONSTRAINTS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q -c $(CONSTRAINTS) --upgrade pip
	# Build requirements live in the venv so rebuilds need no network (--no-build-isolation).
	$(PIP) install -q -c $(CONSTRAINTS) $(BUILD_REQUIREMENTS)
	@touch $@

# Also installs the pinned dependencies and extras (already there: no network).
$(BUILD_DIR)/.stamp-installed: $(VENV)/.stamp-venv $(SOURCES)
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PIP) install -q -c $(CONSTRAINTS) --no-build-isolation \
	  $(BUILD_SETTINGS) -e ".[test,bench]"
	@mkdir -p $(BUILD_DIR) && touch $@

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-cpp: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

test-python: build
	$(PY) -m pytest -q $(PYTEST_ARGS)

# A long seeded fuzzing campaign (tests/fuzz/README.md): totals by category,
# shrunk reproducers of failures in build/fuzz/repro/.
FUZZ_CASES ?= 10000
FUZZ_SEED  ?= 1
fuzz: build
	$(PY) -m tests.fuzz --cases $(FUZZ_CASES) --seed $(FUZZ_SEED) --workers 2 --out build/fuzz

# The fixed-seed 1000-case sample alone (it is also part of `make test`).
fuzz-sample: build
	$(PY) -m pytest -q tests/python/test_fuzz_sample.py

demo: build
	$(PY) benchmarks/demo.py

# Libraries built on Numba (stumpy, numbagg, quantecon, pinned) run their own
# test modules on Numba and on numjit (tools/test_libraries.py); needs PyPI.
test-libraries: build
	$(PY) tools/test_libraries.py

bench: build
	$(PY) benchmarks/seed_tutorial.py
	$(PY) benchmarks/arrays.py
	$(PY) benchmarks/kernels.py

# The suite against the newest release of every dependency, in its own venv
# and build folder: shows breakage coming before a lock refresh.
LATEST_VENV := .venv-latest
test-latest: .stamp-apt
	test -x $(LATEST_VENV)/bin/python || python3 -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/pip install -q --upgrade pip $(BUILD_REQUIREMENTS)
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(LATEST_VENV)/bin/pip install -q --upgrade --upgrade-strategy eager \
	  --no-build-isolation -Cbuild-dir=build/latest -Ccmake.define.NUMJIT_BUILD_TESTS=ON -e ".[test,bench]"
	$(LATEST_VENV)/bin/pip list --format=freeze
	ctest --test-dir build/latest --output-on-failure -j2
	$(LATEST_VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

# Re-resolves requirements/constraints.txt against PyPI (see requirements/lock.py).
lock: $(VENV)/.stamp-venv
	$(PY) requirements/lock.py

clean:
	rm -rf build .stamp-apt
