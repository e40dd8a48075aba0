/* Waiting on the kernel, never on a clock: a condition is checked, then
 * re-checked at each kernel uevent (bind, add, remove...) until it holds or
 * a deadline passes. */
#ifndef SS_KWAIT_H
#define SS_KWAIT_H

#include <stdbool.h>

struct kwait {
	int fd;	     /* NETLINK_KOBJECT_UEVENT socket, or -1 */
	long events; /* uevents seen, for the benchmark's curiosity */
};

/* Opening before the action that causes the event avoids a lost wakeup. */
int kwait_open(struct kwait *w);
void kwait_close(struct kwait *w);
/* 0 when cond(arg) became true, -ETIMEDOUT after timeout_ms.  Without a
 * uevent socket (no CAP_NET_ADMIN in a container) it re-checks every 5 ms. */
int kwait_until(struct kwait *w, bool (*cond)(void *), void *arg, int timeout_ms);
long kwait_now_ms(void);

#endif
