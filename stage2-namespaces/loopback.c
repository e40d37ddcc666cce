/* The loopback interface of a new network namespace.
 *
 * The classic interface ioctls of netdevice(7) are enough for one flag on
 * one interface; stage 5 builds real networks over netlink.
 */
#include "loopback.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

int loopback_up(void)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq request;

	if (fd < 0)
		return error_errno("socket for lo");
	memset(&request, 0, sizeof(request));
	strcpy(request.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &request) < 0)
		return error_errno("SIOCGIFFLAGS lo");
	request.ifr_flags |= IFF_UP;
	trace("ioctl(SIOCSIFFLAGS, \"lo\", IFF_UP)");
	if (ioctl(fd, SIOCSIFFLAGS, &request) < 0)
		return error_errno("SIOCSIFFLAGS lo up");
	return 0;
}
