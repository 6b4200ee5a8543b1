/**
 * A search identifier's definition → Node (rules spec "Search identifier",
 * sigma.md §2): a map is AND over its items, a list of maps is OR of ANDs, a
 * list of scalars is one keyword item (OR), a scalar is one keyword. Parsed
 * first (pySigma `SigmaDetection`), so a processing pipeline can rewrite the
 * tree, then compiled.
 */
import { LocatedError, type DocPath } from '../../core/located-error.ts';
import { compileParsedItem, parseItem, type CompileContext, type ParsedItem } from './detection-item.ts';
import { BoolNode, type Node } from './nodes.ts';

export interface ParsedDetection {
  readonly kind: 'detection';
  readonly items: readonly (ParsedDetection | ParsedItem)[];
  readonly linking: 'and' | 'or';
  /** Trace label; `named` when it is a search identifier (its predicate carries the label). */
  readonly label: string;
  readonly named: boolean;
  /** Ids of pipeline processing items applied to it (add_condition marks its new detection). */
  readonly applied: readonly string[];
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const detection = (items: (ParsedDetection | ParsedItem)[], linking: 'and' | 'or', label: string, named: boolean): ParsedDetection => ({ kind: 'detection', items, linking, label, named, applied: [] });

function parseMap(def: Record<string, unknown>, label: string, path: DocPath, ctx: CompileContext, named: boolean): ParsedDetection {
  const keys = Object.keys(def);
  if (keys.length === 0) throw new LocatedError('sigma/empty-detection', `search identifier '${String(path[1])}' is an empty mapping`, path);
  return detection(keys.map((k) => parseItem(k, def[k], [...path, k], ctx)), 'and', label, named);
}

function parseDefinition(def: unknown, label: string, path: DocPath, ctx: CompileContext, named: boolean): ParsedDetection {
  if (isMap(def)) return parseMap(def, label, path, ctx, named);
  if (Array.isArray(def)) {
    if (def.length === 0) throw new LocatedError('sigma/empty-detection', `search identifier '${String(path[1])}' is an empty list`, path);
    if (def.every(isScalar)) return detection([parseItem(null, def, path, ctx)], 'and', label, named);
    const children = def.map((item, i) => (isScalar(item) ? parseItem(null, item, [...path, i], ctx) : parseDefinition(item, `${label}[${i}]`, [...path, i], ctx, false)));
    return detection(children, 'or', label, named);
  }
  return detection([parseItem(null, def, path, ctx)], 'and', label, named);
}

/**
 * Parse one search identifier. `path` points at it, e.g. `['detection', 'selection']`.
 * @example parseDetection('selection', { 'Image|endswith': '\\cmd.exe' }, ['detection', 'selection'], ctx)
 */
export function parseDetection(name: string, def: unknown, path: DocPath, ctx: CompileContext, label = name): ParsedDetection {
  return parseDefinition(def, label, path, ctx, true);
}

export function compileParsedDetection(d: ParsedDetection): Node {
  return new BoolNode(d.linking, d.items.map((x) => (x.kind === 'item' ? compileParsedItem(x) : compileParsedDetection(x))), d.label, d.named);
}

/** Parse and compile one search identifier. */
export function compileDetection(name: string, def: unknown, path: DocPath, ctx: CompileContext, label = name): Node {
  return compileParsedDetection(parseDetection(name, def, path, ctx, label));
}
