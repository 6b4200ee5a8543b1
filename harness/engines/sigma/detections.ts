/**
 * A `detection:` (or filter) section: every search identifier compiled once,
 * then the condition(s) over them. Shared by rules and filter documents.
 */
import { LocatedError, type DocPath } from '../../core/located-error.ts';
import { compileCondition } from './condition.ts';
import { compileDetection } from './detection.ts';
import type { CompileContext } from './detection-item.ts';
import { BoolNode, type Node } from './nodes.ts';

export interface SigmaOptions {
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
}

export function compileContext(opts: SigmaOptions): CompileContext {
  return { placeholders: opts.placeholders, warnings: [] };
}

export interface CompiledSection {
  readonly node: Node;
  /** The condition as written (a list joined with `or`). */
  readonly text: string;
}

/**
 * Compile a section whose keys are search identifiers except `reserved` ones.
 * `label` renames identifiers in traces and predicates (filters prefix theirs).
 */
export function compileSection(
  section: Readonly<Record<string, unknown>>,
  path: DocPath,
  reserved: ReadonlySet<string>,
  ctx: CompileContext,
  label: (name: string) => string = (n) => n,
): CompiledSection {
  const ids = new Map<string, Node>();
  for (const name of Object.keys(section)) {
    if (reserved.has(name)) continue;
    ids.set(name, compileDetection(name, section[name], [...path, name], ctx, label(name)));
  }
  const cond = section.condition;
  const condPath = [...path, 'condition'];
  if (cond === undefined || cond === null) throw new LocatedError('sigma/missing-condition', 'the detection has no condition', path, { atKey: true });
  if (typeof cond === 'string') return { node: compileCondition(cond, ids, condPath, ctx.warnings), text: cond };
  if (Array.isArray(cond) && cond.length > 0) {
    const nodes = cond.map((c, i) => {
      if (typeof c !== 'string') throw new LocatedError('sigma/condition-type', 'each condition must be a string', [...condPath, i]);
      return compileCondition(c, ids, [...condPath, i], ctx.warnings);
    });
    const text = cond.map((c) => `(${String(c)})`).join(' or ');
    return { node: nodes.length === 1 ? nodes[0]! : new BoolNode('or', nodes, text), text: cond.length === 1 ? String(cond[0]) : text };
  }
  throw new LocatedError('sigma/condition-type', 'condition must be a string or a list of strings', condPath);
}
