/* One container's creation: see container.h.
 *
 * The two sides talk over a socketpair of type SOCK_SEQPACKET (unix(7)):
 * one message a write, never merged nor split, and the end of a side that
 * died reads as end-of-file. That is how the child's first error reaches
 * the parent, which says it, and how a parent that died lets the child go.
 */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "clone.h"
#include "command.h"
#include "console.h"
#include "faults.h"
#include "filter.h"
#include "hooks.h"
#include "hostname.h"
#include "idmap.h"
#include "init.h"
#include "layers.h"
#include "lazy_libraries.h"
#include "loopback.h"
#include "masks.h"
#include "mounts.h"
#include "namespaces.h"
#include "network.h"
#include "overlay.h"
#include "pivot.h"
#include "process.h"
#include "report.h"
#include "resources.h"
#include "volumes.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

/* The handshake ------------------------------------------------------------ */

enum sync_type { SYNC_GO, SYNC_HOOKS, SYNC_HOOKS_DONE, SYNC_READY, SYNC_ERROR, SYNC_PID };

struct sync_message {
	int type;
	int value;        /* SYNC_PID: the pid; SYNC_READY: whether it wants the state back */
	char text[3000];  /* SYNC_ERROR: the message; SYNC_HOOKS_DONE: the state */
};

static int sync_send(int fd, int type, int value, const char *text)
{
	struct sync_message m = { .type = type, .value = value };

	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	if (send(fd, &m, offsetof(struct sync_message, text) + strlen(m.text) + 1, MSG_NOSIGNAL) < 0)
		return error_errno("send to the container's %s", "other side");
	return 0;
}

/* 0 with M filled; -1 at the other side's end (errno 0) or on an error. */
static int sync_receive(int fd, struct sync_message *m)
{
	ssize_t n;

	do
		n = recv(fd, m, sizeof(*m) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		if (n == 0)
			errno = 0;
		return -1;
	}
	((char *)m)[n] = '\0';
	return 0;
}

/* The child's way out: its error to the parent, then exit. */
static _Noreturn void child_fail(int sync)
{
	sync_send(sync, SYNC_ERROR, 0, error_message());
	_exit(1);
}

static int child_expect(int sync, int type)
{
	struct sync_message m;

	if (sync_receive(sync, &m) < 0)
		_exit(1); /* the parent is gone, or gave up on us: nothing to say */
	if (m.type != type)
		return error_set("the runtime sent message %d, not %d", m.type, type);
	return 0;
}

/* The child's side --------------------------------------------------------- */

/* Join NAMESPACE (a path in the config) of TYPE. */
static int namespace_join(const struct namespace_entry *n)
{
	_cleanup_close_ int fd = open(n->path, O_RDONLY | O_CLOEXEC);

	trace("setns(\"%s\", %s)", n->path, clone_flags_name(n->type));
	if (fd < 0)
		return error_errno("namespace %s", n->path);
	if (setns(fd, n->type) < 0)
		return error_errno("setns %s", n->path);
	return 0;
}

/* The namespaces made after the parent let us go: a cgroup namespace's
 * root is its creator's cgroup at that moment (ours now); a time
 * namespace's offsets are written before any process is in it, and only
 * then do we enter it (setns(2) of time_for_children). */
