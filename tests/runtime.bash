# Shared by the final runtime's suites (tests/7-*.bats): OCI bundles made
# from `box spec` and edited with jq, and every verb under a --root of the
# test's own, so that nothing of the machine's /run/box is ever touched.
#
#   setup:    runtime_setup         (RT_ROOT, BUNDLE: a bundle on $ROOTFS)
#   teardown: runtime_teardown      (deletes, --force, whatever the test left)

load helpers

# box with the test's own --root.
rt() {
	box --root "$RT_ROOT" "$@"
}

# Like bats' run, for `create` and `run --detach`: the container's process
# keeps the caller's stdio (as runc's does), so `run`, which reads to EOF,
# would wait for the container. Here both go to $BATS_TEST_TMPDIR/detached.out,
# where a test also finds what the container wrote.
run_detached() { # VERB [ARG...]
	local out=$BATS_TEST_TMPDIR/detached.out
	status=0
	rt "$@" </dev/null >"$out" 2>&1 || status=$?
	output=$(cat "$out")
}

# A bundle in DIR: box spec's config.json, its root the built-in rootfs
# (read-only, as the spec has it: the rootfs is every test's), process
# args ARGS... if given.
bundle_make() { # DIR [ARG...]
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && "$BOX" spec) || fail "box spec failed"
	ln -s "$ROOTFS" "$dir/rootfs"
	if [ $# -gt 0 ]; then
		bundle_edit "$dir" '.process.args = $ARGS.positional' --args -- "$@"
	fi
}

# Edit DIR/config.json with a jq FILTER (and jq's own options after it).
bundle_edit() { # DIR FILTER [JQ OPTIONS...]
	local dir=$1 filter=$2
	shift 2
	jq "$filter" "$@" "$dir/config.json" > "$dir/config.json.new" || fail "jq $filter failed"
	mv "$dir/config.json.new" "$dir/config.json"
}

# A writable /tmp in the container (the root stays read-only).
bundle_tmp() { # DIR
	bundle_edit "$1" '.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "mode=1777", "size=16m"]}]'
}

runtime_setup() {
	RT_ROOT=$BATS_TEST_TMPDIR/root
	BUNDLE=$BATS_TEST_TMPDIR/bundle
	bundle_make "$BUNDLE"
}

runtime_teardown() {
	local id
	[ -d "${RT_ROOT:-/nonexistent}" ] || return 0
	for id in $(rt list --quiet 2>/dev/null); do
		rt delete --force "$id" || echo "teardown: delete --force $id failed" >&2
	done
}

# Is /sys/fs/cgroup one cgroup v2 tree (the v2 VM), not v1's trees?
cgroup_v2() {
	[ -f /sys/fs/cgroup/cgroup.controllers ]
}

# The directory of GROUP (box/...) where CONTROLLER's files are.
cgroup_path() { # CONTROLLER GROUP
	if cgroup_v2; then
		echo "/sys/fs/cgroup/$2"
	else
		echo "/sys/fs/cgroup/$1/$2"
	fi
}

# GROUP's file of CONTROLLER: V1FILE on v1, V2FILE on v2.
cgroup_read() { # CONTROLLER GROUP V1FILE V2FILE
	local file=$3
	cgroup_v2 && file=$4
	cat "$(cgroup_path "$1" "$2")/$file"
}

# Container ID's default cgroup directory (box/ID): v2 when the unified
# tree has the memory controller, else v1's memory hierarchy.
cgroup_dir_of() { # ID
	if grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
		echo "/sys/fs/cgroup/box/$1"
	else
		echo "/sys/fs/cgroup/memory/box/$1"
	fi
}

# The field FIELD of container ID's state (jq's -r).
state_of() { # ID FIELD
	rt state "$1" | jq -r ".$2"
}

# Wait until container ID's status is STATUS (10 s at most).
status_wait() { # ID STATUS
	local tries
	for tries in $(seq 100); do
		[ "$(state_of "$1" status)" = "$2" ] && return 0
		sleep 0.1
	done
	fail "container $1 is $(state_of "$1" status), not $2, after 10 s"
}
