# fencer — build, test, demo, bench, install.
#
#   make                 build build/fencer
#   make check           install deps, build, run unit and lab tests
#   make check SANITIZE=1  the same under ASan + UBSan (objects in build/san)
#   make demo            one failover in the namespace lab; PROFILE=catalyst: switches as slow as a real Catalyst; SERVE=1: fencer serve on each node
#   make bench           benchmarks (medians, peers beside them); BENCHES="bench_x ..." a subset
#   make mutants         plant known bugs one at a time, see the tests catch them (not in check)
#   make install         PREFIX=/usr/local DESTDIR= (the OCF agent: OCFDIR=/usr/lib/ocf, where Pacemaker looks)
#   make uninstall       what make install put there, with the same PREFIX and DESTDIR
#   make lint            cppcheck over fencer/ and drivers/ (apt-get install cppcheck)
#   make fuzz            libFuzzer targets of tests/fuzz (clang), FUZZ_TARGETS, FUZZ_SECONDS

PREFIX   ?= /usr/local
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/fencer
MIBDIR   ?= $(PREFIX)/share/snmp/mibs
UNITDIR  ?= $(PREFIX)/lib/systemd/system
# Pacemaker finds resource agents under /usr/lib/ocf only, whatever PREFIX.
OCFDIR   ?= /usr/lib/ocf
VERSION  := 0.1.0

CC       ?= cc
PKGS     := libssh netsnmp libcurl inih jansson libpcap libxml-2.0
# -Wvla: no array sized by input on a stack (a config with many switches).
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
# snprintf truncates on purpose (error texts into fixed buffers).
WARN     += $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null)),,-Wno-format-truncation)
DEFS     := -D_DEFAULT_SOURCE -D_GNU_SOURCE -DFENCER_VERSION='"$(VERSION)"'
CFLAGS   ?= -O2 -g
LIBNET_LIBS := -lnet

ifeq ($(SANITIZE),1)
BUILD    ?= build/san
CFLAGS   += -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
else
BUILD    ?= build
endif

# A package pkg-config does not know is named, with how to get it, instead
# of a compile that fails on a missing header (the goals that run deps
# first check in the make they start).
ifeq ($(filter clean deps check demo bench mutants lint uninstall,$(MAKECMDGOALS)),)
PKGS_MISSING := $(strip $(foreach p,$(PKGS),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
ifneq ($(PKGS_MISSING),)
$(error pkg-config does not know $(PKGS_MISSING): run `make deps` (tests/deps.sh installs the Debian packages))
endif
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
# libcurl is dlopen()ed when a mail or webhook goes out (fencer/curl_api.h):
# its headers, not its library.
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)))
ALL_CFLAGS = -std=c11 $(WARN) $(DEFS) -I. $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LIBS   = $(PKG_LIBS) $(LIBNET_LIBS) -lpthread

