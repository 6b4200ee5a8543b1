/**
 * `rule-harness test --changed`: in a temporary git repository holding two
 * rules with scenarios, edit one rule and check that exactly its cases (and
 * the cross-fire checks involving it) run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const rule = (id: string, title: string, exe: string) => `title: ${title}
id: ${id}
status: test
logsource: { product: windows, category: process_creation }
detection:
  selection:
    Image|endswith: '\\${exe}'
  condition: selection
level: high
`;
const scenario = (id: string, exe: string) => `rule: ${id}
cases:
  - name: ${exe} runs
    expect: alert
    events: [{ Image: 'C:\\Windows\\System32\\${exe}' }]
  - name: ${exe} look-alike
    expect: none
    events: [{ Image: 'C:\\Tools\\${exe}.bak' }]
`;
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'bbbbbbbb-0000-4000-8000-000000000002';

describe('test --changed', () => {
  test('editing one rule runs exactly its cases and the cross-fire checks that involve it', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-changed-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    for (const sub of ['rules/sigma', 'scenarios/sigma']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'rules/sigma/a.yml'), rule(A, 'Rule A whoami', 'whoami.exe'));
    writeFileSync(join(dir, 'rules/sigma/b.yml'), rule(B, 'Rule B certutil', 'certutil.exe'));
    writeFileSync(join(dir, 'scenarios/sigma/a.yml'), scenario(A, 'whoami.exe'));
    writeFileSync(join(dir, 'scenarios/sigma/b.yml'), scenario(B, 'certutil.exe'));
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'rules');
    writeFileSync(join(dir, 'rules/sigma/b.yml'), readFileSync(join(dir, 'rules/sigma/b.yml'), 'utf8').replace('level: high', 'level: medium'));

    const out = join(dir, 'vitest.json');
    const r = spawnSync(process.execPath, [resolve('harness/cli/bin.js'), 'test', '--changed', 'HEAD', '--reporter=json', `--outputFile=${out}`], {
      cwd: resolve('.'),
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))), RULE_HARNESS_PROJECT: dir },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`rules ${B}`);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: { assertionResults: { fullName: string; status: string }[] }[] };
    const ran = report.testResults.flatMap((f) => f.assertionResults).filter((t) => t.status === 'passed').map((t) => t.fullName);
    // One test per case: its verdict, its cross-fire, its variants.
    expect(ran.filter((n) => n.includes(`[${B}]`)).sort()).toEqual([`Rule B certutil [${B}] certutil.exe look-alike`, `Rule B certutil [${B}] certutil.exe runs`]);
    expect(ran.some((n) => n.includes(`[${A}]`))).toBe(false);
    // Rule A's scenario is still checked against the changed rule B.
    expect(ran).toContain('cross-fire of changed rules over scenarios/sigma/a.yml');
  });
});
