// SPDX-License-Identifier: GPL-2.0
/*
 * Which file a descriptor names decides the answer, on both transports
 * (the ioctls and the generic netlink family), with the errnos of
 * Documentation/uapi.rst and netlink.rst:
 *
 *  - files of another module that look like KVM's by every name (ioctl
 *    handlers called kvm_vcpu_ioctl and kvm_vm_ioctl, inodes "kvm-vcpu:0"
 *    and "kvm-vm", from the test module vcpu_abort_lookalike) are not KVM
 *    files: ENODEV, and the module never takes their private data for a
 *    vCPU or a VM (issue 12, finding 5);
 *  - KVM files that are neither a vCPU nor a VM: a VM's and a vCPU's
 *    statistics fd (KVM_GET_STATS_FD, which have no ioctl handler) and a
 *    KVM device are EBADFD, a vCPU being wanted (QUERY, ABORT) or a vCPU
 *    or VM (policies) (finding 10);
 *  - a guest_memfd, a KVM file of a kind the module does not list, is
 *    ENODEV;
 *  - an O_PATH descriptor of a vCPU is no open file: EBADF.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vcpuctl/arch.h>
#include <vcpuctl/genl.h>

#include "lookalike/lookalike.h"
#include "kselftest_harness.h"
#include "testutil.h"

/* Since 6.8; the build machine's headers may be older. */
#ifndef KVM_CAP_GUEST_MEMFD
#define KVM_CAP_GUEST_MEMFD	234
struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};

#define KVM_CREATE_GUEST_MEMFD	_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)
#endif

static const struct race_case load_case = {
	.exit = RACE_EXIT_MMIO_LOAD,
	.by = RACE_BY_OTHER,
	.entry = RACE_ENTRY_RUN,
};

FIXTURE(fd_kinds) {
	int dev;
	int problems;
	struct vcpu_abort_nl nl;
	bool nl_open;
	struct tvm t;
};

FIXTURE_SETUP(fd_kinds)
{
	int ret;

	self->t.nr_vcpus = 0;
	self->t.vm.fd = -1;
	self->t.vm.kvm_fd = -1;
	self->nl_open = false;
	self->problems = kmsg_problems(NULL, 0);
	self->dev = vcpu_abort_open();
	if (self->dev < 0)
		SKIP(return, "%s: %s (vcpu_abort.ko not loaded)",
		     vcpu_abort_dev_path(), strerror(-self->dev));
	ret = vcpu_abort_nl_open(&self->nl);
	self->nl_open = !ret;
	ASSERT_EQ(0, ret) TH_LOG("%s", self->nl.err);
	/* A vCPU with a pending load: what a mistaken module would hit. */
	ASSERT_EQ(0, tvm_create(&self->t, 1, &load_case))
		TH_LOG("%s", self->t.vm.err);
	ASSERT_EQ(0, tvm_run_to_exit(&self->t.vcpu[0], &load_case, NULL, 0))
		TH_LOG("%s", self->t.vm.err);
}

