/* probe: one static multi-call program that the tests run inside containers.
 *
 * Each verb asks the kernel one question, or makes one attack, and prints the
 * answer on a line of its own, so that a test can assert on it:
 *
 *   probe pid               "pid=1 ppid=0"
 *   probe hostname          the node name uname(2) reports
 *   probe id                "uid=0 gid=0"
 *   probe memhog MIB        allocate and touch MIB MiB, 1 MiB at a time
 *   probe forks N           try to make N processes; "forked=K"; end them all
 *   probe burn SECONDS      spin on the CPU for SECONDS of wall time
 *   probe zombie            leave an orphan to PID 1; "reaped" once it is gone
 *   probe escape MARKER     the classic chroot escape; "escaped" or "contained"
 *   probe syscall NAME      try one privileged call; "NAME: ok" or "NAME: EPERM"
 *   probe serve [ADDR:]PORT [udp]  answer every connection (or datagram) on PORT with
 *                           "hello from HOSTNAME to ADDRESS" (the peer's address);
 *                           prints "serving PORT" once it listens
 *   probe connect ADDR PORT [udp]   print what the server at ADDR:PORT says
 *   probe attack NAME [ARG] one harmless attack (see attack_table): prints
 *                           "NAME: ALLOWED (...)", "NAME: BLOCKED (ERRNO)" or
 *                           "NAME: N/A (...)" when this kernel lacks the way in
 *   probe cost NAME COUNT   the time of one system call (getppid: always allowed;
 *                           personality: its argument checked): "NAME: N ns"
 *   probe exit N            exit with status N
 *   probe signal N          kill itself with signal N (as PID 1: "signal N ignored")
 *
 * Built with -static: it needs nothing from the rootfs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/keyctl.h>
#include <linux/reboot.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/io.h>
#include <sys/klog.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <termios.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "probe: %s: %s\n", what, strerror(errno));
	exit(2);
}

static long number(const char *text)
{
	char *end;
	long value = strtol(text, &end, 10);

	if (end == text || *end) {
		fprintf(stderr, "probe: \"%s\" is not a number\n", text);
		exit(2);
	}
	return value;
}

static int verb_pid(void)
{
	printf("pid=%d ppid=%d\n", getpid(), getppid());
	return 0;
}

static int verb_hostname(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		fail("uname");
	printf("%s\n", u.nodename);
	return 0;
}

static int verb_id(void)
{
	printf("uid=%d gid=%d\n", getuid(), getgid());
	return 0;
}

/* Touch every page, so that the memory is really charged (malloc alone only
 * reserves address space). */
static int verb_memhog(long mib)
{
	for (long i = 0; i < mib; i++) {
		char *chunk = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunk == MAP_FAILED)
			fail("mmap");
		memset(chunk, 0x5a, 1 << 20);
	}
	printf("allocated %ld MiB\n", mib);
	return 0;
}

/* Make up to N processes that wait; report how many the kernel allowed. */
static int verb_forks(long wanted)
{
	pid_t *children = calloc(wanted > 0 ? wanted : 1, sizeof(pid_t));
	long made = 0;

	if (!children)
		fail("calloc");
	for (; made < wanted; made++) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			pause();
			_exit(0);
		}
		children[made] = pid;
	}
	printf("forked=%ld\n", made);
	fflush(stdout);
	for (long i = 0; i < made; i++)
		kill(children[i], SIGKILL);
	for (long i = 0; i < made; i++)
		waitpid(children[i], NULL, 0);
	free(children);
	return 0;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int verb_burn(long seconds)
{
	volatile unsigned long spins = 0;
	double end = now() + seconds;

	while (now() < end)
		for (int i = 0; i < 100000; i++)
			spins++;
	printf("burned %ld s\n", seconds);
	return 0;
}

/* A child makes a grandchild and exits at once; the grandchild exits a
 * moment later, an orphan whose parent is now PID 1. Only a PID 1 that
 * reaps (wait(2)s for orphans) makes its zombie go away. */
