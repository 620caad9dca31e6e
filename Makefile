# The two commands a user needs: `make demo` and `make test`. Each installs what is
# missing, builds the extension when a source changed, then runs.
PYTHON ?= python3
JOBS ?= $(shell nproc)
WERROR := $(if $(filter true,$(CI)),ON,OFF)
# One build folder per interpreter ABI (build/cpython-313-x86_64-linux-gnu, ...), so that
# switching between Python versions neither rebuilds everything nor mixes their objects, and
# one install stamp per environment (a short hash of sys.prefix) within it.
PYTHON_ID := $(shell $(PYTHON) -c 'import hashlib, sys, sysconfig; \
  print(sysconfig.get_config_var("SOABI"), hashlib.sha1(sys.prefix.encode()).hexdigest()[:10])' 2>/dev/null)
PY_BUILD_DIR := build/$(or $(word 1,$(PYTHON_ID)),no-python)
ENV_STAMPS := $(PY_BUILD_DIR)/.installed-$(word 2,$(PYTHON_ID))
STAMP := $(ENV_STAMPS)-$(WERROR)
SOURCES := $(shell find src CMakeLists.txt pyproject.toml -type f -not -path '*/__pycache__/*')
CPP_TEST_DIR := build/cpp-tests
TSAN_DIR := build/tsan
ASAN_DIR := $(PY_BUILD_DIR)/asan
SANITIZE := -fsanitize=address,undefined
DEMO_ARGS ?= --plot build/demo-timeline.png
# The Python suite runs on every core (pytest-xdist). Whole files go to one worker: a file's
# compiled functions are compiled once, and the hostile corpus's pool starts once.
PYTEST_PARALLEL ?= -n $(JOBS) --dist loadfile

.PHONY: demo test deps build check-layering check-diagnostics lint test-cpp test-tsan test-asan \
	test-python \
	benchmark clean

demo: build
	$(PYTHON) -m nogil.demo $(DEMO_ARGS)

test: build check-layering check-diagnostics lint test-cpp test-tsan test-python

deps:
	@PYTHON=$(PYTHON) bash tools/install_deps.sh

build: deps $(STAMP)

$(STAMP): $(SOURCES)
	@test -n "$(PYTHON_ID)" || { echo "cannot run $(PYTHON)" >&2; exit 1; }
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PYTHON) -m pip install --no-build-isolation --no-deps \
	  --disable-pip-version-check --root-user-action=ignore -q -Ccmake.define.NOGIL_WERROR=$(WERROR) \
	  -Cbuild-dir=$(PY_BUILD_DIR)/wheel .
	@mkdir -p $(PY_BUILD_DIR) && rm -f $(ENV_STAMPS)-* && touch $@

check-layering:
	$(PYTHON) tools/check_layering.py

check-diagnostics:
	$(PYTHON) tools/check_diagnostics.py

lint: deps
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	clang-format-19 --dry-run --Werror $$(git ls-files '*.cpp' '*.h')

test-cpp: deps
	cmake -S . -B $(CPP_TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DNOGIL_BUILD_TESTS=ON \
	  -DNOGIL_WERROR=$(WERROR) >/dev/null
	cmake --build $(CPP_TEST_DIR) -j $(JOBS)
	ctest --test-dir $(CPP_TEST_DIR) --output-on-failure

# The C++ tests (the runtime's thread tests among them) under ThreadSanitizer, in a build of
# their own. report_atomic_races=0: TBB's header code (instrumented) updates atomics in
# objects on the waiting thread's stack, and its wait (in libtbb, not instrumented) hands them
# back unseen, so that thread's next plain write to the reused stack slot reads as a race with
# the atomic (seen once in a fresh-clone run). Races between plain accesses still report.
test-tsan: deps
	cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNOGIL_BUILD_TESTS=ON \
	  -DNOGIL_WERROR=$(WERROR) -DCMAKE_CXX_FLAGS=-fsanitize=thread \
	  -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread >/dev/null
	cmake --build $(TSAN_DIR) -j $(JOBS) --target nogil_unit_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:report_atomic_races=0:suppressions=$(CURDIR)/tests/cpp/tsan.supp $(TSAN_DIR)/tests/cpp/nogil_unit_tests \
	  --gtest_brief=1

# Everything, C++ and Python tests, under AddressSanitizer and UndefinedBehaviorSanitizer: the
# extension built instrumented in a build of its own and staged beside the package's Python
# files; the interpreter (not instrumented) runs with the sanitizer runtimes preloaded. Freed
# memory is filled, so that compiled (uninstrumented) code reading it sees garbage.
# A request too large to allocate fails as malloc's does (null, then MemoryError), since tests
# ask NumPy and nogil for arrays of exabytes on purpose.
ASAN_RUNTIME = ASAN_OPTIONS=detect_leaks=0:max_free_fill_size=4096:quarantine_size_mb=16:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Instrumented frames are several times larger, and their redzones live on the stack: tests
# that recurse as deep as an 8 MiB stack allows uninstrumented (a 2000-function call chain
# loaded at once) get the same headroom. Stack checks read the real bounds, so they follow.
ASAN_STACK_KB = 65536
test-asan: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNOGIL_BUILD_PYTHON=ON \
	  -DPython_EXECUTABLE=$$($(PYTHON) -c 'import sys; print(sys.executable)') \
	  -DNOGIL_BUILD_TESTS=ON -DNOGIL_WERROR=$(WERROR) \
	  "-DCMAKE_CXX_FLAGS=$(SANITIZE) -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  -DCMAKE_EXE_LINKER_FLAGS=$(SANITIZE) -DCMAKE_SHARED_LINKER_FLAGS=$(SANITIZE) >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS) --target _core nogil_unit_tests
	rm -rf $(ASAN_DIR)/package && mkdir -p $(ASAN_DIR)/package
	cp -r src/nogil $(ASAN_DIR)/package/ && cp $(ASAN_DIR)/src/cpp/python/_core*.so $(ASAN_DIR)/package/nogil/
	$(ASAN_RUNTIME) $(ASAN_DIR)/tests/cpp/nogil_unit_tests --gtest_brief=1
	cd $(ASAN_DIR) && { ulimit -s $(ASAN_STACK_KB) 2>/dev/null || true; } && \
	  $(ASAN_RUNTIME) PYTHONPATH=$(CURDIR)/$(ASAN_DIR)/package \
	  LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	  $(PYTHON) -m pytest -q -p no:cacheprovider $(PYTEST_PARALLEL) --rootdir=$(CURDIR) \
	  $(CURDIR)/tests/python

test-python: build
	MALLOC_PERTURB_=165 $(PYTHON) -m pytest -q $(PYTEST_PARALLEL) tests/python

benchmark: build
	$(PYTHON) benchmarks/fib.py
	$(PYTHON) benchmarks/kernels.py
	$(PYTHON) benchmarks/interrupt.py

clean:
	rm -rf build