FIXTURE_TEARDOWN(fd_kinds)
{
	tvm_destroy(&self->t);
	if (self->nl_open)
		vcpu_abort_nl_close(&self->nl);
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * Both transports' answers for fd: QUERY and ABORT (blocking or not) as
 * ioctls and as netlink commands, the DISCARD ioctl, GET_POLICY and
 * SET_POLICY off (with and without VCPU_ABORT_FLAG_FOREIGN_VM). Each must
 * fail with the errno given for it (vcpu_err for QUERY, ABORT and
 * DISCARD, vm_err for the policies), the netlink ones with the message
 * given. Returns the number of wrong answers, each printed.
 */
static int refused_everywhere(struct _test_data_fd_kinds *self, int fd,
			      const char *what, int vcpu_err,
			      const char *vcpu_msg, int vm_err,
			      const char *vm_msg)
{
	static const struct {
		unsigned long req;
		uint8_t cmd;
		uint32_t flags;
	} calls[] = {
		{ VCPU_ABORT_IOC_QUERY, VCPU_ABORT_CMD_QUERY, 0 },
		{ VCPU_ABORT_IOC_ABORT, VCPU_ABORT_CMD_ABORT, 0 },
		{ VCPU_ABORT_IOC_ABORT, VCPU_ABORT_CMD_ABORT,
		  VCPU_ABORT_FLAG_NONBLOCK },
		{ VCPU_ABORT_IOC_QUERY, VCPU_ABORT_CMD_QUERY,
		  VCPU_ABORT_FLAG_FOREIGN_VM },
	};
	static const uint32_t policy_flags[] = {
		0, VCPU_ABORT_FLAG_FOREIGN_VM,
	};
	struct vcpu_abort_report r;
	uint32_t policy, flags;
	int i, ret, wrong = 0;

	for (i = 0; i < (int)ARRAY_SIZE(calls); i++) {
		ret = vcpu_abort_ioctl(self->dev, calls[i].req, fd,
				       calls[i].flags, &r);
		if (ret != vcpu_err) {
			fprintf(stderr, "# %s: ioctl %s flags %#x: %s, want %s\n",
				what, calls[i].req == VCPU_ABORT_IOC_QUERY ?
				"QUERY" : "ABORT", calls[i].flags,
				ret ? strerror(-ret) : "success",
				strerror(-vcpu_err));
			wrong++;
		}
		ret = vcpu_abort_nl_query(&self->nl, calls[i].cmd, fd,
					  calls[i].flags, &r);
		if (ret != vcpu_err || !strstr(self->nl.err, vcpu_msg)) {
			fprintf(stderr, "# %s: netlink %s flags %#x: %s, want %s (\"%s\")\n",
				what, calls[i].cmd == VCPU_ABORT_CMD_QUERY ?
				"QUERY" : "ABORT", calls[i].flags,
				ret ? self->nl.err : "success",
				strerror(-vcpu_err), vcpu_msg);
			wrong++;
		}
	}
	ret = vcpu_abort_discard(self->dev, fd);
	if (ret != vcpu_err) {
		fprintf(stderr, "# %s: ioctl DISCARD: %s, want %s\n", what,
			ret < 0 ? strerror(-ret) : "success", strerror(-vcpu_err));
		wrong++;
	}
	for (i = 0; i < (int)ARRAY_SIZE(policy_flags); i++) {
		flags = policy_flags[i];
		ret = vcpu_abort_nl_get_policy(&self->nl, fd, flags, &policy,
					       NULL);
		if (ret != vm_err || !strstr(self->nl.err, vm_msg)) {
			fprintf(stderr, "# %s: GET_POLICY flags %#x: %s, want %s (\"%s\")\n",
				what, flags, ret ? self->nl.err : "success",
				strerror(-vm_err), vm_msg);
			wrong++;
		}
		ret = vcpu_abort_nl_set_policy(&self->nl, fd, flags,
					       VCPU_ABORT_POLICY_OFF, NULL);
		if (ret != vm_err || !strstr(self->nl.err, vm_msg)) {
			fprintf(stderr, "# %s: SET_POLICY off flags %#x: %s, want %s (\"%s\")\n",
				what, flags, ret ? self->nl.err : "success",
				strerror(-vm_err), vm_msg);
			wrong++;
		}
	}
	return wrong;
}

/* The real vCPU was not touched: its load is still pending. */
static bool load_still_pending(struct _test_data_fd_kinds *self)
{
	struct vcpu_abort_report r;

	return !vcpu_abort_ioctl(self->dev, VCPU_ABORT_IOC_QUERY,
				 self->t.vcpu[0].fd, 0, &r) &&
	       r.kind == VCPU_ABORT_KIND_MMIO_LOAD;
}

#define NOT_KVM		"fd is not a KVM file"
#define NOT_VCPU	"fd is a KVM file but not a vCPU"
#define NOT_VCPU_OR_VM	"fd is a KVM file but neither a vCPU nor a VM"

/*
 * The test module: loaded from $VCPU_ABORT_LOOKALIKE_KO or from the
 * directory of this program (where the lab installs it) unless its
 * device is there already. 1 if this call loaded it (unload it after),
 * 0 if it was loaded, -errno with the reason in why.
 */
static int load_lookalike(char *why, size_t len)
{
	char exe[PATH_MAX], path[PATH_MAX];
	const char *ko = getenv("VCPU_ABORT_LOOKALIKE_KO");
	ssize_t n;
	int fd, ret;

	if (!access(LOOKALIKE_DEVICE, F_OK))
		return 0;
	if (!ko || !*ko) {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		if (n < 0) {
			snprintf(why, len, "/proc/self/exe: %s",
				 strerror(errno));
			return -errno;
		}
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/%s.ko", dirname(exe),
			 LOOKALIKE_NAME);
		ko = path;
	}
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, len, "%s: %s (%s)", ko, strerror(errno),
			 "the test module is built with the kernel's headers: make -C lookalike");
		return ret;
	}
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 1;
	close(fd);
	if (ret == -EEXIST)
		return 0;
	if (ret < 0)
		snprintf(why, len, "finit_module(%s): %s", ko, strerror(-ret));
	return ret;
}

