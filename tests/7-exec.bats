# The final runtime, a running container's other verbs: exec (another
# process in every namespace and the cgroup of the container, with its
# privileges), ps, list and kill. Each container runs `sleep 1000` (or a
# shell that handles signals), detached, as an engine's shim leaves it.

load runtime

setup() {
	runtime_setup
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "1000"]'
}

teardown() {
	runtime_teardown
}

# Run container ID from $BUNDLE, detached; sets PID, its init's host PID.
start_detached() { # ID
	run_detached run --detach --bundle "$BUNDLE" "$1"
	assert_success
	PID=$(state_of "$1" pid)
}

# exec --detach COMMAND... in ID; sets EPID from its --pid-file.
exec_detached() { # ID COMMAND...
	local id=$1
	shift
	run_detached exec --detach --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$id" "$@"
	assert_success
	EPID=$(cat "$BATS_TEST_TMPDIR/exec.pid")
}

# Wait (10 s at most) until process PID is gone (or a zombie, not reaped yet).
process_wait_gone() { # PID
	local tries
	for tries in $(seq 100); do
		[ -e "/proc/$1" ] && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ] || return 0
		sleep 0.1
	done
	fail "process $1 still runs after 10 s"
}

# A host directory on /out in the container, where its process leaves word.
bundle_out() {
	mkdir -p "$BATS_TEST_TMPDIR/out"
	bundle_edit "$BUNDLE" '.mounts += [{"destination": "/out", "type": "bind", "source": $dir, "options": ["rbind", "rw"]}]' \
		--arg dir "$BATS_TEST_TMPDIR/out"
}

# exec ------------------------------------------------------------------------

# points: 2
@test "exec runs a command in a running container: its stdout, its stderr and its exit status" {
	start_detached exe1
	run --separate-stderr rt exec exe1 sh -c 'echo out; echo err >&2; hostname; exit 7'
	assert_failure 7
	assert_equal "$output" "out
box"
	assert_equal "$stderr" err
	run rt exec exe1 true
	assert_success
	# The container goes on.
	assert_equal "$(state_of exe1 status)" running
}

# points: 3
@test "the exec'd process is in every namespace of the container's init and in its cgroup" {
	start_detached exe2
	exec_detached exe2 sleep 900
	local ns
	for ns in mnt pid net ipc uts cgroup user; do
		assert_equal "$(readlink "/proc/$EPID/ns/$ns")" "$(readlink "/proc/$PID/ns/$ns")"
	done
	assert_not_equal "$(readlink "/proc/$EPID/ns/pid")" "$(readlink /proc/self/ns/pid)"
	assert_not_equal "$(readlink "/proc/$EPID/ns/mnt")" "$(readlink /proc/self/ns/mnt)"
	# Its cgroup is the init's, in every hierarchy.
	assert_equal "$(cat "/proc/$EPID/cgroup")" "$(cat "/proc/$PID/cgroup")"
	run cat "/proc/$EPID/cgroup"
	assert_output --partial "/box/exe2"
	# Inside: the init is its PID 1, the same network namespace, the
	# cgroup namespace's root, the container's root.
	run rt exec exe2 sh -c 'tr "\0" " " < /proc/1/cmdline; echo; readlink /proc/self/ns/net; grep -c ":/$" /proc/self/cgroup; wc -l < /proc/self/cgroup'
	assert_success
	assert_line --index 0 "sleep 1000 "
	assert_line --index 1 "$(readlink "/proc/$PID/ns/net")"
	assert_equal "${lines[2]}" "$(echo "${lines[3]}" | tr -d ' ')"
	assert_equal "$(stat -L -c %d:%i "/proc/$EPID/root/")" "$(stat -L -c %d:%i "/proc/$PID/root/")"
}

# points: 3
@test "the exec'd process has the container's capabilities, seccomp filter and no_new_privs by default" {
	# Not the defaults: four capabilities, no_new_privs off, mkdir denied.
	bundle_edit "$BUNDLE" '.process.noNewPrivileges = false |
		.process.capabilities = {"bounding": $caps, "permitted": $caps, "effective": $caps} |
		.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
			"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}' \
		--argjson caps '["CAP_CHOWN", "CAP_KILL", "CAP_SETGID", "CAP_SETUID"]'
	start_detached exe3
	exec_detached exe3 sleep 900
	local field
	for field in CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp Seccomp_filters; do
		assert_equal "$(grep "^$field:" "/proc/$EPID/status")" "$(grep "^$field:" "/proc/$PID/status")"
	done
	run grep -E '^(CapEff|NoNewPrivs|Seccomp):' "/proc/$EPID/status"
	assert_line --regexp '^CapEff:.00000000000000e1$' # CHOWN KILL SETGID SETUID
	assert_line --regexp '^NoNewPrivs:.0$'
	assert_line --regexp '^Seccomp:.2$'
	# Inside, the filter holds.
	run rt exec exe3 mkdir /dev/shm/x
	assert_failure
	assert_output --partial "Operation not permitted"
	# --no-new-privs: over the container's.
	run rt exec --no-new-privs exe3 grep NoNewPrivs /proc/self/status
	assert_output --regexp 'NoNewPrivs:.1$'
}

