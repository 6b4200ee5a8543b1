import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { compileEql } from './index.ts';
import { SHARED } from '../../core/shared-dir.ts';

/** Every `language = "eql"` rule of Elastic's detection-rules corpus must compile. */
const root = join(SHARED, 'corpus', 'elastic');
const shared = existsSync(root);
if (!shared) console.warn(`EQL corpus test skipped: ${root} is absent (needs ../shared beside the checkout)`);

describe.skipIf(!shared)('EQL corpus: elastic detection rules (needs ../shared)', () => {
  it('compiles every EQL rule query', () => {
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.toml'));
    const failures: string[] = [];
    const kinds: Record<string, number> = {};
    let total = 0;
    for (const f of files) {
      const doc = parse(readFileSync(join(root, f), 'utf8')) as { rule?: { language?: string; query?: string } };
      if (doc.rule?.language !== 'eql' || typeof doc.rule.query !== 'string') continue;
      total++;
      try {
        const q = compileEql(doc.rule.query);
        kinds[q.kind] = (kinds[q.kind] ?? 0) + 1;
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
      }
    }
    console.log(`EQL corpus: ${total - failures.length}/${total} compile (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})`);
    expect(total).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });
});
