# The cgroup v2 VM: stage 3's cgroup code, and the final runtime's, proven on a
# real cgroup v2 kernel.
#
#   make test-cgroup2                  tests/run 3 in the VM
#   make test-cgroup2 VM_STAGES="3 7"  other stages (the words tests/run takes)
#   tools/vm/run-in-vm COMMAND...      any command in the VM (see that file)
#
# This host mounts the cgroup v1 controllers, so tools/vm/run-in-vm boots
# Debian's generic kernel under qemu (software emulation: minutes, not
# seconds) with cgroup2 at /sys/fs/cgroup and runs the tests there. Build on
# the host (the `all` prerequisite); the guest only runs the tests. The
# first run downloads the kernel package into build/vm/ (once).
# VM_TIMEOUT, VM_MEMORY, VM_CPUS: see tools/vm/run-in-vm.

VM_STAGES ?= 3
VM_OUT    := $(BUILD)/vm/out

# Fails when the guest's tests fail or the guest wrote no status (both in
# run-in-vm's exit status), and also when no test passed at all: a suite
# that bats could not even start reads "0 passed, 0 failed" in tests/run.
# Then the tests of stage 6 that a cgroup v2 kernel answers differently: the
# device cgroup is an eBPF program there (VM_V2_FILTER, a bats --filter).
VM_V2_FILTER ?= device cgroup|rootless: the container
# And the final runtime's suites that a v2 kernel answers differently:
# resources, update, events, pause and resume (VM_FINAL_SUITES, tests/run's
# TEST_SUITES).
VM_FINAL_SUITES ?= 7-lifecycle 7-resources
test-cgroup2: all
	tools/vm/run-in-vm env CI=$(CI) sh -c 'tests/run $(VM_STAGES) && TEST_FILTER="$(VM_V2_FILTER)" tests/run 6 && \
		TEST_SUITES="$(VM_FINAL_SUITES)" tests/run final'
	@grep -Eq '^[1-9][0-9]* passed, 0 failed, [0-9]+ skipped$$' $(VM_OUT)/stdout || \
		{ echo "test-cgroup2: no test passed in the VM (see $(VM_OUT)/)" >&2; exit 1; }

# The lab's proof for the regions that only run on cgroup v2 (this host
# mounts v1): check-regions for stage 3, in the VM. The reference's full
# marks and every region, on cgroup v2; not the handout's build and grade,
# which make test-lab proves on the host and which take half the VM's time.
test-cgroup2-lab: all
	tools/vm/run-in-vm env CI=$(CI) tools/lab/check-regions --no-handout 3

.PHONY: test-cgroup2 test-cgroup2-lab
