import type { Detector } from '../../core/detector.ts';
import { LocatedError } from '../../core/located-error.ts';
import type { Rule } from '../../core/rule.ts';
import { ecsMapping, type IndexMapping } from '../../mapping/index.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import type { Query } from '../esql/ast.ts';
import { NotEvaluableError, parseEsql } from '../esql/index.ts';
import { esqlConstraints } from '../esql/rule/constraints.ts';
import { EsqlRuleProgram } from '../esql/rule/execute.ts';
import { explainCase } from '../esql/rule/stage-trace.ts';
import { queryError } from './event-query.ts';
import { ESQL_PREFILTER } from './prefilter-families.ts';

export type EsqlRuleCompile = { readonly ok: true; readonly detector: Detector } | { readonly ok: false; readonly reason: string };

/** A query error the harness cannot evaluate rather than a broken rule (the engine says "not supported"). */
const unsupported = (e: unknown): boolean => e instanceof NotEvaluableError || (e instanceof QuerySyntaxError && /is not supported/.test(e.message));

/**
 * ES|QL rules (`type = "esql"`): each case is one rule execution (esql/rule/):
 * the window and NOW() from the rule's `from` and the case's `now`, the
 * events as indices FROM reads, and Kibana's reading of the result table as
 * alerts. The query is compiled once against an empty table at load, so type
 * errors surface as located rule errors and COMPLETION or unsupported regex
 * operators as "not evaluable".
 */
export function esqlRuleDetector(rule: Rule, mapping: IndexMapping = ecsMapping()): EsqlRuleCompile {
  const text = typeof rule.body.query === 'string' ? rule.body.query : '';
  let ast: Query;
  try {
    ast = parseEsql(text);
  } catch (e) {
    throw queryError(e);
  }
  if (ast.commands[0]?.command !== 'from') throw new LocatedError('elastic/query-syntax', 'an ES|QL rule query starts with FROM', ['query']);
  let program: EsqlRuleProgram;
  try {
    program = new EsqlRuleProgram(ast, rule.body, mapping);
    program.detect([]);
  } catch (e) {
    if (unsupported(e)) return { ok: false, reason: (e as Error).message };
    throw e instanceof LocatedError ? e : queryError(e);
  }
  const p = program;
  // Kibana's checkMissingIdFieldWarning (esql/utils/check_missing_id_field_warning.ts), said at lint time.
  const warnings =
    p.aggregating || p.keyedById
      ? []
      : [{ code: 'esql/no-id', message: 'the result has no _id column (a DROP, RENAME or EVAL of _id, or a KEEP after DISSECT / GROK, removes it): Kibana warns on every run and cannot de-duplicate the alerts of overlapping runs', path: ['query'] }];
  const detector: Detector = {
    ...(warnings.length ? { warnings } : {}),
    rule,
    detect: (events, context) => p.detect(events, context).map((events) => ({ rule: rule.id, events })),
    matches: (e) => p.matches(e),
    explain: (e) => explainCase(p, [e]),
    clockOf: (e) => p.window.timestampOf(e),
    explainCase: (events, context) => explainCase(p, events, context),
    constraints: () => esqlConstraints(ast),
    prefilter: ESQL_PREFILTER.handle(p.anchor ? { anchor: p.anchor } : {}),
  };
  return { ok: true, detector };
}
