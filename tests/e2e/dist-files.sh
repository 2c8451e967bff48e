#!/bin/sh
# dist-files.sh - the release tarball installs exactly what the source tree installs
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: tests/e2e/dist-files.sh [--worktree]   (from anywhere; the repository is found from
#        this file)
#
# Configures the source tree (-Dtests=false, in a scratch build directory), makes the tarball
# with `meson dist --no-tests --allow-dirty --formats xztar`, and checks that it holds exactly
# the files committed at HEAD: nothing generated, no build directory. Then it builds and
# `meson install --destdir`s both the source tree and the unpacked tarball, and compares what
# they installed: the same paths, types and modes, and the same bytes in every file but the
# programs (those embed their build directory).
#
# meson dist packs the files committed at HEAD only. On a working tree with uncommitted changes
# the test says so; a difference found then may come from those changes rather than from the
# release machinery (CI runs on a clean clone, where the two must agree). With --worktree it
# checks the working tree as if it were committed: the files git knows or would add
# (`git ls-files --cached --others --exclude-standard`) are committed in a scratch clone under
# /tmp, and the test runs there; the repository itself is only read.
#
# Prints TAP. Exits 0 when every check passed, 1 otherwise, 77 (skipped) outside a git checkout
# or without meson, ninja, git or xz.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
me=dist-files

for tool in meson ninja git xz tar; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed (scripts/install-deps installs it)"
		exit 77
	fi
done
if [ "$(git -C "$root" rev-parse --show-toplevel 2>/dev/null)" != "$root" ]; then
	echo "1..0 # SKIP $root is not a git checkout: meson dist needs one"
	exit 77
fi

worktree=0
case ${1:-} in
--worktree) worktree=1 ;;
"") ;;
*)
	echo "usage: $0 [--worktree]" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sirena-dist-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

. "$root/tests/e2e/tap.sh"
finish()
{
	echo "1..$n"
	if [ "$failed" -ne 0 ]; then
		echo "# $me: $failed of $n failed"
		[ -n "$dirty" ] && echo "# $me: the working tree has uncommitted changes (above); meson dist" \
			"packs HEAD only, so commit them (or run on a clean clone) before trusting a difference"
		exit 1
	fi
	exit 0
}
# step DESCRIPTION LOG COMMAND...: runs a build step, its log shown when it fails
step()
{
	desc=$1
	log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		ok "$desc"
		return 0
	fi
	not_ok "$desc"
	tail -n 30 "$log" | diag
	return 1
}

if [ "$worktree" = 1 ]; then
	# a scratch clone with the working tree's files committed: what HEAD will be
	git clone --quiet --shared "$root" "$tmp/worktree" || exit 1
	(cd "$tmp/worktree" && git ls-files -z | xargs -0 rm -f --)
	# shellcheck disable=SC2016 # the sh -c script's own arguments
	(cd "$root" && git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' - |
		tar --null --no-recursion -T - -cf -) | tar -xf - -C "$tmp/worktree"
	(cd "$tmp/worktree" && git add -A &&
		git -c user.name=dist-files -c user.email=dist-files@sirena.invalid \
			commit --quiet --allow-empty -m "the working tree of $root") >/dev/null || exit 1
	echo "# --worktree: checking the working tree of $root as committed in a scratch clone"
	repo=$tmp/worktree
else
	repo=$root
fi
dirty=$(git -C "$repo" status --porcelain --untracked-files=normal)
if [ -n "$dirty" ]; then
	echo "# NOTE: the working tree has uncommitted changes; meson dist packs the files committed"
	echo "# at HEAD only, so the tarball leaves these out:"
	printf '%s\n' "$dirty" | head -n 40 | diag
fi

started=$(date +%s)
opts="-Dtests=false --prefix=/usr --buildtype=plain"
# shellcheck disable=SC2086
step "meson setup of the source tree" "$tmp/setup-src.log" \
	meson setup "$tmp/build-src" "$root" $opts || finish
distbuild=$tmp/build-src
if [ "$repo" != "$root" ]; then
	# the tarball from the scratch clone; what it installs is compared with the working tree's
	distbuild=$tmp/build-clone
	# shellcheck disable=SC2086
	step "meson setup of the scratch clone" "$tmp/setup-clone.log" \
		meson setup "$distbuild" "$repo" $opts || finish
fi
step "meson dist --no-tests --allow-dirty --formats xztar" "$tmp/dist.log" \
	meson dist -C "$distbuild" --no-tests --allow-dirty --formats xztar || finish
