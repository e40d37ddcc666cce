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

const char *cgroup_dir(const struct cgroup *cgroup, const char *controller)
{
	return dir_for(cgroup, controller);
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

/* v2 controllers a group may get; the stage's limits need the first three. */
static const char *const v2_controllers[] = { "memory", "pids", "cpu", "cpuset", "io", "hugetlb", NULL };

/* Switch the controllers on for the children of DIR (its
 * cgroup.subtree_control), where DIR's own parent offers them. */
static int v2_enable(const char *dir, const struct cgroup_limits *limits)
{
	char available[256];

	/* A controller reaches DIR's children only if DIR lists it in its
	 * cgroup.subtree_control, and DIR can only offer what its own parent
	 * gave it (cgroup.controllers). */
	if (file_read(dir, "cgroup.controllers", available, sizeof(available)) < 0)
		return error_errno("read %s/cgroup.controllers", dir);
	for (size_t i = 0; v2_controllers[i]; i++) {
		char enable[16];

		if (!listed(available, v2_controllers[i])) {
			if (!controller_needed(limits, v2_controllers[i]))
				continue; /* not needed for a limit: do without it */
			return error_set("the %s controller is not enabled for %s "
					 "(cgroup.subtree_control of its parent)", v2_controllers[i], dir);
		}
		snprintf(enable, sizeof(enable), "+%s", v2_controllers[i]);
		if (file_write(dir, "cgroup.subtree_control", enable) < 0)
			return -1;
	}
	return 0;
}

// tag::create2[]
static int v2_create(struct cgroup *cgroup, const char *path)
{
	char base[PATH_MAX], dir[PATH_MAX + 80];

	if (v2_base(base, sizeof(base)) < 0)
		return -1;
	/* LAB: cgroup v2: make each parent of PATH (box/ for stage 3) and switch the controllers on for its children (cgroup.subtree_control), then make the leaf. */
	/* Each directory down to the leaf's parent (box/ in "box/ID"), made if
	 * missing; the controllers switched on for its children. The base is
	 * the machine's (or the user's delegated subtree): only read. */
	size_t used = (size_t)snprintf(dir, sizeof(dir), "%s", base);
	for (const char *p = path; *p;) {
		size_t length = strcspn(p, "/");
		if (used + 1 + length >= sizeof(dir))
			return error_set("cgroup path %s: too long", path);
		bool leaf = p[length] == '\0';
		snprintf(dir + used, sizeof(dir) - used, "/%.*s", (int)length, p);
		used += 1 + length;
		if (leaf)
			break;
		if (make_dir(dir, true) < 0 || v2_enable(dir, &cgroup->limits) < 0)
			return -1;
		p += length + 1;
	}
	cgroup->dirs[0].controller = "";
	snprintf(cgroup->dirs[0].path, sizeof(cgroup->dirs[0].path), "%s", dir);
	if (make_dir(cgroup->dirs[0].path, false) < 0)
		return -1;
	cgroup->count = 1;
	return 0;
	/* LAB END (stub: (void)path; (void)cgroup; (void)used; (void)v2_enable; return error_set("v2_create: not written yet");) */
}
// end::create2[]

static const char *const v1_default_controllers[] = { "memory", "pids", "cpu", "cpuacct", NULL };

/* The directories of PATH in each mounted v1 hierarchy of CONTROLLERS;
 * MAKE: make them (the parents may exist, the leaf must not). */
static int v1_dirs(struct cgroup *cgroup, const char *path, const char *const *controllers, bool make)
{
	if (make && geteuid() != 0)
		return error_set("limits for an ordinary user need cgroup v2, and this machine has v1");
	for (size_t i = 0; controllers[i]; i++) {
		struct cgroup_dir *dir = &cgroup->dirs[cgroup->count];
		char root[64], real[PATH_MAX];
		bool shared = false;

		if (cgroup->count == (int)(sizeof(cgroup->dirs) / sizeof(cgroup->dirs[0])))
			return error_set("too many cgroup controllers");
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
		if (snprintf(dir->path, sizeof(dir->path), "%s/%s", real, path) >= (int)sizeof(dir->path))
			return error_set("cgroup path %s: too long", path);
		/* cpu and cpuacct are often one tree (/sys/fs/cgroup/cpu,cpuacct). */
		for (int j = 0; j < cgroup->count; j++)
			shared = shared || strcmp(cgroup->dirs[j].path, dir->path) == 0;
		cgroup->count++;
		if (shared || !make)
			continue;
		/* Each parent (box/ in "box/ID") may be there; the leaf is new. */
		for (char *slash = dir->path + strlen(real) + 1; (slash = strchr(slash, '/')); slash++) {
			*slash = '\0';
			int status = make_dir(dir->path, true);
			*slash = '/';
			if (status < 0) {
				cgroup->count--;
				return -1;
			}
		}
		if (make_dir(dir->path, false) < 0) {
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

bool cgroup_v2_host(void)
{
	return is_cgroup_mount(CGROUP_ROOT, CGROUP2_SUPER_MAGIC);
}

struct cgroup *cgroup_create_at(const char *path, const struct cgroup_limits *limits,
				const char *const *controllers)
{
	struct cgroup *cgroup = calloc(1, sizeof(*cgroup));

	if (!cgroup) {
		error_errno("calloc");
		return NULL;
	}
	while (*path == '/')
		path++; /* absolute or relative: under each hierarchy's root */
	if (!*path || strstr(path, "..")) {
		error_set("cgroup path \"%s\": not a path below the hierarchy's root", path);
		free(cgroup);
		return NULL;
	}
	cgroup->limits = *limits;
	cgroup->version = is_cgroup_mount(CGROUP_ROOT, CGROUP2_SUPER_MAGIC) ? 2 : 1;
	trace("cgroup v%d: %s", cgroup->version,
	      cgroup->version == 2 ? "one unified tree" : "one tree per controller");
	int made = cgroup->version == 2 ? v2_create(cgroup, path)
					: v1_dirs(cgroup, path, controllers ? controllers : v1_default_controllers, true);
	if (made < 0 || write_limits(cgroup, limits) < 0) {
		char message[1024];
		/* Keep the first error: removing may record another. */
		snprintf(message, sizeof(message), "%s", error_message());
		cgroup_destroy(cgroup);
		error_set("%s", message);
		return NULL;
	}
	return cgroup;
}

struct cgroup *cgroup_create(const char *id, const struct cgroup_limits *limits)
{
	char path[80];

	snprintf(path, sizeof(path), "box/%.64s", id);
	return cgroup_create_at(path, limits, NULL);
}

struct cgroup *cgroup_open_at(const char *path, const char *const *controllers)
{
	struct cgroup *cgroup = calloc(1, sizeof(*cgroup));
	char base[PATH_MAX];
	struct stat st;

	if (!cgroup) {
		error_errno("calloc");
		return NULL;
	}
	while (*path == '/')
		path++;
	cgroup->version = is_cgroup_mount(CGROUP_ROOT, CGROUP2_SUPER_MAGIC) ? 2 : 1;
	if (cgroup->version == 2) {
		if (v2_base(base, sizeof(base)) < 0) {
			free(cgroup);
			return NULL;
		}
		cgroup->dirs[0].controller = "";
		snprintf(cgroup->dirs[0].path, sizeof(cgroup->dirs[0].path), "%s/%s", base, path);
		cgroup->count = 1;
	} else if (v1_dirs(cgroup, path, controllers ? controllers : v1_default_controllers, false) < 0) {
		free(cgroup);
		return NULL;
	}
	/* Only the directories that are there (a half-made group, too). */
	int kept = 0;
	for (int i = 0; i < cgroup->count; i++)
		if (stat(cgroup->dirs[i].path, &st) == 0)
			cgroup->dirs[kept++] = cgroup->dirs[i];
	cgroup->count = kept;
	if (!kept) {
		error_set("no cgroup at %s", path);
		free(cgroup);
		return NULL;
	}
	return cgroup;
}

int cgroup_file_write(const struct cgroup *cgroup, const char *controller, const char *file,
		      const char *value)
{
	const char *dir = dir_for(cgroup, controller);

	if (!dir)
		return error_set("no %s hierarchy for %s", controller, file);
	return file_write(dir, file, value);
}

int cgroup_file_read(const struct cgroup *cgroup, const char *controller, const char *file,
		     char *buffer, size_t size)
{
	const char *dir = dir_for(cgroup, controller);

	if (file_read(dir, file, buffer, size) < 0)
		return error_errno("read %s/%s", dir ? dir : controller, file);
	return 0;
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
