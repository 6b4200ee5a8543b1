/**
 * Reading a pySigma processing-pipeline YAML file (`ProcessingPipeline.from_dict`,
 * `ProcessingItem.from_dict`): name, priority, vars, transformations with their
 * rule / detection-item / field-name conditions (lists, mappings with a
 * `*_cond_expr`, `*_cond_op`, `*_cond_not`). Postprocessing and finalizers
 * shape backend query text, so they are read and ignored with a warning.
 * Every problem is an error located in the file.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { HarnessError } from '../../../core/diagnostics.ts';
import type { DocPath } from '../../../core/located-error.ts';
import { didYouMean } from '../../../core/suggest.ts';
import { locateInYaml } from '../../../rules/yaml-locate.ts';
import { evalExpr, parseConditionExpression } from './condition-expression.ts';
import { FIELD_CONDITIONS, ITEM_CONDITIONS, RULE_CONDITIONS, type FieldCondition, type ItemCondition, type RuleCondition } from './conditions.ts';
import { PipelineConfigError, type Pipeline, type ProcessingItem, type RuleView, type Run } from './model.ts';
import { Params } from './params.ts';
import { TRANSFORMATIONS, type FactoryContext } from './transformations/index.ts';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const ITEM_KEYS = ['type', 'id'].concat(...['rule', 'detection_item', 'field_name'].map((k) => [`${k}_conditions`, `${k}_cond_expr`, `${k}_cond_op`, `${k}_cond_not`]));
const PIPELINE_KEYS = ['vars', 'transformations', 'postprocessing', 'finalizers', 'priority', 'name', 'allowed_backends'];

/** One condition family of an item: linked by and/or (default and), or by an expression over named conditions; optionally negated. */
function conditionGroup<C>(d: Record<string, unknown>, prefix: string, registry: Readonly<Record<string, (p: Params) => C>>, path: DocPath): { conds: C[]; test: (f: (c: C) => boolean) => boolean; empty: boolean } {
  const raw = d[`${prefix}_conditions`] ?? [];
  const exprText = d[`${prefix}_cond_expr`];
  const op = d[`${prefix}_cond_op`];
  const not = d[`${prefix}_cond_not`] ?? false;
  const here = [...path, `${prefix}_conditions`];
  if (typeof not !== 'boolean') throw new PipelineConfigError(`${prefix}_cond_not must be true or false`, [...path, `${prefix}_cond_not`]);
  if (op !== undefined && op !== 'and' && op !== 'or') throw new PipelineConfigError(`${prefix}_cond_op must be 'and' or 'or'`, [...path, `${prefix}_cond_op`]);
  if (exprText !== undefined && op !== undefined) throw new PipelineConfigError(`${prefix} condition expression is mutually exclusive to linking (${prefix}_cond_op)`, [...path, `${prefix}_cond_expr`]);
  const entries: [string, unknown][] = Array.isArray(raw) ? raw.map((c, i) => [String(i + 1), c]) : isMap(raw) ? Object.entries(raw) : [];
  if (!Array.isArray(raw) && !isMap(raw)) throw new PipelineConfigError(`${prefix}_conditions must be a list or a mapping`, here);
  const named = new Map<string, C>();
  entries.forEach(([ref, c], i) => {
    const cpath = [...here, Array.isArray(raw) ? i : ref];
    if (!isMap(c)) throw new PipelineConfigError(`condition ${ref} must be a mapping with a 'type'`, cpath);
    const type = c.type;
    if (typeof type !== 'string') throw new PipelineConfigError(`missing condition type defined in condition ${ref}`, cpath);
    const make = registry[type];
    if (!make) throw new PipelineConfigError(`unknown ${prefix.replace('_', ' ')} condition type '${type}' in condition ${ref}${didYouMean(type, Object.keys(registry))}`, [...cpath, 'type']);
    const p = new Params(c, cpath, `condition '${type}'`, ['type']);
    const cond = make(p);
    p.done();
    named.set(ref, cond);
  });
  const conds = [...named.values()];
  let test: (f: (c: C) => boolean) => boolean;
  if (exprText !== undefined) {
    if (typeof exprText !== 'string') throw new PipelineConfigError(`${prefix}_cond_expr must be a string`, [...path, `${prefix}_cond_expr`]);
    if (Array.isArray(raw)) throw new PipelineConfigError(`${prefix} conditions must be provided as mapping from identifiers to conditions if a condition expression is given`, here);
    const expr = parseConditionExpression(exprText, [...named.keys()], [...path, `${prefix}_cond_expr`]);
    test = (f) => evalExpr(expr, (n) => f(named.get(n)!));
  } else if (op === 'or') test = (f) => conds.some(f);
  else test = (f) => conds.every(f);
  return { conds, test: not ? (f) => !test(f) : test, empty: conds.length === 0 };
}

