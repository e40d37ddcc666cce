/* The container's root: a mount of its own, and nothing of the host above it. */
#pragma once

/* Stop mounts from propagating between the host and this mount namespace:
 * MS_REC|MS_PRIVATE on "/". Call before any other mount. */
int mounts_make_private(void);

/* Bind-mount ROOTFS onto itself: pivot_root(2) needs a mount point. */
int rootfs_bind(const char *rootfs);

/* pivot_root(2) into ROOTFS and detach the old root: the host's whole tree
 * leaves this mount namespace. */
int rootfs_pivot(const char *rootfs);
