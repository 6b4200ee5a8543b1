import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Case, Expectation, Scenario } from '../scenarios/model.ts';
import { caseNearMisses, caseSeed, planFor, runsFor, sampleVariants } from './case-variants.ts';
import { caseFingerprint } from './variants.ts';
import { capCorpus } from './corpus-cap.ts';

/**
 * Persisted variant corpora: `generated/variants/<rule path under rules/>.json`,
 * one per rule, pretty JSON, deterministic for a seed — so a behaviour change
 * shows up as a precise regression when the suite replays them, and a diff of
 * the file shows what the generator now produces differently.
 */
export type ExpectText = 'alert' | 'none' | { readonly alerts: number };

export interface CorpusEntry {
  readonly case: string;
  /** Fingerprint of the case (events + expectation) the entry was derived from: a changed case makes the entry stale. */
  readonly case_fingerprint: string;
  readonly transformations: readonly string[];
  readonly expect: ExpectText;
  readonly events: readonly Event[];
}

export interface CorpusFile {
  readonly rule: string;
  readonly title: string;
  readonly rule_file: string;
  readonly seed: number;
  readonly variants: readonly CorpusEntry[];
  readonly near_misses: readonly CorpusEntry[];
  /** Entries left out to keep the file under the size cap (absent: none). */
  readonly omitted?: CorpusOmitted;
}

export interface CorpusOmitted {
  readonly variants: number;
  readonly near_misses: number;
  readonly max_bytes: number;
}

/** Default cap on one corpus file: a reviewable diff, and ~5,600 rules stay within a few hundred MB. */
export const DEFAULT_MAX_CORPUS_BYTES = 256 * 1024;

function expectText(e: Expectation): ExpectText {
  return e.kind === 'count' ? { alerts: e.alerts } : e.kind;
}

export function expectationOf(t: ExpectText): Expectation {
  return t === 'alert' ? { kind: 'alert' } : t === 'none' ? { kind: 'none' } : { kind: 'count', alerts: t.alerts };
}

/** `rules/sigma/a/b.yml` → `<out>/variants/sigma/a/b.json` (the path under the rules root, mirrored). */
function corpusPath(outDir: string, ruleFile: string, rulesRoot = 'rules'): string {
  const rel = relative(resolve(rulesRoot), resolve(ruleFile));
  const under = rel.startsWith('..') || isAbsolute(rel) ? basename(ruleFile) : rel;
  return join(outDir, 'variants', under.split('\\').join('/').replace(/\.(ya?ml|toml)$/i, '.json'));
}

export interface CorpusOptions {
  readonly seed: number;
  /** Variants per case; default: the scenario's `variants.runs`, else the default. */
  readonly runs?: number;
  readonly timestampFields?: readonly string[];
  /** Which cases to derive from (e.g. only those passing as written); default all but known gaps. */
  readonly include?: (c: Case) => boolean;
  /** Cap on the rendered file in bytes; entries beyond it are left out (counted in `omitted`). Default: no cap. */
  readonly maxBytes?: number;
}

export function buildCorpus(detector: Detector, scenarios: readonly Scenario[], o: CorpusOptions): CorpusFile {
  const variants: CorpusEntry[] = [];
  const near: CorpusEntry[] = [];
  for (const s of scenarios) {
    const runs = o.runs ?? runsFor(s.variants?.runs, undefined);
    for (const c of s.cases) {
      if (c.knownGap || (o.include && !o.include(c))) continue;
      const fp = caseFingerprint(c);
      const plan = planFor(detector, c, o.timestampFields);
      for (const v of sampleVariants(plan, caseSeed(o.seed, detector.rule.id, c.name), runs)) {
        variants.push({ case: c.name, case_fingerprint: fp, transformations: v.transformations, expect: expectText(c.expect), events: v.events });
      }
      for (const nm of caseNearMisses(detector, c, o.seed)) {
        near.push({ case: c.name, case_fingerprint: fp, transformations: [`near miss${nm.index === undefined ? '' : `, event ${nm.index}`}: ${nm.description}`], expect: expectText(nm.expect), events: nm.events });
      }
    }
  }
  const file: CorpusFile = { rule: detector.rule.id, title: detector.rule.title, rule_file: detector.rule.source.file, seed: o.seed, variants, near_misses: near };
  return o.maxBytes === undefined ? file : capCorpus(file, o.maxBytes);
}

function renderCorpus(c: CorpusFile): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

export function writeCorpus(outDir: string, c: CorpusFile, rulesRoot = 'rules'): string {
  const path = corpusPath(outDir, c.rule_file, rulesRoot);
  writeFileAtomic(path, renderCorpus(c));
  return path;
}

/** A corpus file as the replay lists it: what it is about, not its entries (a repository's corpora run to hundreds of MB). */
export interface CorpusListing {
  readonly file: string;
  readonly rule?: string;
  readonly variants?: number;
  readonly nearMisses?: number;
  readonly error?: string;
}

/** Parse one corpus file (path relative to the working directory or absolute); throws with what is wrong. */
export function readCorpus(file: string): CorpusFile {
  const data = JSON.parse(readFileSync(file, 'utf8')) as CorpusFile;
  if (typeof data.rule !== 'string' || !Array.isArray(data.variants)) throw new Error('not a variant corpus (needs rule and variants)');
  return { ...data, near_misses: data.near_misses ?? [] };
}

/**
 * Every corpus file under `<out>/variants`, in path order, with its rule and counts;
 * an unreadable file comes with its error. Each file is parsed and dropped, so
 * listing holds one file's entries at a time; the replay reads each again in its test.
 */
export function listCorpora(outDir: string): CorpusListing[] {
  const root = join(outDir, 'variants');
  if (!existsSync(root)) return [];
  const out: CorpusListing[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) {
        const file = relative('.', p).split('\\').join('/');
        try {
          const c = readCorpus(p);
          out.push({ file, rule: c.rule, variants: c.variants.length, nearMisses: c.near_misses.length });
        } catch (e) {
          out.push({ file, error: (e as Error).message });
        }
      }
    }
  };
  walk(root);
  return out;
}
