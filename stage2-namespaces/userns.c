/* Rootless containers: a user namespace where the caller is root.
 *
 * In a new user namespace the process holds every capability, but only over
 * the namespaces that the user namespace owns. Its ids mean nothing until a
 * process outside writes the maps: "0 1000 1" in uid_map says uid 0 inside is
 * uid 1000 outside. An ordinary user may map only its own id; a wider range
 * needs the setuid helpers newuidmap(1) and newgidmap(1), which check
 * /etc/subuid and /etc/subgid.
 */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

/* The first "NAME:START:COUNT" or "UID:START:COUNT" line for this user. */
static void subordinate_range(const char *file, const char *name, uid_t id,
			      unsigned long *start, unsigned long *count)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char line[256], who[128], id_text[32];

	*start = *count = 0;
	if (!f)
		return;
	snprintf(id_text, sizeof(id_text), "%u", id);
	while (fgets(line, sizeof(line), f)) {
		unsigned long first, how_many;

		if (sscanf(line, "%127[^:]:%lu:%lu", who, &first, &how_many) != 3)
			continue;
		if ((name && strcmp(who, name) == 0) || strcmp(who, id_text) == 0) {
			*start = first;
			*count = how_many;
			return;
		}
	}
}

int userns_prepare(struct userns *userns)
{
	const struct passwd *pw = getpwuid(getuid());
	const char *name = pw ? pw->pw_name : NULL;

	userns->uid = getuid();
	userns->gid = getgid();
	subordinate_range("/etc/subuid", name, userns->uid, &userns->subuid_start,
			  &userns->subuid_count);
	subordinate_range("/etc/subgid", name, userns->uid, &userns->subgid_start,
			  &userns->subgid_count);
	return 0;
}

static int write_file(pid_t pid, const char *file, const char *text)
{
	char path[64];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return error_errno("open %s", path);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return error_errno("write \"%s\" to %s", text, path);
	return 0;
}

/* newuidmap PID 0 UID 1 1 START COUNT (and the same for gids). */
static int run_map_helper(const char *helper, pid_t pid, unsigned long id,
			  unsigned long start, unsigned long count)
{
	char args[5][24];
	int status;

	snprintf(args[0], sizeof(args[0]), "%d", pid);
	snprintf(args[1], sizeof(args[1]), "%lu", id);
	snprintf(args[2], sizeof(args[2]), "%lu", start);
	snprintf(args[3], sizeof(args[3]), "%lu", count);
	trace("%s %s 0 %s 1 1 %s %s", helper, args[0], args[1], args[2], args[3]);

	pid_t child = fork();
	if (child < 0)
		return error_errno("fork for %s", helper);
	if (child == 0) {
		execlp(helper, helper, args[0], "0", args[1], "1", "1", args[2], args[3],
		       (char *)NULL);
		fprintf(stderr, "box: %s: %s (install Debian's uidmap)\n", helper,
			strerror(errno));
		_exit(EXIT_BOX_FAILED);
	}
	if (waitpid(child, &status, 0) < 0)
		return error_errno("wait for %s", helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set("%s %d failed", helper, pid);
	return 0;
}

// tag::map[]
int userns_map(const struct userns *userns, pid_t child)
{
	char map[64];

	if (userns->subuid_count && userns->subgid_count) {
		if (run_map_helper("newgidmap", child, userns->gid, userns->subgid_start,
				   userns->subgid_count) < 0)
			return -1;
		return run_map_helper("newuidmap", child, userns->uid,
				      userns->subuid_start, userns->subuid_count);
	}
	/* LAB: map uid 0 inside to the caller's uid (and gid) outside; an ordinary user must write "deny" to setgroups first. */
	/* Without the helpers, one id each. An unprivileged process must first
	 * give up setgroups(2) in the namespace, or it could drop a group that
	 * denies it access (see user_namespaces(7), "setgroups"). */
	if (geteuid() != 0) {
		trace("write /proc/%d/setgroups \"deny\"", child);
		if (write_file(child, "setgroups", "deny") < 0)
			return -1;
	}
	snprintf(map, sizeof(map), "0 %u 1", userns->gid);
	trace("write /proc/%d/gid_map \"%s\"", child, map);
	if (write_file(child, "gid_map", map) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1", userns->uid);
	trace("write /proc/%d/uid_map \"%s\"", child, map);
	if (write_file(child, "uid_map", map) < 0)
		return -1;
	return 0;
	/* LAB END (stub: (void)map; (void)write_file; return 0;) */
}
// end::map[]

const char *userns_hint(void)
{
	/* Debian's and Ubuntu's switches, where this kernel has them. */
	if (access("/proc/sys/kernel/unprivileged_userns_clone", F_OK) == 0)
		return "unprivileged user namespaces may be off: see sysctl kernel.unprivileged_userns_clone";
	if (access("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", F_OK) == 0)
		return "unprivileged user namespaces may be off: see sysctl kernel.apparmor_restrict_unprivileged_userns";
	return "user namespaces may be off: see sysctl user.max_user_namespaces";
}
