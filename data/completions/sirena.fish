# fish completion for sirena(1)
#
# Source types and regions come from the sirena being completed (`sirena sources --json`,
# `sirena regions --ids`), so new sources and catalog entries appear without editing this file.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -l __sirena_commands status watch regions sources parse config history test

# the sirena being completed, as typed
function __sirena_program
    set -l tokens (commandline -opc)
    echo $tokens[1]
end

# "ID<TAB>NAME" per region, then "NAME<TAB>ID": either can be typed
function __sirena_regions
    set -l prog (__sirena_program)
    command -q $prog; or return
    set -l lines (command $prog regions --ids 2>/dev/null)
    printf '%s\n' $lines
    string replace -r '^([^\t]*)\t(.*)$' '$2\t$1' -- $lines
end

function __sirena_source_types
    # an empty configuration: a broken one of the user's must not hide the types
    set -l prog (__sirena_program)
    set -l types
    command -q $prog; and set types (command $prog sources --json --config /dev/null 2>/dev/null |
        string match -ar '"type":"[^"]*"' | string replace -r '^"type":"(.*)"$' '$1' | sort -u)
    if test (count $types) -eq 0
        set types alerts_in_ua ukraine_alarm siren_pp_ua ubilling alerts_com_ua replay oref \
            oref_history nina nws cap cap_feed meteoalarm mqtt
    end
    printf '%s\n' $types
end

complete -c sirena -f

# the commands
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a status -d 'Fetch once: active alerts and source health'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a watch -d 'Stream changes as they happen'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a regions -d 'Find region ids and names'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a sources -d 'Source types and configured sources'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a parse -d 'Normalise a saved upstream body'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a config -d 'Validate a configuration file'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a history -d 'Past alerts recorded by sirenad'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -a test -d 'Send a TEST alert through notifications'
complete -c sirena -n "not __fish_seen_subcommand_from $__sirena_commands" -l version -d 'Print the version'

# options of every command
complete -c sirena -s c -l config -r -F -d 'Configuration file'
complete -c sirena -s j -l json -d 'Machine-readable output'
complete -c sirena -s v -l verbose -d 'Log to stderr'
complete -c sirena -l standalone -d 'Do not use a running sirenad'
complete -c sirena -s h -l help -d 'Show help options'
complete -c sirena -l help-all -d 'Show all help options'
complete -c sirena -l help-common -d 'Show the common options'

# status
complete -c sirena -n '__fish_seen_subcommand_from status' -s r -l region -x -a '(__sirena_regions)' -d 'Region id or name'
complete -c sirena -n '__fish_seen_subcommand_from status' -l location -x -d 'Where you are: LAT,LON'

# watch
complete -c sirena -n '__fish_seen_subcommand_from watch' -s r -l region -x -a '(__sirena_regions)' -d 'Region id or name'
complete -c sirena -n '__fish_seen_subcommand_from watch' -s k -l kind -x -a 'air_raid missile uav artillery urban_fights chemical nuclear hazmat earthquake tsunami infiltration weather flood fire health civil other unknown' -d 'Only this kind of alert'
complete -c sirena -n '__fish_seen_subcommand_from watch' -l demo -d 'Play a recorded night of alerts'
complete -c sirena -n '__fish_seen_subcommand_from watch' -l speed -x -d 'With --demo: recorded seconds per second'

# regions
complete -c sirena -n '__fish_seen_subcommand_from regions' -l ids -d 'One region per line: id, tab, Latin name'
complete -c sirena -n '__fish_seen_subcommand_from regions' -a '(__sirena_regions)'

# parse
complete -c sirena -n '__fish_seen_subcommand_from parse' -s s -l source -x -a '(__sirena_source_types)' -d 'Source type of the body'
complete -c sirena -n '__fish_seen_subcommand_from parse' -l name -x -d 'Source name used in event ids'
complete -c sirena -n '__fish_seen_subcommand_from parse' -l at -x -d 'When the body was fetched (RFC 3339)'
complete -c sirena -n '__fish_seen_subcommand_from parse' -l location -x -d 'Only events covering LAT,LON'
complete -c sirena -n '__fish_seen_subcommand_from parse' -F

# config
complete -c sirena -n '__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from check' -a check -d 'Validate a configuration file'
complete -c sirena -n '__fish_seen_subcommand_from config; and __fish_seen_subcommand_from check' -F

# history
complete -c sirena -n '__fish_seen_subcommand_from history' -s r -l region -x -a '(__sirena_regions)' -d 'Only this region'
complete -c sirena -n '__fish_seen_subcommand_from history' -s s -l since -x -a '1d 7d 30d 12h 1h 30m' -d 'How far back'
