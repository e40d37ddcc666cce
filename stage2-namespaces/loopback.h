/* The loopback interface of a new network namespace. */
#pragma once

/* Bring "lo" up: a new network namespace has only lo, and it is down. */
int loopback_up(void);