static int namespaces_late(const struct container_config *config)
{
	const struct namespace_entry *cgroup = config_namespace(config, CLONE_NEWCGROUP);
	const struct namespace_entry *time_ns = config_namespace(config, CLONE_NEWTIME);

	if (cgroup && !cgroup->path) {
		trace("unshare(CLONE_NEWCGROUP)");
		if (unshare(CLONE_NEWCGROUP) < 0)
			return error_errno("unshare(CLONE_NEWCGROUP)");
	}
	if (!time_ns || time_ns->path)
		return 0;
	trace("unshare(CLONE_NEWTIME)");
	if (unshare(CLONE_NEWTIME) < 0)
		return error_errno("unshare(CLONE_NEWTIME)%s", errno == EINVAL ? " (this kernel has no time namespaces)" : "");
	if (config->time_offsets_set) {
		char offsets[128];
		snprintf(offsets, sizeof(offsets), "monotonic %lld %lld\nboottime %lld %lld\n",
			 (long long)config->time_offsets[0][0], (long long)config->time_offsets[0][1],
			 (long long)config->time_offsets[1][0], (long long)config->time_offsets[1][1]);
		_cleanup_close_ int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
		trace("write /proc/self/timens_offsets");
		if (fd < 0 || write(fd, offsets, strlen(offsets)) < 0)
			return error_errno("write /proc/self/timens_offsets");
	}
	_cleanup_close_ int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWTIME) < 0)
		return error_errno("setns(time_for_children)");
	return 0;
}

/* Every namespace the config names by a path, but the user and PID ones
 * (joined before clone: see spawn_joined). The mount namespace goes last:
 * the paths of the others are the host's. */
static int namespaces_join(const struct container_config *config)
{
	const struct namespace_entry *mount = NULL;

	for (int i = 0; i < config->namespace_count; i++) {
		const struct namespace_entry *n = &config->namespaces[i];
		if (!n->path || n->type == CLONE_NEWUSER || n->type == CLONE_NEWPID)
			continue;
		if (n->type == CLONE_NEWNS)
			mount = n;
		else if (namespace_join(n) < 0)
			return -1;
	}
	return mount ? namespace_join(mount) : 0;
}

/* The root, a mount point of its own (pivot_root(2) needs one): the stage
 * contract's overlay, or the bundle's root bound onto itself. */
static int root_mount(const struct container *c, const char **root)
{
	const struct container_config *config = c->config;

	if (c->extras && c->extras->overlay) {
		*root = c->extras->overlay->merged;
		if (overlay_mount(c->extras->overlay) < 0)
			return -1;
	} else {
		*root = config->root;
		if (rootfs_bind(config->root) < 0)
			return -1;
	}
	/* Shared waits for after pivot_root(2), which refuses a shared root. */
	if (config->rootfs_propagation && !(config->rootfs_propagation & MS_SHARED)) {
		trace("mount(NULL, \"%s\", NULL, rootfsPropagation)", *root);
		if (mount(NULL, *root, NULL, config->rootfs_propagation, NULL) < 0)
			return error_errno("linux.rootfsPropagation of %s", *root);
	}
	return 0;
}

/* A shared rootfsPropagation, on the root in place (as runc, after pivot). */
static int root_share(const struct container_config *config)
{
	if (!(config->rootfs_propagation & MS_SHARED))
		return 0;
	trace("mount(NULL, \"/\", NULL, rootfsPropagation): shared, after pivot_root");
	if (mount(NULL, "/", NULL, config->rootfs_propagation, NULL) < 0)
		return error_errno("linux.rootfsPropagation of /");
	return 0;
}

/* The hostname. The stage contract also shows it in /etc/hostname (stage
 * 2's file, bound read-only); an OCI bundle's /etc/hostname is the
 * engine's (podman binds its own there), so only sethostname(2), as runc. */
static int container_hostname_set(const struct container_extras *x, const char *name)
{
	if (x)
		return hostname_set(name);
	trace("sethostname(\"%s\")", name);
	if (sethostname(name, strlen(name)) < 0)
		return error_errno("sethostname %s", name);
	return 0;
}

/* runc's --no-pivot: the root moved over "/" and chroot(2) into it, for a
 * root that pivot_root cannot take (a ramdisk's). The old root stays
 * under it: weaker, and only on request. */
