# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Packages: host tools come from the host's apt; kernels and the guests'
# userland come from a private apt root per Debian suite in the cache (the
# way chdist works), so the host never sees trixie/sid or foreign arches.

HOST_PACKAGES="make gcc libc6-dev debootstrap cpio xz-utils zstd kmod
	qemu-system-x86 qemu-system-arm qemu-system-ppc qemu-system-misc
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
	libnl-genl-3-dev pkg-config libelf1 dwarves bc sparse
	busybox-static ca-certificates
	dkms python3-docutils rsync python3-yaml python3-jsonschema
	debhelper dh-dkms lintian
	shellcheck perl python3"

# Install what is missing of HOST_PACKAGES and the packages named (a
# variant's EMULATOR_PKGS). `apt-get update` may fail for one index (a
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
		sed -n 1p | tr -d ' ')
	echo "${uri:-http://deb.debian.org/debian}"
}

# The architectures of the private roots: the host's and every guest's
# (riscv64 has packages from trixie on; bookworm's index just lacks it).
PRIVATE_APT_ARCHES=amd64,arm64,ppc64el,riscv64

# The binary caches (pkgcache.bin, srcpkgcache.bin) are named here: the
# host's own configuration is read first, and Debian's container images
# switch them off there (docker-clean: Dir::Cache::pkgcache ""), so that
# every apt-cache call parsed the suite's whole index again, 5 s of CPU
# each, a dozen calls per target. Kept, a lookup takes 0.03 s.
private_apt_opts()
{
	local root=$CACHE/apt/$1

	echo -o Dir::Etc="$root/etc" -o Dir::State="$root/state" \
		-o Dir::Cache="$root/cache" \
		-o Dir::Cache::pkgcache=pkgcache.bin \
		-o Dir::Cache::srcpkgcache=srcpkgcache.bin \
		-o Dir::State::status="$root/state/status" \
		-o APT::Architecture=amd64 \
		-o APT::Architectures="$PRIVATE_APT_ARCHES" \
		-o Acquire::Languages=none -o Debug::NoLocking=1
}

papt_get() { local s=$1; shift; # shellcheck disable=SC2046
	apt-get $(private_apt_opts "$s") "$@"; }
papt_cache() { local s=$1; shift; # shellcheck disable=SC2046
	apt-cache $(private_apt_opts "$s") "$@"; }

# The sources of a suite's private root: the suite and, for a release, its
# security archive (sid has none), which often holds the kernel a lagging
# mirror does not serve yet (see fetch_kernel).
private_apt_sources()
{
	local suite=$1 mirror

	mirror=$(debian_mirror)
	printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n' \
		"$mirror" "$suite"
	printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
	case $suite in
	sid | unstable | experimental) ;;
	*)
		printf '\nTypes: deb\nURIs: %s-security\n' "${mirror%/}"
		printf 'Suites: %s-security\nComponents: main\n' "$suite"
		printf 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n'
		;;
	esac
}

# Create (once) and refresh (daily) the private apt root of a suite; also
# at once when its sources or architectures changed (a new archive,
# another mirror, a new guest arch), so an existing cache does not wait a
# day to see them. The stamp holds the architectures it was made for.
# apt's own locks are off in these roots (Debug::NoLocking: they are not
# the system's), so this lock keeps two updates, or an update and a
# download (papt_fetch), of one suite apart.
private_apt_update() { with_lock "apt-$1" private_apt_refresh "$1"; }

private_apt_refresh()
{
	local suite=$1 root=$CACHE/apt/$1 sources file stamp

	stamp=$root/state/updated
	file=$root/etc/sources.list.d/debian.sources
	sources=$(private_apt_sources "$suite")
	if [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +1440)" ] &&
	   [ "$sources" = "$(cat "$file" 2>/dev/null)" ] &&
	   [ "$PRIVATE_APT_ARCHES" = "$(cat "$stamp")" ]; then
		return 0
	fi
	step "apt-update-$suite"
	mkdir -p "$root"/etc/{sources.list.d,preferences.d,apt.conf.d} \
		"$root"/state/lists/partial "$root"/cache/archives/partial
	touch "$root/state/status"
	# No stamp until the update ran: an interrupted one is run again.
	rm -f "$stamp"
	printf '%s\n' "$sources" >"$file"
	if ! papt_get "$suite" update >"$CACHE/logs/apt-update-$suite.log" 2>&1; then
		# Partial failures are normal; we check what we need resolves.
		grep -E '^(E|Err):' "$CACHE/logs/apt-update-$suite.log" |
			sed -n 's/^/[lab]   /; 1,3p' >&2 || :
		log "apt update of $suite was partial (continuing)"
	fi
	echo "$PRIVATE_APT_ARCHES" >"$stamp"
}

