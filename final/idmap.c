/* The id maps of a new user namespace: see idmap.h. */
#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

extern char **environ;

static int proc_write(pid_t pid, const char *file, const char *text)
{
	char path[64];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	trace("write %s = \"%s\"", path, text);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 || write(fd, text, strlen(text)) < 0)
		return error_errno("write %s", path);
	return 0;
}

/* "0 1000 1\n1 100000 65536\n": one line a range. */
static void map_text(const struct id_mapping *map, int count, char *text, size_t size)
{
	size_t used = 0;

	text[0] = '\0';
	for (int i = 0; i < count && used < size; i++)
		used += (size_t)snprintf(text + used, size - used, "%u %u %u\n", map[i].container, map[i].host,
					 map[i].size);
}

/* newuidmap PID 0 1000 1 1 100000 65536: the helper checks /etc/subuid. */
static int map_helper(const char *helper, pid_t pid, const struct id_mapping *map, int count)
{
	char *argv[3 + 8 * 3 + 1], numbers[8 * 3 + 1][16];
	int argc = 0, n = 0, status;
	pid_t child;

	argv[argc++] = (char *)helper;
	snprintf(numbers[n], sizeof(numbers[n]), "%d", pid);
	argv[argc++] = numbers[n++];
	for (int i = 0; i < count; i++) {
		unsigned values[3] = { map[i].container, map[i].host, map[i].size };
		for (int k = 0; k < 3; k++) {
			snprintf(numbers[n], sizeof(numbers[n]), "%u", values[k]);
			argv[argc++] = numbers[n++];
		}
	}
	argv[argc] = NULL;
	trace("%s %d ...: %d ranges", helper, pid, count);
	if ((errno = posix_spawnp(&child, helper, NULL, NULL, argv, environ)) != 0)
		return error_errno("%s (the uid_map helper, package uidmap)", helper);
	if (waitpid(child, &status, 0) < 0)
		return error_errno("wait for %s", helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error_set("%s %d failed (are the ranges in /etc/subuid and /etc/subgid?)", helper, pid);
	return 0;
}

// tag::idmap[]
int idmap_write(const struct container_config *c, pid_t child)
{
	char text[8 * 40];
	bool root = geteuid() == 0;
	/* What a process may write itself without privilege: one line, its
	 * own id (user_namespaces(7), "Defining user and group ID mappings"). */
	bool own_uid = c->uid_mapping_count == 1 && c->uid_mappings[0].size == 1 &&
		       c->uid_mappings[0].host == geteuid();
	bool own_gid = c->gid_mapping_count == 1 && c->gid_mappings[0].size == 1 &&
		       c->gid_mappings[0].host == getegid();

	if (c->uid_mapping_count) {
		if (root || own_uid) {
			map_text(c->uid_mappings, c->uid_mapping_count, text, sizeof(text));
			if (proc_write(child, "uid_map", text) < 0)
				return -1;
		} else if (map_helper("newuidmap", child, c->uid_mappings, c->uid_mapping_count) < 0) {
			return -1;
		}
	}
	if (c->gid_mapping_count) {
		if (root || own_gid) {
			/* An unprivileged map of groups comes with setgroups
			 * denied: or a group that denies access could be dropped. */
			if (!root && proc_write(child, "setgroups", "deny") < 0)
				return -1;
			map_text(c->gid_mappings, c->gid_mapping_count, text, sizeof(text));
			if (proc_write(child, "gid_map", text) < 0)
				return -1;
		} else if (map_helper("newgidmap", child, c->gid_mappings, c->gid_mapping_count) < 0) {
			return -1;
		}
	}
	return 0;
}
// end::idmap[]