static int root_move(const char *root)
{
	trace("mount(\"%s\", \"/\", MS_MOVE) + chroot(\".\"): --no-pivot", root);
	if (chdir(root) < 0 || mount(root, "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 || chdir("/") < 0)
		return error_errno("--no-pivot: move %s to /", root);
	return 0;
}

/* linux.sysctl, each written below /proc/sys: net.ipv4.ip_forward is
 * /proc/sys/net/ipv4/ip_forward. */
static int sysctls_write(const struct container_config *config)
{
	for (int i = 0; i < config->sysctl_count; i++) {
		char path[PATH_MAX];
		int n = snprintf(path, sizeof(path), "/proc/sys/");
		for (const char *k = config->sysctl[i].key; *k && n < (int)sizeof(path) - 1; k++)
			path[n++] = *k == '.' ? '/' : *k;
		path[n] = '\0';
		trace("write %s = %s", path, config->sysctl[i].value);
		_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, config->sysctl[i].value, strlen(config->sysctl[i].value)) < 0)
			return error_errno("linux.sysctl %s", config->sysctl[i].key);
	}
	return 0;
}

/* What a process keeps across exec that is not a namespace or a privilege:
 * its OOM score, its personality, a session keyring of its own. */
static int process_attributes(const struct container *c)
{
	const struct container_config *config = c->config;

	if (config->process.oom_score_adj_set) {
		char value[16];
		snprintf(value, sizeof(value), "%d", config->process.oom_score_adj);
		trace("write /proc/self/oom_score_adj = %s", value);
		_cleanup_close_ int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, value, strlen(value)) < 0)
			return error_errno("process.oomScoreAdj %s", value);
	}
	if (config->personality_set) {
		trace("personality(%s)", config->personality == PER_LINUX32 ? "PER_LINUX32" : "PER_LINUX");
		if (personality(config->personality) < 0)
			return error_errno("linux.personality");
	}
	/* A keyring of its own, not the caller's session's: keys are not
	 * namespaced, and the caller's would be the container's. */
	if (!c->no_new_keyring) {
		char name[64];
		snprintf(name, sizeof(name), "_ses.%.56s", c->state->id);
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name) < 0 && errno != ENOSYS)
			return error_errno("keyctl(KEYCTL_JOIN_SESSION_KEYRING)");
	}
	return 0;
}

/* The stage contract's --user NAME is looked up in the container's
 * /etc/passwd, and a user other than root keeps no capability in effect,
 * as Docker's. HOME follows the user. */
static int docker_user_resolve(struct process *p)
{
	if (!p->user.set || user_resolve(&p->user) < 0)
		return p->user.set ? -1 : 0;
	if (p->user.uid != 0)
		p->capabilities.permitted = p->capabilities.effective = 0;
	command_home = p->user.home;
	return 0;
}

static const char *const *list_or_none(char **list)
{
	static const char *const none[] = { NULL };
	return list ? (const char *const *)list : none;
}

