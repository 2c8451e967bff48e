#!/bin/sh
# desktop.sh - sirenad end to end with a real notification server: dunst under Xvfb
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: desktop.sh SIRENAD SIRENA SR-SERVE SOURCE-ROOT
#
# On a private session bus (dbus-run-session with a bus configuration of our own: no service
# can be activated on it, and the developer's bus is never touched) it starts Xvfb, dunst with
# a configuration of its own, the loopback server (tests/e2e/sr-serve) with Ukraine Alarm
# fixtures, and sirenad. The fixtures play an alert in a raion of the subscribed oblast that
# turns from yellow to red and ends; then `sirena test` asks sirenad for a TEST alert. What
# dunst received is read back with dunstctl: one alert notification (the update replaced it),
# closed by sirenad at the end, one all-clear, one TEST.
#
# dunst 1.9's `dunstctl history` lists closed notifications only, without their urgency. So
# the urgency is written into the message by rules of the test's dunstrc ("urgency=CRITICAL"
# on a line of its own), and `dunstctl count` tells what is still displayed; once checked,
# `dunstctl close-all` moves the displayed ones to the history, which then has all three.
#
# Exits 77 (skipped) when a tool it needs is missing; scripts/install-deps installs them all.
set -eu

me=desktop-dunst

log()
{
	printf '%s: %s\n' "$me" "$*" >&2
}

if [ "${1:-}" != "--inner" ]; then
	if [ "$#" -ne 4 ]; then
		echo "usage: $0 SIRENAD SIRENA SR-SERVE SOURCE-ROOT" >&2
		exit 2
	fi
	missing=""
	for tool in Xvfb dunst dunstctl dbus-run-session dbus-send busctl python3; do
		command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
	done
	if [ -n "$missing" ]; then
		echo "SKIP: not installed:$missing (scripts/install-deps installs them:" \
			"xvfb, dunst, dbus-daemon, dbus-bin, systemd for busctl, python3)"
		exit 77
	fi

	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sirena-desktop-XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 143' TERM
	trap 'exit 130' INT
	trap 'exit 129' HUP
	# the standard session bus, without <servicedir> and <standard_session_servicedirs>:
	# only what this test starts owns a name on it, nothing is activated behind its back
	cat >"$tmp/bus.conf" <<-'EOF'
	<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
	 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
	<busconfig>
	  <type>session</type>
	  <keep_umask/>
	  <listen>unix:tmpdir=/tmp</listen>
	  <auth>EXTERNAL</auth>
	  <policy context="default">
	    <allow send_destination="*" eavesdrop="true"/>
	    <allow eavesdrop="true"/>
	    <allow own="*"/>
	  </policy>
	</busconfig>
	EOF
	status=0
	dbus-run-session --config-file="$tmp/bus.conf" -- sh "$0" --inner "$tmp" "$@" || status=$?
	exit "$status"
fi

# --- inside dbus-run-session: $DBUS_SESSION_BUS_ADDRESS is the private bus -------------------

tmp=$2
sirenad=$3
sirena=$4
serve=$5
# $6, the source root, is not needed: SIRENA_DATA_DIR comes from the test environment

pids=""    # every process started here, the last started first
started=$(date +%s)

fail()
{
	log "FAIL: $*"
	exit 1
}

