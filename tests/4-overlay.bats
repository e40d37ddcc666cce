# Stage 4, overlay: the container's root is read-only layers under a layer
# of its own; its changes can be committed as an OCI layer, or kept.

load helpers

setup() {
	STATE=$BATS_TEST_TMPDIR/state
	LAYER=$BATS_TEST_TMPDIR/layer
	mkdir -p "$LAYER/opt/app" "$LAYER/etc"
	echo "from the layer" > "$LAYER/opt/app/version"
	echo "layer motd" > "$LAYER/etc/motd"
}

teardown() {
	box_stop
	rm -rf /tmp/box-test-outside.$$ "${USER_STATE:-/nonexistent}"
}

# Every file under DIR with its checksum, mode and owner.
fingerprint() { # DIR
	(cd "$1" && find . -xdev \( -type f -printf '%p %m %U ' -exec md5sum {} \; \) -o \( ! -type f -printf '%p %m %U %l\n' \) | sort)
}

sbox() { # box with this test's own state directory
	"$BOX" --state "$STATE" "$@"
}

# points: 3
@test "writes, deletes and renames inside never change the layers on disk" {
	local rootfs_before layer_before
	rootfs_before=$(fingerprint "$ROOTFS")
	layer_before=$(fingerprint "$LAYER")
	run sbox --layer "$LAYER" "$ROOTFS" sh -c '
		echo more >> /etc/box-release && rm /etc/group && mv /etc/passwd /etc/passwd.old &&
		echo changed > /opt/app/version && rm -r /opt/app && mv /etc/motd /motd &&
		chmod 700 /bin && echo done'
	assert_success
	assert_output done
	assert_equal "$(fingerprint "$ROOTFS")" "$rootfs_before"
	assert_equal "$(fingerprint "$LAYER")" "$layer_before"
}

# points: 1
@test "the layers are stacked: an upper layer's file hides the lower one's" {
	mkdir -p "$BATS_TEST_TMPDIR/top/opt/app"
	echo "from the top" > "$BATS_TEST_TMPDIR/top/opt/app/version"
	run sbox --layer "$LAYER" --layer "$BATS_TEST_TMPDIR/top" "$ROOTFS" sh -c 'cat /opt/app/version /etc/motd /etc/box-release'
	assert_success
	assert_line "from the top"
	assert_line "layer motd"
	assert_line --partial "box lab rootfs"
}

# points: 2
@test "two containers from the same layers do not see each other's changes, also while both run" {
	box_start --state "$STATE" --layer "$LAYER" "$ROOTFS" sh -c '
		echo a > /written-by-a
		trap "test -e /written-by-b && echo a-saw-b >&2 || echo a-did-not-see-b >&2; exit 0" TERM
		echo ready
		while :; do sleep 1; done'
	run sbox --layer "$LAYER" "$ROOTFS" sh -c 'echo b > /written-by-b; test -e /written-by-a && echo b-saw-a || echo b-did-not-see-a'
	assert_success
	assert_output b-did-not-see-a
	kill -TERM "$BOX_PID"
	box_wait
	assert_equal "$BOX_STATUS" 0
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output a-did-not-see-b
}

# points: 1
@test "a file deleted inside is gone inside and still there in the layer" {
	run sbox --layer "$LAYER" "$ROOTFS" sh -c 'rm /etc/motd /etc/box-release; cat /etc/motd /etc/box-release 2>&1; true'
	assert_success
	assert_line --partial "can't open '/etc/motd'"
	assert_line --partial "can't open '/etc/box-release'"
	assert_file_exists "$LAYER/etc/motd"
	assert_file_exists "$ROOTFS/etc/box-release"
}

