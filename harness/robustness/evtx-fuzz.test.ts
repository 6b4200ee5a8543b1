/**
 * EVTX reader fuzzing: recordings with flipped bits, truncations, wrong sizes
 * (file, chunk, record and Binary XML sizes and counts overwritten) and template
 * definitions pointed back at themselves must read as far as they are valid —
 * records plus located problems — never throw, never take a second. Half the
 * inputs get their checksums recomputed, so the mutation reaches the parser
 * behind the CRC checks. Counts are printed. RULE_HARNESS_FUZZ_RUNS sets the
 * inputs (default 1,000, a few seconds of npm test; CI runs 10,000: .ci/run); RULE_HARNESS_SEED the seed.
 * Inputs: the shipped fixture, and SigmaHQ's recordings in ../shared/evtx when present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { evtxItemsOf } from '../events/evtx/index.ts';
import { fixChecksums, fixtureBytes } from '../events/evtx/testing.ts';
import { SHARED } from '../core/shared-dir.ts';

const RUNS = Number(process.env.RULE_HARNESS_FUZZ_RUNS ?? 1_000);
const seed = Number(process.env.RULE_HARNESS_SEED ?? 20261123);

function recordings(): Uint8Array[] {
  const dir = join(SHARED, 'evtx');
  const shared = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith('.evtx'))
        .map((e) => new Uint8Array(readFileSync(join(e.parentPath, e.name))))
        .slice(0, 24)
    : [];
  return [fixtureBytes(), ...shared];
}

type Op =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'u32' | 'u16'; readonly at: number; readonly value: number }
  | { readonly kind: 'loop' };

const CHUNK = 4096;
const RECORD = CHUNK + 512;
/** Where structure lives: the file header, the chunk header and tables, the first records; anywhere else too. */
const position = (len: number) => fc.oneof(fc.integer({ min: 0, max: 127 }), fc.integer({ min: CHUNK, max: CHUNK + 511 }), fc.integer({ min: RECORD, max: RECORD + 2048 }), fc.integer({ min: 0, max: len - 1 }));
const size = fc.oneof(fc.constantFrom(0, 1, 2, 3, 4, 24, 28, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0xffffffff), fc.nat({ max: 0xffffffff }));

const op = (len: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: position(len), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.integer({ min: 0, max: len }) }),
    fc.record({ kind: fc.constantFrom('u32' as const, 'u16' as const), at: position(len), value: size }),
    fc.constant({ kind: 'loop' as const }),
  );

function apply(bytes: Uint8Array, ops: readonly Op[]): Uint8Array {
  let b = bytes.slice();
  for (const o of ops) {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (o.kind) {
      case 'flip':
        if (o.at < b.length) b[o.at]! ^= 1 << o.bit;
        break;
      case 'truncate':
        b = b.subarray(0, Math.min(o.at, b.length)).slice();
        break;
      case 'u32':
        if (o.at + 4 <= b.length) v.setUint32(o.at, o.value >>> 0, true);
        break;
      case 'u16':
        if (o.at + 2 <= b.length) v.setUint16(o.at, o.value & 0xffff, true);
        break;
      case 'loop': {
        // The first record's template instance (after the 4-byte fragment header) gets a definition
        // whose body starts with a template instance of itself.
        const inst = RECORD + 24 + 4;
        if (inst + 10 > b.length || b[inst] !== 0x0c) break;
        const def = v.getUint32(inst + 6, true);
        const body = CHUNK + def + 24 + 4;
        if (body + 10 > b.length) break;
        b.set([0x0c, 0x01, 0, 0, 0, 0], body);
        v.setUint32(body + 6, def, true);
        break;
      }
    }
  }
  return b;
}

describe('EVTX reader fuzzing', () => {
  test('mutated recordings give records and located problems, never an exception or a hang', () => {
    const bases = recordings();
    const input = fc.integer({ min: 0, max: bases.length - 1 }).chain((i) => fc.record({ base: fc.constant(i), ops: fc.array(op(bases[i]!.length), { minLength: 1, maxLength: 4 }), fix: fc.boolean() }));
    const counts = { inputs: 0, clean: 0, partial: 0, noRecords: 0, problems: 0 };
    let slowest = 0;
    const unexpected: string[] = [];
    fc.assert(
      fc.property(input, ({ base, ops, fix }) => {
        const mutated = apply(bases[base]!, ops);
        const bytes = fix ? fixChecksums(mutated) : mutated;
        const t0 = performance.now();
        let records = 0;
        let problems = 0;
        try {
          for (const item of evtxItemsOf(bytes)) {
            if (item.kind === 'record') records++;
            else {
              problems++;
              const p = item.problem;
              if (!(p.offset >= 0 && p.offset <= Math.max(bytes.length, CHUNK)) || p.message === '') unexpected.push(`problem not located: ${JSON.stringify(p)} (${JSON.stringify(ops)})`);
            }
          }
        } catch (e) {
          unexpected.push(`${JSON.stringify({ base, ops, fix })} → ${(e as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? String(e)}`);
        }
        slowest = Math.max(slowest, performance.now() - t0);
        counts.inputs++;
        counts.problems += problems;
        if (problems === 0) counts.clean++;
        else if (records > 0) counts.partial++;
        else counts.noRecords++;
      }),
      { numRuns: RUNS, seed },
    );
    console.info(`fuzz evtx: ${counts.inputs} inputs from ${bases.length} recordings — ${counts.clean} read without a problem, ${counts.partial} read in part, ${counts.noRecords} with no record; ${counts.problems} located problems, ${unexpected.length} unexpected; slowest ${slowest.toFixed(1)} ms`);
    expect(unexpected.slice(0, 10), unexpected.slice(0, 10).join('\n')).toEqual([]);
    expect(slowest).toBeLessThan(1000);
    expect(counts.inputs).toBe(RUNS);
    expect(counts.partial + counts.noRecords).toBeGreaterThan(0);
  });
});
