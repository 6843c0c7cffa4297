# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Booting a target under QEMU TCG (or Bochs: lib/bochs.sh). The guest's
# verdict comes from the "LAB-EXIT rc=N" line its init prints, never from
# the emulator's exit status.

# A QEMU guest counts as hung when its console stays silent while QEMU
# uses VM_SILENT_CPU seconds of CPU (a guest spinning in a loop or a
# livelock), or for VM_SILENT_WALL seconds of wall time (a guest idle in
# a deadlock uses next to no CPU). Every step prints when it ends, and the
# longest (a race table) takes seconds of guest time: the measure is the
# work the emulator did, so a busy machine slows a guest down without
# making it count as hung. VM_TIMEOUT caps a whole boot, far beyond what
# any plan takes (arm64 and x86 ~2-5 min, 4x that seen under a load of 7).
# A guest that printed its verdict must power off; one whose kernel cannot
# (it halts: "Power off not available") is killed VM_EXIT_GRACE seconds
# after its last line, and its verdict stands.
VM_EXIT_GRACE=30
VM_SILENT_CPU=${VCPU_ABORT_VM_SILENT_CPU:-300}
VM_SILENT_WALL=${VCPU_ABORT_VM_SILENT_WALL:-1800}
VM_TIMEOUT=${VCPU_ABORT_VM_TIMEOUT:-5400}
VM_SMP=${VCPU_ABORT_VM_SMP:-2}
# QEMU_FROM_ROOT=1 (arch/ or variants/): the QEMU of the target's suite,
# installed into its build root, for a machine or a fix the host's QEMU
# lacks. It runs on the host with the root's loader, libraries, modules
# and firmware; kernel, initramfs and logs stay host paths. On the host's
# own suite, the host's.
ensure_qemu()
{
	local root

	[ "${QEMU_FROM_ROOT:-0}" = 1 ] && ! host_suite "$SUITE" || return 0
	step qemu
	root=$(build_root "$SUITE")
	[ -x "$root/usr/bin/$QEMU" ] && return 0
	log "$SUITE: installing $QEMU_PKG into the build root (once)"
	logged "$CACHE/logs/qemu-$SUITE.log" with_lock "root-$SUITE" \
		in_build_root sh -c \
		"apt-get update; DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $QEMU_PKG"
	[ -x "$root/usr/bin/$QEMU" ] || die "no $QEMU in $root"
}

qemu_binary()
{
	local root lib

	if [ "${QEMU_FROM_ROOT:-0}" = 1 ] && ! host_suite "$SUITE"; then
		root=$(build_root "$SUITE")
		lib=$root/usr/lib/x86_64-linux-gnu
		QEMU_CMD=(env "QEMU_MODULE_DIR=$lib/qemu"
			"$root/lib64/ld-linux-x86-64.so.2"
			--library-path "$lib:$root/lib/x86_64-linux-gnu"
			"$root/usr/bin/$QEMU" -L "$root/usr/share/qemu")
	else
		QEMU_CMD=("$QEMU")
	fi
}

# GUEST_APPEND (arch/ or variants/): kernel parameters of the target.
qemu_cmdline()
{
	local initrd=$1 append=$2

	qemu_binary
	QEMU_CMD+=("${QEMU_ARGS[@]}" -smp "$VM_SMP" -nographic
		-no-reboot -kernel "$KERNEL_IMAGE" -initrd "$initrd"
		-append "console=$GUEST_CONSOLE panic=-1 loglevel=1 ${GUEST_APPEND:-} $append")
}

