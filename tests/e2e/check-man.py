#!/usr/bin/env python3
# check-man.py - the man pages document what the code knows
#
# Reads what Sirena knows from the code and the binaries, never from a list kept here: the
# subcommands (the commands[] table of src/cli/sr-cli.c), every long option of every subcommand
# (`sirena CMD --help-all`, which GOption writes), the options of sirenad, the D-Bus interface
# (packaging/dbus/org.sirena.Sirena1.xml), the signals sirenad handles, the exit codes, the
# environment variables the code reads, every configuration key (the key tables of
# src/config/sr-config.c and each source type's extra_keys), the source types
# (`sirena sources --json`) and the kinds of alert. Each must appear in the right section of
# the right built page; the test fails with the list of what is missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


class Page:
    """a built man page (scdoc's roff), split into its .SH and .SS sections"""

    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        with open(path, encoding='utf-8') as f:
            roff = f.read()
        if not re.search(r'^\.TH ', roff, re.M):
            raise SystemExit(f'{path}: not a man page (no .TH line)')
        self.sections = {}     # .SH title -> text, its subsections included
        self.subsections = {}  # (.SH title, .SS title) -> text
        section = None
        subsection = None
        for line in roff.splitlines():
            if line.startswith('.SH '):
                section = self._title(line)
                subsection = None
                self.sections.setdefault(section, [])
                continue
            if line.startswith('.SS ') and section is not None:
                subsection = self._title(line)
                self.subsections.setdefault((section, subsection), [])
                continue
            if section is None:
                continue
            text = self._plain(line)
            self.sections[section].append(text)
            if subsection is not None:
                self.subsections[(section, subsection)].append(text)
        self.sections = {k: '\n'.join(v) for k, v in self.sections.items()}
        self.subsections = {k: '\n'.join(v) for k, v in self.subsections.items()}

    @staticmethod
    def _title(line):
        return Page._plain(line[4:]).strip().strip('"')

    @staticmethod
    def _plain(line):
        if line.startswith('.'):
            return ''
        line = re.sub(r'\\f[BIRP]', '', line)
        line = line.replace('\\-', '-').replace('\\&', '').replace('\\e', '\\')
        line = line.replace('\\(aq', "'").replace('\\*(Aq', "'")
        return line

    def section(self, title):
        return self.sections.get(title)

    def subsection(self, section, title):
        return self.subsections.get((section, title))


class Checker:
    def __init__(self):
        self.missing = []
        self.checked = 0

    def expect(self, text, needle, what, where, word=True):
        """@needle must occur in @text (a whole word unless @word is False)"""
        self.checked += 1
        if text is None:
            self.missing.append(f'{where}: the section is missing (needed for {what})')
            return
        pattern = re.escape(needle)
        if word:
            # "--region" must not be found in "--region-x", nor "ua" in "uav"; a needle that
            # ends in '=' (a key) is followed by its value
            pattern = r'(?<![\w-])' + pattern
            if re.match(r'\w', needle[-1]):
                pattern += r'(?![\w])'
        if not re.search(pattern, text):
            self.missing.append(f'{where}: {what} is not documented')


def read(root, *parts):
    with open(os.path.join(root, *parts), encoding='utf-8') as f:
        return f.read()


def strings_in(block):
    return re.findall(r'"((?:[^"\\]|\\.)*)"', block)


def c_array(text, name):
    """the string literals of `static const char *const NAME[] = {...};`"""
    match = re.search(r'\b' + re.escape(name) + r'\[\]\s*=\s*\{(.*?)\};', text, re.S)
    if match is None:
        return None
    return strings_in(match.group(1))


def run(argv):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout, result.stderr


def long_options(help_text):
    """the long options GOption lists, in order, from `--help-all` output"""
    options = []
    for line in help_text.splitlines():
        match = re.match(r'^\s+(?:-\w, )?--([a-z][a-z0-9-]*)', line)
        if match and match.group(1) not in options:
            options.append(match.group(1))
    return options


def subcommands(root):
    text = read(root, 'src', 'cli', 'sr-cli.c')
    match = re.search(r'static const Command commands\[\]\s*=\s*\{(.*?)\};', text, re.S)
    if match is None:
        raise SystemExit('src/cli/sr-cli.c: the commands[] table was not found')
    names = re.findall(r'\{\s*"([a-z-]+)"\s*,', match.group(1))
    if not names:
        raise SystemExit('src/cli/sr-cli.c: the commands[] table names no command')
    return names