CORE_SRCS  := $(filter-out fencer/main.c,$(wildcard fencer/*.c)) $(wildcard drivers/*.c)
CORE_OBJS  := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ   := $(BUILD)/obj/fencer/main.o
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_SUPPORT := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_SUPPORT_OBJS := $(UNIT_SUPPORT:%.c=$(BUILD)/obj/%.o)
LAB_BINS   := $(patsubst tests/lab/%.c,$(BUILD)/lab/%,$(wildcard tests/lab/*.c))

.PHONY: all deps check unit lab demo bench mutants install uninstall clean fuzz lint

all: $(BUILD)/fencer $(BUILD)/fence_fencer $(LAB_BINS)

$(BUILD)/fencer: $(MAIN_OBJ) $(BUILD)/libfencer.a
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS)

$(BUILD)/fence_fencer: $(BUILD)/fencer
	ln -sf fencer $@

$(BUILD)/libfencer.a: $(CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_SUPPORT_OBJS) $(BUILD)/libfencer.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -Itests/unit -o $@ $< \
		$(UNIT_SUPPORT_OBJS) $(BUILD)/libfencer.a $(LDFLAGS) $(ALL_LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/lab/%: tests/lab/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARN) $(DEFS) $(CFLAGS) $(LDFLAGS) -o $@ $<

deps:
	@tests/deps.sh

unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

lab: all
	@FENCER=$(abspath $(BUILD)/fencer) LABBIN=$(abspath $(BUILD)/lab) tests/lab/run-tests.sh

check: deps
	$(MAKE) all
	@SANITIZE=$(SANITIZE) tests/check.sh

demo: deps
	$(MAKE) all
	@$(if $(PROFILE),FENCER_LAB_PROFILE=$(PROFILE)) $(if $(SERVE),LAB_SERVE=1) FENCER=$(abspath $(BUILD)/fencer) LABBIN=$(abspath $(BUILD)/lab) tests/lab/demo.sh

# The fuzz targets link the same sources with the same packages as fencer.
fuzz:
	@FUZZ_SRCS="$(CORE_SRCS)" FUZZ_PKG_CFLAGS="$(PKG_CFLAGS)" FUZZ_LIBS="$(ALL_LIBS)" tests/fuzz/run.sh

# Static analysis of the product code; any finding fails. Inline
# suppressions (cppcheck-suppress) carry their reason beside them.
LINT_FLAGS := --std=c11 --enable=warning,portability --inline-suppr --error-exitcode=1 -q \
	-D_GNU_SOURCE -D_DEFAULT_SOURCE -I. --suppress=missingIncludeSystem
lint:
	@command -v cppcheck >/dev/null || { echo "lint: cppcheck missing (apt-get install cppcheck)"; exit 2; }
	cppcheck $(LINT_FLAGS) fencer drivers

bench: deps
	$(MAKE) all
	@FENCER=$(abspath $(BUILD)/fencer) LABBIN=$(abspath $(BUILD)/lab) tests/bench/run.sh

mutants: deps
	@tests/mutants/run.sh

MAN8  := $(wildcard man/*.8)
MAN5  := $(wildcard man/*.5)
MIBS  := $(wildcard mibs/*.txt)
UNITS := $(wildcard conf/*.service conf/*.timer)
EXAMPLES := $(filter-out conf/%/,$(wildcard conf/*))

# The units and examples call fencer where this install puts it.
SUBST_SBIN = sed -e 's|/usr/sbin/fencer|$(SBINDIR)/fencer|g' -e 's|/usr/local/sbin/fencer|$(SBINDIR)/fencer|g'

install: $(BUILD)/fencer
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(MIBDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BUILD)/fencer $(DESTDIR)$(SBINDIR)/fencer
	ln -sf fencer $(DESTDIR)$(SBINDIR)/fence_fencer
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	set -e; for f in $(EXAMPLES); do \
		$(SUBST_SBIN) "$$f" >$(DESTDIR)$(DOCDIR)/examples/$${f##*/} && \
		chmod $$(case $$f in *.sh) echo 0755;; *) echo 0644;; esac) $(DESTDIR)$(DOCDIR)/examples/$${f##*/}; done
	set -e; for f in $(UNITS); do \
		$(SUBST_SBIN) "$$f" >$(DESTDIR)$(UNITDIR)/$${f##*/} && chmod 0644 $(DESTDIR)$(UNITDIR)/$${f##*/}; done
	install -m 0644 $(MIBS) $(DESTDIR)$(MIBDIR)/
	install -d $(DESTDIR)$(OCFDIR)/resource.d/fencer
	$(SUBST_SBIN) ocf/bridge >$(DESTDIR)$(OCFDIR)/resource.d/fencer/bridge
	chmod 0755 $(DESTDIR)$(OCFDIR)/resource.d/fencer/bridge

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/fencer $(DESTDIR)$(SBINDIR)/fence_fencer
	rm -f $(MAN8:man/%=$(DESTDIR)$(MANDIR)/man8/%) $(MAN5:man/%=$(DESTDIR)$(MANDIR)/man5/%)
	rm -f $(MIBS:mibs/%=$(DESTDIR)$(MIBDIR)/%) $(UNITS:conf/%=$(DESTDIR)$(UNITDIR)/%)
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(OCFDIR)/resource.d/fencer

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
