import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { luceneToJs } from '../common/lucene-regex.ts';
import type { Predicate } from '../common/predicate.ts';
import type { FieldIndex, PreparedEvent } from '../common/prepared-event.ts';
import { compileRegex } from '../common/regex.ts';
import { AllNode, AndNode, NotNode, OrNode } from './compile/boolean-nodes.ts';
import { compileExists } from './compile/exists.ts';
import { LeafSpec, fieldLeaf } from './compile/field-leaf.ts';
import { NestedNode } from './compile/nested.ts';
import { type Anchor, type Ctx, Node, type PreparedTest } from './compile/node.ts';
import { compileTerm, isoBound } from './compile/term.ts';
import { defaultFieldIndex } from './default-field-index.ts';
import type { QueryOptions } from './field-semantics.ts';
import type { QueryNode } from './query-ast.ts';
import { fuzzyTest, numericLiteral, rangeTest, regexTest } from './value-tests.ts';

export type { Anchor } from './compile/node.ts';

/**
 * Compile the shared query tree (KQL or Lucene) ONCE into closures: `matches`
 * never re-walks the tree. Field values are visited without allocation
 * (field-access.ts); `or` lists on one field become a single visit with a Set
 * lookup; `and` operands run cheapest first. `explain` and `logic` are built
 * from the same per-node decisions.
 *
 * Compiling builds only a light node per query node; each node's test
 * closures, logic and explain are built on first use, so parsing + compiling
 * a whole corpus stays cheap (kql-corpus-parse) and a query pays for matchers
 * only when it runs.
 *
 * `matchesPrepared` evaluates the same tests over a prepared event
 * (prepared-event.ts: each field path resolved at most once per event, on
 * first read, then an array read per leaf), behind a required-field
 * prefilter: a field that every match needs (an `and` of leaves, the common
 * part of an `or`) is checked for presence first. `anchorsOf` exposes the
 * conjuncts a (field, literal) index can decide, for query-set.ts. Results
 * are identical to `matches` (prepared.test.ts).
 */
export interface CompiledQuery {
  matches(event: Event): boolean;
  /** The same answer as `matches(prepared.event)`, faster when many queries read one event. */
  matchesPrepared(prepared: PreparedEvent): boolean;
  explain(event: Event): Trace;
  readonly logic: Predicate;
}



class CompiledKqlQuery implements CompiledQuery {
  private declare preparedRoot: PreparedTest | undefined;
  constructor(
    private readonly root: Node,
    private readonly index: FieldIndex,
  ) {}
  matches(event: Event): boolean {
    return this.root.test(event);
  }
  matchesPrepared(prepared: PreparedEvent): boolean {
    return (this.preparedRoot ??= preparedRoot(this.root, this.index))(prepared);
  }
  explain(event: Event): Trace {
    return this.root.explain(event);
  }
  get logic(): Predicate {
    return this.root.logic;
  }
  /** The root's anchors, when its fields are slots of `index`. */
  anchorsIn(index: FieldIndex): readonly Anchor[] {
    return index === this.index ? this.root.anchors() : [];
  }
}



/**
 * The anchors of a compiled query on prepared events of `index`: each one alone must hold for a match.
 * @example anchorsOf(compileKql('event.category: process and x: 1'), defaultFieldIndex)[0]?.strings // ['process']
 */
export function anchorsOf(q: CompiledQuery, index: FieldIndex): readonly Anchor[] {
  return q instanceof CompiledKqlQuery ? q.anchorsIn(index) : [];
}


/**
 * The root prepared test: an event prepared by another index, or before this
 * query registered its fields, is evaluated the plain way; otherwise the
 * required fields are checked for presence before the test runs.
 */
function preparedRoot(root: Node, index: FieldIndex): PreparedTest {
  const t = root.prepared;
  const plain = root.test;
  const max = root.maxSlot;
  const [r0, r1, r2] = root.required();
  const covered = (pe: PreparedEvent): boolean => pe.size > max && pe.index === index;
  if (r0 === undefined) return (pe) => (covered(pe) ? t(pe) : plain(pe.event));
  if (r1 === undefined) return (pe) => (covered(pe) ? r0.present(pe) && t(pe) : plain(pe.event));
  if (r2 === undefined) return (pe) => (covered(pe) ? r0.present(pe) && r1.present(pe) && t(pe) : plain(pe.event));
  return (pe) => (covered(pe) ? r0.present(pe) && r1.present(pe) && r2.present(pe) && t(pe) : plain(pe.event));
}

/**
 * Compile a parsed query.
 * @example compileQuery(parseKql('process.name: cmd.exe')).matches({ process: { name: 'cmd.exe' } }) // true
 */
export function compileQuery(root: QueryNode, opts: QueryOptions = {}): CompiledQuery {
  const index = opts.fieldIndex ?? defaultFieldIndex;
  return new CompiledKqlQuery(compileNode(root, { opts, now: opts.now ?? Date.now(), index, access: new Map() }), index);
}

function compileNode(node: QueryNode, ctx: Ctx): Node {
  switch (node.kind) {
    case 'all':
      return new AllNode(node.label);
    case 'and':
      return new AndNode(node.children.map((c) => compileNode(c, ctx)), node.label);
    case 'or':
      return new OrNode(node.children, node.children.map((c) => compileNode(c, ctx)), node.label, ctx);
    case 'not':
      return new NotNode(compileNode(node.child, ctx), node.label);
    case 'term':
      return compileTerm(node.field, node.value, node.label, ctx);
    case 'range': {
      const { op, value } = node;
      return fieldLeaf(
        node.field,
        node.label,
        ctx,
        new LeafSpec(
          2,
          (sem, typing) => rangeTest(op, value, sem, ctx.now, typing),
          () => `${op} ${JSON.stringify(value)}`,
          (field, sem) => {
            const n = numericLiteral(value);
            const bound = sem === 'date' ? isoBound(value, op === 'gt' || op === 'lte', ctx.now) : n !== undefined && sem !== 'keyword' && sem !== 'caseless' && sem !== 'text' ? n : value;
            return bound === undefined ? { kind: 'const', value: false } : { kind: 'range', field, op, value: bound };
          },
        ),
      );
    }
    case 'exists':
      return compileExists(node.field, node.label, ctx);
    case 'nested':
      return new NestedNode(node.path, compileNode(node.query, ctx), node.label);
    case 'regex': {
      const { source } = node;
      return fieldLeaf(
        node.field,
        node.label,
        ctx,
        new LeafSpec(
          4,
          // Lucene RegExp syntax (only the Lucene dialect parses `/…/`).
          (sem) => regexTest(compileRegex(luceneToJs(source), { dotAll: true }), sem),
          () => `a value matching /${source}/`,
          (field, sem) => ({ kind: 'regex', field, source: luceneToJs(source), flags: sem === 'text' || sem === 'caseless' ? 'is' : 's' }),
        ),
      );
    }
    case 'fuzzy': {
      const { text, distance } = node;
      return fieldLeaf(
        node.field,
        node.label,
        ctx,
        new LeafSpec(
          4,
          (sem) => fuzzyTest(text, distance, sem),
          () => `within edit distance ${distance} of ${JSON.stringify(text)}`,
          (field) => ({ kind: 'opaque', field, description: `${text}~${distance} (edit distance)` }),
        ),
      );
    }
  }
}
