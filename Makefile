# fencer — build, test, demo, bench, install.
#
#   make                 build build/fencer
#   make check           install deps, build, run unit and lab tests
#   make check SANITIZE=1  the same under ASan + UBSan (objects in build/san)
#   make demo            one failover in the namespace lab
#   make bench           benchmarks (medians, peers beside them); BENCHES="bench_x ..." a subset
#   make mutants         plant known bugs one at a time, see the tests catch them (not in check)
#   make install         PREFIX=/usr/local DESTDIR=

PREFIX   ?= /usr/local
SBINDIR  ?= $(PREFIX)/sbin
MANDIR   ?= $(PREFIX)/share/man
DOCDIR   ?= $(PREFIX)/share/doc/fencer
MIBDIR   ?= $(PREFIX)/share/snmp/mibs
UNITDIR  ?= $(PREFIX)/lib/systemd/system
VERSION  := 0.1.0

CC       ?= cc
PKGS     := libssh netsnmp libcurl inih jansson libpcap
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

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl is dlopen()ed when a mail or webhook goes out (fencer/curl_api.h):
# its headers, not its library.
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libcurl,$(PKGS)) 2>/dev/null)
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
	@FENCER=$(abspath $(BUILD)/fencer) LABBIN=$(abspath $(BUILD)/lab) tests/lab/demo.sh

fuzz:
	@tests/fuzz/run.sh

bench: deps
	$(MAKE) all
	@FENCER=$(abspath $(BUILD)/fencer) LABBIN=$(abspath $(BUILD)/lab) tests/bench/run.sh

mutants: deps
	@tests/mutants/run.sh

# The units and examples call fencer where this install puts it.
SUBST_SBIN = sed -e 's|/usr/sbin/fencer|$(SBINDIR)/fencer|g' -e 's|/usr/local/sbin/fencer|$(SBINDIR)/fencer|g'

install: $(BUILD)/fencer
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(MIBDIR) $(DESTDIR)$(UNITDIR)
	install -m 0755 $(BUILD)/fencer $(DESTDIR)$(SBINDIR)/fencer
	ln -sf fencer $(DESTDIR)$(SBINDIR)/fence_fencer
	for f in man/*.8; do [ -e "$$f" ] && install -m 0644 $$f $(DESTDIR)$(MANDIR)/man8/ || true; done
	for f in man/*.5; do [ -e "$$f" ] && install -m 0644 $$f $(DESTDIR)$(MANDIR)/man5/ || true; done
	for f in conf/*; do [ -f "$$f" ] || continue; \
		$(SUBST_SBIN) "$$f" >$(DESTDIR)$(DOCDIR)/examples/$${f##*/} && \
		chmod $$(case $$f in *.sh) echo 0755;; *) echo 0644;; esac) $(DESTDIR)$(DOCDIR)/examples/$${f##*/}; done
	for f in conf/*.service conf/*.timer; do [ -e "$$f" ] || continue; \
		$(SUBST_SBIN) "$$f" >$(DESTDIR)$(UNITDIR)/$${f##*/} && chmod 0644 $(DESTDIR)$(UNITDIR)/$${f##*/}; done
	for f in mibs/*.txt; do [ -e "$$f" ] && install -m 0644 $$f $(DESTDIR)$(MIBDIR)/ || true; done

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