tarball=$(find "$distbuild/meson-dist" -name '*.tar.xz' | head -n 1)
if [ -z "$tarball" ]; then
	not_ok "meson dist made a .tar.xz"
	finish
fi
echo "# $(basename "$tarball"): $(wc -c <"$tarball") bytes"

# --- what the tarball holds ------------------------------------------------------------------
top=$(basename "$tarball" .tar.xz)
tar -tJf "$tarball" | sed "s|^$top/||; /^$/d; /\/$/d" | sort >"$tmp/tar-files"
git -C "$repo" ls-tree -r --name-only HEAD | sort >"$tmp/head-files"
if cmp -s "$tmp/tar-files" "$tmp/head-files"; then
	ok "the tarball holds exactly the files committed at HEAD ($(wc -l <"$tmp/tar-files") files)"
else
	not_ok "the tarball holds exactly the files committed at HEAD"
	diff "$tmp/head-files" "$tmp/tar-files" | grep '^[<>]' | head -n 40 |
		sed 's/^</only at HEAD:/; s/^>/only in the tarball:/' | diag
fi
# build directories, what meson and dh make in them (config.h at the top: include/ has its own),
# compiled objects and catalogs, packages
generated=$(grep -E '(^|/)(build[^/]*|_build[^/]*|obj-[^/]*|meson-private|meson-logs|meson-dist)/|^(debian|dist-deb)/|(^|/)(build\.ninja|compile_commands\.json)$|^config\.h$|\.(o|a|so|mo|gmo|deb|ddeb|tar\.xz)$' \
	"$tmp/tar-files")
if [ -z "$generated" ]; then
	ok "the tarball holds nothing generated (no build directory, object, catalog or package)"
else
	not_ok "the tarball holds nothing generated (no build directory, object, catalog or package)"
	printf '%s\n' "$generated" | head -n 20 | diag
fi

# --- install both, compare -------------------------------------------------------------------
mkdir -p "$tmp/unpacked"
tar -xJf "$tarball" -C "$tmp/unpacked"
# shellcheck disable=SC2086
step "meson setup of the unpacked tarball" "$tmp/setup-dist.log" \
	meson setup "$tmp/build-dist" "$tmp/unpacked/$top" $opts || finish
step "the source tree builds and installs (meson install --destdir)" "$tmp/install-src.log" \
	meson install -C "$tmp/build-src" --destdir "$tmp/dest-src" || finish
step "the tarball builds and installs (meson install --destdir)" "$tmp/install-dist.log" \
	meson install -C "$tmp/build-dist" --destdir "$tmp/dest-dist" || finish

# path, type (f, d, l) and mode; a symlink's target
listing()
{
	(cd "$1" && find . -mindepth 1 -printf '%P %y %m %l\n' | sort)
}
listing "$tmp/dest-src" >"$tmp/installed-src"
listing "$tmp/dest-dist" >"$tmp/installed-dist"
if cmp -s "$tmp/installed-src" "$tmp/installed-dist"; then
	ok "the tarball installs the same files as the source tree ($(grep -c ' f ' "$tmp/installed-src") files)"
else
	not_ok "the tarball installs the same files as the source tree"
	diff "$tmp/installed-src" "$tmp/installed-dist" | grep '^[<>]' | head -n 40 |
		sed 's/^</from the source tree only:/; s/^>/from the tarball only:/' | diag
fi

# the same bytes, but for the programs: they embed the path of their build directory
differ=""
for f in $(cd "$tmp/dest-src" && find . -type f -printf '%P\n' | sort); do
	[ -f "$tmp/dest-dist/$f" ] || continue
	case $f in
	usr/bin/*) continue ;;
	esac
	cmp -s "$tmp/dest-src/$f" "$tmp/dest-dist/$f" || differ="$differ $f"
done
if [ -z "$differ" ]; then
	ok "every installed file but the programs has the same content from both"
else
	not_ok "every installed file but the programs has the same content from both"
	# shellcheck disable=SC2086 # one path per word
	printf '%s\n' $differ | diag
fi
check_empty=$(grep -c '' "$tmp/installed-src")
if [ "$check_empty" -gt 0 ]; then
	ok "the source tree installed something ($check_empty paths)"
else
	not_ok "the source tree installed something"
fi

echo "# $me: $(($(date +%s) - started)) s"
finish
