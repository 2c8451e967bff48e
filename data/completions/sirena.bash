# bash completion for sirena(1)
#
# Source types and regions come from the sirena being completed (`sirena sources --json`,
# `sirena regions --ids`), so new sources and catalog entries appear without editing this file.
#
# SPDX-License-Identifier: GPL-3.0-or-later

_sirena_commands='status watch regions sources parse config history test'
_sirena_kinds='air_raid missile uav artillery urban_fights chemical nuclear hazmat earthquake
tsunami infiltration weather flood fire health civil other unknown'
# only when the binary cannot be asked
_sirena_types_fallback='alerts_in_ua ukraine_alarm siren_pp_ua ubilling alerts_com_ua replay oref
oref_history nina nws cap cap_feed meteoalarm mqtt'
_sirena_common_options='--config -c --json -j --verbose -v --standalone --help -h --help-all
--help-common'

# the options of each command, besides the common ones
_sirena_command_options() {
	case $1 in
	status) echo '--region -r --location' ;;
	watch) echo '--region -r --kind -k --demo --speed' ;;
	regions) echo '--ids' ;;
	parse) echo '--source -s --name --at --location' ;;
	history) echo '--region -r --since -s' ;;
	esac
}

# the sirena being completed: the command word as typed, with a leading ~ expanded
_sirena_program() {
	local prog=${COMP_WORDS[0]}
	[[ $prog == '~/'* ]] && prog=$HOME/${prog#'~/'}
	printf '%s' "$prog"
}

_sirena_source_types() {
	local json types
	# an empty configuration: a broken one of the user's must not hide the types
	json=$("$(_sirena_program)" sources --json --config /dev/null 2>/dev/null)
	types=$(printf '%s' "$json" | grep -o '"type":"[^"]*"' | sed 's/^"type":"//; s/"$//' |
		sort -u)
	printf '%s\n' "${types:-$_sirena_types_fallback}"
}

# region ids, and Latin names (escaped for the command line) that start with $1, any case
_sirena_regions() {
	local cur=$1 id name lower quoted=
	local -A seen=()
	case $cur in
	\"* | \'*)
		quoted=1
		cur=${cur:1}
		;;
	esac
	cur=${cur//\\/}
	lower=${cur,,}
	while IFS=$'\t' read -r id name; do
		[[ -n $id ]] || continue
		[[ $id == "$cur"* ]] && COMPREPLY+=("$id")
		# every id on an empty word, but not every name as well
		[[ -n $cur && -n $name && ${name,,} == "$lower"* && -z ${seen[$name]} ]] || continue
		seen[$name]=1
		if [[ -n $quoted ]]; then
			COMPREPLY+=("$name")
		else
			COMPREPLY+=("$(printf '%q' "$name")")
		fi
	done < <("$(_sirena_program)" regions --ids 2>/dev/null)
}

_sirena() {
	local i word cur prev command= previous_was_colon=
	local -a words=()

	# bash splits "ua:31" into "ua" ":" "31" (':' is in COMP_WORDBREAKS): join them again
	for ((i = 0; i <= COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		if ((${#words[@]} > 1)) && [[ $word == : || -n $previous_was_colon ]]; then
			words[-1]+=$word
		else
			words+=("$word")
		fi
		[[ $word == : ]] && previous_was_colon=1 || previous_was_colon=
	done
	cur=${words[-1]}
	prev=
	((${#words[@]} > 1)) && prev=${words[-2]}
	# --option=value: complete the value
	if [[ $prev == = && ${#words[@]} -gt 2 ]]; then
		prev=${words[-3]}
	elif [[ $cur == = ]]; then
		prev=${words[-2]}
		cur=
	fi

	for ((i = 1; i < ${#words[@]} - 1; i++)); do
		case ${words[i]} in
		--config | -c)
			((i++))
			;;
		-*) ;;
		*)
			command=${words[i]}
			break
			;;
		esac
	done

	COMPREPLY=()
	case $prev in
	--config | -c)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	--region | -r)
		_sirena_regions "$cur"
		;;
	--kind | -k)
		mapfile -t COMPREPLY < <(compgen -W "$_sirena_kinds" -- "$cur")
		return
		;;
	--source | -s)
		if [[ $command == parse ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_sirena_source_types)" -- "$cur")
			return
		elif [[ $command == history ]]; then
			mapfile -t COMPREPLY < <(compgen -W '1d 7d 30d 12h 1h 30m' -- "$cur")
			return
		fi
		;;
	--since)
		mapfile -t COMPREPLY < <(compgen -W '1d 7d 30d 12h 1h 30m' -- "$cur")
		return
		;;
	--location | --speed | --name | --at)
		# a value to type: nothing to offer
		return
		;;
	esac

	if ((${#COMPREPLY[@]} == 0)); then
		if [[ -z $command ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$_sirena_commands $_sirena_common_options
--version" -- "$cur")
		elif [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$_sirena_common_options
$(_sirena_command_options "$command")" -- "$cur")
		else
			case $command in
			config)
				if [[ $prev == config ]]; then
					mapfile -t COMPREPLY < <(compgen -W check -- "$cur")
				else
					compopt -o filenames 2>/dev/null
					mapfile -t COMPREPLY < <(compgen -f -- "$cur")
				fi
				;;
			parse)
				compopt -o filenames 2>/dev/null
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
				;;
			regions)
				_sirena_regions "$cur"
				;;
			esac
		fi
	fi

	# bash replaces only what follows the last ':' of the word: drop what precedes it
	if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
		local colon_prefix=${cur%"${cur##*:}"}
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]#"$colon_prefix"}
		done
	fi
}

complete -F _sirena sirena
