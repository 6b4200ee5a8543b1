/**
 * A `detection:` (or filter) section: every search identifier parsed once,
 * then compiled with the condition(s) over them. Shared by rules and filter
 * documents; a processing pipeline rewrites the parsed section in between.
 */
import { LocatedError, type DocPath } from '../../core/located-error.ts';
import { compileCondition } from './condition.ts';
import { compileParsedDetection, parseDetection, type ParsedDetection } from './detection.ts';
import type { CompileContext } from './detection-item.ts';
import { BoolNode, type Node } from './nodes.ts';
import type { ComposedPipeline } from './pipeline/apply.ts';

export interface SigmaOptions {
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  /** Processing pipeline(s) applied to each rule's parsed detection before compiling. */
  readonly pipeline?: ComposedPipeline;
}

export function compileContext(opts: SigmaOptions, deferPlaceholders = false): CompileContext {
  return { placeholders: opts.placeholders, warnings: [], deferPlaceholders };
}

export interface CompiledSection {
  readonly node: Node;
  /** The condition as written (a list joined with `or`). */
  readonly text: string;
}

export interface ParsedCondition {
  readonly text: string;
  readonly path: DocPath;
}

/** pySigma `SigmaDetections`: identifiers in order, and the condition(s). */
export interface ParsedSection {
  readonly ids: ReadonlyMap<string, ParsedDetection>;
  readonly conditions: readonly ParsedCondition[];
}

/**
 * Parse a section whose keys are search identifiers except `reserved` ones.
 * `label` renames identifiers in traces and predicates (filters prefix theirs).
 */
export function parseSection(
  section: Readonly<Record<string, unknown>>,
  path: DocPath,
  reserved: ReadonlySet<string>,
  ctx: CompileContext,
  label: (name: string) => string = (n) => n,
): ParsedSection {
  const ids = new Map<string, ParsedDetection>();
  for (const name of Object.keys(section)) {
    if (reserved.has(name)) continue;
    ids.set(name, parseDetection(name, section[name], [...path, name], ctx, label(name)));
  }
  const cond = section.condition;
  const condPath = [...path, 'condition'];
  if (cond === undefined || cond === null) throw new LocatedError('sigma/missing-condition', 'the detection has no condition', path, { atKey: true });
  if (typeof cond === 'string') return { ids, conditions: [{ text: cond, path: condPath }] };
  if (Array.isArray(cond) && cond.length > 0) {
    const conditions = cond.map((c, i) => {
      if (typeof c !== 'string') throw new LocatedError('sigma/condition-type', 'each condition must be a string', [...condPath, i]);
      return { text: c, path: [...condPath, i] };
    });
    return { ids, conditions };
  }
  throw new LocatedError('sigma/condition-type', 'condition must be a string or a list of strings', condPath);
}

/** Compile a parsed section: identifiers, then the condition(s) over them (a list is OR). */
export function compileParsedSection(parsed: ParsedSection, ctx: CompileContext): CompiledSection {
  const ids = new Map<string, Node>();
  for (const [name, d] of parsed.ids) ids.set(name, compileParsedDetection(d));
  const conds = parsed.conditions;
  if (conds.length === 1) return { node: compileCondition(conds[0]!.text, ids, conds[0]!.path, ctx.warnings), text: conds[0]!.text };
  const nodes = conds.map((c) => compileCondition(c.text, ids, c.path, ctx.warnings));
  const text = conds.map((c) => `(${c.text})`).join(' or ');
  return { node: new BoolNode('or', nodes, text), text };
}

export function compileSection(
  section: Readonly<Record<string, unknown>>,
  path: DocPath,
  reserved: ReadonlySet<string>,
  ctx: CompileContext,
  label: (name: string) => string = (n) => n,
): CompiledSection {
  return compileParsedSection(parseSection(section, path, reserved, ctx, label), ctx);
}
