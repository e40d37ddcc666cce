# make fuzz: libFuzzer targets over box's parsers of untrusted input, each
# run for a while; never part of make test. CI runs the quick mode.
#
#   make fuzz                    each target 60 seconds (FUZZ_SECONDS=N: N)
#   make fuzz FUZZ_SECONDS=20    CI's quick mode
#   make fuzz FUZZ_TARGETS="config layer"    some of them
#   make fuzz-build              only build them, into build/fuzz/
#
# The targets (fuzz/*.c, each an LLVMFuzzerTestOneInput, fuzz/harness.h):
#   config   config.json (final/config.c: config_load_text)
#   profile  a seccomp profile (stage6-seccomp/profile.c: profile_compile_text)
#   cli      the stage contract's command line (final/contract.c's options,
#            stage1-chroot/cli.c's parser), words split at NUL bytes
#   layer    a layer tarball (stage4-overlay/layers.c: layer_resolve), with
#            "nothing is written outside the layer" checked after each input
# fuzz/run first replays fuzz/regressions/TARGET/ (every crash found became
# one), then fuzzes from fuzz/corpus/TARGET/ (the seeds, made by
# fuzz/make-corpus) and build/fuzz/corpus/TARGET/ (what earlier runs found),
# and writes build/fuzz/results.md: time, CPU time, executions, crashes. It
# fails on any crash, leak, or replayed regression that fails. A crash's
# input is in build/fuzz/artifacts/TARGET/.
#
# The objects are the final runtime's own (its SOURCES, found as its
# Makefile finds them), built with clang -fsanitize=fuzzer-no-link,address,
# undefined into build/fuzz/obj/; box.c and contract.c stay out (cli.c
# includes contract.c for its static option table). cli.c and report.c are
# built with -Dexit=box_fuzz_exit: die() and the usage errors come back to
# the target instead of ending it (fuzz/harness.c).

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= config profile cli layer
FUZZ_DIR     := $(BUILD)/fuzz

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	fuzz/run --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The build happens in a make of its own: only it reads the final
# runtime's flags (build/fuzz/final.mk, asked of final/Makefile itself).
fuzz-build:
	@$(MAKE) --no-print-directory BOX_FUZZ_BUILD=1 $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-build

ifeq ($(BOX_FUZZ_BUILD),1)

# What final/Makefile says: its sources, the stages it reuses, its flags.
$(FUZZ_DIR)/final.mk: final/Makefile mk/stage.mk mk/targets-fuzz.mk
	@mkdir -p $(@D)
	@$(MAKE) -s --no-print-directory -C final --eval 'box-fuzz-flags: ; @: \
		$$(info FUZZ_REUSES := $$(REUSES)) $$(info FUZZ_SOURCES := $$(SOURCES)) \
		$$(info FUZZ_FINAL_CPPFLAGS := $$(CPPFLAGS)) $$(info FUZZ_LDLIBS := $$(LDLIBS))' box-fuzz-flags > $@.tmp
	@mv $@.tmp $@
include $(FUZZ_DIR)/final.mk

FUZZ_CC       := clang
FUZZ_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   := -O1 -g -std=gnu11 -Wall -Wextra -Werror -fsanitize=fuzzer-no-link $(FUZZ_SANITIZE)
FUZZ_CPPFLAGS := $(patsubst -I.,-I$(CURDIR)/final,$(FUZZ_FINAL_CPPFLAGS)) -Ifuzz -DBOX_FUZZ
FUZZ_PROFILE  := $(CURDIR)/stage6-seccomp/seccomp-default.json
FUZZ_LIBRARY  := $(FUZZ_DIR)/libbox.a
FUZZ_OBJECTS  := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter-out box.c contract.c,$(FUZZ_SOURCES)))

vpath %.c final $(FUZZ_REUSES)

$(FUZZ_DIR)/obj:
	mkdir -p $@

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_DIR)/final.mk | $(FUZZ_DIR)/obj
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_DIR)/obj/fuzz-%.o: fuzz/%.c $(FUZZ_DIR)/final.mk | $(FUZZ_DIR)/obj
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

# exit() of the command line's errors and of die(): back to the target.
$(FUZZ_DIR)/obj/cli.o $(FUZZ_DIR)/obj/report.o: FUZZ_CPPFLAGS += -Dexit=box_fuzz_exit
$(FUZZ_DIR)/obj/profile_default.o: $(FUZZ_PROFILE)
$(FUZZ_DIR)/obj/profile_default.o: FUZZ_CPPFLAGS += -DSECCOMP_DEFAULT_PROFILE='"$(FUZZ_PROFILE)"' \
	-DSECCOMP_DEFAULT_SHA256='"$(firstword $(shell sha256sum $(FUZZ_PROFILE)))"'

$(FUZZ_LIBRARY): $(FUZZ_OBJECTS)
	rm -f $@
	ar rcs $@ $^

$(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS)): $(FUZZ_DIR)/%: $(FUZZ_DIR)/obj/fuzz-%.o $(FUZZ_DIR)/obj/fuzz-harness.o $(FUZZ_LIBRARY)
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SANITIZE) -o $@ $^ $(FUZZ_LDLIBS)

-include $(FUZZ_OBJECTS:.o=.d) $(wildcard $(FUZZ_DIR)/obj/fuzz-*.d)

endif
