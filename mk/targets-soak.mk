# make soak / make soak-quick: the final runtime under load and under kill -9
# (tools/soak/soak). Never part of make test: it counts cycles and leaks,
# and takes minutes. CI runs only soak-quick.
#
#   make soak         10000 create/start/delete and 1000 run/exec/kill/delete
#                     cycles (half of them 8 at once), 200 under ASan/LSan,
#                     kill -9 at every fault point and after 0..60 ms
#   make soak-quick   1000 and 100 cycles, the same 200 under ASan/LSan and
#                     fault points, kills after 0..24 ms: a few minutes
#                     (also: make soak SOAK_QUICK=1)
#
# SOAK_CYCLES, SOAK_EXEC_CYCLES, SOAK_ASAN_CYCLES, SOAK_PARALLEL,
# SOAK_DELAY_MAX, SOAK_DELAY_STEP (ms) and SOAK_TIMEOUT (s) override either mode.
# Results: build/soak/results.md; logs and snapshots in build/soak/work/.
# The test build (SANITIZE=1, -DBOX_FAULTS) is made in build/soak/tree, a copy
# of the sources, never over final/box.

soak: deps rootfs $(REAPER) final
	tools/soak/soak

soak-quick: deps rootfs $(REAPER) final
	tools/soak/soak --quick

.PHONY: soak soak-quick