cleanup()
{
	status=$?
	trap - EXIT
	for pid in $pids; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if [ "$status" -ne 0 ]; then
		for f in sirenad.log dunst.log xvfb.log serve.log dunstrc sirena.conf; do
			[ -f "$tmp/$f" ] || continue
			log "---- $f"
			cat "$tmp/$f" >&2
		done
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP

# a private home: no user configuration of dunst or Sirena takes part
export HOME="$tmp/home"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_STATE_HOME="$HOME/.local/state"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset WAYLAND_DISPLAY DISPLAY

# runs "$@" until it succeeds: every 50 ms, for at most 15 s, while every process started lives
wait_for()
{
	what=$1
	shift
	tries=0
	until "$@"; do
		for pid in $pids; do
			kill -0 "$pid" 2>/dev/null || fail "a process died (pid $pid) waiting for $what"
		done
		tries=$((tries + 1))
		[ "$tries" -lt 300 ] || fail "no $what within 15 s"
		sleep 0.05
	done
}

has_owner()
{
	dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner "string:$1" | grep -q true
}

# dunstctl count displayed|history|waiting is N
count_is()
{
	[ "$(dunstctl count "$1")" = "$2" ]
}

# stops process $2 (named $1) with SIGTERM: it must exit with status 0 (under the sanitizers
# this is where a leak or other error shows)
stop()
{
	kill "$2"
	rc=0
	wait "$2" || rc=$?
	remaining=""
	for pid in $pids; do
		[ "$pid" = "$2" ] || remaining="$remaining $pid"
	done
	pids=$remaining
	[ "$rc" -eq 0 ] || fail "$1 exited with status $rc on SIGTERM"
}

# --- Xvfb on the first free display of :90..:120 ---------------------------------------------

display=90
while :; do
	[ "$display" -le 120 ] || fail "no free X display in :90..:120"
	if [ ! -e "/tmp/.X$display-lock" ] && [ ! -e "/tmp/.X11-unix/X$display" ]; then
		: >"$tmp/displayfd"
		# -displayfd: the display number is written there once the server accepts clients
		Xvfb ":$display" -displayfd 3 -nolisten tcp -screen 0 1024x768x24 \
			3>"$tmp/displayfd" 2>"$tmp/xvfb.log" &
		xvfb=$!
		tries=0
		while [ ! -s "$tmp/displayfd" ] && kill -0 "$xvfb" 2>/dev/null; do
			tries=$((tries + 1))
			[ "$tries" -lt 200 ] || break
			sleep 0.05
		done
		if [ -s "$tmp/displayfd" ]; then
			pids="$xvfb $pids"
			break
		fi
		# taken meanwhile by another server, or too slow: the next one
		kill "$xvfb" 2>/dev/null || true
		wait "$xvfb" 2>/dev/null || true
	fi
	display=$((display + 1))
done
export DISPLAY=":$display"
log "Xvfb on $DISPLAY"

# --- dunst ----------------------------------------------------------------------------------

# nothing times out or is dropped during the test; a rule per urgency writes it into the
# message, as dunst 1.9's history does not list it
cat >"$tmp/dunstrc" <<'EOF'
[global]
history_length = 50
sticky_history = yes
notification_limit = 0
idle_threshold = 0
stack_duplicates = false
ignore_dbusclose = false
show_age_threshold = -1

[urgency_low]
timeout = 0

[urgency_normal]
timeout = 0

[urgency_critical]
timeout = 0

[sirena-e2e-low]
msg_urgency = low
format = "urgency=LOW\n<b>%s</b>\n%b"

[sirena-e2e-normal]
msg_urgency = normal
format = "urgency=NORMAL\n<b>%s</b>\n%b"

[sirena-e2e-critical]
msg_urgency = critical
format = "urgency=CRITICAL\n<b>%s</b>\n%b"
EOF
dunst -config "$tmp/dunstrc" >"$tmp/dunst.log" 2>&1 &
pids="$! $pids"
wait_for "dunst on the bus" has_owner org.freedesktop.Notifications
version=$(dunstctl debug) || fail "the notification server is not dunst"
log "$version"

# --- the loopback upstream ------------------------------------------------------------------

# writes $2 to $1 in one step: the server never reads half a file
put()
{
	printf '%s\n' "$2" >"$1.new"
	mv -f "$1.new" "$1"
}

index=0
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# the Ukraine Alarm answer: no alert, or an air raid alert in raion 74 (in Kyivska Oblast) at
# level $1 for reason $2; the body first, the change counter after it (see sr-serve.c)
serve_alerts()
{
	index=$((index + 1))
	if [ "$#" -eq 0 ]; then
		body='[]'
	else
		alert='{"regionId":"74","regionType":"District","type":"AIR","lastUpdate":"'$now'",'
		alert=$alert'"activeAlertLevels":[{"alertLevel":"'$1'","reason":"'$2'",'
		alert=$alert'"createdAt":"'$now'"}]}'
		body='[{"regionId":"74","regionType":"District","regionName":"Вишгородський район",'
		body=$body'"lastUpdate":"'$now'","activeAlerts":['$alert']}]'
	fi
	put "$tmp/alerts.json" "$body"
	put "$tmp/status.json" '{"lastActionIndex":'$index'}'
}

serve_alerts
"$serve" "/api/v3/alerts=$tmp/alerts.json" "/api/v3/alerts/status=$tmp/status.json" \
	>"$tmp/url" 2>"$tmp/serve.log" &
serve_pid=$!
pids="$serve_pid $pids"
wait_for "URL from sr-serve" test -s "$tmp/url"
url=$(cat "$tmp/url")

# --- sirenad --------------------------------------------------------------------------------

cat >"$tmp/sirena.conf" <<EOF
[sirena]
regions=Київська область

[source ua]
type=ukraine_alarm
token=desktop-e2e-token
url=$url
interval=0.2
stale_after=2
EOF
chmod 600 "$tmp/sirena.conf"
"$sirenad" --config "$tmp/sirena.conf" --store "$tmp/state/sirena.db" >"$tmp/sirenad.log" 2>&1 &
sirenad_pid=$!
pids="$sirenad_pid $pids"
wait_for "sirenad on the bus" has_owner org.sirena.Sirena1

# `sirena status` through sirenad (its bus name is owned, so the CLI does not poll itself)
status_has()
{
	"$sirena" status --json >"$tmp/status.out" 2>/dev/null || return 1
	grep -qF -- "$1" "$tmp/status.out"
}

# the first answer is the baseline, with no alert: nothing is shown
wait_for "first answer of the source" status_has '"state":"ok"'
sleep 0.5
count_is displayed 0 || fail "a notification without any alert: $(dunstctl count)"

# --- the timeline ---------------------------------------------------------------------------

yellow='Загроза застосування ударних БпЛА'
red='Ракетна загроза'

log "an alert starts (yellow)"
serve_alerts Yellow "$yellow"
wait_for "alert notification" count_is displayed 1
status_has '"severity":"severe"' || fail "the alert is not yellow: $(cat "$tmp/status.out")"

log "the alert turns red"
serve_alerts Red "$red"
wait_for "red alert in sirenad" status_has '"severity":"extreme"'
sleep 0.5
count_is displayed 1 || fail "the update is not in place of the alert: $(dunstctl count)"
count_is history 0 || fail "a notification was closed by the update: $(dunstctl count)"

log "the alert ends"
serve_alerts
wait_for "alert notification closed" count_is history 1
wait_for "all-clear" count_is displayed 1
wait_for "no alert in sirenad" status_has '"alerts":[]'

log "sirena test"
"$sirena" test >"$tmp/test.out" 2>&1 || fail "sirena test: $(cat "$tmp/test.out")"
grep -q '^sirenad sent a TEST alert' "$tmp/test.out" ||
	fail "sirena test did not go through sirenad: $(cat "$tmp/test.out")"
wait_for "TEST notification" count_is displayed 2
sleep 0.5
counts=$(dunstctl count)
count_is waiting 0 || fail "notifications waiting: $counts"
count_is displayed 2 || fail "expected all-clear and TEST displayed: $counts"
count_is history 1 || fail "expected the alert, and only it, closed: $counts"

# --- what dunst has -------------------------------------------------------------------------

# checks `dunstctl history` (busctl JSON: {"type":"aa{sv}","data":[[{key:{type,data}}]]},
# newest first) against the expected notifications, given as SUMMARY-PART|URGENCY|CATEGORY|
# BODY-PART lines in any order
check_history()
{
	dunstctl history >"$tmp/history.json" || fail "dunstctl history failed"
	python3 - "$tmp/history.json" "$1" <<-'EOF' || fail "unexpected dunstctl history (above)"
	import json, sys

	with open(sys.argv[1], encoding="utf-8") as f:
	    reply = json.load(f)
	got = [{k: v["data"] for k, v in n.items()} for n in reply["data"][0]]
	expected = [line.split("|") for line in sys.argv[2].strip().split("\n")]
	ok = len(got) == len(expected) and len({n["id"] for n in got}) == len(got)
	for summary, urgency, category, body in expected:
	    match = [n for n in got
	             if summary in n["summary"]
	             and n["message"].startswith("urgency=%s\n" % urgency)
	             and n["category"] == category and body in n["body"]]
	    ok = ok and len(match) == 1
	for n in got:
	    print("  id %d: [%s] %s | %s" % (n["id"], n["message"].split("\n")[0], n["summary"],
	                                     n["category"]), file=sys.stderr)
	if not ok:
	    print("expected:", *["  " + " | ".join(e) for e in expected], sep="\n", file=sys.stderr)
	sys.exit(0 if ok else 1)
	EOF
}

log "history: the alert alone, closed by sirenad at its end, with its red update"
check_history "Air raid alert|CRITICAL|x-sirena.alert|$red"

log "history after dunstctl close-all: the alert, the all-clear, the TEST"
dunstctl close-all
wait_for "all notifications closed" count_is history 3
check_history "Air raid alert|CRITICAL|x-sirena.alert|$red
All clear|NORMAL|x-sirena.all-clear|
TEST|CRITICAL|x-sirena.alert|"

stop sirenad "$sirenad_pid"
stop sr-serve "$serve_pid"
log "ok in $(($(date +%s) - started)) s"
