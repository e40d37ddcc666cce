# The final runtime, process.terminal: the container's own pseudo-terminal.
# With --console-socket, box sends its master over the unix socket
# (SCM_RIGHTS, as runc does for conmon and containerd's shim) and the
# process has the other end as its stdin, stdout, stderr and controlling
# terminal; `box run` in the foreground without a socket drives the
# terminal itself, as runc run does; exec --tty does the same for one more
# process. Where nobody would drive the terminal (create, run --detach,
# exec --detach without a socket), it is refused.
#
# tests/console-receiver.c is the socket's other end (runc's recvtty): it
# prints what the terminal says, and names the terminal on stderr.

load runtime

setup_file() {
	cc -O2 -g -Wall -Wextra -Werror -o "$BATS_FILE_TMPDIR/console-receiver" \
		"$BATS_TEST_DIRNAME/console-receiver.c" || fail "cannot build tests/console-receiver.c"
}

setup() {
	runtime_setup
	RECEIVER=$BATS_FILE_TMPDIR/console-receiver
	SOCKET=$BATS_TEST_TMPDIR/console.sock
	RECEIVER_PID=
}

teardown() {
	runtime_teardown
	if [ -n "$RECEIVER_PID" ]; then
		kill "$RECEIVER_PID" 2>/dev/null || true
		wait "$RECEIVER_PID" 2>/dev/null || true
	fi
}

# The receiver on $SOCKET, writing INPUT to the terminal once it has it;
# back once it listens. (timeout(1): a box that never sends fails the test
# instead of stopping the run; its TERM ends the receiver too.)
receiver_start() { # [INPUT]
	timeout 60 "$RECEIVER" "$SOCKET" "$@" >"$BATS_TEST_TMPDIR/console.out" 2>"$BATS_TEST_TMPDIR/console.err" 3>&- &
	RECEIVER_PID=$!
	local tries
	for tries in $(seq 100); do
		[ -S "$SOCKET" ] && return 0
		sleep 0.1
	done
	fail "console-receiver does not listen: $(cat "$BATS_TEST_TMPDIR/console.err")"
}

# Until the terminal hangs up (the process ended); then output and lines
# are what it said, without the terminal's carriage returns, and TERMINAL
# is the name of the terminal whose master came ("/dev/pts/N").
receiver_wait() {
	local status=0
	wait "$RECEIVER_PID" || status=$?
	RECEIVER_PID=
	[ "$status" -eq 0 ] || fail "console-receiver exited $status: $(cat "$BATS_TEST_TMPDIR/console.err")"
	TERMINAL=$(sed -n 's|^console-receiver: master of ||p' "$BATS_TEST_TMPDIR/console.err")
	run tr -d '\r' <"$BATS_TEST_TMPDIR/console.out"
}