function parseItem(d: unknown, path: DocPath, index: string, ctx: FactoryContext): ProcessingItem {
  if (!isMap(d)) throw new PipelineConfigError('a processing item must be a mapping with a transformation type', path);
  const type = d.type;
  if (typeof type !== 'string') throw new PipelineConfigError('missing transformation type', path);
  const make = TRANSFORMATIONS[type];
  if (!make) throw new PipelineConfigError(`unknown transformation type '${type}'${didYouMean(type, Object.keys(TRANSFORMATIONS))}`, [...path, 'type']);
  const id = d.id === undefined || d.id === null || d.id === '' ? `#${index}` : String(d.id);
  const rule = conditionGroup<RuleCondition>(d, 'rule', RULE_CONDITIONS, path);
  const item = conditionGroup<ItemCondition>(d, 'detection_item', ITEM_CONDITIONS, path);
  const field = conditionGroup<FieldCondition>(d, 'field_name', FIELD_CONDITIONS, path);
  const p = new Params(d, path, `transformation '${type}'`, ITEM_KEYS);
  const transformation = make(p, ctx);
  p.done();
  return {
    type,
    id,
    where: `${type}${d.id ? ` '${String(d.id)}'` : ''} (item ${index})`,
    transformation,
    matchRule: (r: RuleView, run: Run) => rule.empty || rule.test((c) => c(r, run)),
    matchItem: (i, run) => item.test((c) => c(i, run)) && field.test((c) => c.item(i, run)),
    matchField: (f, run) => field.test((c) => c.field(f, run)),
    matchFieldRef: (f, run) => field.test((c) => c.field(f, run)),
  };
}

function parseItems(raw: unknown, path: DocPath, ctx: FactoryContext, prefix = ''): ProcessingItem[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new PipelineConfigError('transformations must be a list of processing items', path);
  return raw.map((d, i) => parseItem(d, [...path, i], `${prefix}${i + 1}`, ctx));
}

/** Build a pipeline from its parsed YAML (throws PipelineConfigError with a path into the document). */
export function pipelineFromDocument(doc: unknown, file: string): Pipeline {
  if (!isMap(doc)) throw new PipelineConfigError('a processing pipeline must be a mapping (name, priority, vars, transformations)', []);
  const unknown = Object.keys(doc).filter((k) => !PIPELINE_KEYS.includes(k));
  if (unknown.length > 0) throw new PipelineConfigError(`unknown key '${unknown[0]!}'${didYouMean(unknown[0]!, PIPELINE_KEYS)} (a pipeline has ${PIPELINE_KEYS.join(', ')})`, [unknown[0]!], true);
  const vars = doc.vars ?? {};
  if (!isMap(vars)) throw new PipelineConfigError('vars must be a mapping of name → value(s)', ['vars']);
  const priority = doc.priority ?? 0;
  if (typeof priority !== 'number') throw new PipelineConfigError('priority must be a number', ['priority']);
  const name = doc.name ?? file;
  if (typeof name !== 'string') throw new PipelineConfigError('name must be a string', ['name']);
  const ctx: FactoryContext = {
    items: (raw, p) => parseItems(raw, [...p.path, 'items'], ctx, `${p.path.join('.')}.`),
  };
  const items = parseItems(doc.transformations, ['transformations'], ctx);
  const warnings: string[] = [];
  for (const k of ['postprocessing', 'finalizers'] as const) {
    const v = doc[k];
    if (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null) warnings.push(`'${k}' ignored: it shapes backend query text, which the harness does not produce`);
  }
  return { name, priority, vars, items, file, warnings };
}

/** Parse pipeline YAML text; a bad file is a HarnessError located at file, line and column. */
export function parsePipeline(file: string, text: string): Pipeline {
  let doc: unknown;
  try {
    doc = load(text, { filename: file });
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    throw new HarnessError([{ code: 'pipeline/yaml', severity: 'error', message: `invalid YAML: ${(e as { reason?: string }).reason ?? (e as Error).message}`, span: { file, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1 } }]);
  }
  try {
    return pipelineFromDocument(doc, file);
  } catch (e) {
    if (!(e instanceof PipelineConfigError)) throw e;
    throw new HarnessError([{ code: 'pipeline/invalid', severity: 'error', message: e.message, span: locateInYaml(file, text, 0, e.path, { atKey: e.atKey }) }]);
  }
}

export function loadPipelineFile(file: string): Pipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HarnessError([{ code: 'pipeline/unreadable', severity: 'error', message: `cannot read pipeline file: ${(e as Error).message}`, span: { file, line: 1, column: 1 } }]);
  }
  return parsePipeline(file, text);
}
