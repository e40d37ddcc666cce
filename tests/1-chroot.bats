# Stage 1, chroot: the command lives in ROOTFS, and box reports its status as
# Docker does. Every later stage must keep these properties.

load helpers

# points: 1
@test "the command sees the rootfs's files, not the host's" {
	run box "$ROOTFS" cat /etc/box-release
	assert_success
	assert_output --partial "box lab rootfs"
	refute [ -e /etc/box-release ]
}

# points: 1
@test "a host-only file is invisible by path" {
	local secret=$BATS_TEST_TMPDIR/host-only
	echo secret > "$secret"
	run box "$ROOTFS" test -e "$secret"
	assert_failure 1
	run box "$ROOTFS" cat "$secret"
	assert_failure
	refute_output --partial secret
}

# points: 1
@test "the command runs with / as its working directory" {
	run box "$ROOTFS" pwd
	assert_success
	assert_output /
}

# points: 1
@test "the environment is clean: PATH, HOME, TERM and HOSTNAME only" {
	run env -i LEAK=host TERM=dumb "$BOX" "$ROOTFS" env
	assert_success
	refute_line --partial LEAK
	assert_line --regexp '^PATH=.*/usr/bin'
	assert_line HOME=/root
	assert_line TERM=dumb
	assert_line --regexp '^HOSTNAME=.'
}

# points: 1
@test "the command's exit status comes back: 0 and 7" {
	run box "$ROOTFS" true
	assert_success
	run box "$ROOTFS" sh -c 'exit 7'
	assert_failure 7
}

# points: 1
@test "a command killed by signal N gives 128+N" {
	# From stage 2 on the command is its namespace's PID 1, which no
	# signal of its own can end (2-pid1.bats): there it runs under --init.
	local init=
	[ "$STAGE" -lt 2 ] || init=--init
	run box $init "$ROOTFS" probe signal 9
	assert_failure 137
	run box $init "$ROOTFS" probe signal 15
	assert_failure 143
}

# points: 1
@test "a command that cannot be executed gives 126, with one line" {
	run --separate-stderr box "$ROOTFS" /etc/passwd
	assert_failure 126
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: /etc/passwd: cannot execute: Permission denied"
}

# points: 1
@test "a command that does not exist gives 127, with one line" {
	run -127 --separate-stderr box "$ROOTFS" no-such-command
	assert_failure 127
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: no-such-command: command not found"
}

# points: 1
@test "a missing rootfs gets one line naming it, and 125" {
	run --separate-stderr box /no/such/rootfs true
	assert_failure 125
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: ROOTFS /no/such/rootfs: No such file or directory"
}

# points: 1
@test "a rootfs that is not a directory gets one line, and 125" {
	run --separate-stderr box /etc/hostname true
	assert_failure 125
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: ROOTFS /etc/hostname: Not a directory"
}

# points: 1
@test "an unknown option gets one line, and 125" {
	run --separate-stderr box --no-such-option "$ROOTFS" true
	assert_failure 125
	assert_one_line_on_stderr
	assert_output ""
	assert_equal "$stderr" "box: unknown option --no-such-option (see box --help)"
}

# points: 1
@test "a missing command gets one line, and 125" {
	run --separate-stderr box "$ROOTFS"
	assert_failure 125
	assert_one_line_on_stderr
	assert_equal "$stderr" "box: missing COMMAND after ROOTFS $ROOTFS (see box --help)"
	run --separate-stderr box
	assert_failure 125
	assert_one_line_on_stderr
}

# points: 1
@test "--help and --version answer on stdout with status 0" {
	run --separate-stderr box --help
	assert_success
	assert_line --partial "Usage: box [OPTIONS] ROOTFS COMMAND [ARG...]"
	assert_line --partial "--trace"
	run --separate-stderr box --version
	assert_success
	assert_line --index 0 --regexp '^box [0-9]+\.[0-9]+\.[0-9]+ \((stage[0-9]-[a-z]+|final)\)$'
	# The final runtime says which runtime-spec it speaks, as runc does.
	[ "$STAGE" -lt 7 ] || assert_line --index 1 --regexp '^spec: 1\.[0-9]+\.[0-9]+$'
}

# points: 1
@test "--trace narrates the system calls on stderr" {
	run --separate-stderr box --trace "$ROOTFS" true
	assert_success
	[[ "$stderr" == *'execvp("true", ["true"])'* ]] || fail "no execvp in: $stderr"
	if [ "$STAGE" -eq 1 ]; then
		[[ "$stderr" == *"chroot(\"$ROOTFS\")"* ]] || fail "no chroot in: $stderr"
	else
		[[ "$stderr" == *'pivot_root('* ]] || fail "no pivot_root in: $stderr"
	fi
}

# points: 3
@test "the chroot escape: gets out of stage 1, is contained from stage 2 on" {
	# The probe, as root inside, chroots into /tmp while holding a descriptor
	# of its old root, climbs out with chdir(".."), and looks for a file that
	# exists only on the host.
	local marker=$BATS_TEST_TMPDIR/only-on-the-host
	touch "$marker"
	run box "$ROOTFS" probe escape "$marker"
	if [ "$STAGE" -eq 1 ]; then
		# chroot(2) only moves where "/" starts; root may call it again,
		# and ".." above the new root is not stopped. Stage 1 is no jail.
		assert_success
		assert_output "escaped: $marker is visible"
	else
		# pivot_root(2) and a detached old root: there is nothing above
		# the container's / to climb to.
		assert_failure 1
		assert_output --partial contained
	fi
}

# points: 1
@test "an ordinary user: stage 1 refuses with a hint, later stages run rootless" {
	run --separate-stderr as_user "$BOX" "$ROOTFS" true
	if [ "$STAGE" -eq 1 ]; then
		assert_failure 125
		assert_one_line_on_stderr
		assert_equal "$stderr" \
			"box: chroot $ROOTFS: Operation not permitted (chroot(2) needs root: try sudo)"
	else
		assert_success
	fi
}
