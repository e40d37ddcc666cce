/* The state directory and the container's status: see status.h.
 *
 * No runtime process stays beside a container, so the state is what the
 * kernel shows plus one small file: the container's process (its PID and
 * its start time, which together name it even after the PID is reused),
 * whether exec.fifo is still there (created, not started), and whether the
 * freezer holds its cgroup (paused).
 */
#include "status.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "config.h"
#include "layers.h"
#include "report.h"
#include "resources.h"

int id_check(const char *id)
{
	size_t length = strlen(id);

	if (!length || length > 255)
		return error_set("container id \"%.64s\": 1 to 255 characters", id);
	if (strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") != length ||
	    strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return error_set("container id \"%s\": only letters, digits and \"_+-.\"", id);
	return 0;
}

int state_root_make(const struct runtime *rt)
{
	if (make_dirs(rt->root) < 0)
		return -1;
	/* The states name processes and hold their configuration: root's. */
	if (chmod(rt->root, 0700) < 0)
		return error_errno("chmod %s", rt->root);
	return 0;
}

static int state_init(const struct runtime *rt, const char *id, struct container_state *s)
{
	memset(s, 0, sizeof(*s));
	s->dir_fd = s->lock_fd = -1;
	if (id_check(id) < 0)
		return -1;
	snprintf(s->id, sizeof(s->id), "%s", id);
	if (snprintf(s->dir, sizeof(s->dir), "%s/%s", rt->root, id) >= (int)sizeof(s->dir))
		return error_set("%s/%s: too long", rt->root, id);
	return 0;
}

/* One verb at a time per container: an exclusive flock(2) on DIR/lock,
 * held until the verb ends (or state_close). */
static int state_lock(struct container_state *s)
{
	s->lock_fd = openat(s->dir_fd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0)
		return error_errno("open %s/lock", s->dir);
	if (flock(s->lock_fd, LOCK_EX) < 0)
		return error_errno("flock %s/lock", s->dir);
	return 0;
}

int state_create(const struct runtime *rt, const char *id, struct container_state *s)
{
	if (state_init(rt, id, s) < 0 || state_root_make(rt) < 0)
		return -1;
	if (mkdir(s->dir, 0700) < 0)
		return errno == EEXIST ? error_set("container %s already exists", id) : error_errno("mkdir %s", s->dir);
	s->dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		return error_errno("open %s", s->dir);
	s->owner = geteuid();
	return state_lock(s);
}

static int get_text(json_t *o, const char *key, char *out, size_t size)
{
	const char *value = json_string_value(json_object_get(o, key));

	if (!value)
		return -1;
	snprintf(out, size, "%s", value);
	return 0;
}

static int state_read(struct container_state *s)
{
	json_error_t failure;
	_cleanup_close_ int fd = openat(s->dir_fd, "state.json", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno != ENOENT)
			return error_errno("open %s/state.json", s->dir);
		return 0; /* create has not got that far: "creating" */
	}
	/* Through stdio: json_loadfd reads a byte per read(2), and the
	 * annotations may be megabytes. */
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	FILE *f = copy < 0 ? NULL : fdopen(copy, "re");
	if (!f) {
		if (copy >= 0)
			close(copy);
		return error_errno("open %s/state.json", s->dir);
	}
	json_t *state = json_loadf(f, 0, &failure);
	fclose(f);
	if (!state)
		return error_set("%s/state.json: %s", s->dir, failure.text);
	json_t *pid = json_object_get(state, "pid"), *start = json_object_get(state, "start_time");
	if (get_text(state, "bundle", s->bundle, sizeof(s->bundle)) < 0 ||
	    get_text(state, "rootfs", s->rootfs, sizeof(s->rootfs)) < 0 ||
	    get_text(state, "created", s->created, sizeof(s->created)) < 0 ||
	    get_text(state, "cgroup_path", s->cgroup_path, sizeof(s->cgroup_path)) < 0 ||
	    !json_is_integer(pid) || !json_is_integer(start)) {
		json_decref(state);
		return error_set("%s/state.json: not box's", s->dir);
	}
	s->pid = (pid_t)json_integer_value(pid);
	s->start_time = (unsigned long long)json_integer_value(start);
	s->owner = (uid_t)json_integer_value(json_object_get(state, "owner"));
	json_t *annotations = json_object_get(state, "annotations");
	s->annotations = json_is_object(annotations) ? json_incref(annotations) : NULL;
	json_decref(state);
	return 0;
}

