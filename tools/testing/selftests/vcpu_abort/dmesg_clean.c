// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log after the other tests: no WARN splat, BUG, oops,
 * lockdep, KASAN/UBSAN/KFENCE report, refcount_t warning, RCU stall, hung
 * task or list corruption (the pattern is kmsg_problem_pattern in
 * testutil.c), at any point since boot. Every offending line is printed.
 * Runs last (kselftest-list.txt); the lab's guest runs it once after its
 * plan as the step "lab: dmesg ...". SKIP if the log cannot be read
 * (dmesg_restrict without CAP_SYSLOG).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "kselftest.h"

int main(void)
{
	int n;

	ksft_print_header();
	ksft_set_plan(1);
	n = kmsg_problems(stdout, 0);
	if (n < 0)
		ksft_exit_skip("dmesg_clean: kernel log unreadable: %s\n",
			       strerror(-n));
	ksft_print_msg("%d line(s) match /%s/\n", n, kmsg_problem_pattern);
	ksft_test_result(n == 0,
			 "dmesg_clean: no WARN/BUG/Oops/lockdep/KASAN/UBSAN/refcount_t in the kernel log\n");
	ksft_finished();
	return 0;
}
