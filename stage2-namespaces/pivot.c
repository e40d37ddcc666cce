/* The container's root: pivot_root(2) instead of chroot(2).
 *
 * chroot only changes where one process starts resolving "/"; the host's
 * tree is still there, reachable by anyone who may call chroot again (stage
 * 1's escape). pivot_root changes the root mount of the whole mount
 * namespace, and once the old root is unmounted, nothing above the new root
 * exists in this namespace at all: ".." at "/" is "/".
 */
#include "pivot.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "report.h"

int mounts_make_private(void)
{
	/* The new mount namespace starts as a copy of the host's, with the
	 * same propagation: on a systemd host "/" is shared, and our mounts
	 * would appear on the host. Make every mount private first. */
	trace("mount(NULL, \"/\", NULL, MS_REC|MS_PRIVATE)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return error_errno("make / private");
	return 0;
}

int rootfs_bind(const char *rootfs)
{
	trace("mount(\"%s\", \"%s\", MS_BIND|MS_REC)", rootfs, rootfs);
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return error_errno("bind %s onto itself", rootfs);
	return 0;
}

// tag::pivot[]
int rootfs_pivot(const char *rootfs)
{
	/* LAB: pivot_root(2) into ROOTFS (cd into it, pivot_root(".", ".")), detach the old root with umount2(MNT_DETACH), chdir("/"). */
	if (chdir(rootfs) < 0)
		return error_errno("chdir %s", rootfs);
	/* new_root and put_old may be the same directory: the old root is
	 * then stacked on top of the new one, and unmounting "." takes it
	 * away (see the NOTES of pivot_root(2)). No ".old-root" directory is
	 * made in ROOTFS: containers sharing a rootfs cannot race over it, and
	 * a read-only rootfs works. glibc has no wrapper for pivot_root. */
	trace("pivot_root(\".\", \".\")");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return error_errno("pivot_root %s", rootfs);
	/* MNT_DETACH: the host's tree is busy; detach it all, lazily. */
	trace("umount2(\".\", MNT_DETACH): the host's tree leaves the namespace");
	if (umount2(".", MNT_DETACH) < 0)
		return error_errno("unmount the old root");
	if (chdir("/") < 0)
		return error_errno("chdir / after pivot_root");
	return 0;
	/* LAB END (stub: (void)rootfs; return error_set("rootfs_pivot: not written yet");) */
}
// end::pivot[]