static int state_find(const struct runtime *rt, const char *id, struct container_state *s, bool lock)
{
	if (state_init(rt, id, s) < 0)
		return -1;
	s->dir_fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dir_fd < 0)
		return errno == ENOENT ? error_set("container %s does not exist", id) : error_errno("open %s", s->dir);
	if (lock && state_lock(s) < 0)
		return -1;
	/* delete may have removed it between our open and our lock. */
	struct stat st;
	if (fstat(s->dir_fd, &st) < 0 || st.st_nlink == 0)
		return error_set("container %s does not exist", id);
	return state_read(s);
}

int state_open(const struct runtime *rt, const char *id, struct container_state *s)
{
	return state_find(rt, id, s, true);
}

int state_peek(const struct runtime *rt, const char *id, struct container_state *s)
{
	return state_find(rt, id, s, false);
}

// tag::save[]
int state_save(const struct container_state *s)
{
	json_t *state = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:I}", "id", s->id, "bundle", s->bundle,
				  "rootfs", s->rootfs, "pid", (json_int_t)s->pid, "start_time",
				  (json_int_t)s->start_time, "created", s->created, "cgroup_path", s->cgroup_path,
				  "owner", (json_int_t)s->owner);
	if (!state)
		return error_set("state.json: out of memory");
	if (s->annotations)
		json_object_set(state, "annotations", s->annotations);
	/* Whole under another name, then renamed: a reader sees the old state
	 * or the new one, never half of one. */
	int status = json_dump_file(state, state_file(s, "state.json.new"), JSON_COMPACT);
	json_decref(state);
	if (status < 0)
		return error_errno("write %s/state.json.new", s->dir);
	if (renameat(s->dir_fd, "state.json.new", s->dir_fd, "state.json") < 0)
		return error_errno("rename %s/state.json.new", s->dir);
	return 0;
}
// end::save[]

int process_stat(pid_t pid, unsigned long long *start_time, char *state)
{
	char path[64], text[1024];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "re")) || !fgets(text, sizeof(text), f))
		return error_errno("read %s", path);
	/* "PID (COMM) STATE ... STARTTIME": COMM may hold spaces and
	 * parentheses, so count from its last ")". Field 22 is the start time. */
	char *p = strrchr(text, ')');
	if (!p || sscanf(p + 2, "%c", state) != 1)
		return error_set("%s: no state", path);
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%llu", start_time) != 1)
		return error_set("%s: no start time", path);
	return 0;
}

bool process_alive(pid_t pid, unsigned long long start_time)
{
	unsigned long long now;
	char state;

	if (pid <= 0 || process_stat(pid, &now, &state) < 0)
		return false;
	/* The same PID with another start time is another process; a zombie
	 * has ended, only its parent has not reaped it yet. */
	return now == start_time && state != 'Z' && state != 'X';
}

// tag::status[]
/* No create (nor any verb) holds the container's lock: ours, if we hold it;
 * else a try, let go at once. */
static bool state_lock_free(const struct container_state *s)
{
	if (s->lock_fd >= 0)
		return true;
	_cleanup_close_ int fd = openat(s->dir_fd, "lock", O_RDONLY | O_CLOEXEC);
	return fd < 0 || flock(fd, LOCK_EX | LOCK_NB) == 0; /* closing it lets go */
}

