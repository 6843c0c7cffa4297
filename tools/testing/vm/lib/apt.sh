# SPDX-License-Identifier: GPL-2.0
# Packages: host tools come from the host's apt; kernels and the guests'
# userland come from a private apt root per Debian suite in the cache (the
# way chdist works), so the host never sees trixie/sid or foreign arches.

HOST_PACKAGES="make gcc libc6-dev debootstrap cpio xz-utils zstd kmod
	qemu-system-x86 qemu-system-arm qemu-system-ppc
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
	libnl-genl-3-dev pkg-config libelf1 dwarves bc sparse
	busybox-static ca-certificates
	dkms python3-docutils"

# Install what is missing. `apt-get update` may fail for one index (a
# mirror sync in progress): go on, and let the install say if it matters.
install_host_packages()
{
	local missing=() pkg

	step host-packages
	for pkg in $HOST_PACKAGES "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
			grep -q 'ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "need root to install: ${missing[*]}"
	log "installing host packages: ${missing[*]}"
	apt-get update >"$CACHE/logs/host-apt-update.log" 2>&1 ||
		log "apt-get update reported errors (continuing; see $CACHE/logs/host-apt-update.log)"
	DEBIAN_FRONTEND=noninteractive logged "$CACHE/logs/host-apt-install.log" \
		apt-get install -y --no-install-recommends "${missing[@]}"
}

# The mirror the host already uses, so the lab needs no other network.
debian_mirror()
{
	local uri

	if [ -n "${VCPU_ABORT_MIRROR:-}" ]; then
		echo "$VCPU_ABORT_MIRROR"
		return
	fi
	uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security |
		head -n 1 | tr -d ' ')
	echo "${uri:-http://deb.debian.org/debian}"
}

private_apt_opts()
{
	local root=$CACHE/apt/$1

	echo -o Dir::Etc="$root/etc" -o Dir::State="$root/state" \
		-o Dir::Cache="$root/cache" \
		-o Dir::State::status="$root/state/status" \
		-o APT::Architecture=amd64 \
		-o APT::Architectures=amd64,arm64,ppc64el \
		-o Acquire::Languages=none -o Debug::NoLocking=1
}

papt_get() { local s=$1; shift; # shellcheck disable=SC2046
	apt-get $(private_apt_opts "$s") "$@"; }
papt_cache() { local s=$1; shift; # shellcheck disable=SC2046
	apt-cache $(private_apt_opts "$s") "$@"; }

# Create (once) and refresh (daily) the private apt root of a suite.
private_apt_update()
{
	local suite=$1 root=$CACHE/apt/$1 mirror stamp

	stamp=$root/state/updated
	if [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ]; then
		return 0
	fi
	step "apt-update-$suite"
	mirror=$(debian_mirror)
	mkdir -p "$root"/etc/{sources.list.d,preferences.d,apt.conf.d} \
		"$root"/state/lists/partial "$root"/cache/archives/partial
	touch "$root/state/status"
	{
		printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' \
			"$mirror" "$suite"
		printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
		if [ "$suite" = bookworm ]; then
			printf '\nTypes: deb\nURIs: %s-security\n' "${mirror%/}"
			printf 'Suites: %s-security\nComponents: main\n' "$suite"
			printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
		fi
	} >"$root/etc/sources.list.d/debian.sources"
	if ! papt_get "$suite" update >"$CACHE/logs/apt-update-$suite.log" 2>&1; then
		# Partial failures are normal; we check what we need resolves.
		grep -E '^(E|Err):' "$CACHE/logs/apt-update-$suite.log" |
			head -n 3 | sed 's/^/[lab]   /' >&2
		log "apt update of $suite was partial (continuing)"
	fi
	touch "$stamp"
}

# First "Depends:" of a package matching a pattern (resolves meta packages).
papt_depends()
{
	local suite=$1 pkg=$2 pattern=$3

	papt_cache "$suite" depends "$pkg" 2>/dev/null |
		awk -v re="$pattern" '$1 == "Depends:" && $2 ~ re { print $2 }'
}

papt_version()
{
	papt_cache "$1" show "$2" 2>/dev/null |
		awk '/^Version:/ { print $2; exit }'
}

cached_deb()
{
	local f

	for f in "$1/$2_${3/:/%3a}_$4.deb" "$1/$2_${3/:/%3a}_all.deb"; do
		[ -f "$f" ] && echo "$f" && return
	done
	return 0
}

# Download (cached by exact name, version and arch) and unpack packages
# given as name[:arch] into a root directory. Foreign arch: name:arm64.
papt_unpack()
{
	local suite=$1 root=$2 pkg name arch ver deb dir=$CACHE/debs/$1
	shift 2
	mkdir -p "$dir" "$root"
	for pkg in "$@"; do
		name=${pkg%%:*}
		arch=amd64
		[ "$name" = "$pkg" ] || arch=${pkg#*:}
		ver=$(papt_version "$suite" "$pkg")
		[ -n "$ver" ] || die "package $pkg not found in $suite"
		deb=$(cached_deb "$dir" "$name" "$ver" "$arch")
		if [ -z "$deb" ]; then
			(cd "$dir" && papt_get "$suite" download "$pkg=$ver") \
				>"$CACHE/logs/download-$suite.log" 2>&1 ||
				die "download of $pkg=$ver from $suite failed (see $CACHE/logs/download-$suite.log)"
			deb=$(cached_deb "$dir" "$name" "$ver" "$arch")
		fi
		[ -n "$deb" ] || die "downloaded $pkg=$ver but found no .deb"
		dpkg-deb -x "$deb" "$root" || die "cannot unpack $deb"
	done
}
