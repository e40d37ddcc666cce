/* The config's mounts and device nodes: see mounts.h.
 *
 * Stage 2 mounted a fixed list at paths it built by string: ROOT + "/proc".
 * A config.json names its own destinations, and the image is not to be
 * trusted: if it holds /evil -> /etc, then ROOT + "/evil/x" is the host's
 * /etc/x, and a mount there lands on the host (CVE-2021-30465's class).
 * So each destination is opened with openat2(2) and RESOLVE_IN_ROOT, which
 * resolves every symbolic link as if ROOT were "/", and the mount goes onto
 * that descriptor: through /proc/self/fd/N for mount(2), directly for
 * move_mount(2). Nothing is ever resolved twice, so nothing can be swapped
 * in between.
 */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

/* Paths ----------------------------------------------------------------- */

static int open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(O_PATH | O_CLOEXEC | flags),
		/* No /proc/self/fd/N style magic links either: they jump anywhere. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	return (int)syscall(SYS_openat2, root_fd, path[0] ? path : ".", &how, sizeof(how));
}

// tag::path[]
int path_in_root(int root_fd, const char *destination, bool make, bool file)
{
	char partial[PATH_MAX];
	int fd = open_in_root(root_fd, destination, 0);

	if (fd >= 0 || errno != ENOENT || !make)
		return fd >= 0 ? fd : error_errno("%s (inside the container's root)", destination);
	/* Make what is missing, one component at a time, each one inside the
	 * root: the parent is opened as above, the new entry made in it. */
	snprintf(partial, sizeof(partial), "%s", destination);
	for (char *end = partial + 1;; end++) {
		if (*end != '/' && *end != '\0')
			continue;
		bool last = *end == '\0' || end[strspn(end, "/")] == '\0';
		char saved = *end;
		*end = '\0';
		char *name = strrchr(partial, '/') + 1;
		fd = open_in_root(root_fd, partial, 0);
		if (fd < 0 && errno == ENOENT && *name) {
			name[-1] = '\0';
			_cleanup_close_ int parent = open_in_root(root_fd, partial, O_DIRECTORY);
			name[-1] = '/';
			if (parent < 0)
				return error_errno("%s (inside the container's root)", partial);
			int made = last && file ? openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644)
						: mkdirat(parent, name, 0755);
			if (made < 0 && errno != EEXIST)
				return error_errno("make %s (inside the container's root)", partial);
			if (last && file && made >= 0)
				close(made);
			fd = open_in_root(root_fd, partial, 0);
			if (fd < 0 && errno == ENOENT) /* EEXIST, yet nothing there */
				return error_set("%s: a symbolic link to nothing (inside the container's root)", partial);
		}
		if (fd < 0)
			return error_errno("%s (inside the container's root)", partial);
		*end = saved;
		if (last)
			return fd;
		close(fd);
	}
}
// end::path[]

/* "/proc/self/fd/N": mount(2) takes a path; this one is the descriptor. */
static const char *fd_path(int fd)
{
	static char path[4][32];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "/proc/self/fd/%d", fd);
	return p;
}

static const char *flags_name(unsigned long flags)
{
	static const struct { unsigned long flag; const char *name; } names[] = {
		{ MS_RDONLY, "MS_RDONLY" },     { MS_NOSUID, "MS_NOSUID" },   { MS_NODEV, "MS_NODEV" },
		{ MS_NOEXEC, "MS_NOEXEC" },     { MS_SYNCHRONOUS, "MS_SYNCHRONOUS" },
		{ MS_DIRSYNC, "MS_DIRSYNC" },   { MS_NOATIME, "MS_NOATIME" }, { MS_NODIRATIME, "MS_NODIRATIME" },
		{ MS_RELATIME, "MS_RELATIME" }, { MS_STRICTATIME, "MS_STRICTATIME" },
		{ MS_REMOUNT, "MS_REMOUNT" },   { MS_BIND, "MS_BIND" },       { MS_REC, "MS_REC" },
		{ MS_PRIVATE, "MS_PRIVATE" },   { MS_SLAVE, "MS_SLAVE" },     { MS_SHARED, "MS_SHARED" },
		{ MS_UNBINDABLE, "MS_UNBINDABLE" },
	};
	static char text[256];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((flags & names[i].flag) && used < sizeof(text))
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", used ? "|" : "", names[i].name);
	return used ? text : "0";
}

/* Mounts ------------------------------------------------------------------ */

/* A file system of its own (proc, tmpfs, sysfs, ...) on DEST. */
static int filesystem_mount(int dest, const char *source, const char *destination, const char *type,
			    unsigned long flags, const char *data)
{
	trace("mount(\"%s\", \"%s\", \"%s\", %s, \"%s\")", source, destination, type, flags_name(flags),
	      data ? data : "");
	if (mount(source, fd_path(dest), type, flags, data) < 0)
		return error_errno("mount %s on %s", type, destination);
	return 0;
}