# CPU seconds (user + system, all threads) process PID has used so far.
process_cpu_seconds()
{
	local stat

	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	# Fields 14 and 15 count from after the command's ")".
	stat=${stat##*) }
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $stat
	echo $(((${12} + ${13}) / $(getconf CLK_TCK)))
}

# Kill QEMU (its -pidfile PIDFILE) when the console LOG stops growing for
# VM_SILENT_CPU seconds of QEMU's CPU or VM_SILENT_WALL of wall time, and
# say so in the file HUNG; or VM_EXIT_GRACE seconds after the guest's
# verdict, which then stands. Runs until QEMU exits.
qemu_watchdog()
{
	local pidfile=$1 log=$2 hung=$3 pid="" size last=-1 cpu cpu0=0 wall0=0

	while [ -z "$pid" ]; do
		sleep 1
		pid=$(cat "$pidfile" 2>/dev/null) || pid=""
		[ -e "$hung.done" ] && return 0
	done
	while cpu=$(process_cpu_seconds "$pid"); do
		size=$(stat -c %s "$log" 2>/dev/null || echo 0)
		if [ "$size" != "$last" ]; then
			last=$size cpu0=$cpu wall0=$SECONDS
		elif [ $((SECONDS - wall0)) -ge "$VM_EXIT_GRACE" ] &&
		     grep -q '^LAB-EXIT rc=' "$log"; then
			log "$TARGET: the guest reported but did not power off within $VM_EXIT_GRACE s: QEMU killed"
			kill "$pid"
			return 0
		elif [ $((cpu - cpu0)) -ge "$VM_SILENT_CPU" ] ||
		     [ $((SECONDS - wall0)) -ge "$VM_SILENT_WALL" ]; then
			echo "the console was silent for $((SECONDS - wall0)) s, while QEMU used $((cpu - cpu0)) s of CPU" >"$hung"
			kill "$pid"
			return 0
		fi
		sleep 5
	done
}

# The guest's verdict from its console log and the emulator's exit status
# (timeout's: 124 or 137 when the guest was killed after SECONDS).
# HUNG, if given and not empty, says why the watchdog killed it.
# Returns the guest's status; 124 on a hung guest, 125 on one that ended
# without reporting.
guest_verdict()
{
	local log=$1 rc=$2 seconds=$3 hung=${4:-} status

	if [ -s "$hung" ]; then
		log "$TARGET: guest hung: $(cat "$hung"); console log: $log"
		return 124
	fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		log "$TARGET: guest did not finish within ${seconds}s (hung?); console log: $log"
		return 124
	fi
	status=$(sed -n 's/^LAB-EXIT rc=\([0-9]*\)$/\1/p' "$log" | tail -n 1)
	if [ -z "$status" ]; then
		log "$TARGET: guest ended without reporting (crash or emulator error, rc=$rc); console log: $log"
		tail -n 15 "$log" | sed 's/^/[lab]   | /' >&2
		return 125
	fi
	return "$status"
}

# Boot with a command list; the console goes to LOG (and to the terminal
# when SHOW is 1). Returns the guest's status (guest_verdict). Targets
# with EMULATOR=bochs boot under Bochs (lib/bochs.sh).
boot_guest()
{
	local cmds=$1 log=$2 show=${3:-0} append=${4:-} initrd rc=0
	local terminal=/dev/null watchdog status=0

	if [ "${EMULATOR:-qemu}" = bochs ]; then
		bochs_boot_guest "$@"
		return
	fi
	step boot
	initrd=$(initramfs_with_commands "$cmds")
	qemu_cmdline "$initrd" "$append"
	[ "$show" = 1 ] && terminal=/dev/stdout
	rm -f "$initrd.pid" "$initrd.hung" "$initrd.hung.done"
	: >"$log"
	qemu_watchdog "$initrd.pid" "$log" "$initrd.hung" &
	watchdog=$!
	# pipefail: rc is timeout's (124 on a hung guest), not tee's. tr
	# line-buffered: the watchdog and a person reading along see each
	# line as the guest prints it, not 4 KB later. --foreground: QEMU
	# stays in the lab's process group, so that a signal to the group
	# (Ctrl-C, a timeout or a CI job ending the lab) ends it too; in a
	# group of timeout's own it ran on, a core busy, for VM_TIMEOUT.
	timeout --foreground -k 10 "$VM_TIMEOUT" "${QEMU_CMD[@]}" -pidfile "$initrd.pid" \
		</dev/null 2>&1 | stdbuf -oL tr -d '\r' | tee "$log" \
		>"$terminal" || rc=$?
	: >"$initrd.hung.done"
	wait "$watchdog" || true
	guest_verdict "$log" "$rc" "$VM_TIMEOUT" "$initrd.hung" || status=$?
	rm -f "$initrd" "$initrd.pid" "$initrd.hung" "$initrd.hung.done"
	return "$status"
}

# Interactive: the terminal is the guest's console.
shell_guest()
{
	local initrd

	if [ "${EMULATOR:-qemu}" = bochs ]; then
		bochs_shell_guest
		return
	fi
	step shell
	initrd=$(initramfs_with_commands "")
	qemu_cmdline "$initrd" lab.shell
	"${QEMU_CMD[@]}" || true
	rm -f "$initrd"
}
