import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { compileKql } from './index.ts';
import { SHARED } from '../../core/shared-dir.ts';

const root = join(SHARED, 'corpus', 'elastic');
const shared = existsSync(root);
if (!shared) console.log(`kql corpus test skipped: ${root} is absent (needs ../shared beside the checkout)`);

function queries(language: string): { file: string; query: string }[] {
  const out: { file: string; query: string }[] = [];
  for (const f of readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.toml')).sort()) {
    const doc = parse(readFileSync(join(root, f), 'utf8')) as { rule?: { language?: string; query?: unknown } };
    if (doc.rule?.language === language) out.push({ file: f, query: typeof doc.rule.query === 'string' ? doc.rule.query : '' });
  }
  return out;
}

describe.skipIf(!shared)('Elastic corpus queries compile (needs ../shared)', () => {
  it('every kuery rule compiles with compileKql', () => {
    const qs = queries('kuery');
    const failures = qs.flatMap((q) => {
      try {
        const c = compileKql(q.query);
        c.matches({});
        return [];
      } catch (e) {
        return [`${q.file}: ${(e as Error).message}`];
      }
    });
    console.log(`kuery: ${qs.length - failures.length}/${qs.length} compiled`);
    expect(qs.length).toBeGreaterThan(700);
    expect(failures).toEqual([]);
  });
});
