/* console-receiver SOCKET [INPUT]: the other end of --console-socket, as
 * runc's recvtty is: listen on the unix socket SOCKET, accept one
 * connection, receive the terminal's master it sends (SCM_RIGHTS,
 * unix(7)), write INPUT to it if given, then copy what the master reads to
 * stdout until the terminal hangs up (EIO: the container's side is closed)
 * or ends.
 *
 * SOCKET appears only once it listens (it is bound under another name,
 * then renamed), so a test can wait for the file and then connect. Once
 * the master is here, one line on stderr names its terminal:
 * "console-receiver: master of /dev/pts/N". */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "console-receiver: %s: %s\n", what, strerror(errno));
	return 2;
}

/* The one descriptor a message on SOCKET carries; -1 if none. */
static int descriptor_receive(int socket)
{
	char byte, control[CMSG_SPACE(sizeof(int))];
	struct iovec data = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control,
				  .msg_controllen = sizeof(control) };
	int fd = -1;

	memset(control, 0, sizeof(control));
	if (recvmsg(socket, &message, MSG_CMSG_CLOEXEC) <= 0)
		return -1;
	struct cmsghdr *rights = CMSG_FIRSTHDR(&message);
	if (!rights || rights->cmsg_level != SOL_SOCKET || rights->cmsg_type != SCM_RIGHTS ||
	    rights->cmsg_len != CMSG_LEN(sizeof(int))) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(rights), sizeof(int));
	return fd;
}

static int write_all(int fd, const char *buffer, size_t length)
{
	while (length > 0) {
		ssize_t n = write(fd, buffer, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buffer += n;
		length -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	char bound[sizeof(address.sun_path)];

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: console-receiver SOCKET [INPUT]\n");
		return 2;
	}
	if ((size_t)snprintf(bound, sizeof(bound), "%s.new", argv[1]) >= sizeof(bound)) {
		fprintf(stderr, "console-receiver: %s: too long for a unix socket\n", argv[1]);
		return 2;
	}
	strcpy(address.sun_path, bound);
	int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0)
		return fail("socket");
	unlink(bound);
	if (bind(listener, (struct sockaddr *)&address, sizeof(address)) < 0)
		return fail(bound);
	/* A bound socket is its inode: renamed, it is found by the new name. */
	if (listen(listener, 1) < 0 || rename(bound, argv[1]) < 0)
		return fail(argv[1]);
	int connection;
	do
		connection = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	while (connection < 0 && errno == EINTR);
	if (connection < 0)
		return fail("accept");
	close(listener);
	unlink(argv[1]);
	int master = descriptor_receive(connection);
	if (master < 0)
		return fail("receive the terminal's master");
	close(connection);
	unsigned int number;
	if (ioctl(master, TIOCGPTN, &number) < 0)
		return fail("TIOCGPTN: what came is not a terminal's master");
	fprintf(stderr, "console-receiver: master of /dev/pts/%u\n", number);
	if (argc == 3 && write_all(master, argv[2], strlen(argv[2])) < 0)
		return fail("write to the master");
	/* Until the last descriptor of the terminal's other end is closed:
	 * then read(2) of the master fails with EIO. */
	for (;;) {
		char buffer[4096];
		ssize_t n = read(master, buffer, sizeof(buffer));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (n < 0 && errno == EIO))
			return 0;
		if (n < 0)
			return fail("read the master");
		if (write_all(STDOUT_FILENO, buffer, (size_t)n) < 0)
			return fail("write stdout");
	}
}
