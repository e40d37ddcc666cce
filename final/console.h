/* process.terminal: the container's own pseudo-terminal. Its process opens
 * /dev/ptmx inside the container (the master belongs to the container's
 * devpts), makes the other end its controlling terminal and its stdin,
 * stdout and stderr, and sends the master over --console-socket
 * (SCM_RIGHTS, unix(7)) to whoever drives the terminal: conmon, the shim,
 * or `box run` itself. */
#pragma once

/* The parent: connect to the unix socket at PATH; the descriptor. */
int console_connect(const char *path);

/* The container, after pivot_root: the new terminal, sized HEIGHT x WIDTH
 * (0: leave it), its master sent over SOCKET (then closed). */
int console_create(int socket, unsigned short height, unsigned short width);

/* The other end of console_create: the master received over SOCKET. */
int console_receive(int socket);

/* `box run` of a terminal without --console-socket: copy between box's own
 * stdin/stdout and MASTER (the caller's terminal in raw mode meanwhile),
 * pass signals and window size changes on to CHILD, until CHILD ends: its
 * wait status. Signals must be blocked (signals_block). */
int console_proxy(int master, int child);
