// SPDX-License-Identifier: GPL-2.0
/*
 * lab-noapic-vcpu: make a VM with one vCPU and no in-kernel irqchip, and
 * keep it, in a background process, until the guest powers off.
 *
 * x86 KVM counts the vCPUs without an in-kernel local APIC in a static
 * key (kvm_has_noapic_vcpu): creating the first such vCPU and destroying
 * the last one patch kernel text. The race and the selftests make over a
 * thousand VMs of that kind, one at a time, so each of them patched the
 * text twice. Under TCG, where patching code throws away translated code,
 * that was most of a VM's cost: ftrace in x86_64-6.1 showed 12 ms of the
 * 20 ms KVM_CREATE_VCPU took in static_key_slow_inc_cpuslocked(). With
 * one such vCPU held the count stays above zero. The key only chooses how
 * lapic_in_kernel() reads, and the tests' own VMs keep it on while they
 * run anyway: what is tested is the same.
 *
 * Prints "held" and exits once the vCPU exists; 1 on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void)
{
	int kvm, vm, vcpu;
	pid_t pid;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "lab-noapic-vcpu: /dev/kvm: %s\n",
			strerror(errno));
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "lab-noapic-vcpu: KVM_CREATE_VM: %s\n",
			strerror(errno));
		return 1;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		fprintf(stderr, "lab-noapic-vcpu: KVM_CREATE_VCPU: %s\n",
			strerror(errno));
		return 1;
	}
	/* The child keeps the file descriptors; the caller goes on. */
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "lab-noapic-vcpu: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid > 0) {
		printf("lab-noapic-vcpu: held (pid %d)\n", (int)pid);
		return 0;
	}
	setsid();
	close(STDIN_FILENO);
	close(STDOUT_FILENO);
	close(STDERR_FILENO);
	for (;;)
		pause();
}
