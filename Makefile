# Every target does its own set-up on a fresh machine: Debian packages, the
# venv, the build. Re-running is quick when nothing changed.
VENV        := .venv
PY          := $(VENV)/bin/python
PIP         := $(VENV)/bin/pip
BUILD_DIR   := build/py
APT_PACKAGES := llvm-19-dev libtbb-dev ccache cmake ninja-build g++ libgtest-dev python3-venv \
                zlib1g-dev libzstd-dev libedit-dev libxml2-dev libffi-dev
SOURCES     := $(shell find src bindings tests/cpp -name '*.cpp' -o -name '*.h') CMakeLists.txt pyproject.toml
PYTEST_ARGS ?=

.PHONY: build demo test test-cpp test-python bench clean

build: $(BUILD_DIR)/.stamp-installed

.stamp-apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make: installing Debian packages:" $$missing; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
	@touch $@

$(VENV)/.stamp-venv: .stamp-apt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# Build requirements live in the venv so rebuilds need no network (--no-build-isolation).
	$(PIP) install -q "scikit-build-core>=0.10" "nanobind>=2.0" numpy pytest scipy cloudpickle numba
	@touch $@

$(BUILD_DIR)/.stamp-installed: $(VENV)/.stamp-venv $(SOURCES)
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PIP) install -q --no-build-isolation --no-deps -e ".[test,bench]"
	@mkdir -p $(BUILD_DIR) && touch $@

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2
	$(PY) -m pytest -q $(PYTEST_ARGS)

test-cpp: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

test-python: build
	$(PY) -m pytest -q $(PYTEST_ARGS)

demo: build
	$(PY) benchmarks/demo.py

bench: build
	$(PY) benchmarks/seed_tutorial.py
	$(PY) benchmarks/arrays.py

clean:
	rm -rf build .stamp-apt
