#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The result of the reset experiment (lab race) on one screen.

  race_matrix.py MATRIX.md TABLES.log [--note ARCH=TEXT]... TARGET=CONSOLE...

reads the JSON lines that `vcpuctl race --all --json` printed into each
console (as "# {...}" diagnostic lines of the KTAP stream), prints the
matrix of target x pending exit: without the module, which registers the
stale completion clobbered ("guarded" where KVM itself drops it); with the
explicit abort and with the policies reset and always, whether every case
kept the reset intact. Under each arch's rows, per target, the reset
paths the cases went through and those this kernel lacks (with vcpuctl's
reason), then a note for an arch without a kernel series, and why. The same matrix goes to MATRIX.md in Markdown, and
every case, target by target, to TABLES.log.
"""
import json
import re
import sys

MODES = [('without', 'none', '-'), ('abort', 'explicit', '-'),
         ('reset', 'auto', 'reset'), ('always', 'auto', 'always')]


TARGETS_PER_BLOCK = 3


def cases_of(path):
    cases = []
    try:
        lines = open(path, errors='replace').readlines()
    except OSError:
        return cases
    for line in lines:
        m = re.match(r'^\s*#\s*(\{"arch":.*\})\s*$', line)
        if not m:
            continue
        try:
            cases.append(json.loads(m.group(1)))
        except ValueError:
            pass
    return cases


def without_cell(cases):
    """What the stale completion did without the module, over all cases."""
    run = [c for c in cases if c['status'] in ('PASS', 'FAIL')]
    if not run:
        return 'skip' if cases else '-'
    regs = []
    for c in run:
        for r in c['clobbered']:
            if r not in regs:
                regs.append(r)
    bad = any(c['status'] == 'FAIL' for c in run)
    if not regs:
        text = 'guarded' if not any(c['expected'] for c in run) else 'none'
    else:
        text = ','.join(regs)
    return text + ('!' if bad else '')


def aborted_cell(cases):
    """Whether every case kept the reset intact with the module."""
    run = [c for c in cases if c['status'] in ('PASS', 'FAIL')]
    if not run:
        return 'skip' if cases else '-'
    if any(c['status'] == 'FAIL' or c['clobbered'] for c in run):
        n = sum(1 for c in run if c['status'] == 'FAIL' or c['clobbered'])
        return 'CLOBBERED %d/%d' % (n, len(run))
    return 'intact'


def resets_of(cases):
    """[the reset paths the cases ran, then one line per reset path
    that only skipped, with the reason]."""
    ran, skipped = [], {}
    for c in cases:
        if c['status'] in ('PASS', 'FAIL'):
            if c['reset'] not in ran:
                ran.append(c['reset'])
        elif c['status'] == 'SKIP' and c['reason']:
            skipped.setdefault(c['reset'], c['reason'])
    text = [' '.join(ran) or 'none']
    for reset, reason in skipped.items():
        if reset not in ran:
            text.append('%s skipped: %s' % (reset, reason))
    return text


def cells(cases):
    """{exit: {mode: text}} of one target."""
    out = {}
    for mode, abort, policy in MODES:
        by_exit = {}
        for c in cases:
            if c['abort'] == abort and c['policy'] == policy:
                by_exit.setdefault(c['exit'], []).append(c)
        for ex, cs in by_exit.items():
            fn = without_cell if mode == 'without' else aborted_cell
            out.setdefault(ex, {})[mode] = fn(cs)
    return out


def render_block(arch, tlist, text, md):
    """One block of the matrix: ARCH's targets TLIST side by side."""
    exits = []
    for t in tlist:
        for c in t[3]:
            if c['exit'] not in exits:
                exits.append(c['exit'])
    tcells = [(t[0], cells(t[3])) for t in tlist]
    heads = [re.sub(r'^%s-' % re.escape(arch), '', t[0]) for t in tlist]
    sub = {}
    for name, cl in tcells:
        for ex in exits:
            row = cl.get(ex, {})
            sub[(name, ex)] = [row.get(m, '-') for m, _, _ in MODES]
    widths = []
    for i in range(len(MODES)):
        widths.append(max([len(MODES[i][0])] +
                          [len(v[i]) for v in sub.values()]))
    ew = max([len(arch)] + [len(e) for e in exits])
    colw = sum(widths) + 2
    text.append('')
    line = '%-*s' % (ew, arch)
    for h, t in zip(heads, tlist):
        kvm = t[2].split(' ')[0].rstrip(',') if t[2] else ''
        line += ' | %-*s' % (colw, (h + ' ' + kvm).strip())
    text.append(line.rstrip())
    line = '%-*s' % (ew, 'exit')
    for _ in tlist:
        line += ' | ' + ' '.join('%-*s' % (widths[i], MODES[i][0])
                                 for i in range(len(MODES)))
    text.append(line.rstrip())
    for ex in exits:
        line = '%-*s' % (ew, ex)
        for name, _ in tcells:
            v = sub[(name, ex)]
            line += ' | ' + ' '.join('%-*s' % (widths[i], v[i])
                                     for i in range(len(MODES)))
        text.append(line.rstrip())
    # Targets whose resets read the same share their lines.
    same = {}
    for h, t in zip(heads, tlist):
        same.setdefault(tuple(resets_of(t[3])), []).append(h)
    for rs, hs in same.items():
        text.append('resets %s: %s' % (', '.join(hs), rs[0]))
        text.extend('  ' + r for r in rs[1:])
    md.append('| exit | ' + ' | '.join(heads) + ' |')
    md.append('|---|' + '---|' * len(heads))
    for ex in exits:
        md.append('| %s | ' % ex + ' | '.join(
            'without: %s; abort: %s; reset: %s; always: %s' %
            tuple(sub[(n, ex)]) for n, _ in tcells) + ' |')
    md.append('')
    for h, t in zip(heads, tlist):
        rs = resets_of(t[3])
        md.append('Resets %s: %s%s\n' % (h, rs[0], ''.join(
            '; ' + r for r in rs[1:])))


