/* The kernel's own file systems inside the container: /proc, /sys, /dev.
 *
 * A fresh /proc shows the new PID namespace: only the container's processes.
 * /sys is mounted read-only. /dev is a small tmpfs holding only the few
 * devices a program expects, never the host's disks.
 */
#include "filesystems.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "report.h"

static const char *mount_flags_name(unsigned long flags)
{
	static char text[96];

	snprintf(text, sizeof(text), "%s%s%s%s", flags & MS_NOSUID ? "|MS_NOSUID" : "",
		 flags & MS_NODEV ? "|MS_NODEV" : "", flags & MS_NOEXEC ? "|MS_NOEXEC" : "",
		 flags & MS_RDONLY ? "|MS_RDONLY" : "");
	return text[0] ? text + 1 : "0";
}

static int mount_at(const char *rootfs, const char *source, const char *target,
		    const char *type, unsigned long flags, const char *data)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", rootfs, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return error_errno("mkdir %s", path);
	trace("mount(\"%s\", \"%s\", \"%s\", %s, \"%s\")", source, target, type,
	      mount_flags_name(flags), data ? data : "");
	if (mount(source, path, type, flags, data) < 0)
		return error_errno("mount %s on %s", type ? type : source, path);
	return 0;
}

/* The device nodes every program may expect. mknod(2) them; in a user
 * namespace that is not allowed, so bind-mount the host's node instead. */
static const struct { const char *name; unsigned major, minor; } devices[] = {
	{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
	{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
};

static int device_create(const char *rootfs, const char *name, unsigned major,
			 unsigned minor, bool userns)
{
	char path[PATH_MAX], host[64];

	snprintf(path, sizeof(path), "%s/dev/%s", rootfs, name);
	if (!userns) {
		if (mknod(path, S_IFCHR | 0666, makedev(major, minor)) < 0)
			return error_errno("mknod %s", path);
		/* mknod's mode is cut by the umask: set it exactly. */
		if (chmod(path, 0666) < 0)
			return error_errno("chmod %s", path);
		return 0;
	}
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0)
		return error_errno("create %s", path);
	close(fd);
	snprintf(host, sizeof(host), "/dev/%s", name);
	trace("mount(\"%s\", \"/dev/%s\", MS_BIND)", host, name);
	if (mount(host, path, NULL, MS_BIND, NULL) < 0)
		return error_errno("bind %s on %s", host, path);
	return 0;
}

static int link_create(const char *rootfs, const char *target, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/dev/%s", rootfs, name);
	if (symlink(target, path) < 0)
		return error_errno("symlink %s", path);
	return 0;
}

// tag::filesystems[]
int filesystems_mount(const char *rootfs, bool userns)
{
	const unsigned long safe = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	/* LAB: mount a fresh proc on /proc and a read-only sysfs on /sys (nosuid, nodev, noexec). */
	if (mount_at(rootfs, "proc", "/proc", "proc", safe, NULL) < 0)
		return -1;
	if (mount_at(rootfs, "sysfs", "/sys", "sysfs", safe | MS_RDONLY, NULL) < 0)
		return -1;
	/* LAB END (stub: (void)safe;) */

	if (mount_at(rootfs, "tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC,
		     "mode=755,size=65536k") < 0)
		return -1;
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		if (device_create(rootfs, devices[i].name, devices[i].major,
				  devices[i].minor, userns) < 0)
			return -1;
	/* newinstance: the container's pseudo-terminals are its own. */
	if (mount_at(rootfs, "devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		     "newinstance,ptmxmode=0666,mode=0620") < 0)
		return -1;
	if (mount_at(rootfs, "shm", "/dev/shm", "tmpfs", safe, "mode=1777,size=65536k") < 0)
		return -1;
	if (link_create(rootfs, "pts/ptmx", "ptmx") < 0 ||
	    link_create(rootfs, "/proc/self/fd", "fd") < 0 ||
	    link_create(rootfs, "/proc/self/fd/0", "stdin") < 0 ||
	    link_create(rootfs, "/proc/self/fd/1", "stdout") < 0 ||
	    link_create(rootfs, "/proc/self/fd/2", "stderr") < 0)
		return -1;
	return 0;
}
// end::filesystems[]
