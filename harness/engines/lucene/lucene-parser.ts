import { ONE, STAR, text, type PatternToken } from '../common/pattern.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { LuceneRegexError, luceneToJs } from '../common/lucene-regex.ts';
import { compileRegex } from '../common/regex.ts';
import { labelOf, type FieldName, type QueryNode, type RangeOp } from '../kql/query-ast.ts';

/**
 * Hand-written recursive-descent parser for the Lucene query-string syntax
 * (Elasticsearch `query_string`, as Elastic rules with `language = "lucene"`
 * use it), lowered to the query tree the KQL engine compiles.
 *
 * Boolean logic follows Lucene's classic QueryParser exactly, which is *not*
 * operator precedence: a query is a flat list of clauses, each SHOULD, MUST
 * or MUST_NOT. `AND` makes the clauses on both sides MUST, `NOT`/`!`/`-` make
 * the next one MUST_NOT, `+` MUST; default operator OR leaves the rest SHOULD.
 * A list matches when every MUST holds, no MUST_NOT holds, and — only when
 * there is no MUST — some SHOULD holds (so `a AND b OR c` ≡ `a AND b`).
 * A purely negative list matches everything else (Elasticsearch adds
 * match_all). Operators are upper-case only: lower-case `and`/`or` are terms.
 *
 * Terms: `*` and `?` wildcards, `\` escapes any character, `/regex/`,
 * `[a TO b]`/`{a TO b}` ranges (`*` open), `field:>=v` (ES extension),
 * `_exists_:field`, `term~N` fuzzy, `"phrase"~N` (slop: on analysed text
 * the words may move N positions), `^boost` (ignored). A `*` in a field name (`process.\*.name`) is a
 * field wildcard.
 */
type Occur = 'must' | 'should' | 'mustNot';
type Conj = 'and' | 'or' | 'none';
type Mod = 'req' | 'not' | 'none';

interface Clause {
  occur: Occur;
  readonly node: QueryNode;
}

