# After every suite: the machine is as the run found it.
# tests/run snapshots the machine into $BOX_SNAPSHOT/before first.

load helpers

setup_file() {
	[ -n "${BOX_SNAPSHOT:-}" ] || return 0
	tests/snapshot "$BOX_SNAPSHOT/after"
}

# What the run added (something that went away was not the run's doing).
compare() { # KIND
	[ -n "${BOX_SNAPSHOT:-}" ] || fail "BOX_SNAPSHOT is not set: run through tests/run"
	run comm -13 "$BOX_SNAPSHOT/before/$1" "$BOX_SNAPSHOT/after/$1"
	assert_output ""
}

@test "no mount is left in the host's mount table" { compare mounts; }
@test "no cgroup is left under box/" { compare cgroups; }
@test "no network interface or namespace is left" { compare links; compare netns; }
@test "the machine's own nft ruleset is as it was, and no network state of box's is left" {
	compare network
	[ -n "${BOX_SNAPSHOT:-}" ] || fail "BOX_SNAPSHOT is not set: run through tests/run"
	run diff "$BOX_SNAPSHOT/before/ruleset" "$BOX_SNAPSHOT/after/ruleset"
	assert_success
}
@test "no container state is left" { compare state; }
@test "no process of the lab is left running" { compare processes; }
@test "no user made by a test is left" { compare users; }
