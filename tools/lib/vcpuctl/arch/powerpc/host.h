/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ppc64le: how this kvm_hv host runs, seen from userspace. Not linked into
 * the generic code: ppc-only tests include it (the arch's directory is on
 * their include path).
 */
#ifndef VCPUCTL_PPC_HOST_H
#define VCPUCTL_PPC_HOST_H

#include <stddef.h>

enum ppc_kvm_host {
	PPC_KVM_HOST_UNKNOWN,	/* why says so */
	PPC_KVM_HOST_POWERNV,	/* bare metal, HV mode */
	PPC_KVM_HOST_NESTED_V1,	/* guest of a KVM host (H_ENTER_NESTED) */
	/* PAPR nested API (PowerVM, QEMU cap-nested-papr): state in the parent */
	PPC_KVM_HOST_NESTED_V2,
};

/* The host kind; for UNKNOWN, why (may be NULL) says what is missing. */
enum ppc_kvm_host ppc_kvm_host(char *why, size_t len);
const char *ppc_kvm_host_name(enum ppc_kvm_host host);

#endif /* VCPUCTL_PPC_HOST_H */
