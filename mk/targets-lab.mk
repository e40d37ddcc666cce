# The lab session: students' handouts, grading, and the proof that the tests
# notice every solution region (scripts in tools/lab/).
#
#   make handout [STAGE=N]         the tree a student of stage N gets, in
#                                  build/handout/stageN/ (every stage without STAGE)
#   make grade STAGE=N [BOX=path]  stage N's suites (tests/1-* .. tests/N-*) against
#                                  BOX, each test with its points, then "score: X/Y";
#                                  TAP and JUnit in build/grade/. Without BOX: the
#                                  handout's box, the handout made and built first
#   make test-lab [STAGE=N]        for every stage (or N): the reference gets full
#                                  marks, the handout less, and each region alone
#                                  stubbed fails a test. Slow: a build and a run per region
#
# The final runtime, final/, is stage 7 (STAGE=7).
#
# A handout tree has no tools/lab/handout: there only `make grade [BOX=path]`
# is here, and it grades the tree's own stage.

# Build every stage of a tree (and final/, if it has one). Each is built with
# its own name as STAGE: a STAGE=N on this command line would reach
# mk/stage.mk through MAKEFLAGS.
lab_build = for dir in $(1)/stage[0-9]-*/ $(1)/final/; do \
		[ -d $$dir ] || continue; \
		$(MAKE) --no-print-directory -C $$dir STAGE=$$(basename $$dir) || exit 1; \
	done

LAB_STAGES := $(foreach dir,$(wildcard stage[0-9]-*),$(patsubst stage%,%,$(firstword $(subst -, ,$(dir))))) \
	      $(if $(wildcard final/Makefile),7)

ifneq ($(wildcard tools/lab/handout),)

handout:
	@tools/lab/handout $(or $(STAGE),$(LAB_STAGES))

grade: deps rootfs $(REAPER)
ifeq ($(STAGE),)
	@echo "make grade: which stage? make grade STAGE=N [BOX=path]" >&2; exit 2
endif
ifeq ($(BOX),)
	@tools/lab/handout $(STAGE)
	@$(call lab_build,$(BUILD)/handout/stage$(STAGE))
	tools/lab/grade $(STAGE)
else
	tools/lab/grade --box $(BOX) $(STAGE)
endif

test-lab: deps rootfs $(REAPER)
	tools/lab/check-regions $(STAGE)

.PHONY: handout grade test-lab

else # a handout tree

grade: deps rootfs $(REAPER)
	@$(call lab_build,.)
	tools/lab/grade $(strip $(if $(BOX),--box $(BOX)) $(or $(STAGE),$(lastword $(LAB_STAGES))))

.PHONY: grade

endif
