/* Limits on what a container may take: memory, processes, CPU (cgroups(7)). */
#pragma once
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct cgroup_limits {
	unsigned long long memory; /* bytes; 0: no limit */
	long pids;                 /* 0: no limit */
	double cpus;               /* CPUs' worth of time; 0: no limit */
	long cpu_weight;           /* 1..10000; 0: the default */
};

int cgroup_parse_memory(const char *value, void *target);
int cgroup_parse_pids(const char *value, void *target);
int cgroup_parse_cpus(const char *value, void *target);
int cgroup_parse_weight(const char *value, void *target);

#define CGROUP_OPTIONS(limits) \
	{ "memory", "SIZE", "memory limit: bytes, or with k, m, g (64m)", cgroup_parse_memory, &(limits)->memory }, \
	{ "pids", "N", "at most N processes at once", cgroup_parse_pids, &(limits)->pids }, \
	{ "cpus", "FLOAT", "CPU time, in CPUs (0.5 is half of one)", cgroup_parse_cpus, &(limits)->cpus }, \
	{ "cpu-weight", "N", "share of the CPU under contention, 1-10000 (v2's default is 100)", cgroup_parse_weight, &(limits)->cpu_weight }

bool cgroup_limits_set(const struct cgroup_limits *limits);

/* One directory per hierarchy the container uses: cgroup v2 has one for all
 * controllers; cgroup v1 one per controller (memory, pids, cpu, cpuacct). */
struct cgroup_dir {
	const char *controller; /* "memory", ...; "" for the v2 directory */
	char path[PATH_MAX + 80]; /* room for "/box/<id>" after any parent */
};

struct cgroup {
	int version; /* 1 or 2 */
	struct cgroup_dir dirs[12];
	int count;
	struct cgroup_limits limits;
};

struct cgroup_stats {
	double cpu_user, cpu_system;      /* seconds; < 0: unknown */
	long long memory_peak;            /* bytes; < 0: unknown */
	long tasks_peak;                  /* < 0: unknown */
};

/* Does this machine mount cgroup v2 at /sys/fs/cgroup (one tree for all)? */
bool cgroup_v2_host(void);

/* Make box/ID in each hierarchy (under the caller's delegated subtree when
 * rootless) and write LIMITS. NULL on failure, with nothing left behind. */
struct cgroup *cgroup_create(const char *id, const struct cgroup_limits *limits);

/* The same, at PATH under each hierarchy's root (the final runtime's
 * cgroupsPath: "box/ctr1", "/box/x/y"), with the v1 CONTROLLERS given (NULL:
 * memory, pids, cpu, cpuacct), each made if it is mounted here. */
struct cgroup *cgroup_create_at(const char *path, const struct cgroup_limits *limits,
				const char *const *controllers);

/* The group of an existing container, at PATH (as cgroup_create_at made
 * it): for the final runtime's verbs after create. NULL if it is gone. */
struct cgroup *cgroup_open_at(const char *path, const char *const *controllers);

/* Write or read FILE of the container's group in the hierarchy of
 * CONTROLLER ("memory", ...; any name on cgroup v2, which has one). */
int cgroup_file_write(const struct cgroup *cgroup, const char *controller, const char *file,
		      const char *value);
int cgroup_file_read(const struct cgroup *cgroup, const char *controller, const char *file,
		     char *buffer, size_t size);

/* The group's directory in CONTROLLER's hierarchy (v2: its one directory);
 * NULL where v1 has no such hierarchy. */
const char *cgroup_dir(const struct cgroup *cgroup, const char *controller);

/* Move PID into the container's cgroup: write it to cgroup.procs. */
int cgroup_add_process(const struct cgroup *cgroup, pid_t pid);

/* How many processes the kernel's OOM killer ended in this cgroup. */
long cgroup_oom_kills(const struct cgroup *cgroup);

/* Peak memory, CPU time and peak tasks, from the cgroup's own counters. */
void cgroup_read_stats(const struct cgroup *cgroup, struct cgroup_stats *stats);

#define CGROUP_STATS_OPTION(target) \
	{ "stats", NULL, "at exit, print peak memory, CPU time and peak tasks", cli_set_flag, target }

/* After the container: say plainly if the OOM killer struck (from the
 * group's own counter, not a guess from SIGKILL), and print --stats. */
void cgroup_report(const struct cgroup *cgroup, int wait_status, bool stats);

/* Remove the container's directories (they must be empty of processes: the
 * container has ended) and free CGROUP. NULL is fine. */
void cgroup_destroy(struct cgroup *cgroup);
