# The final runtime under containerd (issue 14): a containerd of the suite's
# own (its config, root, state, sockets in the suite's directory; started in
# setup_file, stopped by PID in teardown_file) runs box through the runc v2
# shim (ctr run --runc-binary box), on an OCI image archive made here by hand
# from the built-in rootfs (a layer tar, its config, manifest, index.json,
# oci-layout: sha256sum and jq, no other engine). Each test checks what the
# container sees or what the kernel holds for it (its cgroup under
# /box/ctdsuite), and, where it matters, the calls the shim made to box (a
# logging runtime in front of box). runc, under the same shim, is the reference.
#
# Hermetic: every container's cgroup is /box/ctdsuite/ID (containerd's own
# default, /NAMESPACE/ID, is outside box/), box's root (--runc-root) and the
# IO FIFOs (--fifo-dir) are the suite's, the shim's TMPDIR (exec process
# files, console sockets) too. The shims' sockets go to /run/containerd/s
# whatever the config says: /run/containerd is removed at the end if the
# suite made it. ctr run gives a container a network namespace of its own
# (lo only): nothing touches a firewall or an interface.

load engines

setup_file() {
	command -v containerd > /dev/null && command -v ctr > /dev/null &&
		command -v containerd-shim-runc-v2 > /dev/null ||
		skip "containerd, ctr or the runc v2 shim is not installed (make deps installs them)"
	export CTD_T=$BATS_FILE_TMPDIR
	export CTD_NS=ctdsuite
	export CTD_GROUP=box/ctdsuite
	export CTD_IMAGE=localhost/boxroot:latest
	export CTD_CALLS=$CTD_T/calls.log
	export CTD_BOX_ROOT=$CTD_T/box-root
	engines_absent_record "$CTD_T/absent" /run/containerd /run/containerd/s /run/containerd/fifo \
		/run/containerd/runc /opt/containerd /var/lib/containerd
	mkdir -p "$CTD_T/tmp" "$CTD_T/fifo" "$CTD_BOX_ROOT" "$CTD_T/runc-root"
	engines_logging_runtime "$CTD_T/boxlog" "$BOX" "$CTD_CALLS"
	cat > "$CTD_T/config.toml" <<-EOF
	version = 2
	root = "$CTD_T/root"
	state = "$CTD_T/state"
	disabled_plugins = ["io.containerd.grpc.v1.cri",
	  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
	  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]

	[grpc]
	  address = "$CTD_T/containerd.sock"
	[ttrpc]
	  address = "$CTD_T/containerd.sock.ttrpc"
	[debug]
	  address = ""
	[metrics]
	  address = ""
	[plugins."io.containerd.monitor.v1.cgroups"]
	  no_prometheus = true
	[plugins."io.containerd.internal.v1.opt"]
	  path = "$CTD_T/opt"
	EOF
	oci_archive "$ROOTFS" "$CTD_T/image" "$CTD_T/boxroot.tar" || return 1
	# Not bats' fd 3: containerd (and its shims) would hold it.
	TMPDIR=$CTD_T/tmp containerd --config "$CTD_T/config.toml" > "$CTD_T/containerd.log" 2>&1 3>&- &
	export CTD_PID=$!
	local tries
	for tries in $(seq 100); do
		ctd version > /dev/null 2>&1 && break
		sleep 0.1
	done
	ctd version > /dev/null || { echo "containerd did not start: $(cat "$CTD_T/containerd.log")" >&2; return 1; }
	ctd images import --base-name localhost/boxroot "$CTD_T/boxroot.tar" > /dev/null ||
		{ echo "ctr images import failed" >&2; return 1; }
}

teardown_file() {
	[ -n "${CTD_T:-}" ] || return 0
	ctd_clean
	[ -z "${CTD_PID:-}" ] || engines_end_pids "$CTD_PID"
	# The shims of this containerd (none should be left).
	# shellcheck disable=SC2046
	engines_end_pids $(engines_pids_of "$(command -v containerd-shim-runc-v2)" "$CTD_T/containerd.sock")
	engines_end_group "$CTD_GROUP"
	cgroup_remove_tree "$CTD_GROUP"
	engines_unmount_under "$CTD_T"
	engines_absent_remove "$CTD_T/absent"
}

teardown() {
	ctd_clean
	engines_end_group "$CTD_GROUP"
}

# Every task killed and deleted, every container deleted.
ctd_clean() {
	local id
	for id in $(ctd task ls --quiet 2> /dev/null); do
		ctd task kill --signal KILL "$id" > /dev/null 2>&1
		ctd task delete --force "$id" > /dev/null 2>&1
	done
	for id in $(ctd containers ls --quiet 2> /dev/null); do
		ctd containers delete "$id" > /dev/null 2>&1
	done
}

