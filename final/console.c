/* The container's terminal: see console.h. */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

int console_connect(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(address.sun_path))
		return error_set("--console-socket %s: too long for a unix socket", path);
	strcpy(address.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_errno("socket");
	if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		error_errno("--console-socket %s", path);
		close(fd);
		return -1;
	}
	return fd;
}

// tag::console[]
int console_create(int socket, unsigned short height, unsigned short width)
{
	char name[64];

	/* /dev/ptmx inside the container: its devpts, its numbering. */
	_cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return error_errno("open /dev/ptmx (process.terminal needs a devpts on /dev/pts)");
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		return error_errno("unlockpt /dev/ptmx");
	trace("open(\"/dev/ptmx\") -> %s", name);
	if (height && width && ioctl(master, TIOCSWINSZ, &(struct winsize){ .ws_row = height, .ws_col = width }) < 0)
		return error_errno("TIOCSWINSZ %s", name);
	/* The master goes to the socket's reader, one descriptor in one
	 * message; a byte of data must go with it (unix(7)). */
	char byte = 0, control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec data = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control,
				  .msg_controllen = sizeof(control) };
	struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
	rights->cmsg_level = SOL_SOCKET;
	rights->cmsg_type = SCM_RIGHTS;
	rights->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(rights), &master, sizeof(int));
	if (sendmsg(socket, &message, MSG_NOSIGNAL) < 0)
		return error_errno("send the terminal's master over the console socket");
	close(socket);
	/* The other end: a session of our own, with this terminal as its
	 * controlling terminal, and it as stdin, stdout and stderr. */
	_cleanup_close_ int slave = open(name, O_RDWR | O_CLOEXEC);
	if (slave < 0)
		return error_errno("open %s", name);
	if (setsid() < 0 && errno != EPERM)
		return error_errno("setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return error_errno("TIOCSCTTY %s", name);
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return error_errno("dup2 %s", name);
	return 0;
}
// end::console[]

int console_receive(int socket)
{
	char byte, control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec data = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control,
				  .msg_controllen = sizeof(control) };
	int master = -1;

	if (recvmsg(socket, &message, MSG_CMSG_CLOEXEC) <= 0)
		return error_errno("receive the terminal's master");
	struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
	if (!rights || rights->cmsg_type != SCM_RIGHTS)
		return error_set("the container sent no terminal");
	memcpy(&master, CMSG_DATA(rights), sizeof(int));
	return master;
}

/* Copy what FROM has to TO; false when FROM is at its end. */
static bool copy_some(int from, int to)
{
	char buffer[8192];
	ssize_t n = read(from, buffer, sizeof(buffer));

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	for (ssize_t done = 0; done < n;) {
		ssize_t w = write(to, buffer + done, (size_t)(n - done));
		if (w < 0 && errno != EINTR)
			return false;
		done += w > 0 ? w : 0;
	}
	return true;
}

int console_proxy(int master, int child)
{
	struct termios saved, raw;
	bool restore = tcgetattr(STDIN_FILENO, &saved) == 0;
	sigset_t signals;
	int status = 0;

	if (restore) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		struct winsize size;
		if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
			ioctl(master, TIOCSWINSZ, &size);
	}
	sigfillset(&signals);
	_cleanup_close_ int events = signalfd(-1, &signals, SFD_CLOEXEC);
	bool input_open = true;
	for (;;) {
		struct pollfd fds[3] = { { events, POLLIN, 0 }, { master, POLLIN, 0 },
					 { input_open ? STDIN_FILENO : -1, POLLIN, 0 } };
		if (poll(fds, 3, -1) < 0 && errno != EINTR)
			break;
		if (fds[1].revents & (POLLIN | POLLHUP))
			copy_some(master, STDOUT_FILENO);
		if (fds[2].revents & (POLLIN | POLLHUP))
			input_open = copy_some(STDIN_FILENO, master);
		if (!(fds[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo info;
		if (read(events, &info, sizeof(info)) != sizeof(info))
			continue;
		if (info.ssi_signo == SIGWINCH) {
			struct winsize size;
			if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
				ioctl(master, TIOCSWINSZ, &size);
		} else if (info.ssi_signo == SIGCHLD) {
			pid_t pid;
			int s;
			while ((pid = waitpid(-1, &s, WNOHANG)) > 0)
				if (pid == child) {
					status = s;
					goto done;
				}
		} else {
			kill(child, (int)info.ssi_signo);
		}
	}
done:
	/* What it wrote last, without waiting for more: another process of
	 * the container may hold the terminal open. */
	fcntl(master, F_SETFL, O_NONBLOCK);
	char buffer[8192];
	for (ssize_t n; (n = read(master, buffer, sizeof(buffer))) > 0;)
		if (write(STDOUT_FILENO, buffer, (size_t)n) < 0)
			break;
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return status;
}