const isWs = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u3000';
/** Characters that end a term (besides whitespace); `+`, `-` may occur inside a term, not at its start. */
const TERM_END = new Set(['(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '/', '!']);
const NOT_START = new Set(['+', '-', '!']);

interface RawTerm {
  readonly tokens: PatternToken[];
  readonly text: string;
  readonly raw: string;
  readonly wild: boolean;
  readonly start: number;
}

class LuceneParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): QueryNode {
    this.ws();
    if (this.pos === this.src.length) return { kind: 'all', label: '(empty query)' };
    const q = this.query(null);
    this.ws();
    if (this.pos < this.src.length) this.fail('an operator, a term or end of input');
    return q;
  }

  private fail(expected: string, at = this.pos): never {
    const found = at < this.src.length ? `"${this.src[at]}"` : 'end of input';
    throw new QuerySyntaxError(`Expected ${expected} but ${found} found.`, this.src, at);
  }

  private ws(): void {
    while (isWs(this.src[this.pos])) this.pos++;
  }

  private atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  /** An operator word (`AND`, `&&`, `OR`, `||`, `NOT`) at pos, delimited like a term. */
  private word(words: readonly string[]): string | undefined {
    for (const w of words) {
      if (!this.src.startsWith(w, this.pos)) continue;
      const next = this.src[this.pos + w.length];
      if (next === undefined || isWs(next) || next === '(' || next === ')' || next === '"' || next === '+' || next === '-' || next === '!') return w;
    }
    return undefined;
  }

  private query(field: FieldName | null): QueryNode {
    const start = this.pos;
    const clauses: Clause[] = [];
    let first = true;
    for (;;) {
      this.ws();
      if (this.atEnd() || this.src[this.pos] === ')') {
        if (first) this.fail('a term, a phrase, "(" or a field');
        break;
      }
      let conj: Conj = 'none';
      if (!first) {
        const w = this.word(['AND', '&&', 'OR', '||']);
        if (w) {
          conj = w === 'AND' || w === '&&' ? 'and' : 'or';
          this.pos += w.length;
          this.ws();
        }
      }
      const mod = this.modifier();
      const node = this.clause(field);
      addClause(clauses, conj, mod, node);
      first = false;
    }
    return toNode(clauses, labelOf(this.src.slice(start, this.pos)));
  }

  private modifier(): Mod {
    const c = this.src[this.pos];
    if (c === '+' || c === '-' || c === '!') {
      this.pos++;
      if (isWs(this.src[this.pos])) this.fail('a term after the operator');
      return c === '+' ? 'req' : 'not';
    }
    if (this.word(['NOT'])) {
      this.pos += 3;
      this.ws();
      return 'not';
    }
    return 'none';
  }

  private clause(field: FieldName | null): QueryNode {
    this.ws();
    const start = this.pos;
    let f = field;
    const c = this.src[this.pos];
    if (c !== '(' && c !== '"' && c !== '[' && c !== '{' && c !== '/' && !this.atEnd()) {
      const save = this.pos;
      const t = this.rawTerm();
      if (t && this.src[this.pos] === ':') {
        this.pos++;
        this.ws();
        if (t.raw === '_exists_') return this.exists(start);
        f = { name: t.tokens.map((x) => (x.kind === 'text' ? x.text : '*')).join(''), glob: t.wild || t.raw.includes('\\*') };
        if (t.raw.includes('\\*')) f = { name: t.text, glob: true };
      } else this.pos = save;
    }
    if (this.src[this.pos] === '(') {
      this.pos++;
      const q = this.query(f);
      if (this.src[this.pos] !== ')') this.fail('")"');
      this.pos++;
      this.boost();
      return q;
    }
    return this.term(f, start);
  }

  private exists(start: number): QueryNode {
    const t = this.rawTerm();
    if (!t) this.fail('a field name after _exists_:');
    return { kind: 'exists', field: { name: t.text, glob: t.text.includes('*') }, label: this.src.slice(start, this.pos) };
  }

  private boost(): void {
    if (this.src[this.pos] !== '^') return;
    this.pos++;
    const m = /^\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (!m) this.fail('a number after "^"');
    this.pos += m[0].length;
  }

  /** `~` or `~N` after a term or phrase; undefined when absent. */
  private tilde(): number | undefined {
    if (this.src[this.pos] !== '~') return undefined;
    this.pos++;
    const m = /^\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (!m) return 2;
    this.pos += m[0].length;
    const n = Number(m[0]);
    return Number.isInteger(n) ? Math.min(n, 2) : 2;
  }

  /**
   * `~N` after a phrase: its slop, any whole number (`~2.7` is 2). A bare `~` keeps the default
   * slop 0, as Lucene's classic parser does (it cannot parse the empty number and ignores it).
   */
  private phraseSlop(): number {
    if (this.src[this.pos] !== '~') return 0;
    this.pos++;
    const m = /^\d+(\.\d+)?/.exec(this.src.slice(this.pos));
    if (!m) return 0;
    this.pos += m[0].length;
    return Math.floor(Number(m[0]));
  }

  private term(field: FieldName | null, start: number): QueryNode {
    const c = this.src[this.pos];
    const label = (): string => labelOf(this.src.slice(start, this.pos));
    if (c === '"') {
      const s = this.quoted();
      const slop = this.phraseSlop();
      this.boost();
      return { kind: 'term', field, value: { kind: 'literal', text: s, phrase: true, ...(slop ? { slop } : {}) }, label: label(), offset: start };
    }
    if (c === '[' || c === '{') return this.range(field, start);
    if (c === '/') {
      const source = this.regex();
      this.boost();
      return { kind: 'regex', field, source, label: label() };
    }
    const t = this.rawTerm();
    if (!t) this.fail('a term, a phrase, a range, a regex or "("');
    const fuzzy = this.tilde();
    this.boost();
    if (t.tokens.length === 1 && t.tokens[0]!.kind === 'star') {
      if (field === null || (field.glob && field.name === '*')) return { kind: 'all', label: label() };
      return { kind: 'exists', field, label: label() };
    }
    if (field && !t.wild) {
      const m = /^(>=|<=|>|<)(.+)$/s.exec(t.text);
      if (m) {
        const op: RangeOp = m[1] === '>=' ? 'gte' : m[1] === '<=' ? 'lte' : m[1] === '>' ? 'gt' : 'lt';
        return { kind: 'range', field, op, value: m[2]!, label: label(), offset: start };
      }
    }
    if (fuzzy !== undefined && !t.wild) return { kind: 'fuzzy', field, text: t.text, distance: fuzzy, label: label() };
    if (t.wild) return { kind: 'term', field, value: { kind: 'pattern', pattern: t.tokens }, label: label(), offset: start };
    return { kind: 'term', field, value: { kind: 'literal', text: t.text, phrase: false }, label: label(), offset: start };
  }

  /** A bare term: escapes, `*`/`?` wildcards; `+`/`-` allowed after the first character. */
  private rawTerm(): RawTerm | undefined {
    const src = this.src;
    const start = this.pos;
    const tokens: PatternToken[] = [];
    let buf = '';
    let wild = false;
    let i = start;
    if (NOT_START.has(src[i]!)) return undefined;
    while (i < src.length) {
      const c = src[i]!;
      if (c === '\\') {
        if (i + 1 >= src.length) this.fail('a character after "\\"', i + 1);
        buf += src[i + 1];
        i += 2;
        continue;
      }
      if (isWs(c) || TERM_END.has(c)) break;
      if (c === '*' || c === '?') {
        if (buf) tokens.push(text(buf));
        buf = '';
        tokens.push(c === '*' ? STAR : ONE);
        wild = true;
      } else buf += c;
      i++;
    }
    if (i === start) return undefined;
    if (buf) tokens.push(text(buf));
    this.pos = i;
    const joined = tokens.map((t) => (t.kind === 'text' ? t.text : t.kind === 'star' ? '*' : '?')).join('');
    return { tokens, text: joined, raw: src.slice(start, i), wild, start };
  }

  /** `"…"`: backslash escapes any character. */
  private quoted(): string {
    const start = this.pos;
    let out = '';
    let i = start + 1;
    for (;;) {
      if (i >= this.src.length) this.fail('a closing quote \'"\'', start);
      const c = this.src[i]!;
      if (c === '"') break;
      if (c === '\\' && i + 1 < this.src.length) {
        out += this.src[i + 1];
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    return out;
  }

  private regex(): string {
    const start = this.pos;
    let i = start + 1;
    let out = '';
    for (;;) {
      if (i >= this.src.length) this.fail('a closing "/" of the regular expression', start);
      const c = this.src[i]!;
      if (c === '/') break;
      if (c === '\\' && this.src[i + 1] === '/') {
        out += '/';
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
    this.pos = i + 1;
    // Lucene RegExp syntax (anchored, `"…"` literals, `@`, `#`), as Elasticsearch's regexp query reads it.
    try {
      compileRegex(luceneToJs(out), { dotAll: true });
    } catch (e) {
      // Located at the opening `/`. A translation error says where in the body; compileRegex's own message already names the pattern.
      const message = e instanceof LuceneRegexError ? `invalid regular expression /${out}/: ${e.message} (at character ${e.offset + 1} of the body)` : (e as Error).message;
      throw new QuerySyntaxError(message, this.src, start);
    }
    return out;
  }

  private range(field: FieldName | null, start: number): QueryNode {
    if (!field) this.fail('a field before a range', start);
    const inclusiveLow = this.src[this.pos] === '[';
    this.pos++;
    this.ws();
    const low = this.rangeBound();
    this.ws();
    if (!this.src.startsWith('TO', this.pos)) this.fail('"TO"');
    this.pos += 2;
    this.ws();
    const high = this.rangeBound();
    this.ws();
    const close = this.src[this.pos];
    if (close !== ']' && close !== '}') this.fail('"]" or "}"');
    this.pos++;
    this.boost();
    const label = labelOf(this.src.slice(start, this.pos));
    const parts: QueryNode[] = [];
    if (low !== '*') parts.push({ kind: 'range', field, op: inclusiveLow ? 'gte' : 'gt', value: low, label, offset: start });
    if (high !== '*') parts.push({ kind: 'range', field, op: close === ']' ? 'lte' : 'lt', value: high, label, offset: start });
    if (parts.length === 0) return { kind: 'exists', field, label };
    return parts.length === 1 ? parts[0]! : { kind: 'and', children: parts, label };
  }

  private rangeBound(): string {
    if (this.src[this.pos] === '"') return this.quoted();
    const start = this.pos;
    while (this.pos < this.src.length && !isWs(this.src[this.pos]) && this.src[this.pos] !== ']' && this.src[this.pos] !== '}') this.pos++;
    if (this.pos === start) this.fail('a range bound');
    return this.src.slice(start, this.pos);
  }
}

/** Lucene QueryParserBase.addClause with default operator OR. */
function addClause(clauses: Clause[], conj: Conj, mod: Mod, node: QueryNode): void {
  const prev = clauses[clauses.length - 1];
  if (prev && conj === 'and' && prev.occur !== 'mustNot') prev.occur = 'must';
  const occur: Occur = mod === 'not' ? 'mustNot' : mod === 'req' || conj === 'and' ? 'must' : 'should';
  clauses.push({ occur, node });
}

function toNode(clauses: readonly Clause[], label: string): QueryNode {
  if (clauses.length === 1 && clauses[0]!.occur !== 'mustNot') return clauses[0]!.node;
  const must = clauses.filter((c) => c.occur === 'must').map((c) => c.node);
  const should = clauses.filter((c) => c.occur === 'should').map((c) => c.node);
  const mustNot = clauses.filter((c) => c.occur === 'mustNot').map((c): QueryNode => ({ kind: 'not', child: c.node, label: `NOT ${c.node.label}` }));
  const parts = [...must, ...mustNot];
  // SHOULD clauses only constrain when there is no MUST (they then need one match).
  if (must.length === 0 && should.length > 0) parts.unshift(should.length === 1 ? should[0]! : { kind: 'or', children: should, label });
  return parts.length === 1 ? parts[0]! : { kind: 'and', children: parts, label };
}

/**
 * Parse a Lucene query string into the shared query tree.
 * @example parseLucene('event.category:process AND process.name:(cmd.exe OR powershell.exe)')
 * @throws QuerySyntaxError with the offset of the problem
 */
export function parseLucene(query: string): QueryNode {
  return new LuceneParser(query).parse();
}