# An OCI image layout of ROOTFS (one layer), in DIR and as the tar FILE.
oci_archive() { # ROOTFS DIR FILE
	local rootfs=$1 dir=$2 file=$3 layer config manifest
	mkdir -p "$dir/blobs/sha256"
	tar -C "$rootfs" --sort=name --owner=0 --group=0 --numeric-owner -cf "$dir/layer.tar" . || return 1
	layer=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
	jq -n --arg layer "sha256:$layer" '{architecture: "amd64", os: "linux",
		config: {Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"]},
		rootfs: {type: "layers", diff_ids: [$layer]}}' > "$dir/config.json"
	config=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
	jq -n --arg config "sha256:$config" --argjson config_size "$(stat -c %s "$dir/config.json")" \
		--arg layer "sha256:$layer" --argjson layer_size "$(stat -c %s "$dir/layer.tar")" \
		'{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $config_size},
		layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $layer, size: $layer_size}]}' \
		> "$dir/manifest.json"
	manifest=$(sha256sum "$dir/manifest.json" | cut -d' ' -f1)
	jq -n --arg manifest "sha256:$manifest" --argjson size "$(stat -c %s "$dir/manifest.json")" \
		'{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
		digest: $manifest, size: $size, platform: {architecture: "amd64", os: "linux"},
		annotations: {"org.opencontainers.image.ref.name": "latest"}}]}' > "$dir/index.json"
	mv "$dir/layer.tar" "$dir/blobs/sha256/$layer"
	mv "$dir/config.json" "$dir/blobs/sha256/$config"
	mv "$dir/manifest.json" "$dir/blobs/sha256/$manifest"
	echo '{"imageLayoutVersion": "1.0.0"}' > "$dir/oci-layout"
	tar -C "$dir" -cf "$file" oci-layout index.json blobs
}

# ctr on the suite's containerd and namespace, under the suite's timeout.
ctd() {
	timeout --foreground --kill-after=10 "${BOX_TEST_TIMEOUT:-300}" \
		ctr --address "$CTD_T/containerd.sock" --namespace "$CTD_NS" "$@" 3>&-
}

# ctr run [OPTION...] IMAGE ID COMMAND... with box (CTD_RUNTIME: another
# runtime), its root, FIFOs and cgroup the suite's. OPTIONs take their value
# after =.
ctd_run() { # [OPTION...] ID COMMAND...
	local options=() runtime=${CTD_RUNTIME:-$BOX} root=$CTD_BOX_ROOT
	while [[ $1 == -* ]]; do
		options+=("$1")
		shift
	done
	local id=$1
	shift
	[ "$runtime" = "$BOX" ] || [ "$runtime" = "$CTD_T/boxlog" ] || root=$CTD_T/runc-root
	ctd run --runc-binary "$runtime" --runc-root "$root" --fifo-dir "$CTD_T/fifo" \
		--cgroup "/$CTD_GROUP/$id" "${options[@]}" "$CTD_IMAGE" "$id" "$@"
}

# box on the root the shim gives it (--runc-root, then the namespace).
ctd_box() {
	"$BOX" --root "$CTD_BOX_ROOT/$CTD_NS" "$@"
}

# The PID `ctr task ls` shows for task ID.
ctd_task_pid() { # ID
	ctd task ls | awk -v id="$1" '$1 == id { print $2 }'
}

# The STATUS `ctr task ls` shows for task ID.
ctd_task_status() { # ID
	ctd task ls | awk -v id="$1" '$1 == id { print $3 }'
}

