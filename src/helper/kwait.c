#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kwait.h"

long kwait_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int kwait_open(struct kwait *w)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = 1 /* kernel uevents */};
	int size = 1 << 20;

	w->events = 0;
	w->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_KOBJECT_UEVENT);
	if (w->fd < 0)
		return -errno;
	/* A rescan sends a burst; a full buffer only costs a wakeup. */
	setsockopt(w->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int r = -errno;
		close(w->fd);
		w->fd = -1;
		return r;
	}
	return 0;
}

void kwait_close(struct kwait *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

static void drain(struct kwait *w)
{
	char buf[8192];
	while (recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		w->events++;
}

int kwait_until(struct kwait *w, bool (*cond)(void *), void *arg, int timeout_ms)
{
	long deadline = kwait_now_ms() + timeout_ms;

	for (;;) {
		if (cond(arg))
			return 0;
		long left = deadline - kwait_now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		if (w->fd < 0) {
			struct timespec ts = {0, 5 * 1000000L};
			nanosleep(&ts, NULL);
			continue;
		}
		struct pollfd p = {.fd = w->fd, .events = POLLIN};
		int n = poll(&p, 1, (int)left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n > 0)
			drain(w);
	}
}