# points: 3
@test "commit round trip: the layer holds whiteouts, and reproduces the final state exactly" {
	local tar=$BATS_TEST_TMPDIR/changes.tar
	# /etc/hostname (stage 2 on), /etc/hosts and /etc/resolv.conf (stage 5 on) are box's, bound in.
	# shellcheck disable=SC2016
	local show='find / -xdev ! -path /etc/hostname ! -path /etc/hosts ! -path /etc/resolv.conf ! -path /proc ! -path /sys ! -path /dev -exec stat -c "%n %a %u:%g %h %F %s" {} + | sort; md5sum /new.txt /etc/box-release'
	run sbox --hostname same --commit "$tar" "$ROOTFS" sh -c '
		echo new > /new.txt && ln /new.txt /new-hardlink && ln -s /new.txt /new-symlink &&
		echo changed >> /etc/box-release && rm /etc/group &&
		rm -r /home && mkdir -p /home/fresh && echo x > /home/fresh/file && chmod 640 /home/fresh/file &&
		'"$show"
	assert_success
	local final=$output
	run tar -tf "$tar"
	assert_line etc/.wh.group
	assert_line home/.wh..wh..opq
	assert_line home/fresh/file
	assert_line new-hardlink
	refute_line --partial bin/
	run sbox --hostname same --layer "$tar" "$ROOTFS" sh -c "$show"
	assert_success
	assert_equal "$output" "$final"
}

# points: 1
@test "a tar.gz layer works, is unpacked once and reused" {
	local tar=$BATS_TEST_TMPDIR/layer.tar.gz
	tar -czf "$tar" -C "$LAYER" .
	run --separate-stderr sbox --trace --layer "$tar" "$ROOTFS" cat /opt/app/version
	assert_success
	assert_output "from the layer"
	[[ "$stderr" == *"unpacking into $STATE/layers/sha256/"* ]] || fail "$stderr"
	run --separate-stderr sbox --trace --layer "$tar" "$ROOTFS" cat /etc/motd
	assert_success
	assert_output "layer motd"
	[[ "$stderr" == *"found in the cache, reused"* ]] || fail "$stderr"
	[[ "$stderr" != *"unpacking"* ]] || fail "unpacked again: $stderr"
}

# points: 1
@test "libarchive and libcrypto are loaded only when a tarball is used" {
	# Loading them costs every start about 8 ms (make bench); a container
	# on directories needs neither.
	box_start --init --state "$STATE" "$ROOTFS" sh -c 'echo ready; exec sleep 60'
	run grep -cE '/lib(archive|crypto)\.so' /proc/"$BOX_PID"/maps
	assert_output 0
	box_stop

	local tar=$BATS_TEST_TMPDIR/layer.tar
	tar -cf "$tar" -C "$LAYER" .
	box_start --init --state "$STATE" --layer "$tar" "$ROOTFS" sh -c 'echo ready; exec sleep 60'
	run grep -oE '/lib(archive|crypto)\.so' /proc/"$BOX_PID"/maps
	assert_line /libarchive.so
	assert_line /libcrypto.so
}

# points: 1
@test "a tar.zst layer works too" {
	command -v zstd >/dev/null || fail "zstd is missing (make deps)"
	local tar=$BATS_TEST_TMPDIR/layer.tar.zst
	tar -C "$LAYER" -cf - . | zstd -q -o "$tar"
	run sbox --layer "$tar" "$ROOTFS" cat /opt/app/version
	assert_success
	assert_output "from the layer"
}