def check_sirena(args, check, page):
    where = page.name
    commands = subcommands(args.source_root)
    helps = {}
    for command in commands:
        code, out, err = run([args.sirena, command, '--help-all'])
        if code != 0:
            raise SystemExit(f'sirena {command} --help-all failed ({code}): {err}')
        helps[command] = long_options(out)
    # an option every command takes is a common option, documented once
    common = set.intersection(*(set(o) for o in helps.values()))
    commands_text = page.section('COMMANDS')
    for command in commands:
        section = page.subsection('COMMANDS', command)
        check.expect(commands_text, 'sirena ' + command, f'the command "{command}"',
                     f'{where} COMMANDS')
        if section is None:
            check.checked += 1
            check.missing.append(f'{where} COMMANDS: no subsection "{command}"')
            continue
        for option in helps[command]:
            if option in common:
                continue
            check.expect(section, '--' + option, f'option --{option} of "{command}"',
                         f'{where} COMMANDS/{command}')
    options_text = page.section('COMMON OPTIONS')
    for option in sorted(common):
        check.expect(options_text, '--' + option, f'common option --{option}',
                     f'{where} COMMON OPTIONS')
    # the options `sirena --help` lists for the program itself (--version …)
    code, out, err = run([args.sirena, '--help'])
    if code != 0:
        raise SystemExit(f'sirena --help failed ({code}): {err}')
    block = out.split('Options for every command:', 1)
    if len(block) == 2:
        for option in re.findall(r'^\s+(?:-\w, )?--([a-z][a-z0-9-]*)', block[1], re.M):
            check.expect(options_text, '--' + option, f'program option --{option}',
                         f'{where} COMMON OPTIONS')
    # `config check`: the one subcommand word of a command
    check.expect(page.subsection('COMMANDS', 'config'), 'sirena config check',
                 '"sirena config check"', f'{where} COMMANDS/config')

    # exit codes, from the enum the commands return
    header = read(args.source_root, 'src', 'cli', 'sr-cli.h')
    codes = re.findall(r'\bSR_EXIT_\w+\s*=\s*(\d+)', header)
    if not codes:
        raise SystemExit('src/cli/sr-cli.h: no SR_EXIT_ codes found')
    exit_text = page.section('EXIT STATUS')
    for code in codes:
        check.expect(exit_text, code, f'exit status {code}', f'{where} EXIT STATUS')

    # kinds of alert, for --kind
    kinds = c_array(read(args.source_root, 'src', 'model', 'sr-enums.c'), 'kind_names')
    if not kinds:
        raise SystemExit('src/model/sr-enums.c: kind_names[] not found')
    for kind in kinds:
        check.expect(page.subsection('COMMANDS', 'watch'), kind, f'kind "{kind}"',
                     f'{where} COMMANDS/watch')
    return kinds


def getenv_names(root):
    """{variable: [source directories that read it]}"""
    names = {}
    for directory, _, files in os.walk(os.path.join(root, 'src')):
        for name in files:
            if not name.endswith('.c'):
                continue
            with open(os.path.join(directory, name), encoding='utf-8') as f:
                text = f.read()
            for var in re.findall(r'\bg?_?getenv\s*\(\s*"([A-Za-z_][A-Za-z0-9_]*)"', text):
                names.setdefault(var, set()).add(os.path.basename(directory))
    return names


def check_environment(args, check, sirena_page, sirenad_page):
    for var, dirs in sorted(getenv_names(args.source_root).items()):
        check.expect(sirena_page.section('ENVIRONMENT'), var, f'variable {var}',
                     f'{sirena_page.name} ENVIRONMENT')
        # what only the command-line tool reads is no business of sirenad's page
        if dirs - {'cli'}:
            check.expect(sirenad_page.section('ENVIRONMENT'), var, f'variable {var}',
                         f'{sirenad_page.name} ENVIRONMENT')


def check_sirenad(args, check, page):
    where = page.name
    code, out, err = run([args.sirenad, '--help-all'])
    if code != 0:
        raise SystemExit(f'sirenad --help-all failed ({code}): {err}')
    options = page.section('OPTIONS')
    for option in long_options(out):
        if option in ('help-all',):
            continue
        check.expect(options, '--' + option, f'option --{option}', f'{where} OPTIONS')

    tree = ET.parse(os.path.join(args.source_root, 'packaging', 'dbus',
                                 'org.sirena.Sirena1.xml'))
    dbus = page.section('D-BUS INTERFACE')
    for interface in tree.getroot().iter('interface'):
        name = interface.get('name')
        check.expect(dbus, name, f'interface {name}', f'{where} D-BUS INTERFACE')
        for member in list(interface.iter('method')) + list(interface.iter('signal')):
            what = f'{member.tag} {member.get("name")}'
            check.expect(dbus, member.get('name'), what, f'{where} D-BUS INTERFACE')
            for arg in member.iter('arg'):
                check.expect(dbus, arg.get('name'), f'argument {arg.get("name")} of {what}',
                             f'{where} D-BUS INTERFACE')
    check.expect(dbus, '/org/sirena/Sirena1', 'the object path', f'{where} D-BUS INTERFACE')

    main = read(args.source_root, 'src', 'daemon', 'main.c')
    signals = re.findall(r'g_unix_signal_add(?:_full)?\s*\([^,]*?\b(SIG[A-Z0-9]+)', main)
    if not signals:
        raise SystemExit('src/daemon/main.c: no g_unix_signal_add found')
    for signal in signals:
        check.expect(page.section('SIGNALS'), signal, f'signal {signal}', f'{where} SIGNALS')


