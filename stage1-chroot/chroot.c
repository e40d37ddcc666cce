/* The root directory: chroot(2), the oldest isolation in Unix (1979).
 *
 * chroot changes one thing: where the kernel starts resolving an absolute
 * path for this process and its children. Everything else (processes, the
 * network, users, mounts) is still shared with the host.
 */
#include "chroot.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

int rootfs_check(const char *rootfs)
{
	struct stat st;

	if (stat(rootfs, &st) < 0)
		return error_errno("ROOTFS %s", rootfs);
	if (!S_ISDIR(st.st_mode))
		return error_set("ROOTFS %s: Not a directory", rootfs);
	return 0;
}

int rootfs_resolve(const char *rootfs, char *resolved)
{
	if (rootfs_check(rootfs) < 0)
		return -1;
	if (!realpath(rootfs, resolved))
		return error_errno("ROOTFS %s", rootfs);
	return 0;
}

// tag::chroot[]
int chroot_enter(const char *rootfs)
{
	/* LAB: enter ROOTFS: chroot(2) into it, then chdir("/") so that "." is inside it too. */
	trace("chroot(\"%s\")", rootfs);
	if (chroot(rootfs) < 0)
		return error_errno("chroot %s", rootfs);
	/* chroot does not move the working directory: without this chdir, "."
	 * would still be on the host, outside the new root. */
	trace("chdir(\"/\")");
	if (chdir("/") < 0)
		return error_errno("chdir / in %s", rootfs);
	return 0;
	/* LAB END (stub: (void)rootfs; return error_set("chroot_enter: not written yet");) */
}
// end::chroot[]