static int verb_zombie(void)
{
	int pipefd[2];
	pid_t orphan;

	if (pipe(pipefd) < 0)
		fail("pipe");
	pid_t child = fork();
	if (child < 0)
		fail("fork");
	if (child == 0) {
		pid_t grandchild = fork();
		if (grandchild == 0) {
			usleep(100 * 1000);
			_exit(0);
		}
		if (write(pipefd[1], &grandchild, sizeof(grandchild)) != sizeof(grandchild))
			_exit(1);
		_exit(0);
	}
	if (read(pipefd[0], &orphan, sizeof(orphan)) != sizeof(orphan))
		fail("read");
	waitpid(child, NULL, 0);

	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", orphan);
	for (int tries = 0; tries < 50; tries++) { /* 5 s at most */
		if (access(path, F_OK) < 0) {
			printf("reaped\n");
			return 0;
		}
		usleep(100 * 1000);
	}
	printf("zombie %d was not reaped\n", orphan);
	return 1;
}

/* The classic escape from chroot(2), as root: chroot into a subdirectory (/tmp)
 * while holding a directory fd outside it, fchdir(2) back out to it, climb
 * with chdir("..") (nothing stops it: the process's root is now below), then
 * chroot(".") at the real root. MARKER is a path that exists only on the host. */
// tag::escape[]
static int verb_escape(const char *marker)
{
	int outside = open(".", O_RDONLY | O_DIRECTORY);

	if (outside < 0)
		fail("open .");
	if (chroot("/tmp") < 0) {
		printf("contained: chroot: %s\n", strerror(errno));
		return 1;
	}
	if (fchdir(outside) < 0)
		fail("fchdir");
	for (int i = 0; i < 256; i++)
		if (chdir("..") < 0)
			fail("chdir ..");
	if (chroot(".") < 0)
		fail("chroot .");
	if (access(marker, F_OK) == 0) {
		printf("escaped: %s is visible\n", marker);
		return 0;
	}
	printf("contained: %s is not visible\n", marker);
	return 1;
}
// end::escape[]

/* One privileged operation each: what is still allowed in the container? */
static int verb_syscall(const char *name)
{
	int result;

	if (strcmp(name, "mount") == 0)
		result = mount("none", "/tmp", "tmpfs", 0, NULL);
	else if (strcmp(name, "unshare-user") == 0)
		result = unshare(CLONE_NEWUSER);
	else if (strcmp(name, "unshare-mount") == 0)
		result = unshare(CLONE_NEWNS);
	else if (strcmp(name, "sethostname") == 0)
		result = sethostname("probe", 5);
	else if (strcmp(name, "mknod") == 0)
		result = mknod("/tmp/.probe-null", S_IFCHR | 0600, makedev(1, 3)) ||
			 unlink("/tmp/.probe-null");
	else if (strcmp(name, "chroot") == 0)
		result = chroot("/");
	else if (strcmp(name, "keepcaps") == 0)
		result = prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	else if (strcmp(name, "clone3") == 0) /* no arguments: EINVAL, if the kernel sees it */
		result = (int)syscall(SYS_clone3, NULL, 0);
	else if (strcmp(name, "number-1000") == 0) /* no system call has this number */
		result = (int)syscall(1000);
	else if (strcmp(name, "getppid") == 0)
		result = syscall(SYS_getppid) >= 0 ? 0 : -1; /* glibc's getppid never sets errno */
	else {
		fprintf(stderr, "probe: unknown syscall %s\n", name);
		return 2;
	}
	if (result == 0) {
		printf("%s: ok\n", name);
		return 0;
	}
	printf("%s: %s\n", name, strerrorname_np(errno));
	return 1;
}

