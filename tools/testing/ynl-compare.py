#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What tools/testing/ynl-check.sh compares: the kernel's ynl-gen-c output
for the netlink spec against the hand-written uapi header and the module.

  ynl-compare.py consts GENERATED_UAPI_H
      a C program that prints every constant GENERATED_UAPI_H defines, as
      "NAME VALUE": compiled once against the generated header and once
      against uapi/linux/vcpu_abort.h, the two outputs must be the same
  ynl-compare.py names SPEC
      a C program that prints the uapi header's name tables
      (VCPU_ABORT_*_NAMES) as "enum index name"; on stderr what the spec's
      enum entries say they must be
  ynl-compare.py policies GENERATED_KERNEL_C NETLINK_C SPEC
      a C program that prints, for the generated kernel code and for the
      module, every request policy entry, maxattr, do/dump and admin flag
      per command, and every multicast group's name and admin flag: the
      two halves of its output must be the same
"""
import re
import sys

import yaml


def c_upper(name):
    return name.upper().replace('-', '_')


def consts(path):
    """Every enum entry and #define of a generated uapi header."""
    text = open(path).read()
    names = []
    for block in re.findall(r'enum[^{;]*\{(.*?)\};', text, re.S):
        names += re.findall(r'^\s*(\w+)\s*(?:=[^,\n]*)?,?\s*$', block, re.M)
    names += re.findall(r'^#define\s+(VCPU_ABORT_\w+)\s', text, re.M)
    out = ['#include <stdio.h>', '#include <stdint.h>',
           '#include <linux/vcpu_abort.h>', '',
           '#define P(x) _Generic((x), \\',
           '\tchar *: printf("%s \\"%s\\"\\n", #x, (const char *)(uintptr_t)(x)), \\',
           '\tdefault: printf("%s %lld\\n", #x, (long long)(x)))', '',
           'int main(void)', '{']
    out += ['\tP(%s);' % n for n in names]
    out += ['\treturn 0;', '}']
    print('\n'.join(out))


def names(spec_path):
    """The uapi name tables, and what the spec says they must be."""
    spec = yaml.safe_load(open(spec_path))
    want = []
    out = ['#include <stdio.h>', '#include <linux/vcpu_abort.h>', '',
           'int main(void)', '{', '\tunsigned int i;', '']
    for enum in ('policy', 'kind', 'trigger'):
        table = 'VCPU_ABORT_%s_NAMES' % enum.upper()
        defs = [d for d in spec['definitions'] if d['name'] == enum][0]
        for i, e in enumerate(defs['entries']):
            want.append('%s %d %s' % (enum, i, e['name']))
        out += ['\t{',
                '\t\tstatic const char *const t[] = { %s };' % table,
                '',
                '\t\tfor (i = 0; i < sizeof(t) / sizeof(t[0]); i++)',
                '\t\t\tprintf("%s %%u %%s\\n", i, t[i] ? t[i] : "(none)");'
                % enum,
                '\t}']
    out += ['\treturn 0;', '}']
    print('\n'.join(out))
    sys.stderr.write('\n'.join(want) + '\n')


def strip_comments(text):
    return re.sub(r'/\*.*?\*/', '', text, flags=re.S)


def policy_arrays(text):
    """name -> {attr: entry} of every nla_policy array in text."""
    arrays = {}
    for name, body in re.findall(
            r'struct nla_policy\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{(.*?)\n\};',
            text, re.S):
        entries = {}
        for attr, val in re.findall(r'\[(\w+)\]\s*=\s*(.*?),?\s*(?=\n\s*\[|\s*$)',
                                    body, re.S):
            entries[attr] = ' '.join(val.split())
        arrays[name] = entries
    return arrays


def ops(text):
    """The entries of the genl ops table: list of dicts of .field = value."""
    m = re.search(r'struct genl(?:_split)?_ops\s+\w+\s*\[[^\]]*\]\s*=\s*\{(.*?)\n\};',
                  text, re.S)
    result = []
    for body in re.findall(r'\{(.*?)\}', m.group(1), re.S):
        fields = dict(re.findall(r'\.(\w+)\s*=\s*([^,\n]+)', body))
        result.append({k: ' '.join(v.split()) for k, v in fields.items()})
    return result


