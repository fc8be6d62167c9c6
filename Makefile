# SPDX-License-Identifier: MIT
# The front door. `make demo` and `make check` install what is missing
# (Debian 12 packages), build, and run; meson and ninja do the real work.

DEPS = meson ninja-build pkg-config gcc python3 libcsv-dev libcjson-dev libjsmn-dev \
       libpcre2-dev libsqlite3-dev zlib1g-dev nettle-dev libarchive-dev \
       sqlite3 cppcheck clang-tidy valgrind
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BUILD = build
ASAN = build-asan
TSAN = build-tsan
DEMO_CASE = $(BUILD)/demo.db

.PHONY: all deps build demo check check-asan check-tsan test bench fuzz lint \
	valgrind clean

all: build

deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	    grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# The main job on the bundled sample evidence: ingest the incident's
# exports, list the evidence, run the detectors, write the report.
demo: build
	@rm -f $(DEMO_CASE)
	./$(BUILD)/cli/m365f ingest $(DEMO_CASE) testdata/scenario; \
	  rc=$$?; [ $$rc = 0 ] || [ $$rc = 4 ] || exit $$rc
	./$(BUILD)/cli/m365f sources $(DEMO_CASE)
	./$(BUILD)/cli/m365f detect $(DEMO_CASE); \
	  rc=$$?; [ $$rc = 0 ] || [ $$rc = 3 ] || exit $$rc
	./$(BUILD)/cli/m365f scope $(DEMO_CASE)
	./$(BUILD)/cli/m365f report $(DEMO_CASE) -o $(BUILD)/demo-report.html
	@echo "report: $(BUILD)/demo-report.html"

test: build
	meson test -C $(BUILD) --print-errorlogs

$(ASAN)/build.ninja:
	meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dbuildtype=debug

check-asan: deps $(ASAN)/build.ninja
	ninja -C $(ASAN)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  meson test -C $(ASAN) --print-errorlogs

# The ingest reads, parses and stores on three threads: every test again
# under ThreadSanitizer.
$(TSAN)/build.ninja:
	meson setup $(TSAN) -Db_sanitize=thread -Db_lundef=false \
	  -Dbuildtype=debug

check-tsan: deps $(TSAN)/build.ninja
	ninja -C $(TSAN)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  meson test -C $(TSAN) --print-errorlogs

# Every test, then again under ASan+UBSan and under TSan; the last line
# counts all three.
check: build
	@rm -f $(BUILD)/meson-logs/testlog.json $(ASAN)/meson-logs/testlog.json \
	  $(TSAN)/meson-logs/testlog.json; \
	rc=0; \
	meson test -C $(BUILD) --print-errorlogs || rc=1; \
	$(MAKE) --no-print-directory check-asan || rc=1; \
	$(MAKE) --no-print-directory check-tsan || rc=1; \
	lint=pass; $(MAKE) --no-print-directory lint || { lint=fail; rc=1; }; \
	python3 tests/summary.py --lint $$lint $(BUILD) $(ASAN) $(TSAN); \
	exit $$rc

# cppcheck and clang-tidy (.clang-tidy, tests/cppcheck.supp) over the
# library and the CLI, valgrind on a set of golden cases; results kept in
# build/lint, so only changed files are analyzed again
lint: build
	tests/lint.sh $(BUILD) cppcheck clang-tidy valgrind

# every golden CLI case under valgrind memcheck (too slow for check)
valgrind: build
	tests/lint.sh $(BUILD) valgrind-all

bench: deps
	[ -f build-bench/build.ninja ] || meson setup build-bench -Dbench=true \
	  -Dbuildtype=release
	ninja -C build-bench

# libFuzzer (clang) on every byte entry point, FUZZ_SECONDS per target;
# the same targets replay their corpus in `make check`
FUZZ = build-fuzz
FUZZ_SECONDS = 60

fuzz:
	$(MAKE) --no-print-directory deps DEPS="$(DEPS) clang"
	[ -f $(FUZZ)/build.ninja ] || CC=clang meson setup $(FUZZ) \
	  -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
	  -Dc_args=-fsanitize=fuzzer-no-link
	ninja -C $(FUZZ)
	tests/fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN) $(TSAN) build-bench $(FUZZ)
