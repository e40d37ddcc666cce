/* The container's cgroup, from linux.cgroupsPath and linux.resources.
 *
 * Stage 3 made a group and wrote three limits. An OCI config asks for more,
 * in cgroup v1's words (the spec was written when v1 was all there was);
 * each is written here in the version's own terms, converted as runc and
 * crun convert it:
 *
 *   linux.resources       cgroup v1                        cgroup v2
 *   memory.limit          memory.limit_in_bytes            memory.max
 *   memory.reservation    memory.soft_limit_in_bytes       memory.low
 *   memory.swap           memory.memsw.limit_in_bytes      memory.swap.max = swap - limit
 *                         (memory and swap together)       (swap alone)
 *   .disableOOMKiller     memory.oom_control = 1           (no such switch: refused)
 *   cpu.shares            cpu.shares (2..262144)           cpu.weight (1..10000)
 *   cpu.quota, period     cpu.cfs_quota_us, _period_us     cpu.max = "QUOTA PERIOD"
 *   cpu.cpus, mems        cpuset.cpus, cpuset.mems         the same
 *   pids.limit            pids.max                         the same
 *   blockIO.weight        blkio.weight, blkio.bfq.weight   io.bfq.weight, io.weight
 *   hugepageLimits        hugetlb.2MB.limit_in_bytes       hugetlb.2MB.max
 *   unified               (refused)                        each file as given
 *   devices               devices.deny, devices.allow      an eBPF program (stage 6)
 *
 * Only what the config sets is written, so that `box update` changes what
 * it is given and leaves the rest; what cannot be honoured is refused
 * before anything is written.
 */
#include "resources.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

const char *const container_controllers[] = { "memory", "pids", "cpu", "cpuacct", "cpuset", "blkio",
					      "freezer", "devices", "hugetlb", NULL };

/* Where ------------------------------------------------------------------ */

int cgroup_path_resolve(const char *cgroups_path, const char *id, char *path, size_t size)
{
	const char *given = cgroups_path ? cgroups_path : id;
	int length;

	if (cgroups_path && strchr(cgroups_path, ':'))
		return error_set("cgroupsPath \"%s\": systemd's slice:prefix:name, and box has no systemd "
				 "cgroup driver (give a path, such as /box/%s)", cgroups_path, id);
	if (cgroups_path && cgroups_path[0] == '/') {
		while (*cgroups_path == '/')
			cgroups_path++; /* below each hierarchy's root */
		length = snprintf(path, size, "%s", cgroups_path);
	} else {
		/* Relative, or none: under the project's own parent. */
		length = snprintf(path, size, "box/%s", cgroups_path && *cgroups_path ? cgroups_path : id);
	}
	if (length < 0 || (size_t)length >= size)
		return error_set("cgroupsPath \"%s\": too long", given);
	while (length > 0 && path[length - 1] == '/')
		path[--length] = '\0';
	/* Each part a name: never the root itself, never up and out of it. */
	for (const char *p = path;; p++) {
		size_t n = strcspn(p, "/");
		if (n == 0 || strncmp(p, ".", n) == 0 || strncmp(p, "..", n) == 0)
			return error_set("cgroupsPath \"%s\": not a path below the hierarchy's root", given);
		p += n;
		if (!*p)
			return 0;
	}
}

/* Files ------------------------------------------------------------------ */

static int write_number(const struct cgroup *cg, const char *controller, const char *file, long long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", value);
	return cgroup_file_write(cg, controller, file, text);
}

/* Is FILE in the group's directory of CONTROLLER? Not where v1 does not
 * mount the controller, v2 does not enable it, or the kernel lacks it. */
