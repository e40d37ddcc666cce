/* Volumes: host directories inside the container; a read-only root. */
#pragma once
#include <stdbool.h>

#include "layers.h"

struct volume {
	char host[4096];      /* absolute, checked by the parent */
	char target[4096];    /* absolute path inside the container */
	bool read_only;
	int tree;             /* the detached copy of HOST's mount (open_tree) */
};

#define VOLUME_OPTION(list) \
	{ "volume", "HOST:CONTAINER[:ro]", "bind-mount a host directory (repeat)", \
	  path_list_append, list }

/* HOST:CONTAINER[:ro] */
int volume_parse(const char *spec, struct volume *volume);

/* Each of SPECS (the --volume values) into VOLUMES; the error names the option. */
int volumes_parse(const struct path_list *specs, struct volume *volumes);

/* Before pivot_root, while the host's tree is here: take a detached copy of
 * each HOST (open_tree(2)), made read-only for :ro (mount_setattr(2)). */
int volumes_open(struct volume *volumes, int count);

/* After pivot_root: attach each copy at its target (move_mount(2)). The
 * target is found inside the container's root, never on the host. */
int volumes_attach(struct volume *volumes, int count);

/* --read-only, in two steps: a writable tmpfs on /tmp first (before the
 * volumes, which may go below /tmp), "/" remounted read-only last. */
int read_only_tmp_mount(void);
int read_only_root_remount(void);