def main():
    md_path, tables_path = sys.argv[1], sys.argv[2]
    targets, notes = [], {}
    args = sys.argv[3:]
    while args and args[0] == '--note':
        arch, note = args[1].split('=', 1)
        notes[arch] = notes[arch] + '; ' + note if arch in notes else note
        args = args[2:]
    for arg in args:
        name, path = arg.split('=', 1)
        cases = cases_of(path)
        arch = cases[0]['arch'] if cases else None
        kvm = cases[0]['kvm'] if cases else ''
        targets.append((name, arch, kvm, cases))

    # Per arch: the exits in the order vcpuctl ran them, its targets.
    arches = []
    for name, arch, kvm, cases in targets:
        if arch and arch not in arches:
            arches.append(arch)
    text, md = [], []
    text.append('The reset race, per target and pending exit (vcpuctl race --all --json):')
    text.append('  without  registers the stale completion CLOBBERED without the module;')
    text.append('           guarded: KVM drops that completion itself; "!": not as the')
    text.append('           kernel source predicts')
    text.append('  abort    with VCPU_ABORT_IOC_ABORT between the exit and the reset')
    text.append('  reset    with policy reset, no change to the VMM')
    text.append('  always   with policy always')
    text.append('  intact   every register as the reset set it in every case; skip: the')
    text.append('           target cannot run it (no module); -: not run')
    md.append('# The reset race, per target and pending exit\n')
    md.append('Without the module: the registers the stale completion clobbered '
              '("guarded": KVM drops that completion itself). With the explicit '
              'abort and with the policies `reset` and `always`: whether every '
              'case kept the reset intact. From `vcpuctl race --all --json` in each target.\n')
    for arch in arches:
        alltargets = [t for t in targets if t[1] == arch]
        # At most TARGETS_PER_BLOCK side by side, so that a line fits a
        # screen: x86_64's kvm_amd and kvm_intel targets are two blocks.
        md.append('## %s\n' % arch)
        for first in range(0, len(alltargets), TARGETS_PER_BLOCK):
            tlist = alltargets[first:first + TARGETS_PER_BLOCK]
            render_block(arch, tlist, text, md)
        if arch in notes:
            text.append('note: ' + notes[arch])
            md.append('Note: %s\n' % notes[arch])
    missing = [t[0] for t in targets if not t[3]]
    if missing:
        text.append('')
        text.append('no race results from: ' + ' '.join(missing))
        md.append('No race results from: ' + ', '.join(missing) + '\n')
    print('\n'.join(text))
    with open(md_path, 'w') as f:
        f.write('\n'.join(md) + '\n')

    with open(tables_path, 'w') as f:
        for name, arch, kvm, cases in targets:
            if not cases:
                f.write('== %s: no race results ==\n\n' % name)
                continue
            f.write('== %s (%s, %s) ==\n' % (name, arch, kvm))
            for mode, abort, policy in MODES:
                cs = [c for c in cases
                      if c['abort'] == abort and c['policy'] == policy]
                if not cs:
                    continue
                f.write('\n--abort %s%s\n' % (
                    abort, ' --policy ' + policy if policy != '-' else ''))
                f.write('%3s  %-10s %-9s %-5s %-9s  %-25s %-6s %s\n' % (
                    '#', 'exit', 'reset', 'by', 'entry',
                    'CLOBBERED (others INTACT)', 'result',
                    'reset code ran / reason'))
                for i, c in enumerate(cs, 1):
                    regs = ' '.join(c['clobbered']) or 'none'
                    if c['status'] in ('SKIP', 'ERROR'):
                        regs = '-'
                    last = c['reason'] or c['reset_code_ran']
                    f.write('%3d  %-10s %-9s %-5s %-9s  %-25s %-6s %s\n' % (
                        i, c['exit'], c['reset'], c['by'], c['entry'],
                        regs, c['status'], last))
            f.write('\n')


if __name__ == '__main__':
    main()