# points: 2
@test "exec --cwd, --env and --user UID:GID: the process's directory, environment and user" {
	start_detached exe4
	run rt exec --cwd /etc --env FOO=bar --env TERM=dumb --user 1000:1001 exe4 \
		sh -c 'pwd; echo "FOO=$FOO TERM=$TERM PATH=$PATH"; id; grep -E "^CapEff:" /proc/self/status'
	assert_success
	assert_line --index 0 /etc
	# --env adds, and replaces the container's own; the rest stays.
	assert_line --index 1 "FOO=bar TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	assert_line --index 2 "uid=1000 gid=1001"
	assert_line --index 3 --regexp '^CapEff:.0000000000000000$'
	# Without them: the container's cwd, env and user.
	run rt exec exe4 sh -c 'pwd; echo "FOO=$FOO TERM=$TERM"; id -u'
	assert_output "/
FOO= TERM=xterm
0"
}

# points: 2
@test "exec --process FILE runs a whole OCI process object: its args, env, cwd and user" {
	start_detached exe5
	jq -n '{"args": ["sh", "-c", "echo \"$A\"; pwd; id"], "env": ["A=from the process", "PATH=/bin:/usr/bin"],
		"cwd": "/proc", "user": {"uid": 1234, "gid": 5678}, "terminal": false}' > "$BATS_TEST_TMPDIR/process.json"
	run rt exec --process "$BATS_TEST_TMPDIR/process.json" exe5
	assert_success
	assert_output "from the process
/proc
uid=1234 gid=5678"
}

# points: 3
@test "exec --detach --pid-file: box returns while the process runs; the file holds its host PID, which ps shows" {
	start_detached exe6
	exec_detached exe6 sleep 900
	# Plain decimal, no newline, as containerd reads it.
	assert_equal "$(od -An -c "$BATS_TEST_TMPDIR/exec.pid" | tr -d ' \n')" "$EPID"
	[[ "$EPID" =~ ^[0-9]+$ ]] || fail "pid file: $EPID"
	assert_equal "$(ps -o args= -p "$EPID")" "sleep 900"
	# Its PID in the container's namespace too (NSpid: host, container).
	run awk '/^NSpid:/ { print NF }' "/proc/$EPID/status"
	assert_output 3
	run rt exec exe6 sh -c 'for p in /proc/[0-9]*; do tr "\0" " " < $p/cmdline; echo; done'
	assert_line "sleep 900 "
}

# points: 2
@test "exec in a stopped, a created or a missing container is refused in one line, status 1" {
	bundle_edit "$BUNDLE" '.process.args = ["true"]'
	run_detached run --detach --bundle "$BUNDLE" exe7
	assert_success
	status_wait exe7 stopped
	run --separate-stderr rt exec exe7 true
	assert_failure 1
	assert_equal "$stderr" "box: cannot exec in container exe7: it is stopped"
	run_detached create --bundle "$BUNDLE" exe7b
	assert_success
	run --separate-stderr rt exec exe7b true
	assert_failure 1
	assert_equal "$stderr" "box: cannot exec in container exe7b: it is created"
	run --separate-stderr rt exec exe-missing true
	assert_failure 1
	assert_equal "$stderr" "box: container exe-missing does not exist"
}

# ps, list --------------------------------------------------------------------

# points: 2
@test "ps and ps --format json list the init and the exec'd process by their host PIDs" {
	start_detached exe8
	exec_detached exe8 sleep 900
	run rt ps exe8
	assert_success
	assert_line --index 0 --regexp '^PID +USER +CMD$'
	assert_line --regexp "^$PID +root +sleep 1000\$"
	assert_line --regexp "^$EPID +root +sleep 900\$"
	assert_equal "${#lines[@]}" 3
	run rt ps --format json exe8
	assert_success
	assert_equal "$(jq -c 'sort' <<< "$output")" "$(jq -cn '[$a, $b] | sort' --argjson a "$PID" --argjson b "$EPID")"
	run --separate-stderr rt ps exe-missing
	assert_failure 1
	assert_equal "$stderr" "box: container exe-missing does not exist"
}

