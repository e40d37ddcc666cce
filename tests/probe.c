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
 *   probe serve PORT [udp]  answer every connection (or datagram) on PORT with
 *                           "hello from HOSTNAME to ADDRESS" (the peer's address);
 *                           prints "serving PORT" once it listens
 *   probe connect ADDR PORT [udp]   print what the server at ADDR:PORT says
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
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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
	struct sockaddr_in self = { .sin_family = AF_INET, .sin_port = htons((uint16_t)number(port)) };
	struct utsname u;
	char reply[256], peer_text[INET_ADDRSTRLEN], buffer[64];

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
		"zombie|escape MARKER|syscall NAME|serve PORT [udp]|connect ADDR PORT [udp]|exit N|signal N\n");
	return 2;
}
