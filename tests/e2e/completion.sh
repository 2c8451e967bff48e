#!/bin/bash
# completion.sh - the shell completions offer what the code knows
#
# usage: completion.sh bash|zsh|fish COMPLETIONS_DIR SIRENA SOURCE_ROOT
#
# What must come back is read from the code and the binary, never from a list kept here: the
# commands (the commands[] table of src/cli/sr-cli.c), every long option of each command
# (`sirena CMD --help-all`), the kinds of alert (src/model/sr-enums.c), the source types
# (`sirena sources --json`) and regions of the catalog (ua:31, Kyiv City), which the scripts
# get from the sirena found first in PATH: the one just built. Exits 77 only when the shell
# (or zsh's zpty module, which drives an interactive zsh) is missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

shell=$1
dir=$(realpath "$2")
sirena=$(realpath "$3")
root=$(realpath "$4")

if ! command -v "$shell" >/dev/null 2>&1; then
	echo "SKIP: $shell is not installed"
	exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the built sirena first in PATH, under the name the completions are registered for
mkdir "$work/bin"
ln -s "$sirena" "$work/bin/sirena"
export PATH="$work/bin:$PATH"
"$work/bin/sirena" --version >/dev/null || {
	echo "FAIL: $sirena does not run"
	exit 1
}
export HOME="$work"
export XDG_CONFIG_HOME="$work/config"

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# --- what the code knows ---
mapfile -t commands < <(sed -n '/static const Command commands\[\]/,/};/p' \
	"$root/src/cli/sr-cli.c" | grep -o '{"[a-z-]*",' | sed 's/{"//; s/",//')
mapfile -t kinds < <(sed -n '/kind_names\[\] = {/,/};/p' "$root/src/model/sr-enums.c" |
	grep -o '"[a-z_]*"' | tr -d '"')
mapfile -t types < <(sirena sources --json --config /dev/null 2>/dev/null |
	grep -o '"type":"[^"]*"' | sed 's/^"type":"//; s/"$//' | sort -u)
