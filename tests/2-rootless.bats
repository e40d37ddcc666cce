# Stage 2, rootless: an ordinary user runs box without sudo. A user
# namespace maps that user to root inside; outside, it stays itself.

load helpers

# A user of the test's own: one without subordinate ids (a single id is
# mapped, written by box itself) and one with a range (newuidmap's job).
setup_file() {
	export PLAIN_USER=boxtest-plain-$$ RANGE_USER=boxtest-range-$$
	useradd --no-create-home --shell /bin/sh "$PLAIN_USER"
	useradd --no-create-home --shell /bin/sh "$RANGE_USER"
	# useradd may give subordinate ids by itself (SUB_UID_COUNT): the plain
	# user must have none, the other exactly ours.
	sed -i "/^$PLAIN_USER:/d; /^$RANGE_USER:/d" /etc/subuid /etc/subgid 2>/dev/null || true
	echo "$RANGE_USER:300000:65536" >> /etc/subuid
	echo "$RANGE_USER:300000:65536" >> /etc/subgid
}

teardown_file() {
	local user tries
	for user in "$PLAIN_USER" "$RANGE_USER"; do
		# box's state root for the user (/tmp/box-UID) goes with it.
		rm -rf "/tmp/box-$(id -u "$user")"
		# userdel refuses while a process of the user is still exiting.
		for tries in $(seq 50); do
			userdel "$user" 2>/dev/null && break
			id "$user" >/dev/null 2>&1 || break
			sleep 0.1
		done
	done
	sed -i "/^$PLAIN_USER:/d; /^$RANGE_USER:/d" /etc/subuid /etc/subgid 2>/dev/null || true
}

teardown() {
	box_stop
}

as() { # USER COMMAND...
	local user=$1
	shift
	# exec: in the background, kill must reach box itself, not a subshell.
	exec setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups --reset-env -- "$@"
}

# points: 3
@test "rootless: uid 0 inside, the user's own uid on the host" {
	local uid=$(id -u "$PLAIN_USER")
	local fifo=$BATS_TEST_TMPDIR/ready
	mkfifo "$fifo"
	as "$PLAIN_USER" "$BOX" --init "$ROOTFS" sh -c 'probe id; echo ready; exec sleep 60' > "$fifo" &
	BOX_PID=$!
	local line fd
	exec {fd}< "$fifo"
	read -r -t 20 line <&"$fd"
	assert_equal "$line" "uid=0 gid=0"
	read -r -t 20 line <&"$fd"
	assert_equal "$line" ready
	# The sleeping command, seen from the host: owned by the user.
	local sleeper
	sleeper=$(descendants "$BOX_PID" | tail -n 1)
	run awk '/^Uid:/ { print $2 }' /proc/"$sleeper"/status
	assert_output "$uid"
	kill -TERM "$BOX_PID"
	wait "$BOX_PID" || true
	exec {fd}<&-
	BOX_PID=
}

# points: 1
@test "rootless: the single-id map, written by box itself" {
	run as "$PLAIN_USER" "$BOX" "$ROOTFS" cat /proc/self/uid_map /proc/self/setgroups
	assert_success
	assert_line --regexp "^ +0 +$(id -u "$PLAIN_USER") +1$"
	assert_line deny
}

# points: 1
@test "rootless: a subordinate range from /etc/subuid, mapped by newuidmap" {
	command -v newuidmap >/dev/null || fail "newuidmap is missing (Debian's uidmap)"
	run as "$RANGE_USER" "$BOX" --trace "$ROOTFS" cat /proc/self/uid_map
	assert_success
	assert_line --regexp "^ +0 +$(id -u "$RANGE_USER") +1$"
	assert_line --regexp '^ +1 +300000 +65536$'
	assert_line --partial "newuidmap "
}

# points: 1
@test "rootless: every namespace of stage 2 works without sudo" {
	# From stage 5 on, an empty network is --network none.
	local none=
	[ "$STAGE" -lt 5 ] || none="--network none"
	run as "$PLAIN_USER" "$BOX" $none --hostname rootless "$ROOTFS" sh -c \
		'echo pid=$$; hostname; ls /sys/class/net; ls /dev | wc -l; test -w /tmp && echo tmp-writable'
	assert_success
	assert_line pid=1
	assert_line rootless
	assert_line lo
	assert_line 13
	assert_line tmp-writable
}

# points: 1
@test "rootless: root inside cannot write what root outside owns" {
	run as "$PLAIN_USER" "$BOX" "$ROOTFS" touch /etc/rootless-was-here
	assert_failure
	refute [ -e "$ROOTFS/etc/rootless-was-here" ]
}

# points: 3
@test "rootless: the chroot escape stays contained" {
	local marker=$BATS_TEST_TMPDIR/host-marker
	touch "$marker"
	chmod 755 "$BATS_TEST_TMPDIR"
	run as "$PLAIN_USER" "$BOX" "$ROOTFS" probe escape "$marker"
	assert_failure 1
	assert_output --partial contained
}

# points: 1
@test "--userns as root: root inside is root outside, through a user namespace" {
	run box --userns "$ROOTFS" cat /proc/self/uid_map
	assert_success
	assert_output --regexp '^ +0 +0 +1$'
}