static int socket_for(const char *protocol)
{
	bool udp = protocol && strcmp(protocol, "udp") == 0;
	int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	struct timeval timeout = { .tv_sec = 5 };

	if (fd < 0)
		fail("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
	return fd;
}

/* A tiny server: who am I, and who do I see you as (after any NAT)? */
static int verb_serve(const char *port, const char *protocol)
{
	bool udp = protocol && strcmp(protocol, "udp") == 0;
	int fd = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0), yes = 1;
	struct sockaddr_in self = { .sin_family = AF_INET };
	struct utsname u;
	char reply[256], peer_text[INET_ADDRSTRLEN], buffer[64], address[INET_ADDRSTRLEN] = "0.0.0.0";
	const char *colon = strchr(port, ':');

	/* [ADDR:]PORT: one address only, 127.0.0.1 say; every one by default. */
	if (colon) {
		snprintf(address, sizeof(address), "%.*s", (int)(colon - port), port);
		port = colon + 1;
	}
	self.sin_port = htons((uint16_t)number(port));
	if (inet_pton(AF_INET, address, &self.sin_addr) != 1) {
		fprintf(stderr, "probe: bad address %s\n", address);
		return 2;
	}
	if (fd < 0 || uname(&u) < 0)
		fail("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
	if (bind(fd, (struct sockaddr *)&self, sizeof(self)) < 0)
		fail("bind");
	if (!udp && listen(fd, 64) < 0)
		fail("listen");
	printf("serving %s\n", port);
	for (;;) {
		struct sockaddr_in peer;
		socklen_t length = sizeof(peer);
		if (udp) {
			if (recvfrom(fd, buffer, sizeof(buffer), 0, (struct sockaddr *)&peer, &length) < 0)
				continue;
		} else {
			int connection = accept(fd, (struct sockaddr *)&peer, &length);
			if (connection < 0)
				continue;
			int size = snprintf(reply, sizeof(reply), "hello from %s to %s\n", u.nodename,
					    inet_ntop(AF_INET, &peer.sin_addr, peer_text, sizeof(peer_text)));
			if (write(connection, reply, (size_t)size) < 0)
				perror("probe: write");
			close(connection);
			continue;
		}
		int size = snprintf(reply, sizeof(reply), "hello from %s to %s\n", u.nodename,
				    inet_ntop(AF_INET, &peer.sin_addr, peer_text, sizeof(peer_text)));
		sendto(fd, reply, (size_t)size, 0, (struct sockaddr *)&peer, length);
	}
}

static int verb_connect(const char *address, const char *port, const char *protocol)
{
	int fd = socket_for(protocol);
	struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons((uint16_t)number(port)) };
	char reply[256];
	ssize_t length;

	if (inet_pton(AF_INET, address, &server.sin_addr) != 1) {
		fprintf(stderr, "probe: \"%s\" is not an IPv4 address\n", address);
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0 ||
	    (protocol && strcmp(protocol, "udp") == 0 && write(fd, "hi", 2) != 2) ||
	    (length = read(fd, reply, sizeof(reply) - 1)) < 0) {
		printf("connect %s:%s: %s\n", address, port, strerrorname_np(errno));
		return 1;
	}
	reply[length] = '\0';
	fputs(reply, stdout);
	return 0;
}

/* The attacks ---------------------------------------------------------------
 *
 * Each tries one thing a container's root should not be able to do, in a way
 * that cannot harm the host: arguments the kernel rejects only after its
 * permission checks (a file system type that does not exist, a descriptor
 * of -1, a bad magic number), files opened for writing and never written,
 * nodes made and opened but never read. Then EPERM, EACCES or EROFS mean
 * that a policy stopped it (BLOCKED), ENOSYS that this kernel has no such
 * thing (N/A), and any other answer that the call got through to the
 * kernel's own work (ALLOWED).
 */
static int verdict(const char *name, long result, int error)
{
	if (result >= 0) {
		printf("%s: ALLOWED\n", name);
		return 0;
	}
	if (error == EPERM || error == EACCES || error == EROFS) {
		printf("%s: BLOCKED (%s)\n", name, strerrorname_np(error));
		return 1;
	}
	if (error == ENOSYS) {
		printf("%s: N/A (ENOSYS: this kernel lacks it)\n", name);
		return 2;
	}
	printf("%s: ALLOWED (the kernel got as far as %s)\n", name, strerrorname_np(error));
	return 0;
}

/* verdict() of EXPRESSION, with the errno it left (read after it ran). */
#define TRY(name, expression) ({ errno = 0; long result_ = (long)(expression); verdict(name, result_, errno); })

static int say(const char *name, const char *outcome, const char *detail)
{
	printf("%s: %s (%s)\n", name, outcome, detail);
	return strcmp(outcome, "ALLOWED") == 0 ? 0 : strcmp(outcome, "BLOCKED") == 0 ? 1 : 2;
}

/* Stage 1 mounts no /proc: attacks through it have nothing to work on. */
static bool have_proc(void)
{
	return access("/proc/self/status", F_OK) == 0;
}

/* Run FN in a child, so that what it changes (namespaces) dies with it. */
static int in_child(const char *name, int (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		fail("fork");
	if (pid == 0)
		_exit(fn() == 0 ? 0 : errno);
	waitpid(pid, &status, 0);
	int error = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	return verdict(name, error ? -1 : 0, error);
}
static int new_user_namespace(void) { return unshare(CLONE_NEWUSER); }
static int new_other_namespaces(void) { return unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS); }