# where each key table of sr-config.c is documented; a new table must be added here
CONFIG_TABLES = {
    'sirena_keys': ('THE [sirena] GROUP', None),
    'source_keys': ('THE [source NAME] GROUPS', None),
    'notify_keys': ('THE [notify] GROUP', None),
    'notify_rule_keys': ('THE [notify KIND] GROUPS', None),
    'relay_keys': ('THE [relay] GROUP', None),
}


def source_extra_keys(root):
    """{type: [extra keys]} from each SrSourceOps initialiser in src/sources"""
    found = {}
    directory = os.path.join(root, 'src', 'sources')
    for name in sorted(os.listdir(directory)):
        if not name.endswith('.c'):
            continue
        text = read(root, 'src', 'sources', name)
        for ops in re.finditer(r'const SrSourceOps \w+\s*=\s*\{(.*?)\n\};', text, re.S):
            body = ops.group(1)
            kind = re.search(r'\.type\s*=\s*"([^"]+)"', body)
            keys = re.search(r'\.extra_keys\s*=\s*(\w+)', body)
            if kind is None:
                continue
            if keys is None or keys.group(1) == 'NULL':
                found[kind.group(1)] = []
                continue
            table = c_array(text, keys.group(1))
            if table is None:
                raise SystemExit(f'src/sources/{name}: {keys.group(1)}[] not found')
            found[kind.group(1)] = table
    return found


def check_config(args, check, page, kinds):
    where = page.name
    text = read(args.source_root, 'src', 'config', 'sr-config.c')
    tables = re.findall(r'static const char \*const (\w+_keys)\[\]', text)
    if not tables:
        raise SystemExit('src/config/sr-config.c: no key tables found')
    for table in tables:
        if table not in CONFIG_TABLES:
            check.checked += 1
            check.missing.append(f'check-man.py does not know where the keys of {table}[] '
                                 f'belong: add it to CONFIG_TABLES')
            continue
        section_title = CONFIG_TABLES[table][0]
        section = page.section(section_title)
        for key in c_array(text, table):
            check.expect(section, key + '=', f'key {key}= ({table})',
                         f'{where} {section_title}')

    code, out, err = run([args.sirena, 'sources', '--json', '--config', os.devnull])
    if code != 0:
        raise SystemExit(f'sirena sources --json failed ({code}): {err}')
    types = [t['type'] for t in json.loads(out)['types']]
    extras = source_extra_keys(args.source_root)
    for kind in types:
        section = page.subsection('SOURCE TYPES', kind)
        if section is None:
            check.checked += 1
            check.missing.append(f'{where} SOURCE TYPES: no subsection "{kind}"')
            continue
        if kind not in extras:
            check.checked += 1
            check.missing.append(f'src/sources: no SrSourceOps with .type = "{kind}" found')
            continue
        for key in extras[kind]:
            check.expect(section, key + '=', f'key {key}= of source type {kind}',
                         f'{where} SOURCE TYPES/{kind}')
    for kind in kinds:
        check.expect(page.section('THE [notify KIND] GROUPS'), kind, f'kind "{kind}"',
                     f'{where} THE [notify KIND] GROUPS')


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--source-root', required=True)
    parser.add_argument('--sirena', required=True)
    parser.add_argument('--sirenad', required=True)
    parser.add_argument('--man', action='append', default=[], help='a built man page')
    parser.add_argument('--skip', help='exit 77 with this reason (the pages were not built)')
    args = parser.parse_args()
    if args.skip:
        print(f'SKIP: {args.skip}')
        return 77

    pages = {os.path.basename(p): Page(p) for p in args.man}
    for name in ('sirena.1', 'sirenad.1', 'sirena.conf.5'):
        if name not in pages:
            raise SystemExit(f'--man {name} was not given')
    check = Checker()
    kinds = check_sirena(args, check, pages['sirena.1'])
    check_sirenad(args, check, pages['sirenad.1'])
    check_environment(args, check, pages['sirena.1'], pages['sirenad.1'])
    check_config(args, check, pages['sirena.conf.5'], kinds)
    if check.missing:
        print(f'{len(check.missing)} of {check.checked} items are missing from the man pages:')
        for item in check.missing:
            print('  ' + item)
        return 1
    print(f'ok: {check.checked} items documented in {", ".join(sorted(pages))}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
