#!/bin/sh
# package.sh - builds the Debian package and checks what it installs and that it runs
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: tests/e2e/package.sh   (from anywhere; the repository is found from this file)
#
# Builds the .deb with scripts/build-deb (DEB_BUILD_OPTIONS=nocheck: the suite runs elsewhere;
# lintian errors fail the build), then checks the package's file list: the two programs, the
# systemd user unit (installed, not enabled), the D-Bus service file, the .desktop files, the
# icon, both region catalogs with the Apache licence, the example configuration, and whatever
# man pages, completions and translations the source tree has. Then it runs the packaged
# `sirena --version` and `sirena parse` against a fixture, with the packaged region catalog.
#
# The package is unpacked with `dpkg -x` into a scratch root, and SIRENA_DATA_DIR points the
# programs at the catalog there. As root with SIRENA_PACKAGE_TEST_INSTALL=1 (and no sirena
# package installed already) it is installed for real with `dpkg -i`, run from /usr/bin without
# SIRENA_DATA_DIR, removed with `dpkg -r` (only the conffiles may stay) and purged.
#
# Prints TAP. Exits 0 when every check passed, 1 otherwise, 77 (skipped) when
# dpkg-buildpackage is not installed.
# shellcheck disable=SC2016,SC2317 # sh -c scripts take their arguments; cleanup runs from trap
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
me=package
# the packaged programs find their data where the package puts it, or where this test says
unset SIRENA_DATA_DIR

if ! command -v dpkg-buildpackage >/dev/null 2>&1; then
	echo "1..0 # SKIP dpkg-buildpackage is not installed (scripts/install-deps installs dpkg-dev)"
	exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sirena-package-XXXXXX")
