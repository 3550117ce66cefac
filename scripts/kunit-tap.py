#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The phoneproxy authors.
"""Turn the kernel log of a KUnit module run into TAP for scripts/check.sh.

    scripts/kunit-tap.py LOG MODULE.ko KERNEL_TREE [OUTDIR]

LOG is what selftests/vm/kunit.sh left: the kernel log from the module's
load to its unload. A module's suites print no top-level KTAP header, so
one is put in front, with the plan taken from the module itself (its
.kunit_test_suites section: one pointer per suite), so a suite that never
ran counts as missing. The kernel tree's tools/testing/kunit/kunit.py
parse reads it (its summary goes to OUTDIR/kunit.parse, its JSON to
OUTDIR/kunit.json) and every leaf test (a case, or each parameter of a
parameterised case) becomes one indented TAP line under a
"# selftests: kunit: ..." header, the way scripts/check.sh counts
subtests. The last line is the overall result; exit status 1 if anything
failed, including kunit.py itself.
"""
import json
import os
import subprocess
import sys
import tempfile


def n_suites(ko):
    out = subprocess.run(['objdump', '-h', ko], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) > 2 and f[1] == '.kunit_test_suites':
            return int(f[2], 16) // 8
    return 0


def leaves(group, prefix):
    """(name, status) of every leaf test of a kunit_json group."""
    for case in group.get('test_cases', []):
        yield prefix + case['name'], case['status']
    for sub in group.get('sub_groups', []):
        yield from leaves(sub, prefix + sub['name'] + ': ')


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    log, ko, tree = sys.argv[1:4]
    outdir = sys.argv[4] if len(sys.argv) > 4 else tempfile.mkdtemp()
    name = os.path.basename(ko)
    print(f'# selftests: kunit: {name}')

    problems = []
    try:
        with open(log, errors='backslashreplace') as f:
            lines = [l for l in f.read().splitlines()
                     if not l.startswith('pp-kunit:')]
    except OSError as e:
        lines = []
        problems.append(f'no kernel log of the run: {e.strerror}')
    suites = n_suites(ko) if os.path.exists(ko) else 0
    if not suites:
        problems.append(f'{name} holds no KUnit suite')

    ktap = ['KTAP version 1', f'1..{suites}'] + lines
    js = os.path.join(outdir, 'kunit.json')
    if os.path.exists(js):
        os.unlink(js)
    kunit_py = os.path.join(tree, 'tools', 'testing', 'kunit', 'kunit.py')
    parse = subprocess.run([sys.executable, kunit_py, 'parse', '--json=' + js],
                           input='\n'.join(ktap) + '\n', capture_output=True,
                           text=True)
    with open(os.path.join(outdir, 'kunit.parse'), 'w') as f:
        f.write(parse.stdout + parse.stderr)
    if parse.returncode != 0:
        problems.append(f'kunit.py parse exited {parse.returncode} '
                        f'(see {outdir}/kunit.parse)')

    n = failed = 0
    try:
        with open(js) as f:
            top = json.load(f)
        for suite in top.get('sub_groups', []):
            for test, status in leaves(suite, suite['name'] + ': '):
                n += 1
                if status == 'PASS':
                    print(f'    ok {n} {test}')
                elif status == 'SKIP':
                    print(f'    ok {n} {test} # SKIP')
                else:
                    failed += 1
                    print(f'    not ok {n} {test} # {status}')
    except (OSError, ValueError) as e:
        problems.append(f'no JSON from kunit.py: {e}')
    if n == 0:
        problems.append('no test result in the log')

    for p in problems:
        print(f'    # {p}')
    if failed or problems:
        print(f'not ok 1 kunit: {name}: {n} tests, {failed} failed')
        sys.exit(1)
    print(f'ok 1 kunit: {name}: {n} tests in {suites} suites')


if __name__ == '__main__':
    main()