# bats' run, then output and lines without the terminal's carriage returns.
run_terminal() { # COMMAND...
	run "$@"
	output=${output//$'\r'/}
	lines=()
	[ -z "$output" ] || mapfile -t lines <<<"$output"
}

# The container's cgroup directories, v1 (one per controller) or v2.
cgroups_of() { # ID
	ls -d "/sys/fs/cgroup/box/$1" /sys/fs/cgroup/*/"box/$1" 2>/dev/null || true
}

# In the container: "NAME: VALUE" lines about its terminal.
TERMINAL_REPORT='echo "tty: $(tty)"
for fd in 0 1 2; do echo "fd$fd: $(readlink /proc/$$/fd/$fd)"; done
test -t 0 && echo "stdin is a terminal"
read line; echo "read: $line"'

# points: 3
@test "with --console-socket, the master comes over the socket; the process's stdin, stdout and stderr are the terminal's other end" {
	bundle_edit "$BUNDLE" '.process.terminal = true | .process.args = ["sh", "-c", $report]' --arg report "$TERMINAL_REPORT"
	receiver_start $'hello\n'
	run_detached create --bundle "$BUNDLE" --console-socket "$SOCKET" tty1
	assert_success
	run rt start tty1
	assert_success
	receiver_wait
	[[ "$TERMINAL" =~ ^/dev/pts/[0-9]+$ ]] || fail "the receiver got no terminal's master: $TERMINAL"
	assert_line "tty: $TERMINAL"
	assert_line "fd0: $TERMINAL"
	assert_line "fd1: $TERMINAL"
	assert_line "fd2: $TERMINAL"
	assert_line "stdin is a terminal"
	assert_line "read: hello"
	# Nothing of it went to create's own stdio.
	assert_equal "$(cat "$BATS_TEST_TMPDIR/detached.out")" ""
}

# points: 2
@test "process.consoleSize sets the terminal's rows and columns" {
	bundle_edit "$BUNDLE" '.process.terminal = true | .process.consoleSize = {height: 37, width: 123}
		| .process.args = ["stty", "size"]'
	receiver_start
	run_detached create --bundle "$BUNDLE" --console-socket "$SOCKET" tty2
	assert_success
	run rt start tty2
	assert_success
	receiver_wait
	assert_output "37 123"
}

# points: 2
@test "the process leads a session of its own, with the terminal as its controlling terminal, from create on" {
	local report='read pid comm state ppid pgrp session tty tpgid rest < /proc/$$/stat
echo "pid=$pid session=$session foreground=$((pgrp == tpgid)) tty=$tty"
echo controlling > /dev/tty'
	bundle_edit "$BUNDLE" '.process.terminal = true | .process.args = ["sh", "-c", $report]' --arg report "$report"
	receiver_start
	run_detached create --bundle "$BUNDLE" --console-socket "$SOCKET" --pid-file "$BATS_TEST_TMPDIR/pid" tty3
	assert_success
	# Outside, before start: its process is a session leader with a terminal.
	local pid stat
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	# Its fields from the third (the state) on: session is the sixth, tty the seventh.
	read -r -a stat <<<"$(sed 's/.*) //' "/proc/$pid/stat")"
	assert_equal "session ${stat[3]}" "session $pid"
	assert_not_equal "tty ${stat[4]}" "tty 0"
	run rt start tty3
	assert_success
	receiver_wait
	assert_line --regexp '^pid=1 session=1 foreground=1 tty=[1-9][0-9]*$'
	assert_line controlling
}

# points: 2
@test "run in the foreground with a terminal and no --console-socket drives the terminal itself: its stdin in, the terminal's output out, the process's status" {
	bundle_edit "$BUNDLE" '.process.terminal = true | .process.args = ["sh", "-c", ($report + "; exit 3")]' \
		--arg report "$TERMINAL_REPORT"
	run_terminal rt run --bundle "$BUNDLE" tty4 <<<hello
	assert_failure 3
	assert_line --regexp '^tty: /dev/pts/[0-9]+$'
	local terminal
	terminal=$(sed -n 's/^tty: //p' <<<"$output")
	assert_line "fd0: $terminal"
	assert_line "fd1: $terminal"
	assert_line "fd2: $terminal"
	assert_line "stdin is a terminal"
	assert_line "read: hello"
	run rt list --quiet
	assert_output ""
}

# points: 2
@test "exec --tty --console-socket gives the new process a terminal of its own, its master sent over the socket" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached run --detach --bundle "$BUNDLE" tty5
	assert_success
	receiver_start $'hello\n'
	run rt exec --tty --console-socket "$SOCKET" tty5 sh -c "$TERMINAL_REPORT"'
		read pid comm state ppid pgrp session rest < /proc/$$/stat
		echo "session leader: $((pid == session))"
		exit 7'
	assert_failure 7
	receiver_wait
	[[ "$TERMINAL" =~ ^/dev/pts/[0-9]+$ ]] || fail "the receiver got no terminal's master: $TERMINAL"
	assert_line "tty: $TERMINAL"
	assert_line "fd0: $TERMINAL"
	assert_line "fd1: $TERMINAL"
	assert_line "fd2: $TERMINAL"
	assert_line "stdin is a terminal"
	assert_line "read: hello"
	assert_line "session leader: 1"
}

# points: 1
@test "exec --tty --detach --console-socket: the master is sent, and the process runs on after exec has returned" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached run --detach --bundle "$BUNDLE" tty6
	assert_success
	# No input: the process waits on its terminal for as long as it runs.
	receiver_start
	run rt exec --tty --detach --console-socket "$SOCKET" --pid-file "$BATS_TEST_TMPDIR/pid" tty6 sh -c "$TERMINAL_REPORT"
	assert_success
	assert_output ""
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/pid")
	[[ "$pid" =~ ^[1-9][0-9]*$ ]] || fail "no PID in --pid-file: $pid"
	assert_equal "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "sh -c $TERMINAL_REPORT "
	# Once it has said what it is, and waits to read: end it.
	local tries
	for tries in $(seq 100); do
		grep -q "stdin is a terminal" "$BATS_TEST_TMPDIR/console.out" && break
		sleep 0.1
	done
	kill "$pid"
	receiver_wait
	assert_line "tty: $TERMINAL"
	assert_line "stdin is a terminal"
	refute_line --partial "read:"
}

# points: 1
@test "exec --tty without --console-socket, in the foreground, drives the terminal itself" {
	bundle_edit "$BUNDLE" '.process.args = ["sleep", "100"]'
	run_detached run --detach --bundle "$BUNDLE" tty7
	assert_success
	run_terminal rt exec --tty tty7 sh -c "$TERMINAL_REPORT; exit 4" <<<hello
	assert_failure 4
	assert_line --regexp '^tty: /dev/pts/[0-9]+$'
	assert_line "stdin is a terminal"
	assert_line "read: hello"
}

# points: 2
@test "a terminal nobody would drive is refused with one line: create and run --detach without --console-socket, exec --tty --detach without it; nothing is left" {
	bundle_edit "$BUNDLE" '.process.terminal = true | .process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" tty8
	assert_failure 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	assert_output --regexp '^box: .*terminal.*--console-socket'
	run_detached run --detach --bundle "$BUNDLE" tty8
	assert_failure 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	assert_output --regexp '^box: .*terminal.*--console-socket'
	assert_equal "$(cgroups_of tty8)" ""
	assert_file_not_exists "$RT_ROOT/tty8"
	run rt list --quiet
	assert_output ""
	# exec: a running container without a terminal; --tty --detach alone.
	bundle_edit "$BUNDLE" '.process.terminal = false'
	run_detached run --detach --bundle "$BUNDLE" tty9
	assert_success
	run --separate-stderr rt exec --tty --detach tty9 true
	assert_failure 1
	assert_one_line_on_stderr
	assert_output ""
	[[ "$stderr" =~ ^box:\ .*--console-socket ]] || fail "stderr does not name --console-socket: $stderr"
}

# points: 1
@test "a --console-socket nobody listens on fails create with one line naming it; nothing is left" {
	bundle_edit "$BUNDLE" '.process.terminal = true | .process.args = ["sleep", "100"]'
	run_detached create --bundle "$BUNDLE" --console-socket "$BATS_TEST_TMPDIR/nobody.sock" tty10
	assert_failure 1
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 1
	assert_output --regexp "^box: .*$BATS_TEST_TMPDIR/nobody.sock"
	assert_equal "$(cgroups_of tty10)" ""
	assert_file_not_exists "$RT_ROOT/tty10"
}
