/* Limits on what a container may take: memory, processes, CPU.
 *
 * A control group is a directory in a special file system: a process joins
 * it by writing its PID to cgroup.procs, and the group's limits are files
 * too (memory.max = 67108864). There are two versions, and box speaks both:
 *
 *   cgroup v2  one tree at /sys/fs/cgroup; each controller is switched on for
 *              a subtree in its parent's cgroup.subtree_control
 *   cgroup v1  one tree per controller: /sys/fs/cgroup/memory, .../pids, ...
 *
 * The version is found by looking at the file system (statfs(2) magic), never
 * from the kernel's version. Every group box makes is box/<id>, in each tree.
 */
#include "cgroups.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/magic.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CPU_PERIOD_US 100000 /* cpu.max's period: quotas are per 100 ms */

/* Options ---------------------------------------------------------------- */

int cgroup_parse_memory(const char *value, void *target)
{
	unsigned long long number, unit = 1;
	char *end;

	errno = 0;
	number = strtoull(value, &end, 10);
	if (end == value || errno || value[0] == '-')
		return error_set("\"%s\" is not a size (try 64m)", value);
	switch (tolower((unsigned char)*end)) {
	case 'k': unit = 1ULL << 10; end++; break;
	case 'm': unit = 1ULL << 20; end++; break;
	case 'g': unit = 1ULL << 30; end++; break;
	}
	if (tolower((unsigned char)*end) == 'b')
		end++;
	if (*end || number > ULLONG_MAX / unit)
		return error_set("\"%s\" is not a size (try 64m)", value);
	if (number * unit < (1ULL << 20))
		return error_set("\"%s\" is below the smallest limit, 1m", value);
	*(unsigned long long *)target = number * unit;
	return 0;
}

static int parse_range(const char *value, long low, long high, long *result)
{
	char *end;
	long number;

	errno = 0;
	number = strtol(value, &end, 10);
	if (end == value || *end || errno)
		return error_set("\"%s\" is not a whole number", value);
	if (number < low || number > high)
		return error_set("%ld is out of range (%ld to %ld)", number, low, high);
	*result = number;
	return 0;
}

int cgroup_parse_pids(const char *value, void *target)
{
	return parse_range(value, 1, 4194304 /* PID_MAX_LIMIT */, target);
}

int cgroup_parse_weight(const char *value, void *target)
{
	return parse_range(value, 1, 10000, target);
}

int cgroup_parse_cpus(const char *value, void *target)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	char *end;
	double cpus;

	errno = 0;
	cpus = strtod(value, &end);
	if (end == value || *end || errno || !isfinite(cpus))
		return error_set("\"%s\" is not a number of CPUs (try 0.5)", value);
	/* The kernel's smallest quota is 1 ms per 100 ms period. */
	if (cpus < 0.01 || cpus > online)
		return error_set("%s is out of range (0.01 to %ld, the CPUs of this machine)",
				 value, online);
	*(double *)target = cpus;
	return 0;
}

bool cgroup_limits_set(const struct cgroup_limits *limits)
{
	return limits->memory || limits->pids || limits->cpus > 0 || limits->cpu_weight;
}

/* Files ------------------------------------------------------------------ */

