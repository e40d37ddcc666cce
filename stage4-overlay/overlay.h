/* The container's root: read-only layers under one writable layer (overlayfs). */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct overlay {
	char dir[PATH_MAX];          /* STATE/containers/<id> */
	char upper[PATH_MAX + 16];   /* dir/upper: the container's own changes */
	char work[PATH_MAX + 16];    /* dir/work: overlayfs's scratch space */
	char merged[PATH_MAX + 16];  /* dir/merged: where the root is mounted */
	char lowerdir[8192];         /* "top:...:bottom", as overlayfs wants it */
	bool userxattr;              /* in a user namespace: user.* attributes */
};

/* The state directory: /var/lib/box for root; for an ordinary user
 * $XDG_DATA_HOME/box, ~/.local/share/box, or a private /tmp/box-<uid>. */
int state_dir_default(char *state, size_t size);

/* Make STATE/containers/ID/{upper,work,merged} and the lowerdir option from
 * LOWERS (bottom first). Called by the parent. */
int overlay_prepare(struct overlay *overlay, const char *state, const char *id,
		    const char *const lowers[], int count, bool userns);

/* mount(2) the overlay on overlay->merged (in the container's mount namespace). */
int overlay_mount(const struct overlay *overlay);

/* --keep DIR: move the upper layer to DIR (on the same file system). */
int overlay_keep(const struct overlay *overlay, const char *keep);

/* Remove STATE/containers/ID and everything in it. */
int overlay_remove(const struct overlay *overlay);
