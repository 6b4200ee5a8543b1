/**
 * A search identifier's definition → Node (rules spec "Search identifier",
 * sigma.md §2): a map is AND over its items, a list of maps is OR of ANDs, a
 * list of scalars is one keyword item (OR), a scalar is one keyword.
 */
import { LocatedError, type DocPath } from '../../core/located-error.ts';
import { compileItem, type CompileContext } from './detection-item.ts';
import { BoolNode, type Node } from './nodes.ts';

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function compileMap(def: Record<string, unknown>, label: string, path: DocPath, ctx: CompileContext, named: boolean): Node {
  const keys = Object.keys(def);
  if (keys.length === 0) throw new LocatedError('sigma/empty-detection', `search identifier '${String(path[1])}' is an empty mapping`, path);
  return new BoolNode('and', keys.map((k) => compileItem(k, def[k], [...path, k], ctx)), label, named);
}

function compileDefinition(def: unknown, label: string, path: DocPath, ctx: CompileContext, named: boolean): Node {
  if (isMap(def)) return compileMap(def, label, path, ctx, named);
  if (Array.isArray(def)) {
    if (def.length === 0) throw new LocatedError('sigma/empty-detection', `search identifier '${String(path[1])}' is an empty list`, path);
    if (def.every(isScalar)) return new BoolNode('and', [compileItem(null, def, path, ctx)], label, named);
    const children = def.map((item, i) => (isScalar(item) ? compileItem(null, item, [...path, i], ctx) : compileDefinition(item, `${label}[${i}]`, [...path, i], ctx, false)));
    return new BoolNode('or', children, label, named);
  }
  return new BoolNode('and', [compileItem(null, def, path, ctx)], label, named);
}

/**
 * Compile one search identifier. `path` points at it, e.g. `['detection', 'selection']`.
 * @example compileDetection('selection', { 'Image|endswith': '\\cmd.exe' }, ['detection', 'selection'], ctx)
 */
export function compileDetection(name: string, def: unknown, path: DocPath, ctx: CompileContext, label = name): Node {
  return compileDefinition(def, label, path, ctx, true);
}
