# tap.sh - TAP output for the shell tests: sourced, not run
#
#   . "$root/tests/e2e/tap.sh"
#   ok "the package builds"; not_ok "lintian: errors"; some-command | diag
#
# SPDX-License-Identifier: GPL-3.0-or-later

n=0
failed=0
# one passing test point
ok()
{
	n=$((n + 1))
	echo "ok $n - $*"
}
# one failing test point
not_ok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}
# standard input as TAP comments
diag()
{
	sed 's/^/# /'
}