static int file_write(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	trace("write %s = %s", path, value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return error_errno("open %s", path);
	if (write(fd, value, strlen(value)) < 0)
		return error_errno("write %s to %s", value, path);
	return 0;
}

static int file_read(const char *dir, const char *file, char *buffer, size_t size)
{
	char path[PATH_MAX];
	_cleanup_close_ int fd = -1;
	ssize_t length;

	if (!dir) /* a v1 controller that is not mounted here */
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	length = read(fd, buffer, size - 1);
	if (length < 0)
		return -1;
	buffer[length] = '\0';
	return 0;
}

/* A file holding one number; -1 when it is missing. */
static long long file_read_number(const char *dir, const char *file)
{
	char text[64];
	return file_read(dir, file, text, sizeof(text)) == 0 ? atoll(text) : -1;
}

/* The N of a "KEY N" line (memory.events, cpu.stat); -1 when missing. */
static long long file_read_key(const char *dir, const char *file, const char *key)
{
	char text[4096];
	size_t length = strlen(key);

	if (file_read(dir, file, text, sizeof(text)) < 0)
		return -1;
	for (char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (strncmp(line, key, length) == 0 && line[length] == ' ')
			return atoll(line + length + 1);
	return -1;
}

static const char *dir_for(const struct cgroup *cgroup, const char *controller)
{
	for (int i = 0; i < cgroup->count; i++)
		if (cgroup->version == 2 || strcmp(cgroup->dirs[i].controller, controller) == 0)
			return cgroup->dirs[i].path;
	return NULL;
}

/* Making the directories --------------------------------------------------- */

static bool is_cgroup_mount(const char *path, long magic)
{
	struct statfs fs;
	return statfs(path, &fs) == 0 && fs.f_type == magic;
}

static int make_dir(const char *path, bool may_exist)
{
	if (mkdir(path, 0755) == 0) {
		trace("mkdir %s", path);
		return 0;
	}
	if (errno == EEXIST && may_exist)
		return 0;
	return error_errno("mkdir %s", path);
}

/* Where box/ goes in the v2 tree: the root, or for an ordinary user the
 * subtree its service manager delegated to it (the parent of its own group,
 * which it may write to). */
static int v2_base(char *base, size_t size)
{
	_cleanup_fclose_ FILE *f = NULL;
	char line[PATH_MAX] = "", own[PATH_MAX + 32], control[PATH_MAX + 64];

	if (geteuid() == 0) {
		snprintf(base, size, "%s", CGROUP_ROOT);
		return 0;
	}
	f = fopen("/proc/self/cgroup", "re");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0) {
			line[strcspn(line, "\n")] = '\0';
			if (strcmp(line, "0::/") == 0)
				break; /* in the root group: nothing is delegated */
			snprintf(own, sizeof(own), "%s%s", CGROUP_ROOT, line + 3);
			snprintf(base, size, "%s", dirname(own));
			snprintf(control, sizeof(control), "%s/cgroup.subtree_control", base);
			if (access(base, W_OK) == 0 && access(control, W_OK) == 0)
				return 0;
			break;
		}
	if (!f || strcmp(line, "0::/") == 0)
		return error_set("limits for an ordinary user need a cgroup v2 subtree delegated to it, "
				 "and this process is in the root group");
	return error_set("limits for an ordinary user need a cgroup v2 subtree delegated to it, "
			 "and %s is not (with systemd: a user service with Delegate=yes)", base);
}

/* Is CONTROLLER one of the words of LIST ("cpuset io memory pids")? */
static bool listed(const char *list, const char *controller)
{
	size_t length = strlen(controller);

	for (const char *p = list; (p = strstr(p, controller)); p += length)
		if ((p == list || p[-1] == ' ') && (p[length] == ' ' || p[length] == '\n' || !p[length]))
			return true;
	return false;
}

/* The controllers a limit needs (memory also for the OOM report, where
 * it is there). */
static bool controller_needed(const struct cgroup_limits *limits, const char *controller)
{
	if (strcmp(controller, "memory") == 0)
		return limits->memory;
	if (strcmp(controller, "pids") == 0)
		return limits->pids;
	if (strcmp(controller, "cpu") == 0)
		return limits->cpus > 0 || limits->cpu_weight;
	return false;
}

// tag::create2[]
static int v2_create(struct cgroup *cgroup, const char *id)
{
	static const char *const controllers[] = { "memory", "pids", "cpu" };
	char base[PATH_MAX], parent[PATH_MAX + 8], available[256];

	if (v2_base(base, sizeof(base)) < 0)
		return -1;
	snprintf(parent, sizeof(parent), "%s/box", base);
	if (make_dir(parent, true) < 0)
		return -1;
	/* LAB: cgroup v2: switch the controllers on for box/'s children (cgroup.subtree_control), then make the leaf box/ID. */
	/* A controller reaches box/'s children only if box/ lists it in its
	 * cgroup.subtree_control, and box/ can only offer what its own parent
	 * gave it (cgroup.controllers). */
	if (file_read(parent, "cgroup.controllers", available, sizeof(available)) < 0)
		return error_errno("read %s/cgroup.controllers", parent);
	for (size_t i = 0; i < sizeof(controllers) / sizeof(controllers[0]); i++) {
		char enable[16];

		if (!listed(available, controllers[i])) {
			if (!controller_needed(&cgroup->limits, controllers[i]))
				continue; /* not needed for a limit: do without it */
			return error_set("the %s controller is not enabled for %s "
					 "(cgroup.subtree_control of its parent)", controllers[i], parent);
		}
		snprintf(enable, sizeof(enable), "+%s", controllers[i]);
		if (file_write(parent, "cgroup.subtree_control", enable) < 0)
			return -1;
	}
	cgroup->dirs[0].controller = "";
	snprintf(cgroup->dirs[0].path, sizeof(cgroup->dirs[0].path), "%s/%.64s", parent, id);
	if (make_dir(cgroup->dirs[0].path, false) < 0)
		return -1;
	cgroup->count = 1;
	return 0;
	/* LAB END (stub: (void)id; (void)cgroup; (void)available; (void)controllers; (void)listed; return error_set("v2_create: not written yet");) */
}
// end::create2[]

static int v1_create(struct cgroup *cgroup, const char *id)
{
	static const char *const controllers[] = { "memory", "pids", "cpu", "cpuacct" };

	if (geteuid() != 0)
		return error_set("limits for an ordinary user need cgroup v2, and this machine has v1");
	for (size_t i = 0; i < sizeof(controllers) / sizeof(controllers[0]); i++) {
		struct cgroup_dir *dir = &cgroup->dirs[cgroup->count];
		char root[64], real[PATH_MAX], parent[PATH_MAX + 8];
		bool shared = false;

		snprintf(root, sizeof(root), "%s/%s", CGROUP_ROOT, controllers[i]);
		if (!is_cgroup_mount(root, CGROUP_SUPER_MAGIC)) {
			if (controller_needed(&cgroup->limits, controllers[i]))
				return error_set("the %s controller is not mounted at %s",
						 controllers[i], root);
			continue; /* not needed for a limit: do without it */
		}
		if (!realpath(root, real))
			return error_errno("realpath %s", root);
		dir->controller = controllers[i];
		snprintf(parent, sizeof(parent), "%s/box", real);
		snprintf(dir->path, sizeof(dir->path), "%s/%.64s", parent, id);
		/* cpu and cpuacct are often one tree (/sys/fs/cgroup/cpu,cpuacct). */
		for (int j = 0; j < cgroup->count; j++)
			shared = shared || strcmp(cgroup->dirs[j].path, dir->path) == 0;
		cgroup->count++;
		if (shared)
			continue;
		if (make_dir(parent, true) < 0 || make_dir(dir->path, false) < 0) {
			cgroup->count--;
			return -1;
		}
	}
	return 0;
}

/* Limits ----------------------------------------------------------------- */

// tag::limits[]
static int write_limits(const struct cgroup *cg, const struct cgroup_limits *limits)
{
	const char *memory = dir_for(cg, "memory"), *pids = dir_for(cg, "pids");
	const char *cpu = dir_for(cg, "cpu");
	char value[64];

	/* LAB: write the memory limit (and no swap), the pids limit, the CPU quota and the CPU weight, in v2 or v1 terms. */
	if (limits->memory) {
		snprintf(value, sizeof(value), "%llu", limits->memory);
		if (file_write(memory, cg->version == 2 ? "memory.max" : "memory.limit_in_bytes", value) < 0)
			return -1;
		/* No swap either: a limit that spills to swap is no limit.
		 * (The file is missing when the kernel accounts no swap.) */
		const char *swap = cg->version == 2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";
		char path[PATH_MAX + 32];
		snprintf(path, sizeof(path), "%s/%s", memory, swap);
		if (access(path, F_OK) == 0 &&
		    file_write(memory, swap, cg->version == 2 ? "0" : value) < 0)
			return -1;
	}
	if (limits->pids) {
		snprintf(value, sizeof(value), "%ld", limits->pids);
		if (file_write(pids, "pids.max", value) < 0)
			return -1;
	}
	if (limits->cpus > 0) {
		long quota = lround(limits->cpus * CPU_PERIOD_US);
		if (cg->version == 2) {
			snprintf(value, sizeof(value), "%ld %d", quota, CPU_PERIOD_US);
			if (file_write(cpu, "cpu.max", value) < 0)
				return -1;
		} else {
			snprintf(value, sizeof(value), "%d", CPU_PERIOD_US);
			if (file_write(cpu, "cpu.cfs_period_us", value) < 0)
				return -1;
			snprintf(value, sizeof(value), "%ld", quota);
			if (file_write(cpu, "cpu.cfs_quota_us", value) < 0)
				return -1;
		}
	}
	if (limits->cpu_weight) {
		/* v1 counts shares (2..262144, default 1024) where v2 counts a
		 * weight (1..10000, default 100): the OCI runtimes' conversion. */
		long shares = 2 + ((limits->cpu_weight - 1) * 262142) / 9999;
		snprintf(value, sizeof(value), "%ld", cg->version == 2 ? limits->cpu_weight : shares);
		if (file_write(cpu, cg->version == 2 ? "cpu.weight" : "cpu.shares", value) < 0)
			return -1;
	}
	return 0;
	/* LAB END (stub: (void)memory; (void)pids; (void)cpu; (void)value; (void)limits; return 0;) */
}
// end::limits[]

/* The container's group -------------------------------------------------- */

struct cgroup *cgroup_create(const char *id, const struct cgroup_limits *limits)
{
	struct cgroup *cgroup = calloc(1, sizeof(*cgroup));

	if (!cgroup) {
		error_errno("calloc");
		return NULL;
	}
	cgroup->limits = *limits;
	cgroup->version = is_cgroup_mount(CGROUP_ROOT, CGROUP2_SUPER_MAGIC) ? 2 : 1;
	trace("cgroup v%d: %s", cgroup->version,
	      cgroup->version == 2 ? "one unified tree" : "one tree per controller");
	if ((cgroup->version == 2 ? v2_create(cgroup, id) : v1_create(cgroup, id)) < 0 ||
	    write_limits(cgroup, limits) < 0) {
		char message[1024];
		/* Keep the first error: removing may record another. */
		snprintf(message, sizeof(message), "%s", error_message());
		cgroup_destroy(cgroup);
		error_set("%s", message);
		return NULL;
	}
	return cgroup;
}

// tag::join[]
int cgroup_add_process(const struct cgroup *cgroup, pid_t pid)
{
	char text[32];

	snprintf(text, sizeof(text), "%d", pid);
	for (int i = 0; i < cgroup->count; i++) {
		/* LAB: put PID in this directory's group: write it to cgroup.procs. */
		if (file_write(cgroup->dirs[i].path, "cgroup.procs", text) < 0)
			return -1;
		/* LAB END (stub: (void)file_write;) */
	}
	return 0;
}
// end::join[]

// tag::oom[]
long cgroup_oom_kills(const struct cgroup *cgroup)
{
	const char *memory = dir_for(cgroup, "memory");

	/* The kernel counts OOM kills per group: no guessing from SIGKILL. */
	if (!memory)
		return 0;
	if (cgroup->version == 2)
		return file_read_key(memory, "memory.events", "oom_kill");
	return file_read_key(memory, "memory.oom_control", "oom_kill");
}
// end::oom[]

void cgroup_read_stats(const struct cgroup *cgroup, struct cgroup_stats *stats)
{
	const char *memory = dir_for(cgroup, "memory"), *pids = dir_for(cgroup, "pids");

	if (cgroup->version == 2) {
		long long user = file_read_key(cgroup->dirs[0].path, "cpu.stat", "user_usec");
		long long system = file_read_key(cgroup->dirs[0].path, "cpu.stat", "system_usec");
		stats->cpu_user = user < 0 ? -1 : user / 1e6;
		stats->cpu_system = system < 0 ? -1 : system / 1e6;
		stats->memory_peak = file_read_number(memory, "memory.peak");
	} else {
		const char *cpuacct = dir_for(cgroup, "cpuacct");
		long long user = file_read_number(cpuacct, "cpuacct.usage_user");
		long long system = file_read_number(cpuacct, "cpuacct.usage_sys");
		stats->cpu_user = user < 0 ? -1 : user / 1e9;
		stats->cpu_system = system < 0 ? -1 : system / 1e9;
		stats->memory_peak = file_read_number(memory, "memory.max_usage_in_bytes");
	}
	stats->tasks_peak = (long)file_read_number(pids, "pids.peak");
}

// tag::report[]
void cgroup_report(const struct cgroup *cgroup, int wait_status, bool stats)
{
	if (!cgroup)
		return;
	if (cgroup_oom_kills(cgroup) > 0) {
		/* The command, or box's init for it, ended by SIGKILL. */
		bool killed = WIFSIGNALED(wait_status) ||
			      (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 128 + SIGKILL);
		char limit[48] = "no --memory: the host's memory ran out";
		if (cgroup->limits.memory)
			snprintf(limit, sizeof(limit), "limit %llu MiB", cgroup->limits.memory >> 20);
		fprintf(stderr, "box: %s: out of memory (%s)\n",
			killed ? "killed" : "a process was killed", limit);
	}
	if (stats) {
		struct cgroup_stats s;
		cgroup_read_stats(cgroup, &s);
		fprintf(stderr, "box: stats: cpu %.2f s (user %.2f s, system %.2f s), "
			"memory peak %.1f MiB, tasks peak %ld\n", s.cpu_user + s.cpu_system,
			s.cpu_user, s.cpu_system, s.memory_peak / 1048576.0, s.tasks_peak);
	}
}
// end::report[]

/* A group can only be removed once no process is in it. The container's
 * processes are gone when its PID 1 has ended, but the kernel may still be
 * finishing them off: try again for a while, and end any straggler. */
static int remove_dir(const char *path)
{
	for (int tries = 0; tries < 200; tries++) {
		if (rmdir(path) == 0 || errno == ENOENT) {
			trace("rmdir %s", path);
			return 0;
		}
		if (errno != EBUSY)
			break;
		char pids[4096];
		if (file_read(path, "cgroup.procs", pids, sizeof(pids)) == 0)
			for (char *p = pids; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
				if (atoi(p) > 0)
					kill(atoi(p), SIGKILL);
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	return error_errno("rmdir %s", path);
}

void cgroup_destroy(struct cgroup *cgroup)
{
	if (!cgroup)
		return;
	for (int i = cgroup->count - 1; i >= 0; i--)
		if (remove_dir(cgroup->dirs[i].path) < 0)
			fprintf(stderr, "box: %s\n", error_message());
	free(cgroup);
}
