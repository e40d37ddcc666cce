# The fuzz targets (fuzz/, make fuzz) over the inputs the project keeps:
# each crash fuzzing found became a file of fuzz/regressions/TARGET/, and
# every seed of fuzz/corpus/TARGET/ is a real input (box spec's config.json,
# box's seccomp profile, command lines, layer tarballs, hostile ones among
# them). Each runs once through its target, built with AddressSanitizer and
# UBSan, in the targets' sandbox (fuzz/harness.h: nothing written outside
# it): none may crash, leak, hit undefined behaviour, take longer than 25
# seconds or break a target's property (the layer's: nothing written outside
# the layer). make fuzz replays them too, before it fuzzes.

load helpers

setup_file() {
	# A handout carries no fuzz/: these tests say so (skip).
	[ -f fuzz/harness.c ] || return 0
	make -s --no-print-directory fuzz-build > "$BATS_FILE_TMPDIR/build.log" 2>&1 ||
		{ cat "$BATS_FILE_TMPDIR/build.log" >&3; return 1; }
}

# Run build/fuzz/TARGET once over each regression and seed of TARGET.
replay() { # TARGET
	local target=$1 inputs=()
	[ -f fuzz/harness.c ] || skip "this tree has no fuzz targets (fuzz/ is not in a handout)"
	mapfile -t inputs < <(find "fuzz/regressions/$target" "fuzz/corpus/$target" -type f 2>/dev/null | sort)
	[ "${#inputs[@]}" -gt 0 ] || fail "no inputs for $target in fuzz/regressions/ or fuzz/corpus/"
	run --separate-stderr "build/fuzz/$target" -timeout=25 -rss_limit_mb=2048 -close_fd_mask=3 \
		-artifact_prefix="$BATS_TEST_TMPDIR/" "${inputs[@]}"
	[ "$status" -eq 0 ] || fail "build/fuzz/$target failed (status $status) on one of ${#inputs[@]} inputs:
$(grep -E '^Running:|^==[0-9]+==|^SUMMARY|^fuzz [a-z]+:|^    #[0-9] ' <<< "$stderr" | tail -n 40)"
	[ "$(grep -c '^Executed ' <<< "$stderr")" -eq "${#inputs[@]}" ] ||
		fail "build/fuzz/$target ran $(grep -c '^Executed ' <<< "$stderr") of ${#inputs[@]} inputs"
}

# points: 1
@test "the config.json parser takes every kept fuzz input without a crash, a leak or undefined behaviour" {
	replay config
}

# points: 1
@test "the seccomp profile compiler takes every kept fuzz input in time, without a crash or a bad program" {
	replay profile
}

# points: 1
@test "the stage contract's option parser takes every kept fuzz command line without a crash or a leak" {
	replay cli
}

# points: 1
@test "the layer reader takes every kept fuzz tarball without a crash or a write outside the layer" {
	replay layer
}
