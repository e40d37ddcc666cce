/* Masked and read-only paths.
 *
 * A PID namespace gives the container a /proc of its own processes, but
 * much of /proc and /sys is the kernel's, and the same for every container
 * on the machine: /proc/kcore is its memory, /proc/keys every keyring,
 * /proc/timer_list every process's timers (a side channel), /proc/sys the
 * machine's sysctls (writing /proc/sys/kernel/core_pattern would make the
 * host run a program of the container's as root, at the next crash).
 * Docker hides the first kind under /dev/null or an empty tmpfs (masked) and
 * makes the second read-only; so does box, after pivot_root, so that every
 * path is the container's own.
 */
#include "masks.h"

#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include "report.h"

// tag::lists[]
const char *const masked_paths_default[] = {
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
	"/sys/devices/system/cpu/cpu*/thermal_throttle", NULL,
};

const char *const read_only_paths_default[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};
// end::lists[]

static int mask_one(const char *path)
{
	struct stat st, null;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : error_errno("mask %s", path);
	if (S_ISDIR(st.st_mode)) {
		trace("mount(\"tmpfs\", \"%s\", \"tmpfs\", MS_RDONLY, \"size=0\"): masked", path);
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=0,nr_inodes=1,mode=0555") < 0)
			return error_errno("mask %s", path);
		return 0;
	}
	/* The container's own /dev/null, and really the null device: a link
	 * or a file put there would be bound in its place (CVE-2025-31133). */
	if (lstat("/dev/null", &null) < 0 || !S_ISCHR(null.st_mode) ||
	    major(null.st_rdev) != 1 || minor(null.st_rdev) != 3)
		return error_set("mask %s: /dev/null is not the null device", path);
	trace("mount(\"/dev/null\", \"%s\", MS_BIND): masked", path);
	if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0)
		return error_errno("mask %s", path);
	return 0;
}

// tag::mask[]
int paths_mask(const char *const *paths)
{
	for (int i = 0; paths[i]; i++) {
		/* LAB: hide each path (glob(3) patterns expanded): a directory under an empty read-only tmpfs, a file under /dev/null; what this kernel lacks is skipped. */
		glob_t found;
		int status = glob(paths[i], GLOB_NOSORT, NULL, &found);
		if (status == GLOB_NOMATCH)
			continue;
		if (status != 0)
			return error_set("mask %s: glob failed", paths[i]);
		for (size_t j = 0; j < found.gl_pathc; j++)
			if (mask_one(found.gl_pathv[j]) < 0) {
				globfree(&found);
				return -1;
			}
		globfree(&found);
		/* LAB END (stub: (void)mask_one;) */
	}
	return 0;
}
// end::mask[]

/* The mount flags a remount must keep (in a user namespace the kernel
 * refuses to drop nosuid, nodev or noexec that a mount came with). */
static unsigned long flags_of(const char *path)
{
	struct statvfs fs;
	unsigned long flags = 0;

	if (statvfs(path, &fs) < 0)
		return 0;
	if (fs.f_flag & ST_NOSUID)
		flags |= MS_NOSUID;
	if (fs.f_flag & ST_NODEV)
		flags |= MS_NODEV;
	if (fs.f_flag & ST_NOEXEC)
		flags |= MS_NOEXEC;
	return flags;
}

int paths_make_read_only(const char *const *paths)
{
	for (int i = 0; paths[i]; i++) {
		struct stat st;
		if (lstat(paths[i], &st) < 0) {
			if (errno == ENOENT)
				continue;
			return error_errno("read-only %s", paths[i]);
		}
		trace("mount(\"%s\", \"%s\", MS_BIND|MS_REC), then MS_REMOUNT|MS_RDONLY", paths[i], paths[i]);
		if (mount(paths[i], paths[i], NULL, MS_BIND | MS_REC, NULL) < 0 ||
		    mount(NULL, paths[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | flags_of(paths[i]), NULL) < 0)
			return error_errno("make %s read-only", paths[i]);
	}
	return 0;
}