# points: 3
@test "a layer tarball with ../ or a symbolic link out of the layer is refused, and writes nothing outside" {
	local outside=/tmp/box-test-outside.$$ work=$BATS_TEST_TMPDIR/evil
	mkdir -p "$outside" "$work/a" "$work/b/link"
	echo x > "$work/a/f"
	echo pwned > "$work/b/link/pwned"
	ln -s "$outside" "$work/a/link"
	tar -cf "$work/dotdot.tar" -C "$work/a" --transform 's,^,../,' f 2>/dev/null
	run --separate-stderr sbox --layer "$work/dotdot.tar" "$ROOTFS" true
	assert_failure 125
	assert_one_line_on_stderr
	[[ "$stderr" == *"../f: Path contains '..'"* ]] || fail "$stderr"
	refute [ -e "$BATS_TEST_TMPDIR/f" ]
	refute [ -e "$STATE/layers/f" ]

	tar -cf "$work/symlink.tar" -C "$work/a" link
	tar -rf "$work/symlink.tar" -C "$work/b" link/pwned
	run --separate-stderr sbox --layer "$work/symlink.tar" "$ROOTFS" true
	assert_failure 125
	assert_one_line_on_stderr
	[[ "$stderr" == *"link/pwned: Cannot extract through symlink"* ]] || fail "$stderr"
	run ls -A "$outside"
	assert_output ""
	# Nothing half-unpacked stays in the cache.
	run ls -A "$STATE/layers/sha256"
	assert_output ""
}

# points: 2
@test "a volume's writes show on the host; a :ro volume refuses writes" {
	local host=$BATS_TEST_TMPDIR/volume
	mkdir -p "$host"
	echo "from the host" > "$host/hello"
	run sbox --volume "$host:/data" --volume "$host:/readonly:ro" "$ROOTFS" sh -c '
		cat /data/hello; echo "from the container" > /data/reply; echo x > /readonly/nope'
	assert_failure
	assert_line "from the host"
	assert_line --partial "Read-only file system"
	assert_equal "$(cat "$host/reply")" "from the container"
	assert_file_not_exists "$host/nope"
}

# points: 1
@test "a volume's target is found inside the container, never through a link to the host" {
	local host=$BATS_TEST_TMPDIR/volume top=$BATS_TEST_TMPDIR/linklayer
	mkdir -p "$host" "$top"
	ln -s /etc "$top/data"
	run sbox --layer "$top" --volume "$host:/data" "$ROOTFS" sh -c 'echo inside > /data/marker; echo ok'
	# /data -> /etc resolves to the container's /etc: the host's stays untouched.
	refute [ -e /etc/marker ]
	assert_file_exists "$host/marker"
}

# points: 1
@test "--read-only refuses writes on / but /tmp works, and a volume below /tmp stays" {
	mkdir -p "$BATS_TEST_TMPDIR/volume"
	run sbox --read-only --volume "$BATS_TEST_TMPDIR/volume:/tmp/data" "$ROOTFS" sh -c '
		touch /file-on-root; touch /tmp/file && echo tmp-ok; echo x > /tmp/data/file && echo volume-ok'
	assert_success
	assert_line --partial "Read-only file system"
	assert_line tmp-ok
	assert_line volume-ok
	assert_file_exists "$BATS_TEST_TMPDIR/volume/file"
}

# points: 1
@test "a container's disk use is its changes only: a 1 MiB write costs about 1 MiB" {
	local keep=$BATS_TEST_TMPDIR/kept
	run sbox --keep "$keep" "$ROOTFS" sh -c 'head -c 1048576 /dev/urandom > /big; echo x >> /etc/box-release'
	assert_success
	local kib
	kib=$(du -sk "$keep" | cut -f1)
	[ "$kib" -ge 1024 ] && [ "$kib" -le 1200 ] || fail "the upper layer takes $kib KiB"
	assert_file_exists "$keep/big"
	assert_file_exists "$keep/etc/box-release"
	assert_file_not_exists "$keep/bin/busybox"
}

# points: 1
@test "nothing is left after exit, unless --keep" {
	local before
	before=$(cat /proc/self/mountinfo)
	run sbox --layer "$LAYER" "$ROOTFS" sh -c 'echo x > /x'
	assert_success
	run ls -A "$STATE/containers"
	assert_output ""
	assert_equal "$(cat /proc/self/mountinfo)" "$before"
	run sbox --keep "$BATS_TEST_TMPDIR/kept" "$ROOTFS" sh -c 'echo x > /x'
	assert_success
	assert_file_exists "$BATS_TEST_TMPDIR/kept/x"
	run ls -A "$STATE/containers"
	assert_output ""
}

