import type { Predicate } from '../engines/common/predicate.ts';
import { compileKql } from '../engines/kql/index.ts';
import { REMOVE } from './event-edit.ts';
import { combine, MAX_CANDIDATES as MAX, type Assignment } from './esql-assignment.ts';
import { patternText } from './esql-want-samples.ts';

/**
 * Edits under which a KQL("…") condition of an ES|QL query holds, read from
 * the KQL engine's own tree. KQL is two-valued (a `not` of a missing field is
 * true), so a leaf under an odd number of `not`s is met by removing its field;
 * the others by setting the field to the leaf's literal text.
 */
function leafWants(p: Predicate, positive: boolean, anyValue: (field: string) => unknown): Assignment[] {
  switch (p.kind) {
    case 'and':
    case 'or': {
      const conj = (p.kind === 'and') === positive;
      if (conj) return p.children.reduce<Assignment[]>((acc, c) => combine(acc, leafWants(c, positive, anyValue)), [new Map()]);
      return p.children.flatMap((c) => leafWants(c, positive, anyValue)).slice(0, MAX);
    }
    case 'not':
      return leafWants(p.child, !positive, anyValue);
    case 'const':
      return p.value === positive ? [new Map()] : [];
    case 'opaque':
      return [];
    default: {
      const field = p.field;
      if (field === null) return [];
      if (!positive) return [new Map([[field, p.kind === 'null' ? anyValue(field) : REMOVE]])];
      switch (p.kind) {
        case 'match':
          return [new Map([[field, patternText(p.pattern)]])];
        case 'equals':
          return [new Map([[field, p.value]])];
        case 'range':
          return [new Map([[field, typeof p.value === 'number' ? p.value + (p.op === 'gt' ? 1 : p.op === 'lt' ? -1 : 0) : p.value]])];
        case 'exists':
          return [new Map([[field, anyValue(field)]])];
        case 'null':
          return [new Map([[field, REMOVE]])];
        default:
          return [];
      }
    }
  }
}

/** Edits under which the KQL query matches (`holds`), or does not. */
export function kqlWants(query: string, anyValue: (field: string) => unknown, holds = true): Assignment[] {
  try {
    return leafWants(compileKql(query).logic, holds, anyValue);
  } catch {
    return [];
  }
}
