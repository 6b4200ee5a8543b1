import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { HarnessError, type Diagnostic } from '../core/diagnostics.ts';
import type { Event } from '../core/event.ts';
import { portablePath } from '../rules/discover.ts';
import type { Case, Expectation, Scenario } from './model.ts';
import { recordingEvents, recordingRef } from './recording-ref.ts';
import { validateScenario } from './validate.ts';
import { parseIsoInstant } from '../mapping/date-format.ts';

export type ScenarioLoad = { readonly scenario?: Scenario; readonly diagnostics: readonly Diagnostic[] };

interface RawCase {
  name: string;
  expect: 'alert' | 'none' | { alerts: number };
  events: Event[];
  also_fires?: string[];
  tags?: string[];
  known_gap?: string;
  history?: Event[];
  indicators?: Event[];
  events_for?: Record<string, Event[]>;
  known_gap_under?: Record<string, string>;
  now?: string;
}
interface RawScenario {
  rule: string;
  description?: string;
  pipeline?: string;
  pipelines?: string[];
  cases: RawCase[];
  variants?: { runs?: number };
}

function expectation(e: RawCase['expect']): Expectation {
  return e === 'alert' ? { kind: 'alert' } : e === 'none' ? { kind: 'none' } : { kind: 'count', alerts: e.alerts };
}

/**
 * Parse and validate one scenario file (YAML, positions kept so every error
 * names file and line). Returns the scenario only when it is fully valid.
 */
export function loadScenarioText(file: string, text: string): ScenarioLoad {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number | undefined) => {
    const p = lineCounter.linePos(offset ?? 0);
    return { file, line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    return { diagnostics: doc.errors.map((e) => ({ code: 'yaml/syntax', severity: 'error' as const, message: `invalid YAML: ${e.message.split('\n')[0]}`, span: at(e.pos[0]) })) };
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    // The yaml package refuses documents whose aliases expand beyond its limit (a billion-laughs guard).
    return { diagnostics: [{ code: 'yaml/syntax', severity: 'error', message: `invalid YAML: ${(e as Error).message}`, span: at(0) }] };
  }
  const nodeAt = (path: readonly (string | number)[], atKey: boolean): Node | undefined => {
    let node: unknown = doc.contents;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) return node as Node;
        if (atKey && i === path.length - 1) return pair.key as Node;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof seg === 'number') node = node.items[seg] ?? node;
      else break;
    }
    return node as Node | undefined;
  };
  const problems = validateScenario(raw);
  if (problems.length > 0) {
    return {
      diagnostics: problems.map((p) => ({ code: 'scenario/schema', severity: 'error' as const, message: p.message, span: at(nodeAt(p.path, p.atKey)?.range?.[0]) })),
    };
  }
  const s = raw as RawScenario;
  const diagnostics: Diagnostic[] = [];
  const names = new Map<string, number>();
  const cases: Case[] = s.cases.map((c, i) => {
    const line = at(nodeAt(['cases', i], false)?.range?.[0]).line;
    const dup = names.get(c.name);
    if (dup !== undefined) diagnostics.push({ code: 'scenario/duplicate-case', severity: 'error', message: `case name '${c.name}' is already used on line ${dup}`, span: at(nodeAt(['cases', i, 'name'], false)?.range?.[0]) });
    names.set(c.name, line);
    // Entries naming a recording stand for its events (recording-ref.ts); errors point at the entry.
    const events = c.events.flatMap((ev, k) => {
      const ref = recordingRef(ev);
      if (ref === undefined) return [ev];
      const span = at(nodeAt(['cases', i, 'events', k], false)?.range?.[0]);
      if (typeof ref === 'string') {
        diagnostics.push({ code: 'scenario/recording', severity: 'error', message: ref, span });
        return [];
      }
      try {
        return recordingEvents(ref, file);
      } catch (e) {
        const message = e instanceof HarnessError ? e.diagnostics.map((d) => d.message).join('; ') : (e as Error).message;
        diagnostics.push({ code: 'scenario/recording', severity: 'error', message, span });
        return [];
      }
    });
    const now = c.now === undefined ? undefined : parseIsoInstant(c.now);
    if (c.now !== undefined && now === undefined)
      diagnostics.push({ code: 'scenario/now', severity: 'error', message: `now: '${c.now}' is not an ISO 8601 timestamp (e.g. 2024-05-01T12:00:00Z)`, span: at(nodeAt(['cases', i, 'now'], false)?.range?.[0]) });
    return {
      name: c.name,
      expect: expectation(c.expect),
      events,
      alsoFires: c.also_fires ?? [],
      tags: c.tags ?? [],
      history: c.history ?? [],
      indicators: c.indicators ?? [],
      ...(c.known_gap !== undefined ? { knownGap: c.known_gap } : {}),
      ...(now !== undefined ? { now } : {}),
      ...(c.events_for !== undefined ? { eventsFor: c.events_for } : {}),
      ...(c.known_gap_under !== undefined ? { knownGapUnder: c.known_gap_under } : {}),
      line,
    };
  });
  const scenario: Scenario = {
    file,
    rule: s.rule,
    cases,
    ruleLine: at(nodeAt(['rule'], false)?.range?.[0]).line,
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.variants?.runs !== undefined ? { variants: { runs: s.variants.runs } } : {}),
    ...(s.pipeline !== undefined ? { pipelines: [s.pipeline] } : s.pipelines !== undefined ? { pipelines: s.pipelines } : {}),
  };
  return diagnostics.length > 0 ? { diagnostics } : { scenario, diagnostics };
}

