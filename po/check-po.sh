#!/bin/sh
# check-po.sh SOURCE_ROOT - the translations are complete and the .pot is current:
#  * every source file under src/ that marks text for translation is in po/POTFILES;
#  * a .pot made afresh from po/POTFILES (the same xgettext keywords as po/meson.build) has no
#    msgid that a translation lacks; no translation has an untranslated or a fuzzy entry;
#  * msgfmt --check passes (format specifiers the same and in order, plural forms header).
set -eu
root=$1
po=$root/po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# every .c under src/ with _( N_( or a plural call is listed
for file in $(cd "$root" && grep -rlE '(^|[^A-Za-z0-9_])(N?_|SR_NGETTEXT|g_dngettext)\(' --include='*.c' src | sort); do
	if ! grep -qx "$file" "$po/POTFILES"; then
		echo "not ok: $file marks text for translation but is not in po/POTFILES"
		status=1
	fi
done

(cd "$root" && xgettext --package-name=sirena --from-code=UTF-8 --add-comments \
	--keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
	--keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 --keyword=SR_NGETTEXT:1,2 \
	--flag=N_:1:pass-c-format --flag=SR_NGETTEXT:1:pass-c-format \
	--flag=SR_NGETTEXT:2:pass-c-format --flag=g_strdup_printf:1:c-format \
	--flag=g_string_append_printf:2:c-format --flag=g_set_error:4:c-format \
	--flag=sr_cli_error:1:c-format --flag=printf:1:c-format --flag=fprintf:2:c-format \
	-f po/POTFILES -o "$tmp/sirena.pot")
total=$(msgattrib --no-wrap "$tmp/sirena.pot" | grep -c '^msgid ' || true)
echo "# $((total - 1)) messages in the fresh .pot"

for lang in $(grep -v '^#' "$po/LINGUAS"); do
	file=$po/$lang.po
	# every msgid of the fresh .pot is translated in $lang.po (msgcmp counts untranslated and
	# fuzzy entries as missing)
	if ! msgcmp "$file" "$tmp/sirena.pot" 2>"$tmp/msgcmp"; then
		echo "not ok: $lang.po lacks messages of the current sources:"
		sed 's/^/#   /' "$tmp/msgcmp"
		status=1
	fi
	untranslated=$(msgattrib --untranslated --no-obsolete "$file" | grep -c '^msgid ' || true)
	fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$file" | grep -c '^msgid ' || true)
	# the header is one msgid of each output when there is anything else
	if [ "$untranslated" -gt 1 ] || [ "$fuzzy" -gt 1 ]; then
		echo "not ok: $lang.po has untranslated or fuzzy entries:"
		msgattrib --untranslated "$file" | sed 's/^/#   /'
		msgattrib --only-fuzzy "$file" | sed 's/^/#   /'
		status=1
	fi
	if ! msgfmt --check --statistics -o /dev/null "$file" 2>"$tmp/msgfmt"; then
		echo "not ok: msgfmt --check $lang.po:"
		sed 's/^/#   /' "$tmp/msgfmt"
		status=1
	fi
	echo "# $lang: $(cat "$tmp/msgfmt")"
	if ! grep -q '"Plural-Forms: nplurals=' "$file"; then
		echo "not ok: $lang.po has no Plural-Forms header"
		status=1
	fi
done
[ $status -eq 0 ] && echo "ok: translations complete"
exit $status