installed=0
cleanup()
{
	if [ "$installed" = 1 ]; then
		dpkg -P sirena >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

. "$root/tests/e2e/tap.sh"
# check DESCRIPTION COMMAND...: one test point, the command's success
check()
{
	desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
finish()
{
	echo "1..$n"
	if [ "$failed" -ne 0 ]; then
		echo "# $me: $failed of $n failed"
		exit 1
	fi
	exit 0
}

# --- build -----------------------------------------------------------------------------------
started=$(date +%s)
if DEB_BUILD_OPTIONS="nocheck${DEB_BUILD_OPTIONS:+ $DEB_BUILD_OPTIONS}" \
	"$root/scripts/build-deb" "$tmp/out" >"$tmp/build.log" 2>&1; then
	ok "scripts/build-deb built the package, lintian found no error ($(($(date +%s) - started)) s)"
	grep -E '^[WI]: ' "$tmp/build.log" | diag
else
	not_ok "scripts/build-deb built the package, lintian found no error"
	tail -n 40 "$tmp/build.log" | diag
	finish
fi

arch=$(dpkg --print-architecture)
deb=$(find "$tmp/out" -name "sirena_*_$arch.deb" | head -n 1)
if [ -z "$deb" ]; then
	not_ok "a sirena_*_$arch.deb was built"
	finish
fi
ok "built $(basename "$deb")"

# --- what the package holds ------------------------------------------------------------------
# paths without the leading "./"; symlinks as "path -> target"
dpkg-deb -c "$deb" | awk '{ p = $6; for (i = 7; i <= NF; i++) p = p " " $i; sub(/^\.\//, "", p); print p }' \
	>"$tmp/files"
has()
{
	grep -qxF "$1" "$tmp/files"
}
for f in usr/bin/sirena usr/bin/sirenad \
	usr/lib/systemd/user/sirenad.service \
	usr/share/dbus-1/services/org.sirena.Sirena1.service \
	usr/share/dbus-1/interfaces/org.sirena.Sirena1.xml \
	usr/share/applications/org.sirena.Sirena.desktop \
	etc/xdg/autostart/org.sirena.Sirena.Autostart.desktop \
	usr/share/icons/hicolor/scalable/apps/org.sirena.Sirena.svg \
	usr/share/sirena/regions-ua.json usr/share/sirena/regions-il.json \
	usr/share/sirena/LICENSE.Apache-2.0 usr/share/sirena/README.md \
	usr/share/sirena/demo/night.json \
	usr/share/doc/sirena/sirena.conf.example usr/share/doc/sirena/copyright; do
	check "the package has /$f" has "$f"
done
check "the user unit is not enabled for every user (nothing in /etc/systemd)" \
	sh -c '! grep -q "^etc/systemd" "$1"' - "$tmp/files"
check "nothing is installed under /usr/local or the build tree" \
	sh -c '! grep -Eq "^usr/local|obj-|/tmp/" "$1"' - "$tmp/files"
dpkg-deb -e "$deb" "$tmp/control"
dpkg -x "$deb" "$tmp/root"
check "the user unit starts /usr/bin/sirenad" \
	grep -qx 'ExecStart=/usr/bin/sirenad' "$tmp/root/usr/lib/systemd/user/sirenad.service"
check "the D-Bus service starts /usr/bin/sirenad through the user unit" \
	sh -c 'grep -qx "Exec=/usr/bin/sirenad" "$1" && grep -qx "SystemdService=sirenad.service" "$1"' \
	- "$tmp/root/usr/share/dbus-1/services/org.sirena.Sirena1.service"
check "the autostart entry is a conffile" \
	grep -qxF /etc/xdg/autostart/org.sirena.Sirena.Autostart.desktop "$tmp/control/conffiles"
# debhelper's enabling snippet enables on first install ("was-enabled" defaults to true); the
# --no-enable one re-enables only units that dpkg had installed and the admin had enabled
check "the maintainer scripts do not enable the user unit on install" \
	sh -c '! grep -q -- "--user enable" "$1/postinst" || grep -q -- "--user debian-installed" "$1/postinst"' \
	- "$tmp/control"
meson_version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$root/meson.build" | head -n 1)
deb_version=$(dpkg-deb -f "$deb" Version)
check "the package's version $deb_version is meson.build's $meson_version plus a revision" \
	[ "${deb_version%-*}" = "$meson_version" ]

# man pages: one per doc/man/NAME.SECTION.scd
if [ -d "$root/doc/man" ]; then
	for scd in "$root"/doc/man/*.scd; do
		[ -e "$scd" ] || continue
		page=$(basename "$scd" .scd)
		section=${page##*.}
		check "the package has the man page $page" has "usr/share/man/man$section/$page.gz"
	done
else
	echo "# no doc/man in the tree: man pages not checked"
fi
# completions: one per data/completions file, under the name and in the directory where
# Debian's shells look for them
if [ -d "$root/data/completions" ]; then
	for src in "$root"/data/completions/*; do
		name=$(basename "$src")
		case $name in
		*.bash) path=usr/share/bash-completion/completions/${name%.bash} ;;
		_*) path=usr/share/zsh/vendor-completions/$name ;;
		*.fish) path=usr/share/fish/vendor_completions.d/$name ;;
		*) continue ;;
		esac
		check "the package has the completion $name as /$path" has "$path"
	done
else
	echo "# no data/completions in the tree: completions not checked"
fi
# translations: one catalog per po/LANG.po
if [ -d "$root/po" ]; then
	for po in "$root"/po/*.po; do
		[ -e "$po" ] || continue
		lang=$(basename "$po" .po)
		check "the package has the $lang translation" has "usr/share/locale/$lang/LC_MESSAGES/sirena.mo"
	done
else
	echo "# no po in the tree: translations not checked"
fi

# --- install and run -------------------------------------------------------------------------
fixture=$root/tests/fixtures/alerts_in_ua/active_mixed.json
run_checks()
{
	# $1: the root the package is in; the environment says where its data is
	bin=$1/usr/bin
	out=$("$bin/sirena" --version 2>&1)
	check "the packaged sirena --version prints sirena $meson_version" [ "$out" = "sirena $meson_version" ]
	if "$bin/sirena" parse --source alerts_in_ua "$fixture" --json >"$tmp/parse.out" 2>"$tmp/parse.err"; then
		ok "the packaged sirena parse --source alerts_in_ua --json succeeds"
	else
		not_ok "the packaged sirena parse --source alerts_in_ua --json succeeds"
		diag <"$tmp/parse.err"
	fi
	# the English region names come from the packaged catalog, not from the fixture
	check "sirena parse names the regions from the packaged catalog" \
		grep -q '"regions":\[{"id":"ua:16","name":"Луганська область","name_en":"Luhanska Oblast"' \
		"$tmp/parse.out"
	check "sirena parse prints one JSON event per alert of the fixture (three)" \
		[ "$(grep -c '^{"id":"alerts_in_ua:' "$tmp/parse.out")" -eq 3 ]
	check "the packaged sirenad --help runs" sh -c '"$1" --help >/dev/null 2>&1' - "$bin/sirenad"
}

if [ "$(id -u)" -eq 0 ] && [ "${SIRENA_PACKAGE_TEST_INSTALL:-0}" = 1 ] &&
	! dpkg-query -W -f='${Status}' sirena 2>/dev/null | grep -q "installed"; then
	echo "# installing for real: dpkg -i"
	if dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
		installed=1
		ok "dpkg -i installed the package"
		run_checks ""
		check "no user has the unit enabled after installing" \
			sh -c '! find /etc/systemd/user -name sirenad.service 2>/dev/null | grep -q .'
		dpkg -r sirena >"$tmp/dpkg.log" 2>&1
		check "dpkg -r removed the package, its conffiles kept" \
			sh -c 'dpkg-query -W -f="\${Status}" sirena | grep -qx "deinstall ok config-files"'
		left=""
		while IFS= read -r f; do
			case $f in
			"" | */ | *" -> "*) continue ;;
			esac
			grep -qxF "/$f" "$tmp/control/conffiles" && continue
			[ -e "/$f" ] && left="$left /$f"
		done <"$tmp/files"
		check "dpkg -r left no file of the package but its conffiles${left:+ (left:$left)}" [ -z "$left" ]
		check "the conffile is still there after dpkg -r" \
			[ -e /etc/xdg/autostart/org.sirena.Sirena.Autostart.desktop ]
		dpkg -P sirena >"$tmp/dpkg.log" 2>&1
		installed=0
		check "dpkg -P purged the conffile" \
			[ ! -e /etc/xdg/autostart/org.sirena.Sirena.Autostart.desktop ]
	else
		not_ok "dpkg -i installed the package"
		diag <"$tmp/dpkg.log"
		installed=1
	fi
else
	[ "${SIRENA_PACKAGE_TEST_INSTALL:-0}" = 1 ] &&
		echo "# not installing for real (needs root and no sirena package installed): dpkg -x"
	echo "# running the programs of the package unpacked with dpkg -x"
	SIRENA_DATA_DIR=$tmp/root/usr/share/sirena
	export SIRENA_DATA_DIR
	run_checks "$tmp/root"
	unset SIRENA_DATA_DIR
	# the data directory built in is the one the package installs to
	if [ ! -e /usr/share/sirena ]; then
		"$tmp/root/usr/bin/sirena" parse --source alerts_in_ua "$fixture" --json \
			>/dev/null 2>"$tmp/nodata.err"
		check "without SIRENA_DATA_DIR the packaged sirena looks in /usr/share/sirena" \
			grep -qF /usr/share/sirena/regions-ua.json "$tmp/nodata.err"
	fi
fi

finish
