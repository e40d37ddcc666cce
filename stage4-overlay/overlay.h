/* The container's root: read-only layers under one writable layer (overlayfs). */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "layers.h"

/* What the command line says of the container's root, and what it resolves to. */
struct image {
	struct path_list layers;              /* --layer, bottom first */
	const char *state_option, *keep_option, *commit_option;
	bool read_only;
	char state[PATH_MAX];                 /* the state directory in use */
	char keep[PATH_MAX], commit[PATH_MAX];/* absolute, or "" */
	char lowers[33][PATH_MAX];            /* ROOTFS, then each layer's directory */
	int count;
};

#define IMAGE_OPTIONS(image) \
	{ "layer", "PATH", "a layer on top of ROOTFS: a directory or a tarball (repeat, bottom first)", \
	  path_list_append, &(image)->layers }, \
	{ "read-only", NULL, "make / read-only (with a writable tmpfs on /tmp)", cli_set_flag, \
	  &(image)->read_only }, \
	{ "keep", "DIR", "at exit, move the container's upper layer to DIR", cli_set_string, \
	  &(image)->keep_option }, \
	{ "commit", "FILE", "at exit, write the container's changes to FILE as an OCI layer tar", \
	  cli_set_string, &(image)->commit_option }, \
	{ "state", "DIR", "where layers and containers live (default /var/lib/box)", \
	  cli_set_string, &(image)->state_option }

/* Check the options and find every layer, bottom first: ROOTFS, then each
 * --layer (a tarball is unpacked into the cache the first time). */
int image_resolve(struct image *image, const char *rootfs);

struct overlay {
	char dir[PATH_MAX + 64];     /* STATE/containers/<id> */
	char upper[PATH_MAX + 80];   /* dir/upper: the container's own changes */
	char work[PATH_MAX + 80];    /* dir/work: overlayfs's scratch space */
	char merged[PATH_MAX + 80];  /* dir/merged: where the root is mounted */
	char lowerdir[8192];         /* "top:...:bottom", as overlayfs wants it */
	bool userxattr;              /* in a user namespace: user.* attributes */
};

/* The state directory: /var/lib/box for root; for an ordinary user
 * $XDG_DATA_HOME/box, ~/.local/share/box, or a private /tmp/box-<uid>. */
int state_dir_default(char *state, size_t size);

/* Make STATE/containers/ID/{upper,work,merged} and the lowerdir option from
 * the image's layers. Called by the parent. */
int overlay_prepare(struct overlay *overlay, const struct image *image, const char *id,
		    bool userns);

/* mount(2) the overlay on overlay->merged (in the container's mount namespace). */
int overlay_mount(const struct overlay *overlay);

/* When the container has ended: --commit, --keep, then remove its state. */
int overlay_finish(const struct overlay *overlay, const struct image *image);

/* Remove STATE/containers/ID and everything in it. */
int overlay_remove(const struct overlay *overlay);
