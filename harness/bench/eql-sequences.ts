import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { Event } from '../core/event.ts';
import { requireShared } from './corpus.ts';
import type { RunResult } from './workloads.ts';

/**
 * `eql-sequences`: four corpus sequence rules (Linux, joined by host and by
 * process / parent entity ids, maxspan 3 s – 1 min) over 100,000 synthetic
 * process, network and file events from 300 hosts (fixed seed). Key
 * cardinality is realistic: every process event is a new entity id, children
 * and network / file events refer to recent processes of their host, so joins
 * succeed only along real parent links and within the time window.
 *
 * The check: each rule's sequence count must equal a brute-force count made
 * untimed in `prepare` (the stages re-compiled from their rendered text as
 * single-event queries, keys read with the shared field getter, a plain
 * per-key state machine), and every rule must find some sequences but not
 * one per event.
 */
export const SEQUENCE_RULES = [
  'rules/linux/command_and_control_cupsd_foomatic_rip_netcon.toml',
  'rules/linux/credential_access_ssh_password_grabbing_via_strace.toml',
  'rules/linux/credential_access_proc_credential_dumping.toml',
  'rules/linux/command_and_control_git_repo_or_file_download_to_sus_dir.toml',
];

const EVENTS = 100_000;
const HOSTS = 300;
const SEED = 7;

/** Deterministic 32-bit PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Proc {
  readonly id: string;
  readonly name: string;
  readonly args: string[];
  readonly parent: Proc | undefined;
}

const NAMES = ['bash', 'sh', 'sshd', 'strace', 'ps', 'strings', 'git', 'wget', 'curl', 'python3', 'node', 'foomatic-rip', 'cat', 'ls', 'systemd', 'cmake', 'zsh'];
const WEIGHTS = [14, 10, 8, 3, 6, 4, 4, 4, 4, 8, 4, 2, 10, 10, 4, 1, 4];
const ARGS: Record<string, readonly (readonly string[])[]> = {
  ps: [['ps', '-eo', 'pid,command'], ['ps', 'aux'], ['ps', '-eo']],
  strings: [['strings', '/tmp/dump.bin'], ['strings', '/usr/lib/x.so']],
  git: [['git', 'clone', 'https://github.com/a/b'], ['git', 'status']],
  wget: [['wget', 'https://github.com/x/y.tar.gz'], ['wget', 'http://example.com/f']],
  curl: [['curl', '-sL', 'https://github.com/x/install.sh'], ['curl', 'http://10.0.0.1/']],
  strace: [['strace', '-p', '1234'], ['strace', 'ls']],
};
const FILE_PATHS = ['/tmp/payload', '/var/tmp/x.sh', '/dev/shm/.k', '/home/u/notes.txt', '/etc/hosts', '/usr/lib/libz.so', '/root/.ansible/tmp/ansible-1/a.py'];

/** The synthetic event stream (timestamps roughly increasing, with local disorder). */
export function sequenceEvents(n = EVENTS, seed = SEED): Event[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const total = WEIGHTS.reduce((a, b) => a + b, 0);
  const pickName = (): string => {
    let r = rnd() * total;
    for (let i = 0; i < NAMES.length; i++) if ((r -= WEIGHTS[i]!) < 0) return NAMES[i]!;
    return NAMES[0]!;
  };
  const recent: Proc[][] = Array.from({ length: HOSTS }, () => []);
  let nextId = 0;
  let t = Date.UTC(2024, 0, 1);
  const out: Event[] = [];
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 8);
    // Busy hosts: a skewed choice (a third of the events come from 10% of the hosts).
    const h = rnd() < 0.33 ? Math.floor(rnd() * (HOSTS / 10)) : Math.floor(rnd() * HOSTS);
    const procs = recent[h]!;
    const host = { id: `host-${h}`, os: { type: rnd() < 0.95 ? 'linux' : 'windows' } };
    const ts = new Date(t - Math.floor(rnd() * 50)).toISOString();
    const kind = rnd();
    if (kind < 0.55 || procs.length === 0) {
      const name = pickName();
      const parent = procs.length ? pick(procs) : undefined;
      const args = [...(ARGS[name] ? pick(ARGS[name]) : [name])];
      const p: Proc = { id: `p-${nextId++}`, name, args, parent };
      const end = rnd() < 0.15;
      out.push({
        '@timestamp': ts,
        event: { category: 'process', type: end ? 'end' : 'start', action: end ? 'end' : pick(['exec', 'exec', 'exec', 'fork']) },
        host,
        process: {
          entity_id: p.id,
          name,
          args,
          command_line: args.join(' '),
          ...(parent ? { parent: { entity_id: parent.id, name: parent.name, args: parent.args } } : {}),
        },
      });
      procs.push(p);
      if (procs.length > 12) procs.shift();
    } else if (kind < 0.8) {
      const p = pick(procs);
      out.push({
        '@timestamp': ts,
        event: { category: 'network', type: 'start', action: pick(['connection_attempted', 'connection_attempted', 'disconnect_received']) },
        host,
        process: { entity_id: p.id, name: p.name, ...(p.parent ? { parent: { entity_id: p.parent.id } } : {}) },
        destination: { ip: `10.1.${h % 256}.${Math.floor(rnd() * 256)}`, port: pick([22, 80, 443, 4444]) },
      });
    } else {
      const p = pick(procs);
      out.push({
        '@timestamp': ts,
        event: { category: 'file', type: pick(['creation', 'creation', 'change', 'deletion']), action: 'write' },
        host,
        process: { entity_id: p.id, name: p.name },
        file: { path: pick(FILE_PATHS) },
      });
    }
  }
  return out;
}