def entry_exprs(entry):
    """A policy entry as (kind, nla type, value expression or None)."""
    m = re.match(r'NLA_POLICY_(\w+)\(\s*(\w+)\s*,\s*(.*)\)$', entry)
    if m:
        return m.group(1), m.group(2), m.group(3)
    m = re.match(r'\{\s*\.type\s*=\s*(\w+)\s*,?\s*\}$', entry)
    if m:
        return 'TYPE', m.group(1), None
    return 'UNPARSED', entry, None


def policies(gen_path, module_path, spec_path):
    out = ['#include <stdio.h>', '#include <linux/vcpu_abort.h>', '',
           'int main(void)', '{']

    def emit(side, text):
        text = strip_comments(text)
        arrays = policy_arrays(text)
        for op in ops(text):
            cmd = op['cmd']
            kind = 'dump' if 'dumpit' in op else 'do'
            admin = 'admin' if 'GENL_ADMIN_PERM' in op.get('flags', '') \
                else 'user'
            out.append('\tprintf("%s %s %%d %s %s\\n", %s);'
                       % (side, cmd, kind, admin, cmd))
            pol = op.get('policy')
            entries = arrays.get(pol, {}) if pol else {}
            for attr in sorted(entries):
                k, t, v = entry_exprs(entries[attr])
                if v is None:
                    out.append('\tprintf("%s %s %s %s %s\\n");'
                               % (side, cmd, attr, k, t))
                else:
                    out.append('\tprintf("%s %s %s %s %s %%lld\\n", '
                               '(long long)(%s));' % (side, cmd, attr, k, t, v))
            # maxattr: the generated code names it, the module says
            # ARRAY_SIZE(policy) - 1: the highest attribute of the policy.
            if pol:
                mx = op.get('maxattr', '')
                if mx.startswith('ARRAY_SIZE'):
                    mx = 'max_of((long long[]){ %s }, %d)' % (
                        ', '.join(entries), len(entries))
                out.append('\tprintf("%s %s maxattr %%lld\\n", (long long)(%s));'
                           % (side, cmd, mx))
            else:
                out.append('\tprintf("%s %s maxattr none\\n");' % (side, cmd))

    out.insert(3, 'static long long max_of(const long long *v, int n)\n{\n'
               '\tlong long m = 0;\n\n\twhile (n--)\n'
               '\t\tif (v[n] > m)\n\t\t\tm = v[n];\n\treturn m;\n}\n')
    emit('generated', open(gen_path).read())
    emit('module', open(module_path).read())

    # Multicast groups: the spec's names and admin-perm against the module.
    spec = yaml.safe_load(open(spec_path))
    text = strip_comments(open(module_path).read())
    mod = re.search(r'struct genl_multicast_group\s+\w+\s*\[\]\s*=\s*\{(.*?)\n\};',
                    text, re.S).group(1)
    for grp in spec.get('mcast-groups', {}).get('list', []):
        define = c_upper(grp.get('c-define-name',
                                 'vcpu-abort-mcgrp-' + grp['name']))
        admin = 'admin-perm' in grp.get('flags', [])
        out.append('\tprintf("generated mcgrp %%s %s\\n", %s);'
                   % ('admin' if admin else 'user', define))
    for body in re.findall(r'=\s*\{(.*?)\}', mod, re.S):
        name = re.search(r'\.name\s*=\s*(\w+|"[^"]*")', body).group(1)
        admin = 'GENL_MCAST_CAP_NET_ADMIN' in body
        out.append('\tprintf("module mcgrp %%s %s\\n", %s);'
                   % ('admin' if admin else 'user', name))
    out += ['\treturn 0;', '}']
    print('\n'.join(out))


def main():
    what = sys.argv[1]
    if what == 'consts':
        consts(sys.argv[2])
    elif what == 'names':
        names(sys.argv[2])
    elif what == 'policies':
        policies(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit('usage: ynl-compare.py consts|names|policies ...')


if __name__ == '__main__':
    main()