# points: 2
@test "list, list --format json and list --quiet: every container with its status and PID" {
	start_detached exe9
	run_detached create --bundle "$BUNDLE" exe9b
	assert_success
	local created_pid
	created_pid=$(state_of exe9b pid)
	run rt list
	assert_success
	assert_line --index 0 --regexp '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$'
	assert_line --regexp "^exe9 +$PID +running +$BUNDLE +[0-9T:.-]+Z +root\$"
	assert_line --regexp "^exe9b +$created_pid +created +$BUNDLE +[0-9T:.-]+Z +root\$"
	assert_equal "${#lines[@]}" 3
	run rt list --format json
	assert_success
	assert_equal "$(jq -c 'map({id, status, pid, bundle}) | sort_by(.id)' <<< "$output")" \
		"$(jq -cn '[{"id": "exe9", "status": "running", "pid": $a, "bundle": $b},
			{"id": "exe9b", "status": "created", "pid": $c, "bundle": $b}]' \
			--argjson a "$PID" --argjson c "$created_pid" --arg b "$BUNDLE")"
	run rt list --quiet
	assert_success
	assert_equal "$(sort <<< "$output")" "exe9
exe9b"
}

# kill ----------------------------------------------------------------------------

# points: 3
@test "kill sends TERM by default, and by the names TERM and SIGTERM and the number 15, to an init that handles it" {
	bundle_out
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", "trap \"echo TERM > /out/signal; exit 0\" TERM; while :; do sleep 1; done"]'
	local signal i=0
	for signal in "" TERM SIGTERM 15; do
		i=$((i + 1))
		rm -f "$BATS_TEST_TMPDIR/out/signal"
		start_detached "exe10-$i"
		run rt kill "exe10-$i" $signal
		assert_success
		status_wait "exe10-$i" stopped
		assert_equal "$(cat "$BATS_TEST_TMPDIR/out/signal")" TERM
		run rt delete "exe10-$i"
		assert_success
	done
}

# points: 2
@test "kill KILL and kill 9 end an init that handles nothing" {
	start_detached exe11
	run rt kill exe11 KILL
	assert_success
	status_wait exe11 stopped
	process_wait_gone "$PID"
	start_detached exe11b
	run rt kill exe11b 9
	assert_success
	status_wait exe11b stopped
	process_wait_gone "$PID"
	# A stopped container takes no more signals; a bad signal is refused.
	run --separate-stderr rt kill exe11 KILL
	assert_failure 1
	assert_equal "$stderr" "box: container exe11 is stopped: container not running"
	run --separate-stderr rt kill exe11b BOGUS
	assert_failure 1
	assert_equal "$stderr" 'box: kill: "BOGUS" is not a signal (TERM, SIGKILL, 9, ...) (see box kill --help)'
}

# points: 3
@test "an init that ignores TERM lives on after kill TERM and dies of kill KILL" {
	bundle_out
	bundle_edit "$BUNDLE" '.process.args = ["sh", "-c", "trap \"\" TERM; trap \"echo alive >> /out/alive\" WINCH; while :; do sleep 1; done"]'
	start_detached exe12
	run rt kill exe12 TERM
	assert_success
	# A signal after it, handled: had TERM been fatal, the process would
	# have been on its way out already, and no handler would run.
	run rt kill exe12 WINCH
	assert_success
	local tries
	for tries in $(seq 100); do
		[ -s "$BATS_TEST_TMPDIR/out/alive" ] && break
		sleep 0.1
	done
	assert_file_exists "$BATS_TEST_TMPDIR/out/alive"
	assert_equal "$(state_of exe12 status)" running
	assert_equal "$(state_of exe12 pid)" "$PID"
	run rt kill exe12 KILL
	assert_success
	status_wait exe12 stopped
	process_wait_gone "$PID"
}

# points: 2
@test "kill --all signals every process of the container's cgroup, the exec'd ones too" {
	start_detached exe13
	exec_detached exe13 sleep 900
	# The init (sleep, PID 1 with no handler) cannot be ended by TERM;
	# the exec'd sleep can, once --all reaches it.
	run rt kill --all exe13 TERM
	assert_success
	process_wait_gone "$EPID"
	assert_equal "$(state_of exe13 status)" running
	exec_detached exe13 sleep 800
	run rt kill --all exe13 KILL
	assert_success
	status_wait exe13 stopped
	process_wait_gone "$PID"
	process_wait_gone "$EPID"
}
