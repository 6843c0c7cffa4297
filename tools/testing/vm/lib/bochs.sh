# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Booting a target under Bochs (EMULATOR=bochs, variants/vmx.sh): the only
# emulator Debian ships that emulates VMX, so the guest's KVM is kvm_intel.
# Bochs takes no kernel and initrd of its own: they go on an El Torito CD
# with isolinux. The guest's serial console goes to a file; the verdict is
# its "LAB-EXIT rc=N" line, as for QEMU (lib/qemu.sh).
#
# Debian's Bochs has no headless display ("nogui" is not built in). The
# "term" display needs a terminal and, under script(1), once stopped the
# guest for good: Bochs blocked writing its screen to the pty. So the
# display is "rfb", a VNC server nobody connects to, in a network
# namespace of its own (unshare -n: only a loopback that is down), so
# that it is reachable from nowhere and any number of guests can listen
# on its port. Bochs starts in its debugger: a debugger script continues,
# then quits when the guest powers off.

# A guest under Bochs runs ~15x slower than under QEMU (boot alone takes
# 40-90 s of CPU), and on a loaded machine Bochs gets a fraction of a CPU:
# a wall-clock timeout long enough for a busy machine would catch a hung
# guest only hours later. So a hung guest is caught by the CPU time Bochs
# used (a hung guest still spins it), 3600 s, several times what the
# longest plan took (plans/test.vmx); a wall-clock timeout of its own,
# 6 h, only catches a Bochs that stopped running at all. At the CPU limit
# Bochs gets a SIGINT: its debugger stops and prints where the CPU is
# (the instruction count and the instruction at CS:RIP), which the lab
# shows, then quits (the debugger script's "quit"). A soft RLIMIT_CPU a
# minute later is the backstop.
# The QEMU guests' limits (lib/qemu.sh: VCPU_ABORT_VM_SILENT_* and
# VCPU_ABORT_VM_TIMEOUT) do not apply: a Bochs guest's console is silent
# for minutes while KVM loads, and under load a Bochs guest that is
# progressing needs far longer than any QEMU guest (an hour of wall time
# seen here).
BOCHS_CPU_LIMIT=${VCPU_ABORT_BOCHS_CPU_LIMIT:-3600}
BOCHS_TIMEOUT=${VCPU_ABORT_BOCHS_TIMEOUT:-21600}

# The boot CD of one boot: isolinux, the kernel and the initramfs.
# bochs_iso <dir> <initrd> <kernel command line>
bochs_iso()
{
	local dir=$1 initrd=$2 append=$3 syslinux=/usr/lib/syslinux/modules/bios

	mkdir -p "$dir/cd/isolinux"
	cp /usr/lib/ISOLINUX/isolinux.bin "$syslinux/ldlinux.c32" \
		"$dir/cd/isolinux/"
	cat >"$dir/cd/isolinux/isolinux.cfg" <<-CFG
	DEFAULT lab
	PROMPT 0
	LABEL lab
	  KERNEL /vmlinuz
	  APPEND initrd=/initrd.img $append
	CFG
	# The kernel and initramfs are grafted in, not copied.
	xorriso -as mkisofs -quiet -o "$dir/boot.iso" -R -J \
		-b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table \
		-graft-points "/vmlinuz=$KERNEL_IMAGE" "/initrd.img=$initrd" \
		"/=$dir/cd" >"$dir/xorriso.log" 2>&1 ||
		die "xorriso failed (log: $dir/xorriso.log)"
}

# bochsrc for one boot: the CD, the serial console into a file (or the
# terminal TTY for a shell), Bochs' own log next to it. Sound: the dummy
# driver. Bochs starts its sound mixer thread even with the speaker off,
# and on a host with ALSA's libraries but no sound card, Debian's Bochs
# 2.7 aborts in it ("*** buffer overflow detected ***" in mixer_thread)
# before the guest's first instruction.
bochs_config()
{
	local dir=$1 com1=$2

	cat >"$dir/bochsrc" <<-RC
	memory: guest=512, host=512
	romimage: file=/usr/share/bochs/BIOS-bochs-latest
	vgaromimage: file=/usr/share/vgabios/vgabios.bin
	cpu: model=$BOCHS_CPU_MODEL, count=1, ips=10000000, reset_on_triple_fault=1, ignore_bad_msrs=1
	clock: sync=none, time0=local
	pci: enabled=1, chipset=i440fx
	ata0-master: type=cdrom, path=$dir/boot.iso, status=inserted
	boot: cdrom
	$com1
	display_library: rfb, options="timeout=0"
	speaker: enabled=0
	sound: driver=dummy
	log: $dir/bochs.log
	info: action=ignore
	debug: action=ignore
	error: action=ignore
	panic: action=fatal
	RC
	# "c"ontinue until the guest powers off, then leave the debugger.
	printf 'c\nquit\n' >"$dir/debugger.rc"
}

# The Bochs command line: no network, the debugger script of bochs_config.
bochs_command()
{
	local dir=$1

	BOCHS_CMD=(unshare -n -- bochs-bin -q -f "$dir/bochsrc"
		-rc "$dir/debugger.rc")
}