enum container_status state_status(const struct container_state *s)
{
	if (!s->pid) /* creating while a create holds the lock; else it died */
		return state_lock_free(s) ? STATUS_STOPPED : STATUS_CREATING;
	/* LAB: decide the status: stopped once that process is gone (process_alive: proc(5)'s stat), created while exec.fifo is there (faccessat(2)), paused while the freezer holds its cgroup, else running. */
	if (!process_alive(s->pid, s->start_time))
		return STATUS_STOPPED;
	if (faccessat(s->dir_fd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED; /* its process still waits for start */
	struct cgroup *cg = s->cgroup_path[0] ? cgroup_open_at(s->cgroup_path, container_controllers) : NULL;
	bool paused = cg && freezer_frozen(cg);
	free(cg);
	return paused ? STATUS_PAUSED : STATUS_RUNNING;
	/* LAB END (stub: return process_alive(s->pid, s->start_time) ? STATUS_RUNNING : STATUS_STOPPED;) */
}
// end::status[]

const char *status_name(enum container_status status)
{
	static const char *const names[] = { "creating", "created", "running", "paused", "stopped" };
	return names[status];
}

json_t *state_json(const struct container_state *s, enum container_status status)
{
	/* The OCI state; and what runc adds to it, which engines read. */
	json_t *state = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ociVersion", OCI_VERSION, "id", s->id,
				  "status", status_name(status), "bundle", s->bundle, "rootfs", s->rootfs,
				  "created", s->created, "owner", "");
	if (!state)
		return NULL;
	if (status != STATUS_STOPPED && s->pid)
		json_object_set_new(state, "pid", json_integer(s->pid));
	else
		json_object_set_new(state, "pid", json_integer(0));
	json_object_set_new(state, "annotations", s->annotations ? json_incref(s->annotations) : json_object());
	return state;
}

const char *state_file(const struct container_state *s, const char *name)
{
	static char path[8][PATH_MAX + 32];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", s->dir, name);
	return p;
}

int state_remove(struct container_state *s)
{
	/* Out of sight first, by rename(2), which is atomic: a state or list
	 * at that moment finds no container, never half of one. "~" is in no
	 * ID, so the name is nobody's. */
	char gone[PATH_MAX + 16];
	snprintf(gone, sizeof(gone), "%s~deleted", s->dir);
	const char *dir = rename(s->dir, gone) == 0 ? gone : s->dir;
	if (remove_tree(dir) < 0)
		return -1;
	trace("rm -r %s", dir);
	return 0;
}

void state_close(struct container_state *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	s->lock_fd = s->dir_fd = -1;
	json_decref(s->annotations);
	s->annotations = NULL;
}

static int compare(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list(const struct runtime *rt, char ***ids, int *count)
{
	_cleanup_closedir_ DIR *dir = opendir(rt->root);
	struct dirent *entry;
	int room = 0;

	*ids = NULL;
	*count = 0;
	if (!dir)
		return errno == ENOENT ? 0 : error_errno("open %s", rt->root);
	while ((entry = readdir(dir))) {
		/* A container's directory has its lock from create's first step
		 * on; another directory (a shim's, under the same root) is none. */
		char lock[NAME_MAX + 8];
		snprintf(lock, sizeof(lock), "%s/lock", entry->d_name);
		if (entry->d_type != DT_DIR || id_check(entry->d_name) < 0 ||
		    faccessat(dirfd(dir), lock, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (*count == room) {
			room = room ? room * 2 : 16;
			char **more = realloc(*ids, (size_t)room * sizeof(**ids));
			if (!more)
				return error_errno("realloc");
			*ids = more;
		}
		if (!((*ids)[*count] = strdup(entry->d_name)))
			return error_errno("strdup");
		(*count)++;
	}
	if (*count > 1)
		qsort(*ids, (size_t)*count, sizeof(**ids), compare);
	return 0;
}
