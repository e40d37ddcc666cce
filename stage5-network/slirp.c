/* User-mode networking for rootless containers: slirp4netns(1).
 *
 * An ordinary user may not make a veth pair into the host's namespace, nor
 * a bridge, nor NAT rules there. slirp4netns needs none of that: it joins
 * the container's namespaces just long enough to open a tap device there
 * (eth0), goes back to the host's, and from then on plays the other end of
 * that tap in user space, with a copy of QEMU's user-mode network stack:
 * each TCP connection or UDP flow the container makes becomes an ordinary
 * socket of slirp4netns's, and a published port an ordinary listening one.
 * Slower than a veth (every packet crosses user space), and needing no
 * privilege at all. podman runs it for rootless containers.
 *
 * Why not pasta, podman 5's choice? Debian 12's build (a 2023-03 snapshot)
 * crashed here on the first connection to a published port.
 *
 * Two descriptors tie it to box: it writes "1" to the ready pipe once eth0
 * is up, and exits when the exit pipe is closed, which the kernel does for
 * box if box is killed. Ports are added through its API socket, one JSON
 * request each.
 */
#include "slirp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "ipam.h"
#include "report.h"

bool slirp_installed(void)
{
	const char *path = getenv("PATH");
	char candidate[PATH_MAX];

	for (const char *dir = path ? path : "/usr/bin:/bin"; *dir;) {
		size_t length = strcspn(dir, ":");
		snprintf(candidate, sizeof(candidate), "%.*s/slirp4netns", (int)length, dir);
		if (access(candidate, X_OK) == 0)
			return true;
		dir += length + (dir[length] == ':');
	}
	return false;
}

bool slirp_usable(void)
{
	return slirp_installed() && access("/dev/net/tun", R_OK | W_OK) == 0;
}

/* The last line slirp4netns logged: why it failed. */
static void last_words(const char *log, char *line, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen(log, "re");
	char buffer[512];

	snprintf(line, size, "no message");
	while (f && fgets(buffer, sizeof(buffer), f))
		if (buffer[0] != '\n') {
			buffer[strcspn(buffer, "\n")] = '\0';
			snprintf(line, size, "%.200s", buffer);
		}
}

// tag::publish[]
/* One request on the API socket: {"execute": "add_hostfwd", ...}. */
static int slirp_publish(const char *socket_path, const struct port_mapping *port)
{
	struct sockaddr_un where = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char request[256], reply[512], host[INET_ADDRSTRLEN];
	ssize_t length;

	if (strlen(socket_path) >= sizeof(where.sun_path))
		return error_set("%s: too long a path for a socket", socket_path);
	memcpy(where.sun_path, socket_path, strlen(socket_path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&where, sizeof(where)) < 0)
		return error_errno("connect to slirp4netns at %s", socket_path);
	int size = snprintf(request, sizeof(request),
			    "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", "
			    "\"host_addr\": \"%s\", \"host_port\": %u, \"guest_port\": %u}}",
			    port_protocol_name(port), address_text(port->host_ip, host),
			    port->host_port, port->container_port);
	trace("slirp4netns API: %s", request);
	/* One request per connection: the end of it is the end of our writing. */
	if (write(fd, request, (size_t)size) != size || shutdown(fd, SHUT_WR) < 0 ||
	    (length = read(fd, reply, sizeof(reply) - 1)) < 0)
		return error_errno("slirp4netns API at %s", socket_path);
	reply[length] = '\0';
	if (!strstr(reply, "\"return\""))
		return error_set("host port %u/%s: slirp4netns says %s", port->host_port,
				 port_protocol_name(port), reply);
	return 0;
}
// end::publish[]

// tag::start[]
int slirp_start(struct slirp *slirp, pid_t child, const struct port_mapping *ports, int count,
		const char *dir)
{
	char pid[16], socket_path[PATH_MAX], log[PATH_MAX], ready_arg[16], exit_arg[16], byte;
	int ready[2], exit_pipe[2];

	slirp->pid = 0;
	slirp->exit_fd = -1;
	snprintf(log, sizeof(log), "%s/slirp4netns.log", dir);
	if (snprintf(socket_path, sizeof(socket_path), "%s/slirp4netns.sock", dir) >=
	    (int)sizeof(((struct sockaddr_un *)0)->sun_path))
		return error_set("%s: too long a path for a socket (--state DIR shorter)", socket_path);
	if (pipe2(ready, O_CLOEXEC) < 0)
		return error_errno("pipe");
	if (pipe2(exit_pipe, O_CLOEXEC) < 0) {
		close(ready[0]);
		close(ready[1]);
		return error_errno("pipe");
	}
	snprintf(pid, sizeof(pid), "%d", child);
	/* --disable-host-loopback: the gateway 10.0.2.2 must not lead to the
	 * host's own 127.0.0.1. */
	trace("slirp4netns --configure --mtu=65520 --disable-host-loopback --api-socket %s "
	      "--ready-fd=3 --exit-fd=4 %d eth0", socket_path, child);
	slirp->pid = fork();
	if (slirp->pid < 0) {
		error_errno("fork for slirp4netns");
		slirp->pid = 0;
		close(ready[0]), close(ready[1]), close(exit_pipe[0]), close(exit_pipe[1]);
		return -1;
	}
	if (slirp->pid == 0) {
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		/* Its ends of the pipes on 3 and 4, without close-on-exec. */
		if (out < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0 ||
		    dup2(ready[1], 3) != 3 || dup2(exit_pipe[0], 4) != 4)
			_exit(EXIT_BOX_FAILED);
		snprintf(ready_arg, sizeof(ready_arg), "--ready-fd=3");
		snprintf(exit_arg, sizeof(exit_arg), "--exit-fd=4");
		signal(SIGPIPE, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execlp("slirp4netns", "slirp4netns", "--configure", "--mtu=65520",
		       "--disable-host-loopback", "--api-socket", socket_path, ready_arg, exit_arg,
		       pid, "eth0", (char *)NULL);
		_exit(EXIT_NOT_FOUND);
	}
	close(ready[1]);
	close(exit_pipe[0]);
	slirp->exit_fd = exit_pipe[1];
	/* "1" on the ready pipe: eth0 is up. End of file: it died. */
	ssize_t got = read(ready[0], &byte, 1);
	close(ready[0]);
	if (got != 1) {
		int status = 0;
		close(slirp->exit_fd);
		waitpid(slirp->pid, &status, 0);
		slirp->pid = 0;
		slirp->exit_fd = -1;
		if (WIFEXITED(status) && WEXITSTATUS(status) == EXIT_NOT_FOUND)
			return error_set("slirp4netns is not installed (Debian's slirp4netns; make deps)");
		char why[256];
		last_words(log, why, sizeof(why));
		if (access("/dev/net/tun", R_OK | W_OK) < 0)
			return error_set("slirp4netns needs /dev/net/tun, which this user may not open "
					 "(--network none does without)");
		return error_set("slirp4netns failed: %s (see %s)", why, log);
	}
	for (int i = 0; i < count; i++)
		if (slirp_publish(socket_path, &ports[i]) < 0)
			return -1;
	return 0;
}
// end::start[]

void slirp_stop(struct slirp *slirp)
{
	if (slirp->pid <= 0)
		return; /* never started, or stopped already */
	trace("close slirp4netns's exit pipe: it ends");
	close(slirp->exit_fd);
	/* ECHILD: supervise() reaped it already, had it ended before. */
	waitpid(slirp->pid, NULL, 0);
	slirp->pid = 0;
	slirp->exit_fd = -1;
}
