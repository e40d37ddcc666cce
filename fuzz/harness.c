/* What the fuzz targets share. See harness.h. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sanitizer/common_interface_defs.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

char fuzz_work[4096];
jmp_buf *fuzz_exit_jump;
int fuzz_exit_status;

_Noreturn void box_fuzz_exit(int status)
{
	jmp_buf *jump = fuzz_exit_jump;

	if (jump) {
		fuzz_exit_jump = NULL;
		fuzz_exit_status = status;
		longjmp(*jump, 1);
	}
	exit(status);
}

_Noreturn void fuzz_fail(const char *fmt, ...)
{
	char message[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	__sanitizer_report_error_summary(message);
	abort();
}

/* The sandbox ---------------------------------------------------------------- */

#define SANDBOX_TOP "/tmp" /* where the new root is mounted, in our namespace only */

static void say(const char *fmt, const char *what)
{
	fprintf(stderr, "fuzz: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "%s%s\n", errno ? ": " : "", errno ? strerror(errno) : "");
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int make_dirs(const char *path, mode_t mode)
{
	char partial[PATH_MAX];

	snprintf(partial, sizeof(partial), "%s", path);
	for (char *slash = partial + 1;; slash++) {
		if (*slash != '/' && *slash != '\0')
			continue;
		char saved = *slash;
		*slash = '\0';
		if (mkdir(partial, mode) < 0 && errno != EEXIST)
			return -1;
		if (!saved)
			return 0;
		*slash = saved;
	}
}

/* A host path the sandbox shows: a detached copy of its mounts (open_tree),
 * attached at the same path in the new root once that is made. */
struct exposed {
	char path[PATH_MAX];
	int tree;
	bool file;
};
static struct exposed exposed[64];
static int exposed_count;

static bool already_exposed(const char *path)
{
	for (int i = 0; i < exposed_count; i++) {
		size_t n = strlen(exposed[i].path);
		if (strncmp(path, exposed[i].path, n) == 0 && (path[n] == '/' || path[n] == '\0' || n == 1))
			return true;
	}
	return false;
}

static int expose(const char *host_path, unsigned long long attributes)
{
	char resolved[PATH_MAX];
	struct stat st;

	if (!realpath(host_path, resolved) || stat(resolved, &st) < 0)
		return 0; /* nothing there: nothing to show */
	if (strcmp(resolved, "/") == 0) {
		errno = 0;
		say("%s: not shown in the sandbox (it would be all of the host)", host_path);
		return 0;
	}
	if (already_exposed(resolved) || exposed_count == (int)(sizeof(exposed) / sizeof(exposed[0])))
		return 0;
	struct exposed *e = &exposed[exposed_count];
	snprintf(e->path, sizeof(e->path), "%s", resolved);
	e->file = !S_ISDIR(st.st_mode);
	e->tree = open_tree(AT_FDCWD, resolved, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (e->tree < 0)
		return -1;
	struct mount_attr attr = { .attr_set = attributes | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	if (strcmp(resolved, "/dev/null") == 0)
		attr.attr_set &= ~MOUNT_ATTR_NODEV;
	if (mount_setattr(e->tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0) {
		close(e->tree);
		return -1;
	}
	exposed_count++;
	return 0;
}

/* The directories (and files) libFuzzer will read or write: its working
 * directory, the corpus directories and files on its command line, the
 * artifacts' directory, a dictionary. */
static int expose_libfuzzer_paths(int argc, char **argv)
{
	char cwd[PATH_MAX], dir[PATH_MAX];

	bool first_corpus = true;

	if (!getcwd(cwd, sizeof(cwd)) || expose(cwd, 0) < 0)
		return -1;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *value;
		if (arg[0] != '-') {
			/* libFuzzer writes what it finds to the first corpus
			 * directory only; an input file's directory is read. */
			struct stat st;
			if (stat(arg, &st) < 0)
				continue;
			snprintf(dir, sizeof(dir), "%s", arg);
			char *slash = strrchr(dir, '/');
			if (!S_ISDIR(st.st_mode) && !slash)
				snprintf(dir, sizeof(dir), ".");
			else if (!S_ISDIR(st.st_mode))
				slash[slash == dir ? 1 : 0] = '\0';
			if (expose(dir, S_ISDIR(st.st_mode) && first_corpus ? 0 : MOUNT_ATTR_RDONLY) < 0)
				return -1;
			first_corpus = first_corpus && !S_ISDIR(st.st_mode);
			continue;
		}
		if (!(value = strchr(arg, '=')))
			continue;
		value++;
		if (strncmp(arg, "-artifact_prefix=", 17) == 0 || strncmp(arg, "-exact_artifact_path=", 21) == 0) {
			snprintf(dir, sizeof(dir), "%s", value);
			char *slash = strrchr(dir, '/');
			if (!slash)
				continue; /* the working directory's */
			slash[slash == dir ? 1 : 0] = '\0';
			if (expose(dir, 0) < 0)
				return -1;
		} else if (strncmp(arg, "-dict=", 6) == 0 && expose(value, MOUNT_ATTR_RDONLY) < 0) {
			return -1;
		}
	}
	return 0;
}

static int enter_namespace(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];

	if (uid == 0)
		return unshare(CLONE_NEWNS);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	if (write_file("/proc/self/uid_map", map) < 0 || write_file("/proc/self/setgroups", "deny") < 0)
		return -1;
	snprintf(map, sizeof(map), "0 %u 1\n", gid);
	return write_file("/proc/self/gid_map", map);
}

/* The new root: its files, then the host's trees attached. */
static int build_root(void)
{
	static const char *const top_links[] = { "bin", "lib", "lib32", "lib64", "libx32", "sbin" };
	char path[PATH_MAX + 16], target[PATH_MAX];

	if (mount("box-fuzz", SANDBOX_TOP, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=512m") < 0)
		return -1;
	/* What an escaping write would hit first: files it could overwrite. */
	if (mkdir(SANDBOX_TOP "/etc", 0755) < 0 || mkdir(SANDBOX_TOP "/dev", 0755) < 0 ||
	    mkdir(SANDBOX_TOP "/tmp", 01777) < 0 || chmod(SANDBOX_TOP "/tmp", 01777) < 0 ||
	    write_file(SANDBOX_TOP "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n") < 0 ||
	    write_file(SANDBOX_TOP "/etc/canary", "the sandbox's own /etc: an input wrote nothing here\n") < 0)
		return -1;
	/* A FIFO an input may name: a parser that opens it (box would wait
	 * there for ever for a writer) is told by fuzz_fifo_opened(). */
	if (mkfifo(SANDBOX_TOP "/dev/fifo", 0666) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(top_links) / sizeof(top_links[0]); i++) {
		snprintf(path, sizeof(path), "/%s", top_links[i]);
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) { /* a merged /usr: the same link */
			target[n] = '\0';
			snprintf(path, sizeof(path), SANDBOX_TOP "/%s", top_links[i]);
			if (symlink(target, path) < 0)
				return -1;
		}
	}
	for (int i = 0; i < exposed_count; i++) {
		struct exposed *e = &exposed[i];
		snprintf(path, sizeof(path), SANDBOX_TOP "%s", e->path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		if (make_dirs(path, 0755) < 0)
			return -1;
		*slash = '/';
		if ((e->file ? write_file(path, "") : mkdir(path, 0755)) < 0 && errno != EEXIST)
			return -1;
		if (move_mount(e->tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return -1;
		close(e->tree);
	}
	return 0;
}

static void work_remove(void)
{
	fuzz_remove(fuzz_work);
}

/* /dev/fifo: kept open for reading and writing here, so that no open of it
 * waits, and watched: an open that is not O_PATH's is an event. */
static int fifo_watch = -1;

static void fifo_watch_start(const char *fifo)
{
	if (open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC) < 0 ||
	    (fifo_watch = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
	    inotify_add_watch(fifo_watch, fifo, IN_OPEN) < 0)
		abort();
}

bool fuzz_fifo_opened(void)
{
	char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool opened = false;

	while (fifo_watch >= 0 && read(fifo_watch, events, sizeof(events)) > 0)
		opened = true;
	return opened;
}

bool fuzz_sandbox_enter(int argc, char **argv)
{
	static const char *const read_only[] = { "/usr", "/proc", "/dev/null" };
	static const char *const real_dirs[] = { "/bin", "/lib", "/lib32", "/lib64", "/libx32", "/sbin" };
	char cwd[PATH_MAX], canary[PATH_MAX + 32];
	struct stat st;

	errno = 0;
	if (!getcwd(cwd, sizeof(cwd)) || enter_namespace() < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		goto outside;
	for (size_t i = 0; i < sizeof(read_only) / sizeof(read_only[0]); i++)
		if (expose(read_only[i], MOUNT_ATTR_RDONLY | (i == 1 ? MOUNT_ATTR_NOEXEC : 0)) < 0)
			goto outside;
	for (size_t i = 0; i < sizeof(real_dirs) / sizeof(real_dirs[0]); i++) /* an unmerged /usr */
		if (lstat(real_dirs[i], &st) == 0 && S_ISDIR(st.st_mode) && expose(real_dirs[i], MOUNT_ATTR_RDONLY) < 0)
			goto outside;
	if (expose_libfuzzer_paths(argc, argv) < 0 || build_root() < 0 ||
	    chdir(SANDBOX_TOP) < 0 || chroot(".") < 0 || chdir(cwd) < 0) {
		say("the sandbox: %s", "cannot be made (the host's mounts are untouched: a namespace of its own)");
		abort(); /* half made, and the working directory may be lost: no way on */
	}
	snprintf(fuzz_work, sizeof(fuzz_work), "/box-fuzz");
	if (mkdir(fuzz_work, 0755) < 0)
		abort();
	fifo_watch_start("/dev/fifo");
	snprintf(canary, sizeof(canary), "%s/canary", fuzz_work);
	write_file(canary, "the targets' directory: an input wrote nothing here\n");
	return true;

outside:
	say("no sandbox (%s): the target runs on the host, in a directory of its own", "a mount namespace");
	snprintf(fuzz_work, sizeof(fuzz_work), "/tmp/box-fuzz.XXXXXX");
	if (!mkdtemp(fuzz_work))
		abort();
	atexit(work_remove);
	return false;
}

/* Trees ---------------------------------------------------------------------- */

static struct fuzz_tree *scanning;
static size_t scan_root_length;

static uint64_t hash_bytes(uint64_t hash, const void *data, size_t size)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < size; i++)
		hash = (hash ^ p[i]) * 0x100000001b3ull; /* FNV-1a */
	return hash;
}

static int scan_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	struct fuzz_tree *t = scanning;
	if (t->count == t->allocated) {
		size_t more = t->allocated ? 2 * t->allocated : 64;
		struct fuzz_entry *entries = realloc(t->entries, more * sizeof(*entries));
		if (!entries)
			return -1;
		t->entries = entries;
		t->allocated = more;
	}
	struct fuzz_entry *e = &t->entries[t->count];
	const char *relative = path + scan_root_length;
	if (!(e->path = strdup(relative[0] ? relative : "/")))
		return -1;
	e->mode = st->st_mode;
	e->uid = st->st_uid;
	e->gid = st->st_gid;
	e->size = S_ISDIR(st->st_mode) ? 0 : (uint64_t)st->st_size; /* a directory's size is its entries' */
	e->inode = st->st_ino;
	e->links = S_ISDIR(st->st_mode) ? 0 : st->st_nlink;
	e->hash = 0xcbf29ce484222325ull;
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target));
		if (n > 0)
			e->hash = hash_bytes(e->hash, target, (size_t)n);
	} else if (S_ISREG(st->st_mode) && st->st_size <= 65536) {
		char buffer[4096];
		ssize_t n;
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		while (fd >= 0 && (n = read(fd, buffer, sizeof(buffer))) > 0)
			e->hash = hash_bytes(e->hash, buffer, (size_t)n);
		if (fd >= 0)
			close(fd);
	}
	t->count++;
	return 0;
}

int fuzz_tree_scan(const char *root, struct fuzz_tree *tree)
{
	memset(tree, 0, sizeof(*tree));
	scanning = tree;
	scan_root_length = strcmp(root, "/") == 0 ? 0 : strlen(root);
	return nftw(root, scan_entry, 16, FTW_PHYS | FTW_MOUNT);
}

void fuzz_tree_free(struct fuzz_tree *tree)
{
	for (size_t i = 0; i < tree->count; i++)
		free(tree->entries[i].path);
	free(tree->entries);
	memset(tree, 0, sizeof(*tree));
}

const struct fuzz_entry *fuzz_tree_find(const struct fuzz_tree *tree, const char *path)
{
	for (size_t i = 0; i < tree->count; i++)
		if (strcmp(tree->entries[i].path, path) == 0)
			return &tree->entries[i];
	return NULL;
}

static int open_up(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D || type == FTW_DNR)
		chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void fuzz_remove(const char *path)
{
	nftw(path, open_up, 16, FTW_PHYS | FTW_MOUNT);
	nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* Words ---------------------------------------------------------------------- */

char **fuzz_argv(const uint8_t *data, size_t size, const char *name, int max, int *argc)
{
	size_t name_length = strlen(name) + 1;
	char **argv = malloc((size_t)(max + 2) * sizeof(char *) + name_length + size + 1);
	if (!argv)
		abort();
	char *text = (char *)(argv + max + 2);
	memcpy(text, name, name_length);
	memcpy(text + name_length, data, size);
	text[name_length + size] = '\0';
	int count = 0;
	argv[count++] = text;
	for (size_t at = name_length; at < name_length + size && count < max + 1;) {
		argv[count++] = text + at;
		at += strlen(text + at) + 1;
	}
	argv[count] = NULL;
	*argc = count;
	return argv;
}