static int open_for_writing(const char *name, const char *path)
{
	if (!have_proc())
		return say(name, "N/A", "no /proc or /sys here: stage 1 mounts none");
	int fd = open(path, O_WRONLY | O_CLOEXEC); /* never written to */
	if (fd < 0 && errno == ENOENT)
		return say(name, "N/A", "this kernel has no such file");
	int error = errno;
	if (fd >= 0)
		close(fd);
	return verdict(name, fd, error);
}

static int attack_mknod_disk(const char *name, const char *device)
{
	unsigned major, minor;
	char type, node[64] = "/tmp/.probe-device";

	/* A directory whose mount allows device nodes: a machine's /tmp may
	 * be a nodev tmpfs, which would stop the host's own root for a reason
	 * that is not the one this attack is about. */
	static const char *const dirs[] = { "/tmp", "/var/tmp", "/root", "/" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		struct statvfs fs;
		if (statvfs(dirs[i], &fs) == 0 && !(fs.f_flag & (ST_NODEV | ST_RDONLY))) {
			snprintf(node, sizeof(node), "%s/.probe-device", strcmp(dirs[i], "/") ? dirs[i] : "");
			break;
		}
	}

	if (!device || sscanf(device, "%c:%u:%u", &type, &major, &minor) != 3 || (type != 'b' && type != 'c')) {
		fprintf(stderr, "probe: attack %s b|c:MAJOR:MINOR\n", name);
		return 3;
	}
	unlink(node);
	if (mknod(node, (type == 'b' ? S_IFBLK : S_IFCHR) | 0600, makedev(major, minor)) < 0) {
		int error = errno;
		printf("%s: BLOCKED (mknod: %s)\n", name, strerrorname_np(error));
		return 1;
	}
	int fd = open(node, O_RDONLY | O_CLOEXEC); /* never read */
	int error = errno;
	if (fd >= 0)
		close(fd);
	unlink(node);
	if (fd >= 0)
		return say(name, "ALLOWED", "the host's device opened");
	printf("%s: BLOCKED (open: %s)\n", name, strerrorname_np(error));
	return 1;
}

static int attack_host_network(const char *name, const char *mac)
{
	struct if_nameindex *all = if_nameindex();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (!mac || fd < 0 || !all) {
		fprintf(stderr, "probe: attack %s MAC\n", name);
		return 3;
	}
	/* Every interface of this network namespace, and its hardware address. */
	for (struct if_nameindex *i = all; i->if_index; i++) {
		struct ifreq r = { 0 };
		char text[32];
		snprintf(r.ifr_name, sizeof(r.ifr_name), "%s", i->if_name);
		if (ioctl(fd, SIOCGIFHWADDR, &r) < 0)
			continue;
		unsigned char *a = (unsigned char *)r.ifr_hwaddr.sa_data;
		snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
		if (strcasecmp(text, mac) == 0) {
			if_freenameindex(all);
			return say(name, "ALLOWED", "the host's interface is here");
		}
	}
	if_freenameindex(all);
	return say(name, "BLOCKED", "the host's interface is not in this network namespace");
}