/** The corpus queries of the chosen rules. */
export function sequenceQueries(): string[] {
  const root = requireShared('corpus/elastic');
  return SEQUENCE_RULES.map((f) => (parse(readFileSync(join(root, f), 'utf8')) as { rule: { query: string } }).rule.query);
}

/**
 * Brute force: how many sequences `query` finds in `events`, by a plain
 * simulation of the Elasticsearch sequence state machine (eql.md §10.3: per
 * join key one pending partial per stage, newest wins, a completed stage
 * consumes its partial, maxspan from the first event). Supports what the
 * chosen rules use: `by` keys, maxspan; no until, runs or missing stages.
 */
export async function bruteForceSequences(query: string, events: readonly Event[]): Promise<number> {
  const [{ parseEql }, { show }, { compileEql }, { fieldGetter }, { eventTime }] = await Promise.all([
    import('../engines/eql/parser.ts'),
    import('../engines/eql/ast.ts'),
    import('../engines/eql/index.ts'),
    import('../engines/common/fields.ts'),
    import('../engines/eql/ordering.ts'),
  ]);
  const q = parseEql(query);
  if (q.kind !== 'sequence' || q.until || q.stages.some((s) => s.missing || s.runs !== 1)) throw new Error('bruteForceSequences: unsupported sequence shape');
  const stages = q.stages.map((s) => {
    const filter = compileEql(`${s.filter.category === null ? 'any' : JSON.stringify(s.filter.category)} where ${show(s.filter.condition)}`);
    const keys = [...q.keys, ...s.keys].map((k) => {
      if (k.k !== 'field' || k.optional) throw new Error('bruteForceSequences: keys must be plain fields');
      return fieldGetter(k.name);
    });
    return { filter, keys };
  });
  const time = events.map((e) => {
    const ts = fieldGetter('@timestamp')(e);
    return eventTime(ts.length ? ts[0] : null);
  });
  const order = events.map((_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
  const keyOf = (s: (typeof stages)[number], e: Event): string | undefined => {
    const vals: unknown[] = [];
    for (const k of s.keys) {
      const vs = k(e).filter((v) => v !== null);
      if (vs.length === 0) return undefined;
      vals.push(vs.length === 1 ? vs[0] : vs);
    }
    return JSON.stringify(vals);
  };
  const pending = new Map<string, (number | undefined)[]>(); // key → start time of the partial waiting for stage s+1
  const last = stages.length - 1;
  let found = 0;
  for (const i of order) {
    const e = events[i]!;
    for (let s = last; s >= 1; s--) {
      if (!stages[s]!.filter.matches(e)) continue;
      const k = keyOf(stages[s]!, e);
      const p = k === undefined ? undefined : pending.get(k);
      const start = p?.[s - 1];
      if (p === undefined || start === undefined) continue;
      p[s - 1] = undefined;
      if (q.maxspanMs !== undefined && time[i]! - start > q.maxspanMs) continue;
      if (s === last) found++;
      else p[s] = start;
    }
    if (stages[0]!.filter.matches(e)) {
      const k = keyOf(stages[0]!, e);
      if (k === undefined) continue;
      if (last === 0) found++;
      else {
        let p = pending.get(k);
        if (!p) pending.set(k, (p = new Array<number | undefined>(last)));
        p[0] = time[i]!;
      }
    }
  }
  return found;
}

export async function eqlSequencesWorkload(): Promise<() => RunResult> {
  const { compileEql } = await import('../engines/eql/index.ts');
  const queries = sequenceQueries();
  const events = sequenceEvents();
  const expected = await Promise.all(queries.map((q) => bruteForceSequences(q, events)));
  return () => {
    const counts = queries.map((q) => compileEql(q, { size: Number.MAX_SAFE_INTEGER }).run(events).length);
    const bad = counts.flatMap((c, i) => (c === expected[i] && c > 0 && c < events.length / 10 ? [] : [`rule ${i}: ${c} vs brute force ${expected[i]}`]));
    return {
      units: queries.length * events.length,
      ok: bad.length === 0,
      note: bad.length ? `WRONG ${bad.join('; ')}` : `sequences per rule ${counts.join(', ')} (= brute force)`,
    };
  };
}
