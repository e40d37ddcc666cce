/* The root directory: give the command ROOTFS as its "/". */
#pragma once

/* ROOTFS must exist and be a directory. */
int rootfs_check(const char *rootfs);

/* rootfs_check(), then its canonical absolute path (realpath(3)) in RESOLVED:
 * the same directory after the child changes directory and binds it. */
int rootfs_resolve(const char *rootfs, char *resolved);

/* chroot(2) into ROOTFS, then chdir("/") so that "." is inside it too. */
int chroot_enter(const char *rootfs);
