/* Image layers: directories, or layer tarballs unpacked once into a cache. */
#pragma once
#include <limits.h>
#include <stddef.h>

/* A list of PATHs from a repeatable option (--layer, --volume). */
struct path_list {
	const char *items[32];
	int count;
};
int path_list_append(const char *value, void *target);

/* Find the directory for layer PATH: a directory is used as it is; a tarball
 * (tar, tar.gz, tar.zst, ...) is unpacked into STATE/layers/sha256/<digest>
 * the first time, and found there every time after. DIR gets the result. */
int layer_resolve(const char *state, const char *path, char dir[PATH_MAX]);

struct archive_entry;
/* Keep an entry's own extended attributes; drop overlayfs's (*.overlay.*):
 * its bookkeeping must neither leave a container nor enter one. */
void layer_entry_drop_overlay_xattrs(struct archive_entry *entry);

/* The SHA-256 of file PATH, in hex (libcrypto: lazy_libraries_load() first). */
int sha256_file(const char *path, char hex[65]);
/* The same of SIZE bytes at TEXT (libcrypto loaded first: lazy_libraries_load). */
int sha256_text(const void *text, size_t size, char hex[65]);

/* rm -rf PATH, not following symbolic links. */
int remove_tree(const char *path);

/* mkdir -p PATH. */
int make_dirs(const char *path);
