/* The container's name for itself, in its own UTS namespace. */
#include "hostname.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

int hostname_parse(const char *value, void *target)
{
	size_t length = strlen(value);

	if (length == 0 || length > 64)
		return error_set("\"%s\" is not a hostname (1 to 64 characters)", value);
	if (strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") != length)
		return error_set("\"%s\" is not a hostname (letters, digits, '-' and '.')", value);
	*(const char **)target = value;
	return 0;
}

int hostname_random(char *name, size_t size)
{
	unsigned char bytes[6];

	if (getrandom(bytes, sizeof(bytes), 0) != sizeof(bytes))
		return error_errno("getrandom");
	snprintf(name, size, "%02x%02x%02x%02x%02x%02x", bytes[0], bytes[1],
		 bytes[2], bytes[3], bytes[4], bytes[5]);
	return 0;
}

/* Show NAME in /etc/hostname without writing into the rootfs: write it to a
 * file on the container's own /dev tmpfs, bind that over /etc/hostname, and
 * unlink it (the bind mount keeps the file alive). */
static int etc_hostname_show(const char *name)
{
	static const char scratch[] = "/dev/.hostname";
	_cleanup_fclose_ FILE *f = NULL;

	if (access("/etc/hostname", F_OK) < 0)
		return 0;
	f = fopen(scratch, "wxe");
	if (!f || fprintf(f, "%s\n", name) < 0 || fflush(f) != 0)
		return error_errno("write %s", scratch);
	trace("mount(\"%s\", \"/etc/hostname\", MS_BIND)", scratch);
	if (mount(scratch, "/etc/hostname", NULL, MS_BIND, NULL) < 0)
		return error_errno("bind %s on /etc/hostname", scratch);
	trace("mount(NULL, \"/etc/hostname\", MS_REMOUNT|MS_BIND|MS_RDONLY)");
	if (mount(NULL, "/etc/hostname", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
		return error_errno("remount /etc/hostname read-only");
	if (unlink(scratch) < 0)
		return error_errno("unlink %s", scratch);
	return 0;
}

// tag::hostname[]
int hostname_set(const char *name)
{
	/* LAB: give the container its hostname with sethostname(2). */
	trace("sethostname(\"%s\")", name);
	if (sethostname(name, strlen(name)) < 0)
		return error_errno("sethostname %s", name);
	/* LAB END (stub: (void)name;) */
	return etc_hostname_show(name);
}
// end::hostname[]
