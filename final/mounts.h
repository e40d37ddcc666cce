/* The config's mounts, made inside the container's root before
 * pivot_root(2), each at a destination found inside that root: a symbolic
 * link in the image resolves as it would in the container
 * (openat2(2)'s RESOLVE_IN_ROOT), never to the host. */
#pragma once
#include <stdbool.h>

#include "cgroups.h"
#include "config.h"

/* Open DESTINATION inside the directory ROOT_FD as O_PATH, making what is
 * missing of it (directories; the last one a file when FILE is set): the
 * descriptor, or -1 with the error set. */
int path_in_root(int root_fd, const char *destination, bool make, bool file);

/* Every mount of CONFIG in order, under ROOT (the container's root, a
 * mount point already). CG is the container's cgroup, for a "cgroup" mount
 * (NULL: none). */
int mounts_make(const char *root, const struct container_config *config, const struct cgroup *cg);

/* The device nodes: the default six a program expects (null, zero, full,
 * random, urandom, tty), then linux.devices; and /dev's symbolic links
 * (fd, stdin, stdout, stderr, ptmx). USERNS: a user namespace may not
 * mknod(2): each node is the host's, bound. */
int devices_make(const char *root, const struct container_config *config, bool userns);
