# make bench / make bench-quick: the cost of each isolation layer, measured
# (tools/bench/bench). Never part of make test: the tests assert facts, the
# bench measures time. CI runs only bench-quick, to prove the bench works.
#
#   make bench         full: 20 rounds x 15 runs per command, 200 containers,
#                      1000 detached OCI containers of final/box and of crun
#   make bench-quick   3 rounds x 5 runs, 10 containers, 100 OCI containers,
#                      in a few minutes
#
# BENCH_ROUNDS, BENCH_RUNS, BENCH_WARMUP, BENCH_N, BENCH_OCI_N override either mode;
# BENCH_PEERS picks peers (default "bwrap crun runc"; BENCH_PEERS= for none).
#
# Results: build/bench/results.md, build/bench/layers.png and layers.svg.
# Stages are built by the bench itself, one by one, so that a stage that does
# not build yet is reported as failed instead of stopping the bench.

# build/reaper: the final runtime's OCI rows run under it (a subreaper), as
# its tests do, so that the containers that create and run --detach orphan
# are reaped whatever the machine's init does.
bench: deps bench-tools rootfs $(REAPER)
	tools/bench/bench

bench-quick: deps bench-tools rootfs $(REAPER)
	tools/bench/bench --quick

# hyperfine times the commands, gnuplot draws, jq reads hyperfine's JSON and
# writes the OCI config. crun, runc and bwrap are optional peers: the bench
# says "not installed" for those that are missing.
bench-tools:
	@tools/install-deps hyperfine gnuplot-nox jq crun runc bubblewrap

.PHONY: bench bench-quick bench-tools