((${#commands[@]} >= 8)) || fail "found only ${#commands[@]} commands in src/cli/sr-cli.c"
((${#kinds[@]} >= 10)) || fail "found only ${#kinds[@]} kinds in src/model/sr-enums.c"
((${#types[@]} >= 10)) || fail "sirena sources --json listed only ${#types[@]} types"
# the ids the catalog gives for the regions the tests look for
sirena regions --ids | grep -q $'^ua:31\tKyiv City$' ||
	fail "sirena regions --ids does not print 'ua:31<TAB>Kyiv City'"

sirena regions --ids Kyiv >"$work/ids" || fail "sirena regions --ids Kyiv failed"
grep -qx $'ua:31\tKyiv City' "$work/ids" || fail "sirena regions --ids Kyiv lacks ua:31"
sirena regions --ids zzzz-no-such-place >"$work/ids" 2>&1 &&
	fail "sirena regions --ids with no match exits 0"
[[ -s $work/ids ]] && fail "sirena regions --ids with no match printed: $(cat "$work/ids")"
# a name with a tab and a line break (a hostile catalog) must not forge a candidate line
mkdir "$work/catalog"
cp "$root/data/regions-il.json" "$work/catalog/"
printf '%s' '{"version":"1","regions":[{"id":"3","level":"oblast","parent":null,"name_uk":"X",
"name_en":"Evil\tOblast\nua:99\tFake","aliases":[],"oblast_index":23}]}' \
	>"$work/catalog/regions-ua.json"
SIRENA_DATA_DIR="$work/catalog" sirena regions --ids >"$work/ids" ||
	fail "sirena regions --ids on a catalog with control characters failed"
grep -q '^ua:99' "$work/ids" && fail "a name with a line break forged the region ua:99"
grep -qx $'ua:3\tEvil Oblast ua:99 Fake' "$work/ids" ||
	fail "control characters in a name are not shown as spaces: $(grep '^ua:3' "$work/ids")"
awk -F '\t' 'NF != 2 { exit 1 }' "$work/ids" || fail "a line of sirena regions --ids has not 2 fields"

options_of() {
	sirena "$1" --help-all | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
		sed 's/.*--/--/'
}

# expect NAME CANDIDATES_FILE WORD...: every WORD is among the candidates, one per line
expect() {
	local what=$1 file=$2 word
	shift 2
	for word in "$@"; do
		grep -qxF -- "$word" "$file" || fail "$what: '$word' not offered (got: $(head -c 300 "$file" | tr '\n' ' '))"
	done
}

# --- one function per shell: candidates for a command line, one per line ---
case $shell in
bash)
	complete_line() {
		# COMP_WORDS as bash splits them: ':' and '=' are word breaks
		bash --norc --noprofile -c '
			source "$1" || exit 3
			shift
			COMP_LINE="$1"
			COMP_POINT=${#COMP_LINE}
			shift
			COMP_WORDS=("$@")
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMPREPLY=()
			_sirena
			printf "%s\n" "${COMPREPLY[@]}"
		' bash "$dir/sirena.bash" "$@"
	}
	# words as a space-separated line; a trailing space starts a new empty word
	complete_words() {
		local line=$1
		local -a words
		read -ra words <<<"${line//:/ : }"
		[[ $line == *' ' ]] && words+=("")
		complete_line "$line" "${words[@]}"
	}
	bash --norc --noprofile -c 'source "$1" && complete -p sirena' bash "$dir/sirena.bash" \
		>"$work/out" 2>&1 || fail "sourcing sirena.bash: $(cat "$work/out")"
	grep -q '_sirena sirena' "$work/out" || fail "sirena.bash registers no completion for sirena"
	;;
zsh)
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || {
		echo "SKIP: zsh has no zpty module"
		exit 77
	}
	# loads without a word on stderr
	zsh -f -c 'autoload -U compinit; compinit -u -d "$HOME/zcompdump"; source "$1"; print -r -- $_comps[sirena]' \
		zsh "$dir/_sirena" >"$work/out" 2>&1
	[[ $(cat "$work/out") == _sirena ]] || fail "sourcing _sirena: $(cat "$work/out")"
	# an interactive zsh with the completion autoloaded from its directory, as installed;
	# compadd is wrapped to record the candidates that match what was typed
	cat >"$work/drive.zsh" <<'EOF'
zmodload zsh/zpty
dir=$1 out=$2 line=$3
zpty z zsh -f -i
zpty -w z "PROMPT='>' RPROMPT=''; unsetopt zle_bracketed_paste; LISTMAX=1000000"
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u -d \$HOME/zcompdump"
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no"
zpty -w z "compadd() { builtin compadd \"\$@\"; local -a m; builtin compadd -O m \"\$@\"; print -rl -- \$m >> ${(q)out}.part }"
# a key bound after Tab: zle runs it once the completion is over
zpty -w z "sirena-done() { print -r -- SIRENA-DONE >> ${(q)out}.part }; zle -N sirena-done; bindkey '^Xd' sirena-done"
zpty -w z "echo READY"
zpty -r z reply '*READY*' || exit 3
: >$out.part
zpty -w -n z "$line"$'\t\C-xd'
for i in {1..300}; do
  grep -qx SIRENA-DONE $out.part && break
  sleep 0.1
done
zpty -d z
grep -vx SIRENA-DONE $out.part >$out
EOF
	complete_words() {
		rm -f "$work/candidates"
		zsh -f "$work/drive.zsh" "$dir" "$work/candidates" "$1" >/dev/null 2>&1
		# the list form shows "Kyiv\ City" as typed; compare names unquoted
		[[ -f $work/candidates ]] && sed 's/\\ / /g' "$work/candidates"
	}
	;;
fish)
	fish --no-config -c 'source $argv[1]' "$dir/sirena.fish" >"$work/out" 2>&1
	[[ -s $work/out ]] && fail "sourcing sirena.fish: $(cat "$work/out")"
	complete_words() {
		fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$dir/sirena.fish" "$1" |
			cut -f1
	}
	;;
*)
	echo "usage: $0 bash|zsh|fish COMPLETIONS_DIR SIRENA SOURCE_ROOT" >&2
	exit 2
	;;
esac

# --- the checks ---
complete_words 'sirena ' >"$work/c"
expect 'sirena <TAB>' "$work/c" "${commands[@]}"

for command in "${commands[@]}"; do
	mapfile -t options < <(options_of "$command")
	((${#options[@]} > 0)) || fail "sirena $command --help-all lists no option"
	complete_words "sirena $command --" >"$work/c"
	expect "sirena $command --<TAB>" "$work/c" "${options[@]}"
done

complete_words 'sirena watch --kind ' >"$work/c"
expect 'sirena watch --kind <TAB>' "$work/c" "${kinds[@]}"

complete_words 'sirena parse --source ' >"$work/c"
expect 'sirena parse --source <TAB>' "$work/c" "${types[@]}"

# the types come from the binary, not from a list in the script: a sirena that knows one more
# type must get it offered
mkdir "$work/probe"
printf '#!/bin/sh\nif [ "$1" = sources ]; then\n\techo %s\n\texit 0\nfi\nexec %s "$@"\n' \
	"'{\"types\":[{\"type\":\"probe_type\"}],\"configured\":[]}'" "'$sirena'" \
	>"$work/probe/sirena"
chmod +x "$work/probe/sirena"
PATH="$work/probe:$PATH" complete_words 'sirena parse --source ' >"$work/c"
expect 'sirena parse --source <TAB> (the types of the sirena in PATH)' "$work/c" probe_type

# a sirena that cannot be asked (an old one, or one that fails to start): the script's own list
# is offered, and it must still name every type the built sirena knows
printf '#!/bin/sh\nif [ "$1" = sources ]; then\n\texit 1\nfi\nexec %s "$@"\n' "'$sirena'" \
	>"$work/probe/sirena"
PATH="$work/probe:$PATH" complete_words 'sirena parse --source ' >"$work/c"
expect 'sirena parse --source <TAB> (the fallback list, sirena cannot be asked)' "$work/c" \
	"${types[@]}"

complete_words 'sirena config ' >"$work/c"
expect 'sirena config <TAB>' "$work/c" check

complete_words 'sirena status --region ua:3' >"$work/c"
if [[ $shell == bash ]]; then
	# bash replaces only what follows the last ':', so the candidate is the rest of the id
	expect 'sirena status --region ua:3<TAB>' "$work/c" 31
	grep -qx 'ua:31' "$work/c" && fail "bash would insert ua:ua:31"
else
	expect 'sirena status --region ua:3<TAB>' "$work/c" ua:31
fi

complete_words 'sirena status --region Ky' >"$work/c"
if [[ $shell == bash ]]; then
	expect 'sirena status --region Ky<TAB>' "$work/c" 'Kyiv\ City'
else
	expect 'sirena status --region Ky<TAB>' "$work/c" 'Kyiv City'
fi

complete_words 'sirena regions Kyiv' >"$work/c"
if [[ $shell == bash ]]; then
	expect 'sirena regions Kyiv<TAB>' "$work/c" 'Kyiv\ City'
else
	expect 'sirena regions Kyiv<TAB>' "$work/c" 'Kyiv City'
fi

if ((failures > 0)); then
	echo "$failures check(s) of the $shell completion failed"
	exit 1
fi
echo "ok: the $shell completion offers every command, option, kind, source type and the regions"