static bool has_file(const struct cgroup *cg, const char *controller, const char *file)
{
	const char *dir = cgroup_dir(cg, controller);
	char path[PATH_MAX + 128];

	if (!dir || snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return false;
	return access(path, F_OK) == 0;
}

/* Is WORD one of the words of LIST ("cpuset cpu io memory")? */
static bool has_word(const char *list, const char *word)
{
	size_t length = strlen(word);

	for (const char *p = list + strspn(list, " \n"); *p; p += strspn(p, " \n")) {
		size_t n = strcspn(p, " \n");
		if (n == length && strncmp(p, word, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* Does the group have CONTROLLER (v2's name: io for blkio)? If not, an
 * error that says what WHAT needs. */
static int controller_check(const struct cgroup *cg, const char *controller, const char *what)
{
	char list[256];

	if (cg->version == 1) {
		if (cgroup_dir(cg, controller))
			return 0;
		return error_set("%s needs the %s controller, and this machine's cgroup v1 does not mount it "
				 "(/sys/fs/cgroup/%s)", what, controller, controller);
	}
	if (cgroup_file_read(cg, "", "cgroup.controllers", list, sizeof(list)) < 0)
		return -1;
	if (has_word(list, controller))
		return 0;
	return error_set("%s needs the %s controller, and it is not enabled for %s "
			 "(cgroup.subtree_control of its parent)", what, controller, cg->dirs[0].path);
}

/* Each "KEY VALUE" line of TEXT in turn (cpu.stat, memory.stat,
 * cgroup.events): false after the last. TEXT is cut up on the way. */
static bool next_pair(char **text, char **key, long long *value)
{
	while (**text) {
		char *line = *text, *end = line + strcspn(line, "\n");
		*text = *end ? end + 1 : end;
		*end = '\0';
		char *space = strchr(line, ' ');
		if (!space)
			continue;
		*space = '\0';
		*key = line;
		*value = strtoll(space + 1, NULL, 10);
		return true;
	}
	return false;
}

/* The VALUE of KEY in such a file; -1 when the file or the key is missing. */
static int key_read(const struct cgroup *cg, const char *controller, const char *file, const char *key,
		    long long *value)
{
	char text[4096], *p = text, *name;

	if (cgroup_file_read(cg, controller, file, text, sizeof(text)) < 0)
		return -1;
	while (next_pair(&p, &name, value))
		if (strcmp(name, key) == 0)
			return 0;
	return error_set("%s: no %s", file, key);
}

/* Checks: refuse before writing anything ---------------------------------- */

static bool set(int64_t value)
{
	return value != RESOURCE_UNSET;
}

/* A limit asked for: "no limit" (-1) is none. */
static bool memory_requested(const struct resources *r)
{
	return r->memory_limit > 0 || r->memory_reservation > 0 || r->memory_swap > 0 ||
	       r->memory_disable_oom_killer;
}

static bool cpu_requested(const struct resources *r)
{
	return r->cpu_shares || r->cpu_quota > 0 || r->cpu_period;
}

static bool cpuset_requested(const struct resources *r)
{
	return (r->cpus && *r->cpus) || (r->mems && *r->mems);
}

/* Any limit at all? Not the device rules: an ordinary user's container
 * gets none of those anyway, and podman's rootless configs have them. */
static bool resources_requested(const struct resources *r)
{
	return memory_requested(r) || cpu_requested(r) || cpuset_requested(r) || r->pids_limit ||
	       r->blkio_weight || r->hugepage_count || r->unified_count;
}

/* Proportional I/O needs a scheduler that shares by weight: BFQ (v1's
 * blkio.bfq.weight, v2's io.bfq.weight), v1's old CFQ (blkio.weight) or
 * v2's io.cost (io.weight). The file this kernel has, or NULL. */
static const char *blkio_weight_file(const struct cgroup *cg)
{
	static const char *const v1[] = { "blkio.weight", "blkio.bfq.weight", NULL };
	static const char *const v2[] = { "io.bfq.weight", "io.weight", NULL };

	for (const char *const *file = cg->version == 2 ? v2 : v1; *file; file++)
		if (has_file(cg, "blkio", *file))
			return *file;
	return NULL;
}

/* "2MB", "1GB", "64KB": the kernel's names of its huge page sizes (and no
 * way out of the group's directory). */
static bool page_size_valid(const char *size)
{
	size_t digits = strspn(size, "0123456789");

	return digits > 0 && digits < 16 && (strcmp(size + digits, "KB") == 0 ||
					     strcmp(size + digits, "MB") == 0 || strcmp(size + digits, "GB") == 0);
}

static void hugetlb_file(const struct cgroup *cg, const char *size, char *file, size_t length)
{
	snprintf(file, length, "hugetlb.%s.%s", size, cg->version == 2 ? "max" : "limit_in_bytes");
}

static int resources_check(const struct cgroup *cg, const struct resources *r)
{
	bool v2 = cg->version == 2;
	char file[64], what[128];

	if (memory_requested(r) && controller_check(cg, "memory", "linux.resources.memory") < 0)
		return -1;
	if (r->memory_swap > 0 && r->memory_limit > 0 && r->memory_swap < r->memory_limit)
		return error_set("linux.resources.memory: swap %" PRId64 " is below limit %" PRId64
				 " (swap counts memory and swap together)", r->memory_swap, r->memory_limit);
	if (v2 && r->memory_swap > 0 && r->memory_limit <= 0)
		return error_set("linux.resources.memory.swap needs memory.limit on cgroup v2 "
				 "(its memory.swap.max is swap alone: swap - limit)");
	if (v2 && r->memory_disable_oom_killer)
		return error_set("linux.resources.memory.disableOOMKiller: cgroup v2 has no such switch "
				 "(v1's memory.oom_control)");
	if (cpu_requested(r) && controller_check(cg, "cpu", "linux.resources.cpu") < 0)
		return -1;
	if (cpuset_requested(r) && controller_check(cg, "cpuset", "linux.resources.cpu.cpus and .mems") < 0)
		return -1;
	if (r->pids_limit && controller_check(cg, "pids", "linux.resources.pids") < 0)
		return -1;
	if (r->blkio_weight) {
		if (r->blkio_weight < 10 || r->blkio_weight > 1000)
			return error_set("linux.resources.blockIO.weight: %u is out of range (10 to 1000)",
					 r->blkio_weight);
		if (controller_check(cg, v2 ? "io" : "blkio", "linux.resources.blockIO") < 0)
			return -1;
		if (!blkio_weight_file(cg))
			return error_set("linux.resources.blockIO.weight: %s has no %s (no I/O scheduler here "
					 "shares by weight: BFQ%s)", cgroup_dir(cg, "blkio"),
					 v2 ? "io.bfq.weight or io.weight" : "blkio.weight or blkio.bfq.weight",
					 v2 ? " or io.cost" : "");
	}
	for (int i = 0; i < r->hugepage_count; i++) {
		const char *size = r->hugepages[i].page_size;
		if (!page_size_valid(size))
			return error_set("linux.resources.hugepageLimits[%d].pageSize: \"%s\" is not a page size "
					 "(try 2MB)", i, size);
		/* The sizes the kernel has: /sys/kernel/mm/hugepages/hugepages-2048kB. */
		unsigned long long kb = strtoull(size, NULL, 10);
		kb <<= size[strspn(size, "0123456789")] == 'G' ? 20 : size[strspn(size, "0123456789")] == 'M' ? 10 : 0;
		snprintf(what, sizeof(what), "/sys/kernel/mm/hugepages/hugepages-%llukB", kb);
		if (access(what, F_OK) < 0)
			return error_set("linux.resources.hugepageLimits[%d].pageSize: this machine has no %s huge "
					 "pages (no %s)", i, size, what);
	}
	if (r->hugepage_count && controller_check(cg, "hugetlb", "linux.resources.hugepageLimits") < 0)
		return -1;
	for (int i = 0; i < r->hugepage_count; i++) {
		const char *size = r->hugepages[i].page_size;
		hugetlb_file(cg, size, file, sizeof(file));
		if (!has_file(cg, "hugetlb", file))
			return error_set("linux.resources.hugepageLimits[%d]: this machine has no %s huge pages "
					 "(no %s in %s)", i, size, file, cgroup_dir(cg, "hugetlb"));
	}
	if (r->unified_count && !v2)
		return error_set("linux.resources.unified: files of cgroup v2, and this machine has cgroup v1");
	for (int i = 0; i < r->unified_count; i++) {
		const char *key = r->unified[i].key;
		if (has_file(cg, "", key))
			continue;
		/* A controller's files are there only where it is enabled: say so. */
		snprintf(what, sizeof(what), "linux.resources.unified.%s", key);
		snprintf(file, sizeof(file), "%.*s", (int)strcspn(key, "."), key);
		if (strcmp(file, "cgroup") != 0 && controller_check(cg, file, what) < 0)
			return -1;
		return error_set("%s: no such file in %s", what, cg->dirs[0].path);
	}
	return 0;
}

/* Limits ----------------------------------------------------------------- */

/* A limit as the file takes it: -1 is "max" on v2, -1 on v1. */
static int write_limit(const struct cgroup *cg, const char *controller, const char *file, int64_t value)
{
	if (value < 0)
		return cgroup_file_write(cg, controller, file, cg->version == 2 ? "max" : "-1");
	return write_number(cg, controller, file, value);
}

static int memory_swap_write(const struct cgroup *cg, const struct resources *r, int64_t swap)
{
	const char *file = cg->version == 2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes";

	if (!set(swap))
		return 0;
	if (!has_file(cg, "memory", file)) {
		/* The kernel accounts no swap (swapaccount=0): there is none to
		 * limit in the group, as crun takes it. */
		trace("%s: none, the kernel accounts no swap", file);
		return 0;
	}
	if (swap < 0 || cg->version == 1)
		return write_limit(cg, "memory", file, swap);
	return write_number(cg, "memory", file, swap - r->memory_limit);
}

/* -1 (no limit) above every number, for v1's order of writes. */
static long long as_ordered(int64_t limit)
{
	return limit < 0 ? LLONG_MAX : limit;
}

// tag::memory[]
static int memory_apply(const struct cgroup *cg, const struct resources *r)
{
	bool v2 = cg->version == 2, swap_first = false;
	int64_t swap = r->memory_swap;
	char current[32];

	/* No memory limit on v1 lifts memory and swap's too (as runc): the
	 * memory limit may not be above it. */
	if (!v2 && r->memory_limit == -1 && !set(swap))
		swap = -1;
	if (set(r->memory_limit)) {
		/* v1 keeps memory and swap (memsw) at least the memory limit at
		 * every write: swap first when it rises above the limit there
		 * now, else the limit first (as runc). v2's two are apart. */
		if (!v2 && set(swap) &&
		    cgroup_file_read(cg, "memory", "memory.limit_in_bytes", current, sizeof(current)) == 0)
			swap_first = strtoll(current, NULL, 10) < as_ordered(swap);
		if (swap_first && memory_swap_write(cg, r, swap) < 0)
			return -1;
		if (write_limit(cg, "memory", v2 ? "memory.max" : "memory.limit_in_bytes", r->memory_limit) < 0)
			return -1;
	}
	if (!swap_first && memory_swap_write(cg, r, swap) < 0)
		return -1;
	if (set(r->memory_reservation) &&
	    write_limit(cg, "memory", v2 ? "memory.low" : "memory.soft_limit_in_bytes", r->memory_reservation) < 0)
		return -1;
	/* Under the limit the group's tasks wait for memory, none is killed. */
	if (r->memory_disable_oom_killer && cgroup_file_write(cg, "memory", "memory.oom_control", "1") < 0)
		return -1;
	return 0;
}
// end::memory[]

static int cpu_apply(const struct cgroup *cg, const struct resources *r)
{
	char value[64], quota[32] = "max";

	if (r->cpu_shares) {
		/* v1's shares (2..262144, 1024 the default) as v2's weight
		 * (1..10000, 100): crun's linear map, 1024 -> 39. */
		uint64_t shares = r->cpu_shares < 2 ? 2 : r->cpu_shares;
		if (write_number(cg, "cpu", cg->version == 2 ? "cpu.weight" : "cpu.shares",
				 (long long)(cg->version == 2 ? 1 + ((shares - 2) * 9999) / 262142 : shares)) < 0)
			return -1;
	}
	if (!set(r->cpu_quota) && !r->cpu_period)
		return 0;
	if (cg->version == 2) {
		/* cpu.max is "QUOTA PERIOD", quota first: a period alone keeps
		 * the quota there; a quota alone, the period. 0 and -1 are no limit. */
		if (r->cpu_quota > 0) {
			snprintf(quota, sizeof(quota), "%" PRId64, r->cpu_quota);
		} else if (!set(r->cpu_quota)) {
			if (cgroup_file_read(cg, "cpu", "cpu.max", value, sizeof(value)) < 0)
				return -1;
			snprintf(quota, sizeof(quota), "%.*s", (int)strcspn(value, " \n"), value);
		}
		if (r->cpu_period)
			snprintf(value, sizeof(value), "%s %" PRIu64, quota, r->cpu_period);
		else
			snprintf(value, sizeof(value), "%s", quota);
		return cgroup_file_write(cg, "cpu", "cpu.max", value);
	}
	bool period_again = false;
	if (r->cpu_period && write_number(cg, "cpu", "cpu.cfs_period_us", (long long)r->cpu_period) < 0) {
		/* A shorter period is refused (EINVAL) while the old quota per
		 * period would be more than the parent allows: with a quota to
		 * write too, try again after it (as runc and crun). */
		if (errno != EINVAL || !set(r->cpu_quota))
			return -1;
		period_again = true;
	}
	if (set(r->cpu_quota)) {
		if (write_number(cg, "cpu", "cpu.cfs_quota_us", r->cpu_quota > 0 ? r->cpu_quota : -1) < 0)
			return -1;
		if (period_again && write_number(cg, "cpu", "cpu.cfs_period_us", (long long)r->cpu_period) < 0)
			return -1;
	}
	return 0;
}

static int cpuset_apply(const struct cgroup *cg, const struct resources *r)
{
	if (r->cpus && *r->cpus && cgroup_file_write(cg, "cpuset", "cpuset.cpus", r->cpus) < 0)
		return -1;
	if (r->mems && *r->mems && cgroup_file_write(cg, "cpuset", "cpuset.mems", r->mems) < 0)
		return -1;
	return 0;
}

static int pids_apply(const struct cgroup *cg, const struct resources *r)
{
	if (!r->pids_limit)
		return 0;
	if (r->pids_limit < 0)
		return cgroup_file_write(cg, "pids", "pids.max", "max");
	return write_number(cg, "pids", "pids.max", r->pids_limit);
}

static int blkio_apply(const struct cgroup *cg, const struct resources *r)
{
	const char *file;
	char value[32];

	if (!r->blkio_weight)
		return 0;
	file = blkio_weight_file(cg); /* there: resources_check() saw to it */
	if (strcmp(file, "io.weight") != 0)
		return write_number(cg, "blkio", file, r->blkio_weight);
	/* io.cost weighs 1..10000 where blkio weighed 10..1000: runc's and
	 * crun's linear map, 10 -> 1, 1000 -> 10000. */
	snprintf(value, sizeof(value), "default %d", 1 + (r->blkio_weight - 10) * 9999 / 990);
	return cgroup_file_write(cg, "blkio", file, value);
}

static int hugetlb_apply(const struct cgroup *cg, const struct resources *r)
{
	char file[64];

	for (int i = 0; i < r->hugepage_count; i++) {
		hugetlb_file(cg, r->hugepages[i].page_size, file, sizeof(file));
		if (write_number(cg, "hugetlb", file, (long long)r->hugepages[i].limit) < 0)
			return -1;
	}
	return 0;
}

static int unified_apply(const struct cgroup *cg, const struct resources *r)
{
	for (int i = 0; i < r->unified_count; i++) {
		_cleanup_free_ char *value = strdup(r->unified[i].value);
		char *save = NULL;

		if (!value)
			return error_errno("strdup");
		/* One line a write: a file such as io.max takes one rule each. */
		for (char *line = strtok_r(value, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (cgroup_file_write(cg, "", r->unified[i].key, line) < 0)
				return -1;
	}
	return 0;
}

int resources_apply(const struct cgroup *cg, const struct resources *r)
{
	if (resources_check(cg, r) < 0)
		return -1;
	if (memory_apply(cg, r) < 0 || cpu_apply(cg, r) < 0 || cpuset_apply(cg, r) < 0 || pids_apply(cg, r) < 0 ||
	    blkio_apply(cg, r) < 0 || hugetlb_apply(cg, r) < 0)
		return -1;
	/* unified last: the v2 files as given, over anything converted above
	 * (as crun). */
	return unified_apply(cg, r);
}

/* The group ----------------------------------------------------------------- */

/* A new v1 cpuset group has no CPUs and no memory nodes, and no process may
 * join it until it has some (cpuset(7)). From the hierarchy's root down to
 * the container's group (box/ too, the first time), each level that has
 * none gets its parent's. */
static int cpuset_inherit(const struct cgroup *cg, const char *path)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	const char *leaf = cgroup_dir(cg, "cpuset");
	char parent[2][256], own[256];

	if (!leaf)
		return 0;
	while (*path == '/')
		path++;
	/* LEAF is the hierarchy's root, "/", PATH. */
	if (strlen(leaf) <= strlen(path) + 1)
		return error_set("%s: not the cpuset group of %s", leaf, path);
	size_t root = strlen(leaf) - strlen(path);
	if (leaf[root - 1] != '/' || strcmp(leaf + root, path) != 0)
		return error_set("%s: not the cpuset group of %s", leaf, path);
	/* One level at a time, as a group of one directory: its files go
	 * through cgroup_file_read and _write as the container's do. */
	_cleanup_free_ struct cgroup *level = calloc(1, sizeof(*level));
	if (!level)
		return error_errno("calloc");
	level->version = 1;
	level->count = 1;
	level->dirs[0].controller = "cpuset";
	snprintf(level->dirs[0].path, sizeof(level->dirs[0].path), "%.*s", (int)root - 1, leaf);
	for (int f = 0; f < 2; f++)
		if (cgroup_file_read(level, "cpuset", files[f], parent[f], sizeof(parent[f])) < 0)
			return -1;
	for (const char *p = path; *p; p += *p == '/') {
		size_t n = strcspn(p, "/");
		snprintf(level->dirs[0].path, sizeof(level->dirs[0].path), "%.*s", (int)(root + (p - path) + n), leaf);
		p += n;
		for (int f = 0; f < 2; f++) {
			if (cgroup_file_read(level, "cpuset", files[f], own, sizeof(own)) < 0)
				return -1;
			own[strcspn(own, "\n")] = '\0';
			parent[f][strcspn(parent[f], "\n")] = '\0';
			if (!own[0] && cgroup_file_write(level, "cpuset", files[f], parent[f]) < 0)
				return -1;
			if (own[0])
				snprintf(parent[f], sizeof(parent[f]), "%s", own);
		}
	}
	return 0;
}

struct cgroup *resources_create(const char *path, const struct resources *resources,
				const char *const *controllers, bool rootless, bool *skipped)
{
	static const struct cgroup_limits none; /* every limit is written below, in OCI's terms */
	char message[1024];

	*skipped = false;
	struct cgroup *cg = cgroup_create_at(path, &none, controllers ? controllers : container_controllers);
	if (!cg) {
		if (!rootless)
			return NULL;
		if (resources_requested(resources))
			return NULL; /* stage 3's words: "limits for an ordinary user need ..." */
		/* Nothing to limit: the container stays in the user's own
		 * group, as rootless runc's and crun's do. */
		trace("no cgroup of its own: %s", error_message());
		*skipped = true;
		return NULL;
	}
	if ((cg->version == 1 && cpuset_inherit(cg, path) < 0) || resources_apply(cg, resources) < 0) {
		/* Keep the first error: removing may record another. */
		snprintf(message, sizeof(message), "%s", error_message());
		cgroup_destroy(cg);
		error_set("%s", message);
		return NULL;
	}
	return cg;
}

/* Devices ---------------------------------------------------------------- */

/* A rule that takes every access to every device away: the rules before it
 * have no say any more. */
static bool denies_everything(const struct resources *r, int i)
{
	const typeof(r->device_rules[0]) *rule = &r->device_rules[i];

	return !rule->allow && rule->type == 'a' && rule->major < 0 && rule->minor < 0 &&
	       strchr(rule->access, 'r') && strchr(rule->access, 'w') && strchr(rule->access, 'm');
}

int resources_devices(struct device_cgroup *d, const char *id, const struct cgroup *cg,
		      const struct resources *r)
{
	int defaults = device_rules_default_count(), count = 0, first = 0;

	memset(d, 0, sizeof(*d));
	if (!r->devices_set)
		return 0; /* the group may use what its parent may */
	if (!cg) {
		trace("no device cgroup: the container has no cgroup of its own");
		return 0;
	}
	/* devices_limit() denies everything first: up to the last rule that
	 * does the same, the rules add nothing (podman's configs begin so). */
	for (int i = 0; i < r->device_rule_count; i++)
		if (denies_everything(r, i))
			first = i + 1;
	_cleanup_free_ struct device_rule *rules =
		calloc((size_t)(r->device_rule_count - first + defaults) + 1, sizeof(*rules));
	if (!rules)
		return error_errno("calloc");
	for (int i = first; i < r->device_rule_count; i++) {
		const typeof(r->device_rules[0]) *rule = &r->device_rules[i];
		rules[count++] = (struct device_rule){ rule->type, (int)rule->major, (int)rule->minor, rule->access,
						       !rule->allow };
	}
	/* Then what runc and crun always allow, over any rule: null, zero,
	 * ..., the terminals, without which no container runs. */
	for (int i = 0; i < defaults; i++)
		rules[count++] = device_rules_default[i];
	return devices_limit(d, id, cg, rules, count);
}

/* The freezer ------------------------------------------------------------ */

#define FREEZE_WAIT_MS 5000 /* a group freezes in far less, unless a task is stuck in the kernel */

/* Is the freeze (or the thaw) done? v1's freezer.state reads FROZEN
 * (FREEZING while a task is not stopped yet) or THAWED; v2's cgroup.events
 * says "frozen 1" or "frozen 0". 1, 0, or -1 when it cannot be read. */
static int freezer_done(const struct cgroup *cg, bool frozen)
{
	char state[64];
	long long value;

	if (cg->version == 2)
		return key_read(cg, "", "cgroup.events", "frozen", &value) < 0 ? -1 : value == frozen;
	if (cgroup_file_read(cg, "freezer", "freezer.state", state, sizeof(state)) < 0)
		return -1;
	return strncmp(state, frozen ? "FROZEN" : "THAWED", 6) == 0;
}

// tag::freezer[]
int freezer_set(const struct cgroup *cg, bool frozen)
{
	bool v2 = cg->version == 2;
	const char *controller = v2 ? "" : "freezer", *file = v2 ? "cgroup.freeze" : "freezer.state";
	const char *freeze = v2 ? "1" : "FROZEN", *thaw = v2 ? "0" : "THAWED";

	if (!v2 && controller_check(cg, "freezer", frozen ? "pause" : "resume") < 0)
		return -1;
	if (v2 && !has_file(cg, "", file))
		return error_set("%s needs cgroup.freeze (cgroup v2 of Linux 5.2 or later), and %s has none",
				 frozen ? "pause" : "resume", cg->dirs[0].path);
	if (cgroup_file_write(cg, controller, file, frozen ? freeze : thaw) < 0)
		return -1;
	/* The kernel stops each task in turn: wait until all are. */
	for (int waited = 0; waited < FREEZE_WAIT_MS; waited++) {
		int done = freezer_done(cg, frozen);
		if (done)
			return done < 0 ? -1 : 0;
		/* v1 can stay FREEZING while tasks keep forking: thaw and
		 * freeze again (as runc does). */
		if (!v2 && frozen && waited % 100 == 99 &&
		    (cgroup_file_write(cg, controller, file, thaw) < 0 || cgroup_file_write(cg, controller, file, freeze) < 0))
			return -1;
		nanosleep(&(struct timespec){ .tv_nsec = 1000 * 1000 }, NULL);
	}
	if (frozen) /* not left half frozen */
		cgroup_file_write(cg, controller, file, thaw);
	return error_set("%s %s: not %s after %d s", frozen ? "freeze" : "thaw", cgroup_dir(cg, controller),
			 frozen ? "frozen" : "thawed", FREEZE_WAIT_MS / 1000);
}
// end::freezer[]

bool freezer_frozen(const struct cgroup *cg)
{
	return freezer_done(cg, true) == 1;
}

/* Processes -------------------------------------------------------------- */

/* The PIDs of DIR's cgroup.procs and of each group below it: the container
 * may have made groups of its own (systemd in it does), and their
 * processes are the container's too. */
static int pids_collect(const char *dir, pid_t **pids, int *count, int *room, bool top)
{
	char path[PATH_MAX];
	_cleanup_fclose_ FILE *f = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *entry;
	long pid;

	if (snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >= (int)sizeof(path))
		return error_set("%s: path too long", dir);
	if (!(f = fopen(path, "re")))
		return !top && errno == ENOENT ? 0 : error_errno("open %s", path); /* below: gone meanwhile */
	while (fscanf(f, "%ld", &pid) == 1) {
		if (*count == *room) {
			int more = *room ? *room * 2 : 64;
			pid_t *bigger = realloc(*pids, (size_t)more * sizeof(**pids));
			if (!bigger)
				return error_errno("realloc");
			*pids = bigger;
			*room = more;
		}
		(*pids)[(*count)++] = (pid_t)pid;
	}
	if (ferror(f))
		return error_errno("read %s", path);
	if (!(d = opendir(dir)))
		return !top && errno == ENOENT ? 0 : error_errno("opendir %s", dir);
	while ((entry = readdir(d)))
		if (entry->d_type == DT_DIR && entry->d_name[0] != '.') {
			char below[PATH_MAX];
			if (snprintf(below, sizeof(below), "%s/%s", dir, entry->d_name) >= (int)sizeof(below))
				return error_set("%s/%s: path too long", dir, entry->d_name);
			if (pids_collect(below, pids, count, room, false) < 0)
				return -1;
		}
	return 0;
}

int cgroup_pids(const struct cgroup *cg, pid_t **pids, int *count)
{
	static const char *const v1[] = { "pids", "freezer", "memory", NULL };
	const char *dir = cg->version == 2 && cg->count ? cg->dirs[0].path : NULL;
	int room = 0;

	*pids = NULL;
	*count = 0;
	/* v1: each hierarchy holds all of the container's processes; any
	 * one of them lists them. */
	for (const char *const *c = v1; !dir && *c; c++)
		dir = cgroup_dir(cg, *c);
	if (!dir && cg->count)
		dir = cg->dirs[0].path;
	if (!dir)
		return error_set("the container's cgroup has no directory");
	if (pids_collect(dir, pids, count, &room, true) < 0) {
		free(*pids);
		*pids = NULL;
		*count = 0;
		return -1;
	}
	return 0;
}

/* Statistics ------------------------------------------------------------- */

/* FILE's one number ("max": INT64_MAX); false when it is missing. */
static bool number_read(const struct cgroup *cg, const char *controller, const char *file, long long *value)
{
	char text[64];

	if (cgroup_file_read(cg, controller, file, text, sizeof(text)) < 0 || !text[0])
		return false;
	*value = strncmp(text, "max", 3) == 0 ? INT64_MAX : strtoll(text, NULL, 10);
	return true;
}

/* OBJECT.KEY = FILE's number, where the file is there. */
static void number_set(json_t *object, const char *key, const struct cgroup *cg, const char *controller,
		       const char *file)
{
	long long value;

	if (number_read(cg, controller, file, &value))
		json_object_set_new(object, key, json_integer(value));
}

/* A flat-keyed file ("KEY VALUE" lines) as an object; NULL if missing. */
static json_t *keyed_read(const struct cgroup *cg, const char *controller, const char *file)
{
	char text[16384], *p = text, *key;
	long long value;
	json_t *object;

	if (cgroup_file_read(cg, controller, file, text, sizeof(text)) < 0 || !(object = json_object()))
		return NULL;
	while (next_pair(&p, &key, &value))
		json_object_set_new(object, key, json_integer(value));
	return object;
}

/* TO.KEY = FROM.FROM_KEY * SCALE, where FROM has it. */
static void scaled_set(json_t *to, const char *key, json_t *from, const char *from_key, long long scale)
{
	json_t *value = json_object_get(from, from_key);

	if (json_is_integer(value))
		json_object_set_new(to, key, json_integer(json_integer_value(value) * scale));
}

/* PARENT.KEY = CHILD, unless CHILD has nothing in it: what is missing is
 * left out. */
static void child_set(json_t *parent, const char *key, json_t *child)
{
	if (json_is_array(child) ? json_array_size(child) : json_object_size(child))
		json_object_set_new(parent, key, child);
	else
		json_decref(child);
}

/* v1's cpuacct.usage_percpu: "N N N ..." */
static json_t *numbers_read(const struct cgroup *cg, const char *controller, const char *file)
{
	char text[16384], *end;
	json_t *array = json_array();

	if (array && cgroup_file_read(cg, controller, file, text, sizeof(text)) == 0)
		for (char *p = text;; p = end) {
			long long value = strtoll(p, &end, 10);
			if (end == p)
				break;
			json_array_append_new(array, json_integer(value));
		}
	return array;
}

static json_t *cpu_stats(const struct cgroup *cg)
{
	json_t *cpu = json_object(), *usage = json_object(), *throttling = json_object(), *stat;

	if (cg->version == 2) {
		/* v2 counts microseconds; the stats are nanoseconds, as v1's. */
		stat = keyed_read(cg, "cpu", "cpu.stat");
		scaled_set(usage, "total", stat, "usage_usec", 1000);
		scaled_set(usage, "kernel", stat, "system_usec", 1000);
		scaled_set(usage, "user", stat, "user_usec", 1000);
		scaled_set(throttling, "throttledTime", stat, "throttled_usec", 1000);
	} else {
		number_set(usage, "total", cg, "cpuacct", "cpuacct.usage");
		child_set(usage, "percpu", numbers_read(cg, "cpuacct", "cpuacct.usage_percpu"));
		child_set(usage, "percpu_kernel", numbers_read(cg, "cpuacct", "cpuacct.usage_percpu_sys"));
		child_set(usage, "percpu_user", numbers_read(cg, "cpuacct", "cpuacct.usage_percpu_user"));
		/* cpuacct.stat counts USER_HZ ticks. */
		long long tick = 1000000000LL / sysconf(_SC_CLK_TCK);
		stat = keyed_read(cg, "cpuacct", "cpuacct.stat");
		scaled_set(usage, "kernel", stat, "system", tick);
		scaled_set(usage, "user", stat, "user", tick);
		json_decref(stat);
		stat = keyed_read(cg, "cpu", "cpu.stat");
		scaled_set(throttling, "throttledTime", stat, "throttled_time", 1);
	}
	scaled_set(throttling, "periods", stat, "nr_periods", 1);
	scaled_set(throttling, "throttledPeriods", stat, "nr_throttled", 1);
	json_decref(stat);
	child_set(cpu, "usage", usage);
	child_set(cpu, "throttling", throttling);
	return cpu;
}

/* {usage, max, limit, failcnt} of one of v1's memory counters: PREFIX is
 * "memory", "memory.memsw" or "memory.kmem". */
static json_t *memory_v1_entry(const struct cgroup *cg, const char *prefix)
{
	static const char *const keys[][2] = { { "usage", "usage_in_bytes" }, { "max", "max_usage_in_bytes" },
					       { "limit", "limit_in_bytes" }, { "failcnt", "failcnt" } };
	json_t *entry = json_object();
	char file[64];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(file, sizeof(file), "%s.%s", prefix, keys[i][1]);
		number_set(entry, keys[i][0], cg, "memory", file);
	}
	return entry;
}

static json_t *memory_stats(const struct cgroup *cg)
{
	json_t *memory = json_object(), *raw = keyed_read(cg, "memory", "memory.stat");
	long long value, swap, limit, swap_limit;

	if (cg->version == 1) {
		child_set(memory, "usage", memory_v1_entry(cg, "memory"));
		child_set(memory, "swap", memory_v1_entry(cg, "memory.memsw"));
		child_set(memory, "kernel", memory_v1_entry(cg, "memory.kmem"));
		scaled_set(memory, "cache", raw, "cache", 1);
	} else {
		json_t *usage = json_object(), *entry = json_object();
		number_set(usage, "usage", cg, "memory", "memory.current");
		number_set(usage, "max", cg, "memory", "memory.peak"); /* Linux 5.19 on */
		number_set(usage, "limit", cg, "memory", "memory.max");
		/* v1's failcnt: how often the usage hit the limit. */
		if (key_read(cg, "memory", "memory.events", "max", &value) == 0)
			json_object_set_new(usage, "failcnt", json_integer(value));
		/* v1 counted memory and swap together, and so do the stats (as
		 * runc's): memory.swap.current is swap alone. */
		if (number_read(cg, "memory", "memory.swap.current", &swap)) {
			if (number_read(cg, "memory", "memory.current", &value))
				json_object_set_new(entry, "usage", json_integer(swap + value));
			if (number_read(cg, "memory", "memory.swap.max", &swap_limit) &&
			    number_read(cg, "memory", "memory.max", &limit))
				json_object_set_new(entry, "limit", json_integer(swap_limit > INT64_MAX - limit
										? INT64_MAX : swap_limit + limit));
			if (key_read(cg, "memory", "memory.swap.events", "max", &value) == 0)
				json_object_set_new(entry, "failcnt", json_integer(value));
		}
		child_set(memory, "usage", usage);
		child_set(memory, "swap", entry);
		scaled_set(memory, "cache", raw, "file", 1);
	}
	if (raw)
		child_set(memory, "raw", raw);
	return memory;
}

static json_t *pids_stats(const struct cgroup *cg)
{
	json_t *pids = json_object();
	long long limit;

	number_set(pids, "current", cg, "pids", "pids.current");
	if (number_read(cg, "pids", "pids.max", &limit) && limit != INT64_MAX)
		json_object_set_new(pids, "limit", json_integer(limit)); /* "max": none, left out as runc's */
	return pids;
}

static json_t *blkio_entry(unsigned major, unsigned minor, const char *op, long long value)
{
	return json_pack("{s:i, s:i, s:s, s:I}", "major", major, "minor", minor, "op", op, "value",
			 (json_int_t)value);
}

/* v1: "MAJOR:MINOR Op VALUE" lines, from the first of FILES the kernel
 * has (CFQ's, BFQ's, the throttle's counts), a "Total" line left out. */
static json_t *blkio_v1_entries(const struct cgroup *cg, const char *const *files)
{
	char text[16384], op[16];
	unsigned major, minor;
	long long value;
	json_t *entries = json_array();

	for (; entries && *files; files++) {
		if (cgroup_file_read(cg, "blkio", *files, text, sizeof(text)) < 0)
			continue;
		for (char *line = text; *line; line += strcspn(line, "\n"), line += *line == '\n')
			if (sscanf(line, "%u:%u %15s %lld", &major, &minor, op, &value) == 4)
				json_array_append_new(entries, blkio_entry(major, minor, op, value));
		if (json_array_size(entries))
			break;
	}
	return entries;
}

static json_t *blkio_stats(const struct cgroup *cg)
{
	static const char *const bytes[] = { "blkio.io_service_bytes_recursive", "blkio.bfq.io_service_bytes_recursive",
					     "blkio.throttle.io_service_bytes_recursive", NULL };
	static const char *const ios[] = { "blkio.io_serviced_recursive", "blkio.bfq.io_serviced_recursive",
					   "blkio.throttle.io_serviced_recursive", NULL };
	/* v2's io.stat keys, in v1's terms (as runc puts them). */
	static const struct { const char *key, *op; bool bytes; } keys[] = {
		{ "rbytes", "Read", true }, { "wbytes", "Write", true }, { "dbytes", "Discard", true },
		{ "rios", "Read", false },  { "wios", "Write", false },  { "dios", "Discard", false },
	};
	json_t *blkio = json_object(), *service_bytes, *serviced;
	char text[16384], key[16];
	unsigned major, minor;
	long long value;
	int used;

	if (cg->version == 1) {
		child_set(blkio, "ioServiceBytesRecursive", blkio_v1_entries(cg, bytes));
		child_set(blkio, "ioServicedRecursive", blkio_v1_entries(cg, ios));
		return blkio;
	}
	/* "8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0" */
	service_bytes = json_array();
	serviced = json_array();
	if (cgroup_file_read(cg, "io", "io.stat", text, sizeof(text)) == 0)
		for (char *line = text; *line; line += strcspn(line, "\n"), line += *line == '\n') {
			if (sscanf(line, "%u:%u%n", &major, &minor, &used) != 2)
				continue;
			for (char *p = line + used; sscanf(p, " %15[a-z_]=%lld%n", key, &value, &used) == 2; p += used)
				for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
					if (strcmp(key, keys[i].key) == 0)
						json_array_append_new(keys[i].bytes ? service_bytes : serviced,
								      blkio_entry(major, minor, keys[i].op, value));
		}
	child_set(blkio, "ioServiceBytesRecursive", service_bytes);
	child_set(blkio, "ioServicedRecursive", serviced);
	return blkio;
}

/* Each page size the group has files for (hugetlb.2MB.max or
 * hugetlb.2MB.limit_in_bytes): {usage, max, failcnt}. */
static json_t *hugetlb_stats(const struct cgroup *cg)
{
	const char *dir = cgroup_dir(cg, "hugetlb");
	const char *limit = cg->version == 2 ? ".max" : ".limit_in_bytes";
	json_t *hugetlb = json_object();
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *entry;
	char file[64], size[32];
	long long value;

	if (!dir || !(d = opendir(dir)))
		return hugetlb;
	while ((entry = readdir(d))) {
		const char *name = entry->d_name, *end = strstr(name, limit);
		/* hugetlb.SIZE.max, not hugetlb.SIZE.rsvd.max */
		if (strncmp(name, "hugetlb.", 8) != 0 || !end || end[strlen(limit)] || end - name - 8 <= 0 ||
		    end - name - 8 >= (int)sizeof(size) || memchr(name + 8, '.', (size_t)(end - name - 8)))
			continue;
		snprintf(size, sizeof(size), "%.*s", (int)(end - name - 8), name + 8);
		json_t *page = json_object();
		if (cg->version == 2) {
			snprintf(file, sizeof(file), "hugetlb.%s.current", size);
			number_set(page, "usage", cg, "hugetlb", file);
			snprintf(file, sizeof(file), "hugetlb.%s.events", size);
			if (key_read(cg, "hugetlb", file, "max", &value) == 0)
				json_object_set_new(page, "failcnt", json_integer(value));
		} else {
			snprintf(file, sizeof(file), "hugetlb.%s.usage_in_bytes", size);
			number_set(page, "usage", cg, "hugetlb", file);
			snprintf(file, sizeof(file), "hugetlb.%s.max_usage_in_bytes", size);
			number_set(page, "max", cg, "hugetlb", file);
			snprintf(file, sizeof(file), "hugetlb.%s.failcnt", size);
			number_set(page, "failcnt", cg, "hugetlb", file);
		}
		child_set(hugetlb, size, page);
	}
	return hugetlb;
}

// tag::stats[]
json_t *resources_stats(const struct cgroup *cg)
{
	json_t *stats = json_object();

	if (!stats)
		return NULL;
	child_set(stats, "cpu", cpu_stats(cg));
	child_set(stats, "memory", memory_stats(cg));
	child_set(stats, "pids", pids_stats(cg));
	child_set(stats, "blkio", blkio_stats(cg));
	child_set(stats, "hugetlb", hugetlb_stats(cg));
	return stats;
}
// end::stats[]