# The bochs-bin process of the boot in <dir> (timeout and unshare, which
# execs it, have the same bochsrc on their command line).
bochs_pid()
{
	local pid

	for pid in $(pgrep -f -- "-f $1/bochsrc"); do
		if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = bochs-bin ]; then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

# bochs_watch <dir>: once the Bochs of that boot has used BOCHS_CPU_LIMIT
# seconds of CPU, creates <dir>/hung and sends it SIGINT.
bochs_watch()
{
	local dir=$1 pid='' cpu

	while sleep 10; do
		[ -n "$pid" ] || pid=$(bochs_pid "$dir") || continue
		# Fails once Bochs has exited (lib/qemu.sh).
		cpu=$(process_cpu_seconds "$pid") || return 0
		if [ "$cpu" -ge "$BOCHS_CPU_LIMIT" ]; then
			: >"$dir/hung"
			kill -INT "$pid" 2>/dev/null
			return 0
		fi
	done
}

# Like boot_guest (lib/qemu.sh), under Bochs. BOCHS_CPU_MODEL from the
# variant; VCPU_ABORT_VM_SMP does not apply (one CPU: an SMP Bochs is
# slower still).
bochs_boot_guest()
{
	local cmds=$1 log=$2 show=${3:-0} append=${4:-} initrd dir rc=0
	local serial tail_pid='' status=0 emu_pid watch_pid

	step boot
	dir=$(mktemp -d "$OUT/$TARGET/bochs.XXXXXX")
	initrd=$(initramfs_with_commands "$cmds")
	serial=$dir/serial.log
	bochs_iso "$dir" "$initrd" \
		"console=$GUEST_CONSOLE panic=-1 loglevel=1 ${BOCHS_APPEND:-} ${GUEST_APPEND:-} $append"
	bochs_config "$dir" "com1: enabled=1, mode=file, dev=$serial"
	: >"$serial"
	if [ "$show" = 1 ]; then
		tail -n +1 -f "$serial" &
		tail_pid=$!
	fi
	bochs_command "$dir"
	(
		# Soft only: SIGXCPU, which ends Bochs, rather than a SIGKILL.
		# Not exec'ed (|| exit): this shell reports a signal (SIGXCPU,
		# or the SIGSEGV Bochs 2.7 sometimes dies of when it quits after
		# a SIGINT) into bochs.out. --foreground: in the lab's process
		# group, as QEMU (lib/qemu.sh, boot_guest).
		ulimit -S -t $((BOCHS_CPU_LIMIT + 60))
		timeout --foreground -k 10 "$BOCHS_TIMEOUT" "${BOCHS_CMD[@]}" || exit
	) </dev/null >"$dir/bochs.out" 2>&1 &
	emu_pid=$!
	bochs_watch "$dir" &
	watch_pid=$!
	wait "$emu_pid" || rc=$?
	kill "$watch_pid" 2>/dev/null || true
	wait "$watch_pid" 2>/dev/null || true
	[ -n "$tail_pid" ] && { sleep 1; kill "$tail_pid" 2>/dev/null; }
	tr -d '\r' <"$serial" >"$log"
	rm -f "$initrd"
	if [ -e "$dir/hung" ]; then
		log "$TARGET: guest used ${BOCHS_CPU_LIMIT}s of CPU time without finishing (hung?); console log: $log; Bochs stopped it at:"
		grep -A 1 '^Next at t=' "$dir/bochs.out" | tail -n 2 |
			sed 's/^/[lab]   | /' >&2
		status=124
	elif [ "$rc" = $((128 + 24)) ]; then	# SIGXCPU: RLIMIT_CPU ran out
		log "$TARGET: guest used $((BOCHS_CPU_LIMIT + 60))s of CPU time without finishing (hung?); console log: $log"
		status=124
	else
		guest_verdict "$log" "$rc" "$BOCHS_TIMEOUT" || status=$?
	fi
	# Keep the Bochs files of a guest that did not report.
	[ "$status" = 124 ] || [ "$status" = 125 ] ||
		rm -rf "$dir"
	return "$status"
}

# Interactive: the guest's serial port is this terminal.
bochs_shell_guest()
{
	local initrd dir tty

	step shell
	tty=$(tty) || die "lab shell needs a terminal"
	dir=$(mktemp -d "$OUT/$TARGET/bochs.XXXXXX")
	initrd=$(initramfs_with_commands "")
	bochs_iso "$dir" "$initrd" \
		"console=$GUEST_CONSOLE panic=-1 loglevel=1 ${BOCHS_APPEND:-} ${GUEST_APPEND:-} lab.shell"
	bochs_config "$dir" "com1: enabled=1, mode=term, dev=$tty"
	log "booting under Bochs: about a minute to the shell; leave with 'poweroff -f'"
	bochs_command "$dir"
	"${BOCHS_CMD[@]}" </dev/null >"$dir/bochs.out" 2>&1 || true
	stty sane 2>/dev/null || true
	rm -rf "$initrd" "$dir"
}