/* mount_setattr(2)'s words for the MS_* flags a bind mount can change. */
static uint64_t mount_attributes(unsigned long flags)
{
	uint64_t attr = 0;

	attr |= flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0;
	attr |= flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0;
	attr |= flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0;
	attr |= flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0;
	attr |= flags & MS_NODIRATIME ? MOUNT_ATTR_NODIRATIME : 0;
	return attr;
}

/* The access-time mode: one of three, or none asked for. */
static uint64_t atime_attribute(unsigned long flags)
{
	if (flags & MS_NOATIME)
		return MOUNT_ATTR_NOATIME;
	if (flags & MS_STRICTATIME)
		return MOUNT_ATTR_STRICTATIME;
	if (flags & MS_RELATIME)
		return MOUNT_ATTR_RELATIME;
	return (uint64_t)-1;
}

// tag::bind[]
/* A bind mount, in the new mount API's two steps: a copy of SOURCE's mount
 * (open_tree(2)), its flags set on the copy (mount_setattr(2)), then the
 * copy attached at DEST (move_mount(2)). */
static int bind_mount(int dest, const char *source, const char *destination, bool recursive,
		      unsigned long flags, unsigned long cleared, unsigned long propagation)
{
	unsigned recurse = recursive ? AT_RECURSIVE : 0;
	struct mount_attr attr = {
		.attr_set = mount_attributes(flags),
		.attr_clr = mount_attributes(cleared),
		.propagation = propagation & ~(unsigned long)MS_REC,
	};
	uint64_t atime = atime_attribute(flags);

	if (atime != (uint64_t)-1) {
		attr.attr_set |= atime;
		attr.attr_clr |= MOUNT_ATTR__ATIME;
	}
	trace("open_tree(\"%s\", OPEN_TREE_CLONE%s)%s%s", source, recursive ? "|AT_RECURSIVE" : "",
	      attr.attr_set & MOUNT_ATTR_RDONLY ? " + mount_setattr(MOUNT_ATTR_RDONLY)" : "",
	      attr.attr_set & ~(uint64_t)MOUNT_ATTR_RDONLY ? " + mount_setattr(its other flags)" : "");
	_cleanup_close_ int tree = open_tree(AT_FDCWD, source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | recurse);
	if (tree < 0)
		return error_errno("bind %s: open_tree", source);
	if ((attr.attr_set || attr.attr_clr || attr.propagation) &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | recurse | (propagation & MS_REC ? AT_RECURSIVE : 0), &attr,
			  sizeof(attr)) < 0)
		return error_errno("bind %s on %s: mount_setattr", source, destination);
	trace("move_mount(tree of \"%s\", \"%s\")", source, destination);
	if (move_mount(tree, "", dest, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return error_errno("bind %s on %s: move_mount", source, destination);
	return 0;
}
// end::bind[]

/* A "cgroup" mount: the container's own group, as its /sys/fs/cgroup.
 * cgroup v2: with a cgroup namespace of its own, a cgroup2 mount (which
 * shows the namespace's root: its group); without one, its group's
 * directory bound there. cgroup v1: a tmpfs with one directory per
 * controller, each its group in that hierarchy, bound. */
static int cgroup_mount(int root_fd, int dest, const struct mount_entry *m, const struct cgroup *cg,
			bool cgroupns)
{
	unsigned long flags = m->flags | MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (!cg)
		return error_set("%s: a cgroup mount needs the container's cgroup (it has none)", m->destination);
	if (cg->version == 2) {
		if (cgroupns)
			return filesystem_mount(dest, "cgroup2", m->destination, "cgroup2", flags, NULL);
		return bind_mount(dest, cg->dirs[0].path, m->destination, false, flags, 0, 0);
	}
	if (filesystem_mount(dest, "tmpfs", m->destination, "tmpfs", flags & ~(unsigned long)MS_RDONLY,
			     "mode=755") < 0)
		return -1;
	for (int i = 0; i < cg->count; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", m->destination, cg->dirs[i].controller);
		_cleanup_close_ int controller = path_in_root(root_fd, path, true, false);
		if (controller < 0 || bind_mount(controller, cg->dirs[i].path, path, false, flags, 0, 0) < 0)
			return -1;
	}
	if (!(flags & MS_RDONLY))
		return 0;
	/* Read-only last: the directories were made in it first. */
	_cleanup_close_ int top = path_in_root(root_fd, m->destination, false, false);
	return top < 0 ? -1 : filesystem_mount(top, "tmpfs", m->destination, "tmpfs", MS_REMOUNT | flags, "mode=755");
}

static int mount_one(int root_fd, const struct mount_entry *m, const struct cgroup *cg, bool cgroupns)
{
	struct stat st;
	bool file = false;

	/* A bind mount of a file needs a file to cover; of anything else, a
	 * directory. The source is the host's: it is read here, before
	 * pivot_root. */
	if (m->bind) {
		if (stat(m->source, &st) < 0)
			return error_errno("bind mount source %s", m->source);
		file = !S_ISDIR(st.st_mode);
	}
	_cleanup_close_ int dest = path_in_root(root_fd, m->destination, true, file);
	if (dest < 0)
		return -1;
	if (m->bind)
		return bind_mount(dest, m->source, m->destination, m->recursive, m->flags, m->cleared, m->propagation);
	if (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0)
		return cgroup_mount(root_fd, dest, m, cg, cgroupns);
	if (filesystem_mount(dest, m->source ? m->source : m->type, m->destination, m->type, m->flags, m->data) < 0)
		return -1;
	if (!m->propagation)
		return 0;
	/* The new mount is what the path opens now; DEST is the directory under it. */
	_cleanup_close_ int top = path_in_root(root_fd, m->destination, false, false);
	if (top < 0)
		return -1;
	trace("mount(NULL, \"%s\", NULL, %s)", m->destination, flags_name(m->propagation));
	if (mount(NULL, fd_path(top), NULL, m->propagation, NULL) < 0)
		return error_errno("propagation of %s", m->destination);
	return 0;
}

int mounts_make(const char *root, const struct container_config *config, const struct cgroup *cg)
{
	_cleanup_close_ int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return error_errno("open %s", root);
	bool cgroupns = config_namespace(config, CLONE_NEWCGROUP) != NULL;
	for (int i = 0; i < config->mount_count; i++)
		if (mount_one(root_fd, &config->mounts[i], cg, cgroupns) < 0)
			return error_set("mounts[%d]: %s", i, error_message());
	return 0;
}

/* Device nodes ------------------------------------------------------------ */

static const struct device_entry default_devices[] = {
	{ "/dev/null", 'c', 1, 3, 0666, 0, 0 },    { "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
	{ "/dev/full", 'c', 1, 7, 0666, 0, 0 },    { "/dev/random", 'c', 1, 8, 0666, 0, 0 },
	{ "/dev/urandom", 'c', 1, 9, 0666, 0, 0 }, { "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
};

/* Make one node: mknod(2) it, or, in a user namespace, which may not,
 * bind the host's node of the same path onto an empty file. */
static int device_make(int root_fd, const struct device_entry *d, bool userns)
{
	char parent_path[PATH_MAX];
	const char *name = strrchr(d->path, '/') + 1;

	snprintf(parent_path, sizeof(parent_path), "%.*s", (int)(name - d->path), d->path);
	_cleanup_close_ int parent = path_in_root(root_fd, parent_path, true, false);
	if (parent < 0)
		return -1;
	if (userns) {
		_cleanup_close_ int node = path_in_root(root_fd, d->path, true, true);
		return node < 0 ? -1 : bind_mount(node, d->path, d->path, false, 0, 0, 0);
	}
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	trace("mknod(\"%s\", %c %ld:%ld, %04o)", d->path, d->type, d->major, d->minor, (unsigned)d->mode);
	/* Whatever the image had there goes: the config says what it is. */
	if (unlinkat(parent, name, 0) < 0 && errno != ENOENT)
		return error_errno("remove %s (inside the container's root)", d->path);
	if (mknodat(parent, name, type | (d->mode & 07777), makedev(d->major, d->minor)) < 0)
		return error_errno("mknod %s", d->path);
	/* mknod's mode is cut by the umask: set it exactly, and the owner. */
	if (fchownat(parent, name, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(parent, name, d->mode & 07777, 0) < 0)
		return error_errno("chown/chmod %s", d->path);
	return 0;
}

int devices_make(const char *root, const struct container_config *config, bool userns)
{
	static const char *const links[][2] = {
		{ "fd", "/proc/self/fd" },          { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" },    { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	_cleanup_close_ int root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (root_fd < 0)
		return error_errno("open %s", root);
	/* The host's /dev bound in (a privileged container): nothing to make. */
	for (int i = 0; i < config->mount_count; i++)
		if (config->mounts[i].bind && strcmp(config->mounts[i].destination, "/dev") == 0)
			return 0;
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
		if (device_make(root_fd, &default_devices[i], userns) < 0)
			return -1;
	for (int i = 0; i < config->device_count; i++)
		if (device_make(root_fd, &config->devices[i], userns) < 0)
			return error_set("linux.devices[%d]: %s", i, error_message());
	_cleanup_close_ int dev = path_in_root(root_fd, "/dev", true, false);
	if (dev < 0)
		return -1;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlinkat(links[i][1], dev, links[i][0]) < 0 && errno != EEXIST)
			return error_errno("symlink /dev/%s", links[i][0]);
	return 0;
}
