/* The root directory: give the command ROOTFS as its "/". */
#pragma once

/* ROOTFS must exist and be a directory. */
int rootfs_check(const char *rootfs);

/* chroot(2) into ROOTFS, then chdir("/") so that "." is inside it too. */
int chroot_enter(const char *rootfs);
