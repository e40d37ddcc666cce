/* The kernel's own file systems inside the container: /proc, /sys, /dev. */
#pragma once
#include <stdbool.h>

/* Mount them under ROOTFS (before pivot_root, while the host's /dev is still
 * reachable). In a user namespace, device nodes cannot be made: USERNS says
 * to bind the host's instead. */
int filesystems_mount(const char *rootfs, bool userns);