# points: 1
@test "--trace shows the overlay options, each volume, each layer" {
	local tar=$BATS_TEST_TMPDIR/layer.tar
	tar -cf "$tar" -C "$LAYER" .
	mkdir -p "$BATS_TEST_TMPDIR/volume"
	run --separate-stderr sbox --trace --layer "$LAYER" --layer "$tar" \
		--volume "$BATS_TEST_TMPDIR/volume:/data:ro" "$ROOTFS" true
	assert_success
	[[ "$stderr" =~ mount\(\"overlay\",\ \"$STATE/containers/[0-9a-f]{12}/merged\",\ \"overlay\",\ \"lowerdir=$STATE/layers/sha256/[0-9a-f]{64}:$LAYER:$ROOTFS,upperdir= ]] || fail "$stderr"
	[[ "$stderr" == *"open_tree(\"$BATS_TEST_TMPDIR/volume\", OPEN_TREE_CLONE|AT_RECURSIVE) + mount_setattr(MOUNT_ATTR_RDONLY)"* ]] || fail "$stderr"
	[[ "$stderr" == *'move_mount(tree of '*', "/data")'* ]] || fail "$stderr"
	[[ "$stderr" == *"layer $tar: sha256:"* ]] || fail "$stderr"
}

# points: 1
@test "a bad --volume or --layer gets one line, and 125" {
	assert_each_refused sbox <<-EOF
	--volume /no/such:/data|box: --volume: "/no/such:/data": /no/such: No such file or directory
	--volume /tmp:data|box: --volume: "/tmp:data": CONTAINER must be an absolute path without ".."
	--volume /tmp:/data:rw|box: --volume: "/tmp:/data:rw": only ":ro" may follow CONTAINER
	--layer /no/such/layer|box: layer /no/such/layer: No such file or directory
	EOF
	refute [ -n "$(ls -A "$STATE/containers" 2>/dev/null)" ]
}

# points: 1
@test "rootless: an ordinary user's container runs on overlayfs too" {
	# The user's state directory must be reachable by it: not under bats's own.
	USER_STATE=$(mktemp -d /tmp/box-user-state.XXXXXX)
	local state=$USER_STATE
	chown nobody:nogroup "$state"
	run as_user "$BOX" --state "$state" "$ROOTFS" sh -c 'echo mine > /file; cat /file; head -n 1 /proc/self/mounts'
	assert_success
	assert_line mine
	assert_line --regexp '^overlay / overlay .*userxattr'
	run ls -A "$state/containers"
	assert_output ""
}

# points: 1
@test "--keep on another file system is refused before the container runs" {
	[ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$BATS_TEST_TMPDIR")" ] ||
		fail "/dev/shm and the test's directory share a file system here"
	run --separate-stderr sbox --keep /dev/shm/box-kept-$$ "$ROOTFS" touch /ran
	assert_failure 125
	assert_one_line_on_stderr
	[[ "$stderr" == *"not on the file system of the state directory"* ]] || fail "$stderr"
	refute [ -e /dev/shm/box-kept-$$ ]
	refute [ -n "$(ls -A "$STATE/containers" 2>/dev/null)" ]
}

# points: 2
@test "rootless: a tar layer with whiteouts, made by root, works for an ordinary user" {
	local tar=$BATS_TEST_TMPDIR/changes.tar
	run sbox --commit "$tar" "$ROOTFS" sh -c 'rm /etc/group; rm -r /home; mkdir -p /home/fresh'
	assert_success
	USER_STATE=$(mktemp -d /tmp/box-user-state.XXXXXX)
	cp "$tar" "$USER_STATE/changes.tar"
	chown -R nobody:nogroup "$USER_STATE"
	run as_user "$BOX" --state "$USER_STATE" --layer "$USER_STATE/changes.tar" "$ROOTFS" sh -c 'test -e /etc/group && echo group-still-there; ls /home'
	assert_success
	assert_output fresh
}