export interface ScenarioSet {
  readonly scenarios: readonly Scenario[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * A scenario file's rule id read off its top-level `rule:` line without parsing the YAML:
 * a plain or quoted id of letters, digits, `_`, `.` and `-` (every id, UUIDs included), the
 * line starting at column 0 (only a top-level key can: block and flow content is indented
 * or bracketed). Undefined when the line has any other shape; the file is then parsed.
 */
export function declaredRule(text: string): string | undefined {
  const m = /^rule:[ \t]*(['"]?)([\w.-]+)\1[ \t]*(?:#.*)?\r?$/m.exec(text);
  return m?.[2];
}

/** Every `*.yml` / `*.yaml` scenario under `root`. */
export function loadScenarios(root: string, base = process.cwd()): ScenarioSet {
  const scenarios: Scenario[] = [];
  const diagnostics: Diagnostic[] = [];
  forEachScenario(root, base, undefined, (r) => {
    if (r.scenario) scenarios.push(r.scenario);
    diagnostics.push(...r.diagnostics);
  });
  return { scenarios, diagnostics };
}

/**
 * loadScenarios one file at a time, in file name order, holding none of them. With `wants`,
 * only the scenarios of the rules it selects, and only their problems: a file whose `rule:`
 * line names another rule is not parsed (declaredRule), so a part of the suite reads just its
 * own rules' scenarios.
 */
export function forEachScenario(root: string, base: string, wants: ((ruleId: string) => boolean) | undefined, visit: (r: ScenarioLoad) => void): void {
  let files: string[];
  try {
    files = statSync(root).isFile()
      ? [root]
      : readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/i.test(f)).map((f) => join(root, f)).sort();
  } catch {
    return; // no scenarios folder: every rule is reported as untested
  }
  for (const path of files) {
    const file = portablePath(path, base);
    const text = readFileSync(path, 'utf8');
    if (wants) {
      const declared = declaredRule(text);
      if (declared !== undefined && !wants(declared)) continue;
    }
    const r = loadScenarioText(file, text);
    // Another rule's scenario, or an invalid file: the whole project's load reports its problems.
    if (wants && !(r.scenario && wants(r.scenario.rule))) continue;
    visit(r);
  }
}