# Wait until task ID's status is STATUS (10 s at most).
ctd_status_wait() { # ID STATUS
	local tries
	for tries in $(seq 100); do
		[ "$(ctd_task_status "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	fail "task $1 is $(ctd_task_status "$1"), not $2, after 10 s"
}

# The calls the shim made to boxlog for container ID, the suite's directory
# shortened to T, the bundle to B.
ctd_calls() { # ID
	grep -F -- " $1" "$CTD_CALLS" |
		sed "s|$CTD_T/state/io.containerd.runtime.v2.task/$CTD_NS/$1|B|g; s|$CTD_T|T|g"
}

# points: 3
@test "ctr run --rm with box prints the command's output; the shim called box create, start, delete, and delete --force" {
	: > "$CTD_CALLS"
	CTD_RUNTIME=$CTD_T/boxlog run --separate-stderr ctd_run --rm ctd1 echo hi
	assert_success
	assert_output hi
	# The last call comes from a cleanup shim, once the task's shim is gone.
	local tries
	for tries in $(seq 100); do
		grep -q -- "delete --force ctd1" "$CTD_CALLS" && break
		sleep 0.1
	done
	run ctd_calls ctd1
	local globals="--root T/box-root/$CTD_NS --log B/log.json --log-format json"
	assert_line --index 0 "containerd-shim: $globals create --bundle B --pid-file B/init.pid ctd1"
	assert_line --index 1 "containerd-shim: $globals start ctd1"
	assert_line --index 2 "containerd-shim: $globals delete ctd1"
	assert_line --index 3 "containerd-shim: $globals delete --force ctd1"
	run ctd_box state ctd1
	assert_failure
	assert_output --partial "does not exist"
}

# points: 1
@test "ctr run --rm exits with the command's status" {
	run ctd_run --rm ctd2 sh -c 'exit 7'
	assert_failure 7
	run ctd_run --rm ctd3 true
	assert_success
}

# points: 2
@test "ctr run -d: task ls shows it RUNNING with the PID of box's state, in its cgroup under /box/ctdsuite; no box process stays" {
	run ctd_run -d ctd4 sleep 100
	assert_success
	ctd_status_wait ctd4 RUNNING
	local pid
	pid=$(ctd_task_pid ctd4)
	run ctd_box state ctd4
	assert_success
	assert_equal "$(jq -r .status <<< "$output")" running
	assert_equal "$(jq -r .pid <<< "$output")" "$pid"
	assert_equal "$(cat "/proc/$pid/comm")" sleep
	assert_equal "$(cgroup_procs "$CTD_GROUP/ctd4")" "$pid"
	# The init outlives box: the shim, a subreaper, is its parent.
	assert_equal "$(cat "/proc/$(awk '{ print $4 }' "/proc/$pid/stat")/comm")" containerd-shim
	run engines_pids_of "$BOX" ctd4
	assert_output ""
}

# points: 2
@test "ctr task exec runs a process in the running container's namespaces; its output and exit status come back" {
	run ctd_run -d ctd5 sleep 100
	assert_success
	ctd_status_wait ctd5 RUNNING
	local pid
	pid=$(ctd_task_pid ctd5)
	run ctd task exec --exec-id e1 --fifo-dir "$CTD_T/fifo" ctd5 \
		sh -c 'echo "in $(cat /proc/1/comm) $(readlink /proc/self/ns/mnt) $(readlink /proc/self/ns/pid)"; exit 4'
	assert_failure 4
	assert_output "in sleep $(readlink "/proc/$pid/ns/mnt") $(readlink "/proc/$pid/ns/pid")"
}

# points: 2
@test "ctr task ps lists the container's processes by their host PIDs (box ps --format json)" {
	run ctd_run -d ctd6 sh -c 'sleep 100 & exec sleep 101'
	assert_success
	ctd_status_wait ctd6 RUNNING
	local tries
	for tries in $(seq 100); do
		[ "$(cgroup_procs "$CTD_GROUP/ctd6" | wc -l)" -eq 2 ] && break
		sleep 0.1
	done
	run ctd task ps ctd6
	assert_success
	assert_equal "$(tail -n +2 <<< "$output" | awk '{ print $1 }' | sort -n)" \
		"$(cgroup_procs "$CTD_GROUP/ctd6" | sort -n)"
	assert_equal "${#lines[@]}" 3
}

# points: 2
@test "ctr task pause freezes the container's cgroup (PAUSED); task resume thaws it (RUNNING)" {
	run ctd_run -d ctd7 sleep 100
	assert_success
	ctd_status_wait ctd7 RUNNING
	run ctd task pause ctd7
	assert_success
	assert_equal "$(ctd_task_status ctd7)" PAUSED
	assert_equal "$(cgroup_frozen "$CTD_GROUP/ctd7")" frozen
	assert_equal "$(ctd_box state ctd7 | jq -r .status)" paused
	run ctd task resume ctd7
	assert_success
	assert_equal "$(ctd_task_status ctd7)" RUNNING
	assert_equal "$(cgroup_frozen "$CTD_GROUP/ctd7")" thawed
	assert_equal "$(ctd_box state ctd7 | jq -r .status)" running
}

# points: 3
@test "ctr task kill sends TERM (box kill ID 15), kill -s KILL a TERM-ignoring one; task delete gives the exit status and removes the container from box" {
	: > "$CTD_CALLS"
	CTD_RUNTIME=$CTD_T/boxlog run ctd_run -d ctd8 sh -c 'trap "exit 3" TERM; sleep 100 & wait'
	assert_success
	CTD_RUNTIME=$CTD_T/boxlog run ctd_run -d ctd9 sh -c 'trap "" TERM; sleep 100'
	assert_success
	ctd_status_wait ctd8 RUNNING
	ctd_status_wait ctd9 RUNNING
	# sh traps TERM before it forks sleep: wait for the fork.
	local tries
	for tries in $(seq 100); do
		[ "$(cgroup_procs "$CTD_GROUP/ctd8" | wc -l)" -eq 2 ] && break
		sleep 0.1
	done
	run ctd task kill ctd8
	assert_success
	ctd_status_wait ctd8 STOPPED
	run ctd task kill ctd9
	assert_success
	run ctd task kill --signal KILL ctd9
	assert_success
	ctd_status_wait ctd9 STOPPED
	run ctd_calls ctd8
	assert_line --regexp '^containerd-shim: .* kill ctd8 15$'
	run ctd_calls ctd9
	assert_line --regexp '^containerd-shim: .* kill ctd9 15$'
	assert_line --regexp '^containerd-shim: .* kill ctd9 9$'
	run ctd task delete ctd8
	assert_success
	assert_output --partial "exit code 3"
	run ctd task delete ctd9
	assert_success
	assert_output --partial "exit code 137"
	local id
	for id in ctd8 ctd9; do
		run ctd_box state "$id"
		assert_failure
		assert_output --partial "does not exist"
		assert_dir_not_exists "$(cgroup_path pids "$CTD_GROUP/$id")"
	done
}

# points: 2
@test "ctr run -t gives the container a terminal through box's console socket: tty prints /dev/pts/N" {
	: > "$CTD_CALLS"
	run script -qec "ctr --address $CTD_T/containerd.sock --namespace $CTD_NS run -t --rm --runc-binary $CTD_T/boxlog --runc-root $CTD_BOX_ROOT --fifo-dir $CTD_T/fifo --cgroup /$CTD_GROUP/ctd10 $CTD_IMAGE ctd10 tty" /dev/null < /dev/null
	assert_success
	assert_output --regexp '/dev/pts/[0-9]+'$'\r''*$'
	run ctd_calls ctd10
	assert_line --index 0 --regexp "^containerd-shim: .* create --bundle B --pid-file B/init.pid --console-socket T/tmp/pty[0-9]+/pty.sock ctd10$"
}

# points: 2
@test "ctr task metrics shows the container's cgroup: its memory limit and its number of processes" {
	run ctd_run -d --memory-limit=67108864 ctd11 sh -c 'sleep 100 & exec sleep 101'
	assert_success
	ctd_status_wait ctd11 RUNNING
	local tries
	for tries in $(seq 100); do
		[ "$(cgroup_procs "$CTD_GROUP/ctd11" | wc -l)" -eq 2 ] && break
		sleep 0.1
	done
	assert_equal "$(cgroup_read memory "$CTD_GROUP/ctd11" memory.limit_in_bytes memory.max)" 67108864
	run ctd task metrics ctd11
	assert_success
	assert_line --regexp '^pids\.current +2 *$'
	# v1: memory.limit_in_bytes; v2: memory.usage_limit
	assert_line --regexp '^memory\.(limit_in_bytes|usage_limit) +67108864 *$'
}

# A container's view of itself, to compare runtimes: its status lines, links,
# mounts (point, type, ro or rw), devices, limits, environment, umask.
CTD_VIEW='grep -E "^(Uid|Gid|Groups|Cap|NoNewPrivs|Seccomp)" /proc/self/status
ls /sys/class/net
awk "{ split(\$6, o, \",\"); print \$5, \$9, o[1] }" /proc/self/mountinfo | sort
ls -ln /dev | awk "NR > 1 { print \$1, \$5, \$6, \$NF }"
ulimit -n; ulimit -u; cat /proc/self/oom_score_adj; hostname
env | sort; umask; pwd'

# points: 2
@test "runtime in the middle: under containerd, box gives the container that runc gives (status, mounts, devices, limits, environment)" {
	command -v runc > /dev/null || fail "runc is not installed (make deps installs it)"
	CTD_RUNTIME=$(command -v runc) run ctd_run --rm ctd12 sh -c "$CTD_VIEW"
	assert_success
	local reference=$output
	run ctd_run --rm ctd13 sh -c "$CTD_VIEW"
	assert_success
	run diff <(echo "$reference") <(echo "$output")
	assert_success
}
