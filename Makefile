# datafactory: build, check, install, deps, bench, demo.
#
#   make            build every program into bin/
#   make check      install missing packages, build, run the Check unit
#                   suites and the CLI tests, then again under ASan+UBSan
#   make demo       install missing packages, build, run a real pipeline
#   make install    PREFIX=/usr/local DESTDIR= (programs and man pages)
#   make bench      run the benchmarks in bench/ (not part of check)
#
# Variables: WERROR=1 adds -Werror; SAN=1 builds with ASan+UBSan into
# build/san/ (a separate tree, so both builds can live side by side).

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/datafactory
COMPDIR ?= $(PREFIX)/share/bash-completion/completions

CC ?= cc
OPT ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wformat=2 -Wstrict-prototypes \
	-Wold-style-definition -Wmissing-prototypes -Wshadow -Wvla \
	-Wwrite-strings -Wpointer-arith -fno-common
STD = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(WERROR),1)
WARN += -Werror
endif

ifeq ($(SAN),1)
OUT ?= build/san
OPT = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined
LDSAN = -fsanitize=address,undefined
else
OUT ?= build/rel
LDSAN =
endif
BIN ?= $(if $(filter 1,$(SAN)),$(OUT)/bin,bin)

DEFS = -DDF_VERSION='"$(VERSION)"' -DDF_DATADIR='"$(DATADIR)"'
ALL_CFLAGS = $(STD) $(OPT) $(WARN) $(DEFS) -Ilib -pthread $(CFLAGS)
ALL_LDFLAGS = $(LDSAN) -pthread $(LDFLAGS)

# Debian 12 packages the project builds and tests with.
DEBS = libjq-dev jq libcurl4-openssl-dev libxml2-dev libicu-dev \
	libsndfile1-dev libsamplerate0-dev check pkg-config python3 \
	valgrind mandoc shellcheck cppcheck

# Every cmd/df-*.c is a program; mk/df-*.mk says what each one links.
PROGS = $(patsubst cmd/%.c,%,$(sort $(wildcard cmd/df-*.c)))
LIB_SRCS = $(wildcard lib/*.c)
LIB_OBJS = $(LIB_SRCS:%.c=$(OUT)/%.o)
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_OBJS = $(UNIT_SRCS:%.c=$(OUT)/%.o)

# Libraries each program links (libjq 1.6 has no pkg-config file), from
# the program's fragment in mk/; the unit tests link what lib/ needs.
ICU_LIBS := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null)
LIBS_unit = -ljq -lm $(ICU_LIBS) $(shell pkg-config --libs check 2>/dev/null)
include $(sort $(wildcard mk/*.mk))

.PHONY: all check test unit cli san-check deps demo install uninstall \
	bench memcheck memcheck-unit lint clean
.SUFFIXES:
.SECONDARY:

all: $(PROGS:%=$(BIN)/%)

$(OUT)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(OUT)/libdf.a: $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(BIN)/%: $(OUT)/cmd/%.o $(OUT)/libdf.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(OUT)/libdf.a $(LIBS_$*)

$(OUT)/check_unit: $(UNIT_OBJS) $(OUT)/libdf.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJS) $(OUT)/libdf.a $(LIBS_unit)

$(OUT)/tests/unit/%.o: ALL_CFLAGS += $(shell pkg-config --cflags check 2>/dev/null) \
	-I$(OUT)/tests/unit

# The suites run.c runs: every "name_suite(void)" defined in a check_*.c,
# so a new suite needs no edit elsewhere.
$(OUT)/tests/unit/suites.inc: $(filter-out %/run.c,$(UNIT_SRCS))
	@mkdir -p $(@D)
	sed -n 's/^\([a-z0-9_]*_suite\)(void)$$/SUITE(\1)/p' $^ | sort >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(UNIT_OBJS): $(OUT)/tests/unit/suites.inc

-include $(LIB_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(PROGS:%=$(OUT)/cmd/%.d)

# The test command of the README: every test, then again under ASan+UBSan,
# the unit suites under valgrind (no leaks, no uninitialised reads), then
# the linters.  The builds use every core; the tests run one script at a
# time.  The CLI tests under valgrind (make memcheck) are not part of
# check: on two cores the first five of seventy scripts took 17 minutes.
NPROC := $(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) -j$(NPROC) WERROR=1 all build/rel/check_unit
	$(MAKE) WERROR=1 test
	$(MAKE) -j$(NPROC) WERROR=1 SAN=1 all build/san/check_unit
	$(MAKE) WERROR=1 SAN=1 test
	$(MAKE) WERROR=1 memcheck-unit
	$(MAKE) lint

# One pass of every test against the current build flavour.
test: unit cli

unit: $(OUT)/check_unit
	CK_FORK=yes $(OUT)/check_unit

cli: all
	DF_BIN=$(abspath $(BIN)) sh tests/cli/run.sh

# The unit suites, in one process, under valgrind's memcheck.
memcheck-unit: $(OUT)/check_unit
	CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
	    --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect $(OUT)/check_unit

# The CLI tests under valgrind's memcheck (no leaks, no errors).
memcheck: all
	DF_BIN=$(abspath $(BIN)) DF_VALGRIND=1 sh tests/cli/run.sh

lint:
	for m in man/*.[17]; do mandoc -Tlint -Wwarning $$m || exit 1; done
	shellcheck -s sh tests/cli/*.sh pipelines/*.sh .ci/run
	shellcheck -s bash contrib/bash-completion/df
	cppcheck -q --error-exitcode=1 --enable=warning,portability \
	    --inline-suppr -Ilib lib cmd

deps:
	@missing=; for p in $(sort $(DEBS)); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null || exit 2; \
	fi

demo: deps
	$(MAKE) -j$(NPROC) all
	sh pipelines/demo.sh

# The benchmarks' peers need more than the build: BENCH_DEBS, added to by
# the fragments in mk/.  BENCH='split dedup' runs only those.
BENCH_DEBS += jq python3 python3-numpy bc
bench: all
	$(MAKE) deps DEBS="$(sort $(BENCH_DEBS))"
	BENCH="$(BENCH)" sh bench/run.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	for p in $(PROGS); do \
	  install -m 755 $(BIN)/$$p $(DESTDIR)$(BINDIR)/$$p || exit 1; \
	  install -m 644 man/$$p.1 $(DESTDIR)$(MANDIR)/man1/$$p.1 || exit 1; \
	  install -m 644 contrib/bash-completion/df \
	      $(DESTDIR)$(COMPDIR)/$$p || exit 1; \
	done
	install -m 644 man/df.7 $(DESTDIR)$(MANDIR)/man7/df.7
	if [ -d data ]; then mkdir -p $(DESTDIR)$(DATADIR) && \
	  cp -R data/. $(DESTDIR)$(DATADIR)/; fi

uninstall:
	for p in $(PROGS); do \
	  rm -f $(DESTDIR)$(BINDIR)/$$p $(DESTDIR)$(MANDIR)/man1/$$p.1 \
	      $(DESTDIR)$(COMPDIR)/$$p; \
	done
	rm -f $(DESTDIR)$(MANDIR)/man7/df.7
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build bin