// tag::child[]
static _Noreturn void container_child(struct container *c, int sync)
{
	struct container_config *config = c->config;
	const struct container_extras *x = c->extras;
	const char *root;
	bool userns = config_namespace(config, CLONE_NEWUSER) != NULL;

	if (x && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(1);
	/* The state's lock is the verb's, not ours: a copy held here would
	 * hold it for as long as we wait (flock(2) locks go with the open file). */
	close(c->state->lock_fd);
	close(c->state->dir_fd);
	c->state->lock_fd = c->state->dir_fd = -1;
	if (child_expect(sync, SYNC_GO) < 0)
		child_fail(sync);
	fault_point("create:child-after-go");
	/* Non-dumpable from here until exec: no process in the container can
	 * open this one's /proc/PID/exe (box itself), mem or fd. (Not before
	 * GO: an ordinary user's parent, and slirp4netns, open our /proc/PID
	 * files, which a non-dumpable process's are root's.) */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		error_errno("prctl(PR_SET_DUMPABLE)");
		child_fail(sync);
	}
	/* In a new user namespace: become its root (our ids are unmapped
	 * until the parent wrote the maps, which it has). */
	if (userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		error_errno("become root in the user namespace (is 0 mapped?)");
		child_fail(sync);
	}
	if (namespaces_join(config) < 0 ||
	    (x ? namespaces_unshare_late() : namespaces_late(config)) < 0 ||
	    (x && x->init && init_start() < 0) ||
	    mounts_make_private() < 0 ||
	    root_mount(c, &root) < 0 ||
	    (x && x->network && network_enter(x->network) < 0) ||
	    (!x && config_namespace(config, CLONE_NEWNET) && !config_namespace(config, CLONE_NEWNET)->path &&
	     loopback_up() < 0) ||
	    mounts_make(root, config, c->cgroup) < 0 ||
	    devices_make(root, config, userns) < 0)
		child_fail(sync);
	fault_point("create:child-after-mounts");
	/* The hooks of the runtime's namespaces first (the parent runs
	 * them: it is there), then the container's own, before pivot_root. */
	if (config->hooks[HOOK_PRESTART].count || config->hooks[HOOK_CREATE_RUNTIME].count ||
	    config->hooks[HOOK_CREATE_CONTAINER].count) {
		struct sync_message m;
		if (sync_send(sync, SYNC_HOOKS, 0, NULL) < 0 || sync_receive(sync, &m) < 0)
			_exit(1);
		if (m.type != SYNC_HOOKS_DONE || hooks_run(config, HOOK_CREATE_CONTAINER, m.text) < 0)
			child_fail(sync);
	}
	if ((c->no_pivot ? root_move(root) : rootfs_pivot(root)) < 0 || root_share(config) < 0 ||
	    (config->hostname && container_hostname_set(x, config->hostname) < 0) ||
	    (config->domainname && setdomainname(config->domainname, strlen(config->domainname)) < 0) ||
	    sysctls_write(config) < 0 ||
	    paths_make_read_only(list_or_none(config->readonly_paths)) < 0 ||
	    paths_mask(list_or_none(config->masked_paths)) < 0 ||
	    (config->root_readonly && read_only_root_remount() < 0) ||
	    (x && x->network && network_configure(x->network) < 0) ||
	    (config->process.terminal &&
	     console_create(c->console_fd, config->process.console_height, config->process.console_width) < 0) ||
	    process_attributes(c) < 0 ||
	    (x && x->docker_user && docker_user_resolve(&config->process) < 0) ||
	    (!x && process_home_set(&config->process) < 0) ||
	    process_privileges_drop(&config->process, &c->filter) < 0 ||
	    (!x && process_executable_check(&config->process) < 0))
		child_fail(sync);
	fault_point("create:child-before-ready");
	/* Created. startContainer hooks need the state: it comes back. */
	bool hooks = config->hooks[HOOK_START_CONTAINER].count > 0;
	struct sync_message m = { 0 };
	if (sync_send(sync, SYNC_READY, hooks, NULL) < 0 || (hooks && sync_receive(sync, &m) < 0))
		_exit(1);
	close(sync);
	if (c->wait_for_start) {
		/* LAB: wait for start: read(2) the byte `box start` writes on exec.fifo (again on EINTR; _exit(1) if none comes); the FIFO stays open until exec closes it (O_CLOEXEC), which tells start the program runs (fifo(7)). */
		/* Until `box start` writes a byte: the read blocks, for we hold
		 * the write side too (O_RDWR), so it never reads end-of-file. */
		char byte;
		ssize_t n;
		do
			n = read(c->fifo_fd, &byte, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			_exit(1);
		/* LAB END */
	}
	if ((hooks && hooks_run(config, HOOK_START_CONTAINER, m.text) < 0) ||
	    process_filter_load(&config->process, &c->filter) < 0 ||
	    process_descriptors_close(c->preserve_fds) < 0)
		die_with_error(); /* nobody to tell but stderr now */
	if (x)
		container_exec(config->process.args); /* stage 2's: --init's PID 2, HOME, PATH */
	process_exec(&config->process);
}
// end::child[]

/* The parent's side -------------------------------------------------------- */

void container_init(struct container *c)
{
	memset(c, 0, sizeof(*c));
	c->console_fd = c->fifo_fd = c->sync_fd = -1;
}

/* A descriptor the child keeps until exec moved above those it passes on
 * (3 .. 3+preserve-1), so that neither is in the way of the other. */
static int fd_above(int fd, int preserve)
{
	if (fd < 0 || fd >= 3 + preserve)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3 + preserve);
	int saved = errno;
	close(fd);
	errno = saved;
	return moved < 0 ? error_errno("fcntl(F_DUPFD_CLOEXEC)") : moved;
}

