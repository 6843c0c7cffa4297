#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A strict reader of the lab's KTAP consoles (Documentation/dev-tools/
ktap.rst, version 1): one "KTAP version 1" and one plan at the top, results
numbered 1..N as planned, and every subtest block indented two spaces more
than its parent, opened by a version line and a plan, closed before the
parent's result, which must not be "ok" if a subtest failed. Unknown lines
(the kernel's console messages, LAB-BOOT/LAB-EXIT) are allowed anywhere,
as KTAP allows them. Perl's TAP::Parser reads the top level too
(ktap-check.sh); this adds what it cannot see: the nesting.

  ktap.py check CONSOLE...         exit 1 and say why if one is not valid
  ktap.py counts CONSOLE           "PASSED FAILED SKIPPED" of the leaves
  ktap.py list CONSOLE             "fail NAME # REASON" and "skip NAME #
                                   REASON", one line per such leaf
  ktap.py context CONSOLE [N]      per failed leaf, its name and the last N
                                   (8) lines the console printed before
                                   its result: what a summary shows of a
                                   failure whose logs are gone (CI)
  ktap.py json TARGET=CONSOLE...   {"TARGET": {"kernel", "valid", "errors",
                                   "tests": [{"name", "status", "reason"}]}}
                                   with every leaf test, subtests named
                                   "parent: child"

A leaf is a test without subtests: a kselftest program counts as its
subtests, a plain command as one test.
"""
import json
import re
import sys

VERSION = re.compile(r'^(?:KTAP version 1|TAP version 1[34])$')
PLAN = re.compile(r'^1\.\.(\d+)(?:\s*#\s*(.*))?$')
RESULT = re.compile(r'^(not ok|ok)(?:\s+(\d+))?(?:\s+-)?\s*([^#]*?)\s*(?:#\s*(.*))?$')
RUN = re.compile(r'^#\s+RUN\s+(\S+)')
BOOT = re.compile(r'LAB-BOOT kernel=(\S+)')


class Test:
    def __init__(self, number, name, ok, directive, line):
        self.number = number
        self.name = name
        self.ok = ok
        self.directive = directive or ''
        self.line = line
        self.subtests = None        # a Block, or None

    @property
    def status(self):
        if re.match(r'SKIP\b', self.directive, re.I):
            return 'skip'
        return 'pass' if self.ok else 'fail'

    @property
    def reason(self):
        m = re.match(r'(?:SKIP|TODO|XFAIL|TIMEOUT|ERROR)\b\s*(.*)',
                     self.directive, re.I)
        return (m.group(1) if m else self.directive).strip()


class Block:
    def __init__(self, indent):
        self.indent = indent
        self.version = None
        self.plan = None
        self.skip_all = None        # "1..0 # SKIP reason"
        self.tests = []
        self.open_sub = None        # a closed subtest block awaiting its result


def indent_of(line):
    return len(line) - len(line.lstrip(' '))


def parse(lines, errors):
    """The top-level Block of a console; problems go to errors."""
    top = Block(0)
    stack = [top]
    # The last "#  RUN name" of the harness per block: names a nameless
    # result (the 6.1 harness leaves the name out of a SKIP).
    pending_name = {}

    def close_to(indent, lineno):
        while len(stack) > 1 and stack[-1].indent > indent:
            blk = stack.pop()
            if blk.plan is None:
                errors.append('line %d: subtest at indent %d has no plan'
                              % (lineno, blk.indent))
            stack[-1].open_sub = blk

    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip('\n').rstrip('\r')
        if not line.strip():
            continue
        ind = indent_of(line)
        text = line.strip()
        cur = stack[-1]
        if VERSION.match(text):
            if ind == 0:
                if top.version:
                    errors.append('line %d: a second top-level version line'
                                  % lineno)
                top.version = text
                if text != 'KTAP version 1':
                    errors.append('line %d: top level says "%s", not KTAP version 1'
                                  % (lineno, text))
                continue
            if ind % 2:
                errors.append('line %d: odd indentation %d' % (lineno, ind))
                continue
            if ind <= cur.indent:
                close_to(ind - 2, lineno)
                cur = stack[-1]
            if ind != cur.indent + 2:
                errors.append('line %d: version line at indent %d inside indent %d'
                              % (lineno, ind, cur.indent))
                continue
            if cur.open_sub is not None:
                errors.append('line %d: the subtests before have no result line of their own'
                              % lineno)
                cur.open_sub = None
            blk = Block(ind)
            blk.version = text
            stack.append(blk)
            continue
        m_plan = PLAN.match(text)
        m_res = RESULT.match(text)
        if not (m_plan or m_res or text.startswith('#')):
            continue                # unknown line: allowed anywhere
        if text.startswith('#'):
            m = RUN.match(text)
            if m and ind >= cur.indent:
                pending_name[ind] = m.group(1)
            continue
        # A plan or result: its indent says which block it belongs to.
        if ind % 2:
            errors.append('line %d: odd indentation %d' % (lineno, ind))
            continue
        if ind < cur.indent:
            close_to(ind, lineno)
            cur = stack[-1]
        if ind != cur.indent:
            errors.append('line %d: indent %d, expected %d (a subtest without its version line?)'
                          % (lineno, ind, cur.indent))
            continue
        if m_plan:
            if cur.plan is not None:
                errors.append('line %d: a second plan at indent %d'
                              % (lineno, ind))
            elif cur.tests:
                errors.append('line %d: plan after results at indent %d'
                              % (lineno, ind))
            elif cur.version is None:
                errors.append('line %d: plan before a version line' % lineno)
            cur.plan = int(m_plan.group(1))
            if cur.plan == 0 and m_plan.group(2):
                cur.skip_all = m_plan.group(2)
            continue
        ok = m_res.group(1) == 'ok'
        number = int(m_res.group(2)) if m_res.group(2) else None
        name = m_res.group(3).strip() or pending_name.get(ind, '')
        pending_name.pop(ind, None)
        if cur.plan is None and cur is top:
            errors.append('line %d: result before the plan' % lineno)
        expect = len(cur.tests) + 1
        if number != expect:
            errors.append('line %d: test number %s, expected %d'
                          % (lineno, number, expect))
        t = Test(number, name, ok, m_res.group(4), lineno)
        sub = cur.open_sub
        if sub is not None:
            t.subtests = sub
            cur.open_sub = None
            bad = [s for s in sub.tests if not s.ok]
            if ok and bad:
                errors.append('line %d: "%s" is ok but its subtest %d failed'
                              % (lineno, name, bad[0].number))
        cur.tests.append(t)

    close_to(0, len(lines))
    if top.open_sub is not None:
        errors.append('a subtest block at the end has no parent result')

    def check_counts(blk, where):
        if blk.plan is not None and blk.plan != len(blk.tests):
            errors.append('%s: planned %d, ran %d'
                          % (where, blk.plan, len(blk.tests)))
        for t in blk.tests:
            if t.subtests:
                check_counts(t.subtests, '%s, subtests of "%s"'
                             % (where, t.name))
    if top.version is None:
        errors.append('no "KTAP version 1" line')
    if top.plan is None:
        errors.append('no plan at the top level')
    check_counts(top, 'top level')
    return top


def leaves(blk, prefix=''):
    """(name, status, reason) of every leaf test."""
    for t in blk.tests:
        name = prefix + t.name if t.name else prefix + '#%s' % t.number
        sub = t.subtests
        if sub is not None and (sub.tests or sub.skip_all):
            if sub.skip_all and not sub.tests:
                yield name, 'skip', sub.skip_all.replace('SKIP', '', 1).strip()
                continue
            yield from leaves(sub, name + ': ')
            if t.status == 'fail' and all(s.ok for s in sub.tests):
                # Failed by its exit code alone (a crash after its results).
                yield name, 'fail', t.reason or 'exit code'
        else:
            yield name, t.status, t.reason


def failed_leaves(blk, prefix=''):
    """(name, Test) of every failed leaf, as leaves() names them."""
    for t in blk.tests:
        name = prefix + t.name if t.name else prefix + '#%s' % t.number
        sub = t.subtests
        if sub is not None and sub.tests:
            yield from failed_leaves(sub, name + ': ')
            if t.status == 'fail' and all(s.ok for s in sub.tests):
                yield name, t
        elif t.status == 'fail':
            yield name, t


def context(lines, test, n):
    """The last n lines before test's result since the result before it."""
    end = test.line - 1
    start = end
    while start > 0 and end - start < n:
        text = lines[start - 1].strip()
        if (RESULT.match(text) or PLAN.match(text)) and \
                indent_of(lines[start - 1].rstrip('\n')) <= indent_of(
                    lines[end].rstrip('\n')):
            break
        start -= 1
    return [line.rstrip('\n') for line in lines[start:end]]


def read(path):
    try:
        with open(path, errors='replace') as f:
            return f.readlines()
    except OSError as e:
        return None, str(e)


def main():
    # json of no console at all (no target prepared) is an empty object.
    if len(sys.argv) < 2 or (len(sys.argv) < 3 and sys.argv[1] != 'json'):
        sys.exit(__doc__)
    what, args = sys.argv[1], sys.argv[2:]
    if what == 'check':
        bad = 0
        for path in args:
            errors = []
            lines = read(path)
            if isinstance(lines, tuple):
                print('%s: %s' % (path, lines[1]))
                bad = 1
                continue
            parse(lines, errors)
            for e in errors:
                print('%s: %s' % (path, e))
            bad |= bool(errors)
        sys.exit(bad)
    elif what == 'counts':
        lines = read(args[0])
        if isinstance(lines, tuple):
            print('0 0 0')
            return
        top = parse(lines, [])
        n = {'pass': 0, 'fail': 0, 'skip': 0}
        for _, status, _ in leaves(top):
            n[status] += 1
        print(n['pass'], n['fail'], n['skip'])
    elif what == 'list':
        lines = read(args[0])
        if isinstance(lines, tuple):
            return
        for name, status, reason in leaves(parse(lines, [])):
            if status != 'pass':
                print('%s %s%s' % (status, name,
                                   ' # ' + reason if reason else ''))
    elif what == 'context':
        lines = read(args[0])
        if isinstance(lines, tuple):
            return
        n = int(args[1]) if len(args) > 1 else 8
        for name, test in failed_leaves(parse(lines, [])):
            print('%s, the console before its result:' % name)
            for line in context(lines, test, n):
                print('    ' + line.strip())
    elif what == 'json':
        out = {}
        for arg in args:
            target, path = arg.split('=', 1)
            lines = read(path)
            errors = []
            if isinstance(lines, tuple):
                out[target] = {'kernel': None, 'valid': False,
                               'errors': [lines[1]], 'tests': []}
                continue
            top = parse(lines, errors)
            kernel = None
            for line in lines:
                m = BOOT.search(line)
                if m:
                    kernel = m.group(1)
                    break
            out[target] = {
                'kernel': kernel, 'valid': not errors, 'errors': errors,
                'tests': [{'name': n, 'status': s, 'reason': r}
                          for n, s, r in leaves(top)],
            }
        json.dump(out, sys.stdout, indent=1)
        print()
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
