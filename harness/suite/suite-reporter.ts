/**
 * The suite's console reporter: vitest's default one, made readable at corpus
 * size (a part file holds thousands of cases).
 * - A failed file lists its failed tests only (vitest's default lists every
 *   test of a failed file: thousands of lines of ticks).
 * - Off a terminal (CI logs), a progress line every PROGRESS_EVERY_MS with
 *   the case tests done so far (on a terminal vitest's live summary shows it).
 * - After the run, for the rule suite's failed tests, one line per rule with
 *   its failures counted by kind (the `[kind]` each failure starts with,
 *   case-checks.ts), worst rules first, at most MAX_RULES lines, and the
 *   totals by kind; nothing when every rule passes.
 */
import { DefaultReporter, type TestCase, type TestModule } from 'vitest/node';
import { FAILURE_KINDS, type FailureKind } from './case-checks.ts';

const MAX_RULES = 50;
const PROGRESS_EVERY_MS = 30_000;

/** The kinds a failed test's errors name (other errors count as `verdict`: the test itself broke). */
export function kindsOf(messages: readonly string[]): FailureKind[] {
  const out: FailureKind[] = [];
  for (const m of messages) {
    for (const match of m.matchAll(/(?:^|\n)\[(verdict|cross-fire|variant|near miss)\] /g)) out.push(match[1] as FailureKind);
  }
  return out.length > 0 ? out : ['verdict'];
}

export interface RuleFailures {
  readonly rule: string;
  readonly counts: Record<FailureKind, number>;
}

/** Failures by rule (the test's group name) and kind, worst first. */
export function summarise(failed: readonly { group: string; messages: readonly string[] }[]): RuleFailures[] {
  const byRule = new Map<string, Record<FailureKind, number>>();
  for (const f of failed) {
    let counts = byRule.get(f.group);
    if (!counts) byRule.set(f.group, (counts = { verdict: 0, 'cross-fire': 0, variant: 0, 'near miss': 0 }));
    for (const k of kindsOf(f.messages)) counts[k]++;
  }
  const total = (c: Record<FailureKind, number>): number => FAILURE_KINDS.reduce((n, k) => n + c[k], 0);
  return [...byRule].map(([rule, counts]) => ({ rule, counts })).sort((a, b) => total(b.counts) - total(a.counts) || a.rule.localeCompare(b.rule));
}

export function renderSummary(rules: readonly RuleFailures[], testsRun: number): string {
  if (rules.length === 0) return '';
  const totals = Object.fromEntries(FAILURE_KINDS.map((k) => [k, rules.reduce((n, r) => n + r.counts[k], 0)])) as Record<FailureKind, number>;
  const cell = (c: Record<FailureKind, number>): string => FAILURE_KINDS.map((k) => String(c[k] || '·').padStart(k.length)).join('  ');
  const lines = [
    '',
    `Rule suite: ${rules.length} rule(s) failing (of ${testsRun} rule-suite tests run) — failures by rule and kind:`,
    `  ${FAILURE_KINDS.join('  ')}  rule`,
    ...rules.slice(0, MAX_RULES).map((r) => `  ${cell(r.counts)}  ${r.rule}`),
    ...(rules.length > MAX_RULES ? [`  … and ${rules.length - MAX_RULES} more rule(s)`] : []),
    `  ${cell(totals)}  total`,
    "Run one rule's cases with: npx vitest run harness/suite -t '<rule title>'",
  ];
  return lines.join('\n');
}

const inRuleSuite = (m: TestModule): boolean => /harness[\\/]suite[\\/]parts[\\/]/.test(m.moduleId);

type ModuleState = ReturnType<TestModule['state']>;

export default class SuiteReporter extends DefaultReporter {
  private done = 0;
  private collected = 0;
  private started = Date.now();
  private lastProgress = Date.now();

  override onTestRunStart(...args: Parameters<DefaultReporter['onTestRunStart']>): void {
    super.onTestRunStart(...args);
    this.started = this.lastProgress = Date.now();
    this.done = this.collected = 0;
  }

  override onTestModuleCollected(m: TestModule): void {
    super.onTestModuleCollected(m);
    if (inRuleSuite(m)) this.collected += [...m.children.allTests()].length;
  }

  override onTestCaseResult(t: TestCase): void {
    super.onTestCaseResult(t);
    if (!inRuleSuite(t.module)) return;
    this.done++;
    const now = Date.now();
    if (!process.stdout.isTTY && now - this.lastProgress >= PROGRESS_EVERY_MS) {
      this.lastProgress = now;
      this.ctx.logger.log(`rule suite: ${this.done} of ${this.collected} case tests collected so far done, ${Math.round((now - this.started) / 1000)} s`);
    }
  }

  /** Only the failed tests of a failed file (and slow ones, as vitest marks them). */
  protected override printTestCase(moduleState: ModuleState, test: TestCase): void {
    const { duration = 0 } = test.diagnostic() ?? {};
    if (test.result().state === 'failed' || duration > this.ctx.config.slowTestThreshold || moduleState !== 'failed') super.printTestCase(moduleState, test);
  }

  override onTestRunEnd(...args: Parameters<DefaultReporter['onTestRunEnd']>): void {
    super.onTestRunEnd(...args);
    const [modules] = args;
    const failed: { group: string; messages: string[] }[] = [];
    let run = 0;
    for (const m of modules) {
      if (!inRuleSuite(m)) continue;
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state === 'skipped' || r.state === 'pending') continue;
        run++;
        if (r.state === 'failed') failed.push({ group: groupOf(t), messages: (r.errors ?? []).map((e) => e.message ?? '') });
      }
    }
    const text = renderSummary(summarise(failed), run);
    if (text) this.ctx.logger.log(text);
  }
}

function groupOf(t: TestCase): string {
  return t.parent.type === 'suite' ? t.parent.name : t.module.moduleId;
}