/* A sysctl is only the container's in a namespace of its own (runc's
 * check): net.* in a network namespace, kernel.{shm,msg,sem}* and fs.mqueue.*
 * in an IPC one, kernel.hostname and domainname in a UTS one. */
static int sysctls_check(const struct container_config *config)
{
	for (int i = 0; i < config->sysctl_count; i++) {
		const char *key = config->sysctl[i].key;
		int needs = 0;
		if (strncmp(key, "net.", 4) == 0)
			needs = CLONE_NEWNET;
		else if (strncmp(key, "fs.mqueue.", 10) == 0 || strncmp(key, "kernel.shm", 10) == 0 ||
			 strncmp(key, "kernel.msg", 10) == 0 || strcmp(key, "kernel.sem") == 0)
			needs = CLONE_NEWIPC;
		else if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
			needs = CLONE_NEWUTS;
		if (!needs)
			return error_set("config.json: linux.sysctl.%s: not a namespaced sysctl: it is the host's", key);
		if (!config_namespace(config, needs))
			return error_set("config.json: linux.sysctl.%s: needs a %s namespace of the container's own", key,
					 clone_flags_name(needs));
	}
	return 0;
}

/* The seccomp program of linux.seccomp: compiled once, then from the
 * cache (stage 6's, keyed by the profile's SHA-256), and kept in the state
 * directory for box exec. */
static int filter_prepare(struct container *c)
{
	char digest[65], state_dir[PATH_MAX];

	if (c->filter_set || !c->config->seccomp)
		return 0;
	char *text = json_dumps(c->config->seccomp, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return error_set("config.json: linux.seccomp: out of memory");
	int status = lazy_libraries_load() < 0 || sha256_text(text, strlen(text), digest) < 0 ||
				     state_dir_default(state_dir, sizeof(state_dir)) < 0 ||
				     seccomp_prepare_text(text, strlen(text), digest, "config.json: linux.seccomp",
							  c->config->process.capabilities.bounding, state_dir, &c->filter) < 0
			     ? -1 : 0;
	free(text);
	c->filter_set = status == 0;
	return status;
}

char *container_state_text(const struct container *c, enum container_status status)
{
	struct container_state s = *c->state;

	s.pid = c->pid;
	json_t *state = state_json(&s, status);
	char *text = state ? json_dumps(state, JSON_COMPACT) : NULL;
	json_decref(state);
	return text;
}

/* The new namespaces, by clone(2) flags (cgroup and time come later). */
static int clone_flags(const struct container_config *config)
{
	int flags = 0;

	for (int i = 0; i < config->namespace_count; i++) {
		const struct namespace_entry *n = &config->namespaces[i];
		if (!n->path && n->type != CLONE_NEWCGROUP && n->type != CLONE_NEWTIME)
			flags |= n->type;
	}
	return flags;
}

/* clone(2), as fork(2) would: it returns twice (see clone(2), "C library/
 * kernel differences"). */
static pid_t clone_child(int flags)
{
	pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);

	if (pid < 0)
		error_errno("clone(%s)", clone_flags_name(flags));
	else if (pid > 0)
		trace("clone(%s) -> %d", clone_flags_name(flags), pid);
	return pid;
}

/* A user or PID namespace to join can only be entered before the child
 * exists (setns(2) of a PID namespace moves only later children in), and
 * not by us, who stay on the host: a middle process joins them, clones the
 * child into them, says its PID and leaves (runc's nsexec does the same).
 * Returns 0 in the child, its PID in the parent, -1 on error. */
