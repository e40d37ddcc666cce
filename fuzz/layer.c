/* Fuzz target: a layer tarball, as `box --layer FILE` unpacks it
 * (stage4-overlay/layers.c: layer_resolve, libarchive's extraction, OCI
 * whiteouts).
 *
 * The input is the tarball (any of libarchive's filters: gzip, zstd, ...).
 * layer_resolve() unpacks it into the cache of a state directory in the
 * sandbox (fuzz/harness.h), whose root is a tmpfs of its own: wherever an
 * entry could write, through "..", an absolute path, a symbolic link or a
 * hard link, it writes into that tmpfs, which this target sees whole. The
 * properties, after each input:
 *   - nothing outside the layer's directory changed: every file of the
 *     sandbox is as it was (path, type, mode, owner, size, bytes), and no
 *     file is new but the layer's own;
 *   - no file of the layer is a hard link to a file outside it;
 *   - no extended attribute of overlayfs's came through from the tarball
 *     (only a directory's "opaque", which a whiteout .wh..wh..opq made);
 *   - a failure leaves nothing in the cache (no half-unpacked directory);
 *     a success leaves exactly the layer's directory, named by its SHA-256.
 * The layer is removed after each input.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "harness.h"
#include "layers.h"
#include "lazy_libraries.h"
#include "report.h"

static char scan_root[4096], state[4096 + 16], cache[4096 + 64], tarball[4096 + 16];
static struct fuzz_tree before;

static void escape(const char *path, const char *what)
{
	fuzz_fail("fuzz layer: %s: %s", path, what);
}

static void write_or_die(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || close(fd) < 0) {
		perror(path);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[sizeof(state) + 32];

	/* libarchive and libcrypto are loaded before the sandbox hides /etc/ld.so.cache. */
	if (lazy_libraries_load() < 0) {
		fprintf(stderr, "fuzz layer: %s\n", error_message());
		abort();
	}
	bool sandboxed = fuzz_sandbox_enter(*argc, *argv);
	snprintf(scan_root, sizeof(scan_root), "%s", sandboxed ? "/" : fuzz_work);
	snprintf(state, sizeof(state), "%s/state", fuzz_work);
	snprintf(cache, sizeof(cache), "%s/layers/sha256", state);
	snprintf(tarball, sizeof(tarball), "%s/layer.tar", fuzz_work);
	if (make_dirs(cache) < 0) {
		fprintf(stderr, "fuzz layer: %s\n", error_message());
		abort();
	}
	/* Beside the state: what an entry that escaped would reach first. */
	snprintf(path, sizeof(path), "%s/outside", fuzz_work);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/outside/victim", fuzz_work);
	write_or_die(path, "outside the layer\n", 18);
	snprintf(path, sizeof(path), "%s/outside/dir", fuzz_work);
	mkdir(path, 0700);
	write_or_die(tarball, "", 0);
	if (fuzz_tree_scan(scan_root, &before) < 0) {
		perror("fuzz layer: scan");
		abort();
	}
	return 0;
}

/* overlayfs reads its own extended attributes (trusted.overlay.* and
 * user.overlay.*: opaque, redirect, origin, metacopy...) on a layer's
 * files: a tarball's must not come through (layer_entry_drop_overlay_xattrs);
 * only the "opaque" of a directory, which its whiteout .wh..wh..opq made. */
static void overlay_xattrs_check(const char *path, bool directory)
{
	char names[65536], value[8];

	ssize_t length = llistxattr(path, names, sizeof(names));
	for (ssize_t at = 0; at < length; at += (ssize_t)strlen(names + at) + 1) {
		const char *name = names + at;
		if (!strstr(name, ".overlay."))
			continue;
		bool opaque = strcmp(name, "user.overlay.opaque") == 0 || strcmp(name, "trusted.overlay.opaque") == 0;
		ssize_t n = lgetxattr(path, name, value, sizeof(value));
		if (!directory || !opaque || n != 1 || value[0] != 'y')
			fuzz_fail("fuzz layer: %s: the tarball's extended attribute %s came through", path, name);
	}
}

static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The names in the cache directory: how many, and the first four. */
static int cache_entries(char names[4][NAME_MAX + 1])
{
	DIR *d = opendir(cache);
	struct dirent *e;
	int count = 0;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (count < 4)
			snprintf(names[count], NAME_MAX + 1, "%s", e->d_name);
		count++;
	}
	if (d)
		closedir(d);
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[PATH_MAX], layer[sizeof(cache) + NAME_MAX + 2], names[4][NAME_MAX + 1];
	struct fuzz_tree after;

	write_or_die(tarball, data, size);
	int unpacked = layer_resolve(state, tarball, dir);
	int count = cache_entries(names);

	/* The cache: the layer's directory alone, or nothing. */
	if (unpacked < 0 && count > 0)
		escape(cache, "a failed unpack left this in the cache");
	if (unpacked == 0 && (count != 1 || strlen(names[0]) != 64 || strspn(names[0], "0123456789abcdef") != 64))
		escape(cache, "an unpack left more (or other) than the layer's directory");
	snprintf(layer, sizeof(layer), "%s/%s", cache, count > 0 ? names[0] : "-");
	if (unpacked == 0 && strcmp(dir, layer) != 0)
		escape(dir, "layer_resolve named another directory than the one it made");

	/* The sandbox, file by file, against the scan before any input. */
	if (fuzz_tree_scan(scan_root, &after) < 0)
		fuzz_fail("fuzz layer: scan %s: %s", scan_root, strerror(errno));
	const char *layer_path = layer + (strcmp(scan_root, "/") == 0 ? 0 : strlen(scan_root));
	const char *tarball_path = tarball + (strcmp(scan_root, "/") == 0 ? 0 : strlen(scan_root));
	for (size_t i = 0; i < after.count; i++) {
		const struct fuzz_entry *e = &after.entries[i];
		if (unpacked == 0 && below(e->path, layer_path)) {
			char full[sizeof(scan_root) + PATH_MAX];
			snprintf(full, sizeof(full), "%s%s", strcmp(scan_root, "/") == 0 ? "" : scan_root, e->path);
			overlay_xattrs_check(full, S_ISDIR(e->mode));
			if (e->links < 2)
				continue;
			uint64_t inside = 0;
			for (size_t j = 0; j < after.count; j++)
				if (after.entries[j].inode == e->inode && below(after.entries[j].path, layer_path))
					inside++;
			if (inside < e->links)
				escape(e->path, "a hard link to a file outside the layer");
			continue;
		}
		const struct fuzz_entry *was = fuzz_tree_find(&before, e->path);
		if (!was)
			escape(e->path, "written outside the layer (it was not there before)");
		bool same = was->mode == e->mode && was->uid == e->uid && was->gid == e->gid;
		if (strcmp(e->path, tarball_path) == 0)
			same = same && e->size == size;
		else
			same = same && was->size == e->size && was->hash == e->hash;
		if (!same)
			escape(e->path, "changed outside the layer (mode, owner, size or bytes)");
	}
	for (size_t i = 0; i < before.count; i++)
		if (!fuzz_tree_find(&after, before.entries[i].path))
			escape(before.entries[i].path, "removed, outside the layer");
	fuzz_tree_free(&after);
	if (unpacked == 0)
		fuzz_remove(layer);
	return 0;
}