# "Depends:" of a package matching a pattern (resolves meta packages). A
# virtual one, <name:arch>, stands for the first package providing it: that
# is how a foreign arch lists an arch "all" dependency (the -common headers
# of linux-headers-*:arm64).
papt_depends()
{
	local suite=$1 pkg=$2 pattern=$3

	papt_cache "$suite" depends "$pkg" 2>/dev/null |
		awk -v re="$pattern" '
			/^    / { if (virtual && $1 ~ re) print $1; virtual = 0; next }
			{ virtual = 0 }
			$1 == "Depends:" && $2 ~ /^</ { virtual = 1; next }
			$1 == "Depends:" && $2 ~ re { print $2 }'
}

papt_version()
{
	papt_cache "$1" show "$2" 2>/dev/null |
		awk '/^Version:/ && !seen { print $2; seen = 1 }'
}

cached_deb()
{
	local f

	for f in "$1/$2_${3/:/%3a}_$4.deb" "$1/$2_${3/:/%3a}_all.deb"; do
		[ -f "$f" ] && echo "$f" && return
	done
	return 0
}

# Why apt-get download failed, from its log: "404 Not Found".
download_error()
{
	sed -n 's/^E: Failed to fetch [^ ]* *//p; s/^E: //p' "$1" | sed -n 1p |
		sed 's/ *\[IP:.*//; s/  */ /g'
}

# Put the .deb of a package given as name[:arch] (foreign arch:
# name:arm64) into the download cache, by exact name, version and arch;
# downloaded once. Sets PAPT_DEB. Returns 1 with PAPT_ERROR (what and why)
# and PAPT_LOG set instead of failing, so that fetch_kernel can try
# another kernel. One download of a suite at a time: targets prepared in
# parallel fetch the same packages (a -common headers package, busybox).
papt_fetch() { with_lock "apt-$1" papt_download "$@"; }

papt_download()
{
	local suite=$1 pkg=$2 name arch ver dir=$CACHE/debs/$1

	name=${pkg%%:*}
	arch=amd64
	[ "$name" = "$pkg" ] || arch=${pkg#*:}
	PAPT_DEB=''
	PAPT_ERROR=''
	PAPT_LOG=''
	ver=$(papt_version "$suite" "$pkg")
	if [ -z "$ver" ]; then
		PAPT_ERROR="$pkg: not in $suite's index"
		return 1
	fi
	PAPT_DEB=$(cached_deb "$dir" "$name" "$ver" "$arch")
	[ -n "$PAPT_DEB" ] && return 0
	mkdir -p "$dir"
	PAPT_LOG=$CACHE/logs/download-$suite.log
	if ! (cd "$dir" && papt_get "$suite" download "$pkg=$ver") \
			>"$PAPT_LOG" 2>&1; then
		# Keep it: the next download, of another kernel, reuses the name.
		mv "$PAPT_LOG" "$CACHE/logs/download-$suite-$name.log"
		PAPT_LOG=$CACHE/logs/download-$suite-$name.log
		PAPT_ERROR="$pkg=$ver: $(download_error "$PAPT_LOG")"
		return 1
	fi
	PAPT_DEB=$(cached_deb "$dir" "$name" "$ver" "$arch")
	[ -n "$PAPT_DEB" ] && return 0
	PAPT_ERROR="$pkg=$ver: downloaded, but no .deb of that name"
	return 1
}

# Unpack packages given as name[:arch] into a root directory, fetching
# them into the download cache first.
papt_unpack()
{
	local suite=$1 root=$2 pkg
	shift 2
	mkdir -p "$root"
	for pkg in "$@"; do
		papt_fetch "$suite" "$pkg" ||
			die "cannot fetch from $suite: $PAPT_ERROR${PAPT_LOG:+ (see $PAPT_LOG)}"
		dpkg-deb -x "$PAPT_DEB" "$root" || die "cannot unpack $PAPT_DEB"
	done
}