static pid_t spawn_joined(struct container *c, int flags, int parent_end)
{
	const struct namespace_entry *user = config_namespace(c->config, CLONE_NEWUSER);
	const struct namespace_entry *pid_ns = config_namespace(c->config, CLONE_NEWPID);
	pid_t middle = fork();

	if (middle < 0)
		return error_errno("fork");
	if (middle == 0) {
		if ((user && user->path && namespace_join(user) < 0) || (pid_ns && pid_ns->path && namespace_join(pid_ns) < 0))
			child_fail(c->sync_fd);
		pid_t child = clone_child(flags);
		if (child < 0)
			child_fail(c->sync_fd);
		if (child == 0)
			return 0;
		sync_send(c->sync_fd, SYNC_PID, child, NULL);
		_exit(0);
	}
	struct sync_message m;
	int status;
	int received = sync_receive(parent_end, &m);
	waitpid(middle, &status, 0);
	if (received < 0)
		return error_set("the process that joins the namespaces ended without a word");
	if (m.type == SYNC_ERROR)
		return error_set("%s", m.text);
	return m.type == SYNC_PID ? m.value : error_set("unexpected message %d from the joining process", m.type);
}

// tag::create[]
int container_create(struct container *c)
{
	struct container_config *config = c->config;
	int pair[2];
	char path[PATH_MAX];
	bool skipped = false;

	if (sysctls_check(config) < 0)
		return -1;
	if (config->process.terminal && c->console_fd < 0)
		return error_set("process.terminal is true: it needs --console-socket");
	/* The cgroup, its limits and its devices, then the filter. */
	if (cgroup_path_resolve(config->cgroups_path, c->state->id, path, sizeof(path)) < 0)
		return -1;
	/* In the state before the group is made: a create killed from here
	 * on leaves what delete --force needs to remove it. */
	snprintf(c->state->cgroup_path, sizeof(c->state->cgroup_path), "%s", path);
	if (state_save(c->state) < 0)
		return -1;
	fault_point("create:after-cgroup-named");
	c->cgroup = resources_create(path, &config->resources, c->controllers, c->rt->rootless, &skipped);
	if (!c->cgroup && !skipped)
		return -1;
	if (!c->cgroup)
		c->state->cgroup_path[0] = '\0'; /* none made (rootless) */
	fault_point("create:after-cgroup");
	if ((config->resources.devices_set &&
	     resources_devices(&c->devices, c->state->id, c->cgroup, &config->resources) < 0) ||
	    filter_prepare(c) < 0 ||
	    (c->filter.filter && c->wait_for_start &&
	     seccomp_program_write(c->state->dir, state_file(c->state, "seccomp.bpf"), &c->filter) < 0))
		goto fail;
	fault_point("create:after-filter");
	/* exec.fifo, open on both sides for the child: see container_child. */
	if (c->wait_for_start) {
		if (mkfifo(state_file(c->state, "exec.fifo"), 0600) < 0) {
			error_errno("mkfifo %s", state_file(c->state, "exec.fifo"));
			goto fail;
		}
		if ((c->fifo_fd = fd_above(open(state_file(c->state, "exec.fifo"), O_RDWR | O_CLOEXEC),
					    c->preserve_fds)) < 0) {
			error_errno("open %s", state_file(c->state, "exec.fifo"));
			goto fail;
		}
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		error_errno("socketpair");
		goto fail;
	}
	fault_point("create:after-fifo");
	c->sync_fd = fd_above(pair[1], c->preserve_fds);
	c->console_fd = fd_above(c->console_fd, c->preserve_fds);
	int parent_end = pair[0];

	int flags = clone_flags(config);
	bool joined = (config_namespace(config, CLONE_NEWUSER) && config_namespace(config, CLONE_NEWUSER)->path) ||
		      (config_namespace(config, CLONE_NEWPID) && config_namespace(config, CLONE_NEWPID)->path);
	c->pid = joined ? spawn_joined(c, flags, parent_end) : clone_child(flags);
	if (c->pid == 0) {
		close(parent_end);
		container_child(c, c->sync_fd);
	}
	/* The child has its ends; the parent needs none of them. */
	close(c->sync_fd);
	c->sync_fd = parent_end;
	if (c->fifo_fd >= 0)
		close(c->fifo_fd);
	if (c->console_fd >= 0)
		close(c->console_fd);
	c->fifo_fd = c->console_fd = -1;
	if (c->pid < 0)
		goto fail;
	fault_point("create:after-clone");

	/* The child waits for GO: put it in its cgroup, map its ids, give it
	 * its network. */
	if ((c->cgroup && cgroup_add_process(c->cgroup, c->pid) < 0) ||
	    devices_add_process(&c->devices, c->pid) < 0 ||
	    (config_namespace(config, CLONE_NEWUSER) && !config_namespace(config, CLONE_NEWUSER)->path &&
	     idmap_write(config, c->pid) < 0) ||
	    (c->extras && c->extras->network && network_attach(c->extras->network, c->pid) < 0) ||
	    sync_send(c->sync_fd, SYNC_GO, 0, NULL) < 0)
		goto fail;
	fault_point("create:after-go");
	for (;;) {
		struct sync_message m;
		if (sync_receive(c->sync_fd, &m) < 0) {
			int status = 0;
			if (waitpid(c->pid, &status, 0) == c->pid)
				c->pid = 0;
			error_set("the container's process ended while it was set up (%s %d)",
				  WIFSIGNALED(status) ? "signal" : "status",
				  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			goto fail;
		}
		if (m.type == SYNC_ERROR) {
			error_set("%s", m.text);
			goto fail;
		}
		if (m.type == SYNC_HOOKS || (m.type == SYNC_READY && m.value)) {
			_cleanup_free_ char *state = container_state_text(c, m.type == SYNC_HOOKS ? STATUS_CREATING
												  : STATUS_CREATED);
			if (!state)
				goto fail;
			if (m.type == SYNC_HOOKS && (hooks_run(config, HOOK_PRESTART, state) < 0 ||
						     hooks_run(config, HOOK_CREATE_RUNTIME, state) < 0))
				goto fail;
			if (sync_send(c->sync_fd, SYNC_HOOKS_DONE, 0, state) < 0)
				goto fail;
		}
		if (m.type == SYNC_READY)
			break;
	}
	fault_point("create:after-ready");
	close(c->sync_fd);
	c->sync_fd = -1;
	return 0;
fail:
	container_undo(c);
	return -1;
}
// end::create[]

void container_undo(struct container *c)
{
	char message[1024];

	/* Keep the first error: what follows may record others. */
	snprintf(message, sizeof(message), "%s", error_message());
	if (c->sync_fd >= 0)
		close(c->sync_fd);
	if (c->fifo_fd >= 0)
		close(c->fifo_fd);
	c->sync_fd = c->fifo_fd = -1;
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0); /* ours, unless a middle process cloned it */
		c->pid = 0;
	}
	if (c->cgroup) {
		/* Anything the container forked: SIGKILL, then the group can go. */
		pid_t *pids = NULL;
		int count = 0;
		if (cgroup_pids(c->cgroup, &pids, &count) == 0)
			for (int i = 0; i < count; i++)
				kill(pids[i], SIGKILL);
		free(pids);
	}
	devices_release(&c->devices);
	cgroup_destroy(c->cgroup);
	c->cgroup = NULL;
	free(c->filter.filter);
	c->filter.filter = NULL;
	/* A create that fails ends in poststop too, as a delete would (the
	 * spec's lifecycle, and runc): what prestart set up may be undone. */
	if (c->config && c->config->hooks[HOOK_POSTSTOP].count) {
		char *state = container_state_text(c, STATUS_STOPPED);
		if (state)
			hooks_run(c->config, HOOK_POSTSTOP, state);
		free(state);
	}
	error_set("%s", message);
}
