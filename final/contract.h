/* The stage contract, box [OPTIONS] ROOTFS COMMAND [ARG...], with every
 * option of stage 6: the same description of a container as config.json
 * fills, and the stages' own steps (overlay, network, --init) beside it. */
#pragma once
#include "runtime.h"

/* ARGV[0] is the program's name; returns the exit status. */
int contract_main(const struct runtime *rt, int argc, char **argv);