static void unload_lookalike(void)
{
	syscall(SYS_delete_module, LOOKALIKE_NAME, O_NONBLOCK);
}

/*
 * A look-alike file from the test module: its fd, or < 0 when the test
 * must stop (a SKIP or a failure, already recorded). Sets *loaded when
 * this test loaded the module.
 */
static int lookalike_fd(struct __test_metadata *_metadata, unsigned long req,
			const char *req_name, bool *loaded)
{
	char why[PATH_MAX + 128];
	int ret = load_lookalike(why, sizeof(why)), dev, fd, err;

	if (ret == -ENOENT || ret == -EPERM)
		SKIP(return -1, "%.900s", why);
	EXPECT_LE(0, ret) TH_LOG("%s", why);
	if (ret < 0)
		return -1;
	*loaded = ret == 1;
	dev = open(LOOKALIKE_DEVICE, O_RDWR | O_CLOEXEC);
	EXPECT_LE(0, dev) TH_LOG("%s: %s", LOOKALIKE_DEVICE, strerror(errno));
	if (dev < 0)
		return -1;
	fd = ioctl(dev, req);
	err = errno;
	close(dev);
	EXPECT_LE(0, fd) TH_LOG("%s: %s", req_name, strerror(err));
	return fd;
}

/* Harmless to a module that went by names: it checks the VM's mm first. */
TEST_F(fd_kinds, lookalike_vm_file_enodev)
{
	bool loaded = false;
	int fd;

	if (skip_without_module(_metadata, self->dev))
		return;
	fd = lookalike_fd(_metadata, LOOKALIKE_IOC_VM, "LOOKALIKE_IOC_VM", &loaded);
	if (fd < 0)
		return;

	EXPECT_EQ(0, refused_everywhere(self, fd, "a kvm-vm look-alike",
					-ENODEV, NOT_KVM, -ENODEV, NOT_KVM));
	close(fd);
	if (loaded)
		unload_lookalike();
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

/* A module that went by names dereferences the zeroed buffer's "kvm". */
TEST_F(fd_kinds, lookalike_vcpu_file_enodev)
{
	bool loaded = false;
	int fd;

	if (skip_without_module(_metadata, self->dev))
		return;
	fd = lookalike_fd(_metadata, LOOKALIKE_IOC_VCPU, "LOOKALIKE_IOC_VCPU", &loaded);
	if (fd < 0)
		return;

	EXPECT_EQ(0, refused_everywhere(self, fd, "a kvm-vcpu:0 look-alike",
					-ENODEV, NOT_KVM, -ENODEV, NOT_KVM));
	close(fd);
	if (loaded)
		unload_lookalike();
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F(fd_kinds, vm_stats_fd_ebadfd)
{
	int fd;

	if (skip_without_module(_metadata, self->dev))
		return;
	fd = ioctl(self->t.vm.fd, KVM_GET_STATS_FD, NULL);
	ASSERT_LE(0, fd) TH_LOG("KVM_GET_STATS_FD on the VM: %s",
				strerror(errno));
	EXPECT_EQ(0, refused_everywhere(self, fd, "a VM stats fd", -EBADFD,
					NOT_VCPU, -EBADFD, NOT_VCPU_OR_VM));
	close(fd);
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F(fd_kinds, vcpu_stats_fd_ebadfd)
{
	int fd;

	if (skip_without_module(_metadata, self->dev))
		return;
	fd = ioctl(self->t.vcpu[0].fd, KVM_GET_STATS_FD, NULL);
	ASSERT_LE(0, fd) TH_LOG("KVM_GET_STATS_FD on the vCPU: %s",
				strerror(errno));
	EXPECT_EQ(0, refused_everywhere(self, fd, "a vCPU stats fd", -EBADFD,
					NOT_VCPU, -EBADFD, NOT_VCPU_OR_VM));
	close(fd);
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F(fd_kinds, dev_kvm_ebadfd)
{
	if (skip_without_module(_metadata, self->dev))
		return;
	EXPECT_EQ(0, refused_everywhere(self, self->t.vm.kvm_fd, "/dev/kvm",
					-EBADFD, NOT_VCPU, -EBADFD,
					NOT_VCPU_OR_VM));
	EXPECT_TRUE(load_still_pending(self));
}

/* KVM's VFIO pseudo device: generic, every arch of the lab has it. */
TEST_F(fd_kinds, kvm_device_fd_ebadfd)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };

	if (skip_without_module(_metadata, self->dev))
		return;
	if (ioctl(self->t.vm.fd, KVM_CREATE_DEVICE, &cd))
		SKIP(return, "KVM_CREATE_DEVICE KVM_DEV_TYPE_VFIO: %s",
		     strerror(errno));
	EXPECT_EQ(0, refused_everywhere(self, cd.fd, "a KVM device fd",
					-EBADFD, NOT_VCPU, -EBADFD,
					NOT_VCPU_OR_VM));
	close(cd.fd);
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

TEST_F(fd_kinds, guest_memfd_enodev)
{
	struct kvm_create_guest_memfd gmem = {
		.size = (__u64)sysconf(_SC_PAGESIZE),
	};
	int fd;

	if (skip_without_module(_metadata, self->dev))
		return;
	if (vm_check_cap(&self->t.vm, KVM_CAP_GUEST_MEMFD) <= 0)
		SKIP(return, "%s",
		     "no guest_memfd for this VM type on this kernel (KVM_CAP_GUEST_MEMFD)");
	fd = ioctl(self->t.vm.fd, KVM_CREATE_GUEST_MEMFD, &gmem);
	ASSERT_LE(0, fd) TH_LOG("KVM_CREATE_GUEST_MEMFD: %s", strerror(errno));
	EXPECT_EQ(0, refused_everywhere(self, fd, "a guest_memfd", -ENODEV,
					NOT_KVM, -ENODEV, NOT_KVM));
	close(fd);
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

/*
 * An O_PATH descriptor names the vCPU's file but grants no operation on
 * it: not an open file for fget(), EBADF (uapi.rst's table says so).
 */
TEST_F(fd_kinds, o_path_fd_of_the_vcpu_ebadf)
{
	char path[64];
	int fd;

	if (skip_without_module(_metadata, self->dev))
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", self->t.vcpu[0].fd);
	fd = open(path, O_PATH | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("open(%s, O_PATH): %s", path, strerror(errno));
	EXPECT_EQ(0, refused_everywhere(self, fd, "an O_PATH fd of the vCPU",
					-EBADF, "fd is not open", -EBADF,
					"fd is not open"));
	close(fd);
	EXPECT_TRUE(load_still_pending(self));
	expect_kmsg_clean(_metadata, self->problems);
}

/* Without KVM or the module every test here is a skip. */
int main(int argc, char **argv)
{
	test_require(TEST_NEEDS_KVM | TEST_NEEDS_MODULE);
	return test_harness_run(argc, argv);
}
