# Shared by every suite. tests/run sets BOX (the box under test), STAGE (its
# stage number, 7 for the final runtime) and ROOTFS (the built-in rootfs).

bats_require_minimum_version 1.5.0

bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

cd "$BATS_TEST_DIRNAME/.." || exit 1
: "${ROOTFS:=$PWD/build/rootfs}"
: "${STAGE:=1}"

# The box under test, on the built-in rootfs.
box() {
	"$BOX" "$@"
}

# Run as an ordinary user (nobody), with no supplementary groups.
as_user() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env -- "$@"
}

# Exactly one line on stderr (run --separate-stderr).
assert_one_line_on_stderr() {
	[ "${#stderr_lines[@]}" -eq 1 ] ||
		fail "expected one line on stderr, got ${#stderr_lines[@]}: $stderr"
}

requires_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}
