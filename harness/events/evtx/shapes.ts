/**
 * Objects with many computed keys, made fast. Built key by key (`o[k] = v`), an object
 * becomes a dictionary after 16 properties in V8 and each key costs ~100 ns; records of
 * one kind have the same keys in the same order again and again, so once a key sequence
 * recurs it gets an object literal compiled for it (a few ns a key, and a fast object).
 *
 * Entries are pushed on a stack between `begin()` and `end()` (nested objects of a record
 * push theirs above and pop them first), with how a repeated key is treated: `put` gives
 * it `_1`, `_2`, … (the evtx crate's repeated elements), `set` overwrites the value where
 * the key first stood. Sequences are looked up in a trie keyed by key, and both the trie
 * and the objects made agree with plain assignment (`__proto__` stays an own key).
 */

/** Makes the object of one key sequence from the stacked values starting at `from`. */
type Make = (values: readonly unknown[], from: number) => Record<string, unknown>;

export interface ShapeNode {
  readonly put: Map<string, ShapeNode>;
  set: Map<string, ShapeNode> | undefined;
  /** The entries' keys and modes that lead here (kept once the node ends a sequence): checked against a hint. */
  entries: { readonly keys: readonly string[]; readonly modes: readonly number[] } | undefined;
  /** The object's keys and, for each, the stack offset of its value (repeats resolved). */
  plan: { readonly keys: readonly string[]; readonly from: readonly number[] } | undefined;
  make: Make | undefined;
}

/** Trie nodes kept at most (memory bound); past it, objects are made key by key. */
const MAX_NODES = 100_000;
/** Longer sequences are made key by key: a literal that long compiles slowly and rarely recurs. */
const MAX_COMPILED_KEYS = 512;
/** Literals compiled at most (each is code in memory); past it, further sequences are made key by key. */
const MAX_COMPILED = 4096;
/** A stack grown past this by one huge record is let go at the next record (it holds that record's values). */
const KEEP_STACK = 4096;

const newNode = (): ShapeNode => ({ put: new Map(), set: undefined, entries: undefined, plan: undefined, make: undefined });

/**
 * Where a caller keeps the sequence its object had last time — a template's element has
 * the same keys record after record — so the trie is walked only when it changes.
 */
export interface ShapeHint {
  last: ShapeNode | undefined;
  /** The caller pushes the same entries every time (a template's fixed child list): once found, the sequence is not checked. */
  readonly fixed: boolean;
}

/** Own-property assignment (a name like `__proto__` from a file is just a key). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export class ObjectShapes {
  private readonly root = newNode();
  private nodes = 0;
  private compiled = 0;
  private readonly keys: string[] = [];
  private readonly values: unknown[] = [];
  /** Per entry: 1 when it overwrites a repeated key (`set`), 0 when it takes a suffix (`put`). */
  private readonly modes: number[] = [];
  private top = 0;

  /** Drops whatever an interrupted build left on the stack. */
  reset(): void {
    this.top = 0;
    if (this.values.length > KEEP_STACK) {
      this.keys.length = 0;
      this.values.length = 0;
      this.modes.length = 0;
    }
  }

  begin(): number {
    return this.top;
  }

  put(key: string, value: unknown): void {
    this.push(key, value, 0);
  }

  set(key: string, value: unknown): void {
    this.push(key, value, 1);
  }

  /** The object of the entries pushed since `start` (which are popped); `hint` remembers its sequence. */
  end(start: number, hint?: ShapeHint): Record<string, unknown> {
    let node = hint?.last;
    if (node === undefined || (!hint!.fixed && !this.leadsTo(node, start))) {
      node = this.find(start);
      if (hint) hint.last = node;
    }
    const n = this.top - start;
    this.top = start;
    if (node === undefined) return this.plain(planOf(this.keys, this.modes, start, start + n), start);
    if (node.make) return node.make(this.values, start);
    if (node.plan) {
      // Seen before: from now on this sequence is one literal.
      if (n <= MAX_COMPILED_KEYS && this.compiled < MAX_COMPILED) {
        node.make = compile(node.plan);
        this.compiled = node.make ? this.compiled + 1 : MAX_COMPILED;
        if (node.make) return node.make(this.values, start);
      }
    }
    node.plan ??= planOf(this.keys, this.modes, start, start + n);
    node.entries ??= { keys: this.keys.slice(start, start + n), modes: this.modes.slice(start, start + n) };
    return this.plain(node.plan, start);
  }

  /** Whether the entries `[start, top)` are the sequence that ends at `node`. */
  private leadsTo(node: ShapeNode, start: number): boolean {
    const e = node.entries;
    if (e === undefined || e.keys.length !== this.top - start) return false;
    for (let i = 0; i < e.keys.length; i++) if (e.keys[i] !== this.keys[start + i] || e.modes[i] !== this.modes[start + i]) return false;
    return true;
  }

  private push(key: string, value: unknown, mode: number): void {
    const i = this.top++;
    this.keys[i] = key;
    this.values[i] = value;
    this.modes[i] = mode;
  }

  /** The trie node of the entries `[start, top)`; undefined once the trie is full. */
  private find(start: number): ShapeNode | undefined {
    let node = this.root;
    for (let i = start; i < this.top; i++) {
      const k = this.keys[i]!;
      const map = this.modes[i] === 0 ? node.put : (node.set ??= new Map());
      let next = map.get(k);
      if (next === undefined) {
        if (this.nodes >= MAX_NODES) return undefined;
        next = newNode();
        map.set(k, next);
        this.nodes++;
      }
      node = next;
    }
    return node;
  }

  private plain(plan: NonNullable<ShapeNode['plan']>, start: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < plan.keys.length; i++) setOwn(out, plan.keys[i]!, this.values[start + plan.from[i]!]);
    return out;
  }
}

/** The keys an object of these entries has, in order, and where each one's value is. */
function planOf(keys: readonly string[], modes: readonly number[], start: number, end: number): NonNullable<ShapeNode['plan']> {
  const out: string[] = [];
  const from: number[] = [];
  for (let i = start; i < end; i++) {
    let k = keys[i]!;
    if (modes[i] === 1) {
      const at = out.indexOf(k);
      if (at >= 0) {
        from[at] = i - start;
        continue;
      }
    } else for (let j = 1; out.includes(k); j++) k = `${keys[i]!}_${j}`;
    out.push(k);
    from.push(i - start);
  }
  return { keys: out, from };
}

/**
 * An object literal of the plan's keys. Keys are written as JSON strings, so no name from
 * a file is code. Undefined where code cannot be made from text
 * (`--disallow-code-generation-from-strings`): objects are then made key by key.
 */
function compile(plan: NonNullable<ShapeNode['plan']>): Make | undefined {
  const props = plan.keys.map((k, i) => `${k === '__proto__' ? '["__proto__"]' : JSON.stringify(k)}: v[s + ${plan.from[i]!}]`);
  try {
    return new Function('v', 's', `return { ${props.join(', ')} };`) as Make;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}