static int attack_shocker(const char *name)
{
	struct { struct file_handle head; unsigned char bytes[128]; } handle;
	int mount_id;

	handle.head.handle_bytes = sizeof(handle.bytes);
	/* /dev: a tmpfs from stage 2 on, which can name its files by handle
	 * (overlayfs, the container's root, cannot without nfs_export). */
	if (name_to_handle_at(AT_FDCWD, "/dev/null", &handle.head, &mount_id, 0) < 0)
		return verdict(name, -1, errno);
	int root = open("/dev", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd = open_by_handle_at(root, &handle.head, O_RDONLY | O_CLOEXEC);
	int error = errno;
	if (fd >= 0)
		close(fd);
	close(root);
	return verdict(name, fd, error);
}

static int attack_timer_list(const char *name)
{
	char buffer[256];

	if (!have_proc())
		return say(name, "N/A", "no /proc here: stage 1 mounts none");
	int fd = open("/proc/timer_list", O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return say(name, "N/A", "this kernel has no such file");
	if (fd < 0)
		return TRY(name, -1);
	ssize_t length = read(fd, buffer, sizeof(buffer));
	close(fd);
	if (length > 0)
		return say(name, "ALLOWED", "every timer of the machine is listed");
	return say(name, "BLOCKED", "masked: empty");
}

/* A cgroup file to write: /sys/fs/cgroup's, or a mount of the memory
 * hierarchy made here (undone at once): the precondition of the v1
 * release_agent escape (CVE-2022-0492). */
static int attack_cgroup_write(const char *name)
{
	const char *dir = "/tmp/.probe-cgroup";
	char path[300];
	DIR *d;

	if (!have_proc())
		return say(name, "N/A", "no /proc or /sys here: stage 1 mounts none");
	if ((d = opendir("/sys/fs/cgroup"))) {
		for (struct dirent *e; (e = readdir(d));) {
			snprintf(path, sizeof(path), "/sys/fs/cgroup/%s/cgroup.procs", e->d_name);
			if (e->d_name[0] == '.' || access(path, F_OK) < 0)
				continue;
			closedir(d);
			return open_for_writing(name, path);
		}
		closedir(d);
	}
	if (access("/sys/fs/cgroup/cgroup.procs", F_OK) == 0)
		return open_for_writing(name, "/sys/fs/cgroup/cgroup.procs");
	mkdir(dir, 0700);
	if (mount("cgroup", dir, "cgroup", 0, "memory") < 0) {
		int error = errno;
		rmdir(dir);
		return verdict(name, -1, error == ENOENT || error == ENODEV ? EPERM : error);
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	int fd = open(path, O_WRONLY | O_CLOEXEC), error = errno;
	if (fd >= 0)
		close(fd);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	return fd >= 0 ? say(name, "ALLOWED", "mounted a cgroup hierarchy, writable") : verdict(name, -1, error);
}

static int attack_leaked_fds(const char *name)
{
	for (int fd = 3; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) >= 0) {
			char detail[64];
			snprintf(detail, sizeof(detail), "descriptor %d is open", fd);
			return say(name, "ALLOWED", detail);
		}
	return say(name, "BLOCKED", "no descriptor but 0, 1 and 2");
}

/* Any process or open file here that is the host's box binary (dev:ino). */
static int attack_runtime_binary(const char *name, const char *identity)
{
	unsigned long long dev, ino;
	char path[300];
	DIR *procs;

	if (!identity || sscanf(identity, "%llu:%llu", &dev, &ino) != 2) {
		fprintf(stderr, "probe: attack %s DEV:INO\n", name);
		return 3;
	}
	if (!have_proc() || !(procs = opendir("/proc")))
		return say(name, "N/A", "no /proc here: stage 1 mounts none, and execs the command itself");
	for (struct dirent *p; (p = readdir(procs));) {
		struct stat st;
		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/exe", p->d_name);
		if (stat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino) {
			closedir(procs);
			return say(name, "ALLOWED", path);
		}
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		DIR *fds = opendir(path);
		for (struct dirent *f; fds && (f = readdir(fds));) {
			char link[600];
			snprintf(link, sizeof(link), "/proc/%s/fd/%s", p->d_name, f->d_name);
			if (stat(link, &st) == 0 && st.st_dev == dev && st.st_ino == ino) {
				closedir(fds);
				closedir(procs);
				return say(name, "ALLOWED", link);
			}
		}
		if (fds)
			closedir(fds);
	}
	closedir(procs);
	return say(name, "BLOCKED", "no process or descriptor here is the host's box");
}

static int attack_tiocsti(const char *name)
{
	char nothing = 0;

	if (!isatty(STDIN_FILENO))
		return say(name, "N/A", "stdin is not a terminal");
	/* One NUL into the terminal's input: the test's own pty, which it drops. */
	return TRY(name, ioctl(STDIN_FILENO, TIOCSTI, &nothing));
}

/* The same ioctl with high bits set in its request: the kernel reads the
 * request as 32 bits and sees TIOCSTI; a filter testing all 64 would not. */
static int attack_tiocsti_high(const char *name)
{
	char nothing = 0;

	if (!isatty(STDIN_FILENO))
		return say(name, "N/A", "stdin is not a terminal");
	return TRY(name, syscall(SYS_ioctl, STDIN_FILENO, 0x100000000UL | TIOCSTI, &nothing));
}

static int attack_setuid(const char *name)
{
	if (geteuid() == 0)
		return say(name, "ALLOWED", "euid 0");
	char detail[32];
	snprintf(detail, sizeof(detail), "euid %u", geteuid());
	return say(name, "BLOCKED", detail);
}

static int attack(const char *name, const char *arg)
{
	struct timespec bad_time = { .tv_sec = 0, .tv_nsec = -1 };

	if (strcmp(name, "chroot-escape") == 0) {
		if (!arg)
			return 3;
		int outside = open(".", O_RDONLY | O_DIRECTORY);
		if (chroot("/tmp") < 0)
			return TRY(name, -1);
		if (fchdir(outside) < 0)
			fail("fchdir");
		for (int i = 0; i < 256; i++)
			if (chdir("..") < 0)
				fail("chdir ..");
		if (chroot(".") < 0)
			fail("chroot .");
		return access(arg, F_OK) == 0 ? say(name, "ALLOWED", "the host's files are visible")
					       : say(name, "BLOCKED", "still inside");
	}
	if (strcmp(name, "mount") == 0)
		return TRY(name, mount("none", "/tmp", "box-probe-no-such-fs", 0, NULL));
	if (strcmp(name, "fsopen") == 0)
		return TRY(name, syscall(SYS_fsopen, "box-probe-no-such-fs", 0));
	if (strcmp(name, "mknod-open") == 0)
		return attack_mknod_disk(name, arg);
	if (strcmp(name, "finit-module") == 0)
		return TRY(name, syscall(SYS_finit_module, -1, "", 0));
	if (strcmp(name, "kexec") == 0)
		return TRY(name, syscall(SYS_kexec_file_load, -1, -1, 0, "", 0));
	if (strcmp(name, "reboot") == 0) /* a magic number that is not: EINVAL after the check */
		return TRY(name, syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0, LINUX_REBOOT_CMD_CAD_OFF, NULL));
	if (strcmp(name, "raw-socket") == 0) {
		int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
		int error = errno;
		if (fd >= 0)
			close(fd);
		return verdict(name, fd, error);
	}
	if (strcmp(name, "host-network") == 0)
		return attack_host_network(name, arg);
	if (strcmp(name, "unshare-user") == 0)
		return in_child(name, new_user_namespace);
	if (strcmp(name, "unshare-other") == 0)
		return in_child(name, new_other_namespaces);
	if (strcmp(name, "keyring") == 0)
		return TRY(name, syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
	if (strcmp(name, "bpf") == 0)
		return TRY(name, syscall(SYS_bpf, BPF_MAP_CREATE, NULL, 0));
	if (strcmp(name, "perf") == 0)
		return TRY(name, syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
	if (strcmp(name, "shocker") == 0)
		return attack_shocker(name);
	if (strcmp(name, "ioperm") == 0)
		return TRY(name, ioperm(0x80, 1, 0));
	if (strcmp(name, "swapon") == 0)
		return TRY(name, swapon("/box-probe-no-such-file", 0));
	if (strcmp(name, "syslog") == 0)
		return TRY(name, klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
	if (strcmp(name, "userfaultfd") == 0) {
		long fd = syscall(SYS_userfaultfd, O_CLOEXEC);
		int error = errno;
		if (fd >= 0)
			close((int)fd);
		return verdict(name, fd, error);
	}
	if (strcmp(name, "io-uring") == 0)
		return TRY(name, syscall(SYS_io_uring_setup, 0, NULL));
	if (strcmp(name, "clock") == 0)
		return TRY(name, syscall(SYS_clock_settime, CLOCK_REALTIME, &bad_time)); /* not glibc's: it checks first */
	if (strcmp(name, "acct") == 0)
		return TRY(name, acct("/box-probe-no-such-file"));
	if (strcmp(name, "vsock") == 0) {
		int fd = socket(40 /* AF_VSOCK */, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int error = errno;
		if (fd >= 0)
			close(fd);
		return verdict(name, fd, error == EAFNOSUPPORT ? ENOSYS : error);
	}
	if (strcmp(name, "vsock-high") == 0) { /* AF_VSOCK with high bits: the kernel reads an int */
		long fd = syscall(SYS_socket, 0x100000000UL | 40, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int error = errno;
		if (fd >= 0)
			close((int)fd);
		return verdict(name, fd, error == EAFNOSUPPORT ? ENOSYS : error);
	}
	if (strcmp(name, "sysrq") == 0)
		return open_for_writing(name, "/proc/sysrq-trigger");
	if (strcmp(name, "kcore") == 0) {
		if (!have_proc())
			return say(name, "N/A", "no /proc here: stage 1 mounts none");
		int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
		int error = errno;
		if (fd >= 0)
			close(fd);
		return fd < 0 && error == ENOENT ? say(name, "N/A", "this kernel has no /proc/kcore") : verdict(name, fd, error);
	}
	if (strcmp(name, "timer-list") == 0)
		return attack_timer_list(name);
	if (strcmp(name, "write-sys") == 0)
		return open_for_writing(name, "/sys/kernel/mm/ksm/run");
	if (strcmp(name, "cgroup-write") == 0)
		return attack_cgroup_write(name);
	if (strcmp(name, "core-pattern") == 0)
		return open_for_writing(name, "/proc/sys/kernel/core_pattern");
	if (strcmp(name, "host-process") == 0)
	{
		if (!arg)
			return 3;
		errno = 0;
		if (kill((pid_t)number(arg), 0) == 0)
			return say(name, "ALLOWED", "the host's process is reachable");
		return errno == ESRCH ? say(name, "BLOCKED", "ESRCH: no such process in sight") : verdict(name, -1, errno);
	}
	if (strcmp(name, "leaked-fds") == 0)
		return attack_leaked_fds(name);
	if (strcmp(name, "runtime-binary") == 0)
		return attack_runtime_binary(name, arg);
	if (strcmp(name, "tiocsti") == 0)
		return attack_tiocsti(name);
	if (strcmp(name, "tiocsti-high") == 0)
		return attack_tiocsti_high(name);
	if (strcmp(name, "setuid") == 0)
		return attack_setuid(name);
	fprintf(stderr, "probe: no attack %s\n", name);
	return 3;
}

/* What one system call costs, filter and all: COUNT calls in a loop. */
static int verb_cost(const char *name, const char *count_text)
{
	long count = number(count_text);
	struct timespec start, end;

	if (strcmp(name, "getppid") != 0 && strcmp(name, "personality") != 0) {
		fprintf(stderr, "probe: cost getppid|personality COUNT\n");
		return 2;
	}
	bool query = strcmp(name, "personality") == 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (long i = 0; i < count; i++)
		if (query)
			syscall(SYS_personality, 0xffffffffUL); /* a query: changes nothing */
		else
			syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &end);
	double ns = ((end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec)) / (double)count;
	printf("%s: %.1f ns\n", name, ns);
	return 0;
}

int main(int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(verb, "pid") == 0)
		return verb_pid();
	if (strcmp(verb, "hostname") == 0)
		return verb_hostname();
	if (strcmp(verb, "id") == 0)
		return verb_id();
	if (arg && strcmp(verb, "memhog") == 0)
		return verb_memhog(number(arg));
	if (arg && strcmp(verb, "forks") == 0)
		return verb_forks(number(arg));
	if (arg && strcmp(verb, "burn") == 0)
		return verb_burn(number(arg));
	if (strcmp(verb, "zombie") == 0)
		return verb_zombie();
	if (arg && strcmp(verb, "escape") == 0)
		return verb_escape(arg);
	if (arg && strcmp(verb, "syscall") == 0)
		return verb_syscall(arg);
	if (arg && strcmp(verb, "serve") == 0)
		return verb_serve(arg, argc > 3 ? argv[3] : NULL);
	if (argc > 3 && strcmp(verb, "connect") == 0)
		return verb_connect(arg, argv[3], argc > 4 ? argv[4] : NULL);
	if (argc > 3 && strcmp(verb, "cost") == 0)
		return verb_cost(arg, argv[3]);
	if (arg && strcmp(verb, "attack") == 0)
		return attack(arg, argc > 3 ? argv[3] : NULL);
	if (arg && strcmp(verb, "exit") == 0)
		return (int)number(arg);
	if (arg && strcmp(verb, "signal") == 0) {
		signal((int)number(arg), SIG_DFL);
		raise((int)number(arg));
		/* Still here: the kernel drops a signal that a namespace's PID 1
		 * sends itself without a handler (pid_namespaces(7)). */
		printf("signal %ld ignored: I am PID %d\n", number(arg), getpid());
		return 2;
	}
	fprintf(stderr, "usage: probe pid|hostname|id|memhog MIB|forks N|burn SECONDS|"
		"zombie|escape MARKER|syscall NAME|serve [ADDR:]PORT [udp]|connect ADDR PORT [udp]|attack NAME [ARG]|exit N|signal N\n");
	return 2;
}
