/**
 * Condition AST → Node over the compiled search identifiers (sigma.md §7):
 * `1 of` / `all of` resolve glob patterns against identifier names once, at
 * compile time; `them` and patterns not starting with `_` skip `_` identifiers.
 */
import { LocatedError, type DocPath, type LocatedWarning } from '../../core/located-error.ts';
import { didYouMean } from '../../core/suggest.ts';
import { ConditionError, parseCondition, type CondAst } from './condition-parser.ts';
import { BoolNode, ConstNode, NotNode, type Node } from './nodes.ts';

/** The search identifiers in definition order. */
export type Identifiers = ReadonlyMap<string, Node>;

/** Does a `*`-glob match the whole name? (Segments in order: first is a prefix, last a suffix.) */
export function globMatch(pattern: string, name: string): boolean {
  const segs = pattern.split('*');
  if (segs.length === 1) return pattern === name;
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const k = name.indexOf(segs[i]!, at);
    if (k < 0 || k + segs[i]!.length > end) return false;
    at = k + segs[i]!.length;
  }
  return true;
}

/** Identifiers a `x of <pattern>` selector refers to. */
export function selectIdentifiers(pattern: string, names: readonly string[]): string[] {
  if (pattern === 'them') return names.filter((n) => !n.startsWith('_'));
  return names.filter((n) => globMatch(pattern, n) && (pattern.startsWith('_') || !n.startsWith('_')));
}

function build(ast: CondAst, src: string, ids: Identifiers, path: DocPath, warnings: LocatedWarning[]): Node {
  const label = src.slice(ast.offset, ast.end);
  switch (ast.kind) {
    case 'and':
    case 'or':
      return new BoolNode(ast.kind, ast.children.map((c) => build(c, src, ids, path, warnings)), label);
    case 'not':
      return new NotNode(build(ast.child, src, ids, path, warnings), label);
    case 'ident': {
      if (ast.name.includes('*')) throw new LocatedError('sigma/condition-syntax', `'${ast.name}' is a pattern; write '1 of ${ast.name}' or 'all of ${ast.name}'`, path, { offset: ast.offset });
      const node = ids.get(ast.name);
      if (!node) throw new LocatedError('sigma/undefined-identifier', `condition uses '${ast.name}', which is not defined in the detection${didYouMean(ast.name, ids.keys())}`, path, { offset: ast.offset });
      return node;
    }
    case 'selector': {
      const names = selectIdentifiers(ast.pattern, [...ids.keys()]);
      if (names.length === 0) {
        // sigma.md §7: pySigma leaves an empty selector to the backend; here `1 of` is false, `all of` true.
        const verdict = ast.quantifier === 'all' ? 'always true' : 'always false';
        warnings.push({ code: 'sigma/empty-selector', message: `'${label}' selects no search identifier, so it is ${verdict}`, path, offset: ast.offset });
        return new ConstNode(ast.quantifier === 'all', label);
      }
      return new BoolNode(ast.quantifier === 'all' ? 'and' : 'or', names.map((n) => ids.get(n)!), label);
    }
  }
}

/**
 * Compile one condition string; errors carry `path` and the offset into the string.
 * @example compileCondition('sel and not filter', ids, ['detection', 'condition'])
 */
export function compileCondition(src: string, ids: Identifiers, path: DocPath, warnings: LocatedWarning[] = []): Node {
  let ast: CondAst;
  try {
    ast = parseCondition(src);
  } catch (e) {
    if (e instanceof ConditionError) throw new LocatedError(e.code, e.message, path, { offset: e.offset });
    throw e;
  }
  return build(ast, src, ids, path, warnings);
}
