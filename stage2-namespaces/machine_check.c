/* box --check: what this machine's kernel offers the lab, one line each.
 *
 * Every answer comes from trying or looking, never from the kernel's version:
 * distributions backport features and switch them off.
 */
#include "machine_check.h"

#include <errno.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"

static bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Can this user make a user namespace? Ask the kernel, in a child. */
static bool user_namespace_allowed(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool filesystem_known(const char *name)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/filesystems", "re");
	char line[128];

	while (f && fgets(line, sizeof(line), f)) {
		char *type = strrchr(line, '\t');
		type = type ? type + 1 : line;
		type[strcspn(type, "\n")] = '\0';
		if (strcmp(type, name) == 0)
			return true;
	}
	return false;
}

static bool is_cgroup2(const char *path)
{
	struct statfs fs;
	return statfs(path, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

static void report_cgroups(void)
{
	static const char *const controllers[] = { "memory", "pids", "cpu" };
	char line[256] = "";
	char path[64];

	if (is_cgroup2("/sys/fs/cgroup")) {
		_cleanup_fclose_ FILE *f = fopen("/sys/fs/cgroup/cgroup.controllers", "re");
		if (!f || !fgets(line, sizeof(line), f))
			strcpy(line, "(none)\n");
		printf("cgroups:            v2 (unified), controllers: %s", line);
		return;
	}
	for (size_t i = 0; i < sizeof(controllers) / sizeof(controllers[0]); i++) {
		struct statfs fs;
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", controllers[i]);
		if (statfs(path, &fs) == 0 && fs.f_type == CGROUP_SUPER_MAGIC)
			snprintf(line + strlen(line), sizeof(line) - strlen(line), " %s",
				 controllers[i]);
	}
	printf("cgroups:            v1, controllers:%s%s\n", line[0] ? line : " (none)",
	       is_cgroup2("/sys/fs/cgroup/unified") ? "; hybrid: cgroup2 at /sys/fs/cgroup/unified" : "");
}

int features_report(void)
{
	static const char *const kinds[] = { "pid", "mnt", "uts", "ipc", "net", "cgroup", "time", "user" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/self/ns/%s", kinds[i]);
		printf("namespace %-8s  %s\n", kinds[i], path_exists(path) ? "yes" : "no");
	}
	printf("user namespaces:    %s for uid %u\n",
	       user_namespace_allowed() ? "allowed" : "NOT allowed", getuid());
	report_cgroups();
	printf("overlayfs:          %s\n", filesystem_known("overlay") ? "yes" : "not loaded (modprobe overlay)");
	printf("seccomp filters:    %s\n",
	       prctl(PR_GET_SECCOMP) >= 0 && path_exists("/proc/sys/kernel/seccomp/actions_avail")
		       ? "yes" : "no");
	return 0;
}
