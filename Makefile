# The container lab: one entry point.
#
#   make            build every stage and the built-in rootfs
#   make demo       the main job: build, then run a container of the most complete stage
#   make test       run every stage's tests (tests/run); make test ONLY="1 2" for some stages
#   make docs       lecture notes (en, ru) into build/docs/, failing on any warning
#   make deps       install what this Debian/Ubuntu machine lacks (apt-get)
#   make SANITIZE=1 the same, built with AddressSanitizer and UBSan (clang)
#   make lint       cppcheck over every stage

STAGES  := $(sort $(wildcard stage[0-9]-*)) $(patsubst %/Makefile,%,$(wildcard final/Makefile))
BUILD   := build
ROOTFS  := $(BUILD)/rootfs
PROBE   := $(BUILD)/probe
REAPER  := $(BUILD)/reaper
PREFIX  ?= /usr/local

all: build rootfs $(REAPER)

build: $(STAGES)

$(STAGES):
	$(MAKE) -C $@

rootfs: $(BUILD)/.rootfs-built

$(PROBE): tests/probe.c
	@mkdir -p $(BUILD)
	$(CC) -static -O2 -g -Wall -Wextra -Werror -o $@ $<

$(REAPER): tests/reaper.c
	@mkdir -p $(BUILD)
	$(CC) -O2 -g -Wall -Wextra -Werror -o $@ $<

# The stamp lives beside the rootfs, not in it: every container would see it.
$(BUILD)/.rootfs-built: tools/mkrootfs $(PROBE) $(wildcard /bin/busybox)
	tools/mkrootfs $(ROOTFS) $(PROBE)
	touch $@

deps:
	@tools/install-deps

demo: deps all
	@tools/demo

test: deps all
	tests/run $(ONLY)

docs:
	@tools/build-docs

# cppcheck does not know __attribute__((cleanup)), so it would call every
# _cleanup_ variable a leak: that check is left to the sanitizers' runs.
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
		--suppress=resourceLeak \
		--std=c11 -D_GNU_SOURCE --inline-suppr $(addprefix -I,$(STAGES)) $(STAGES) tests/probe.c tests/reaper.c tests/console-receiver.c

install: build
	install -D -m 0755 $(lastword $(STAGES))/box $(DESTDIR)$(PREFIX)/bin/box

clean:
	for stage in $(STAGES); do $(MAKE) -C $$stage clean; done
	rm -rf $(BUILD)

.PHONY: all build rootfs deps demo test docs lint install clean $(STAGES)

# Later pieces (grading, handouts, bench, the cgroup v2 VM) bring their own rules.
-include mk/targets-*.mk
