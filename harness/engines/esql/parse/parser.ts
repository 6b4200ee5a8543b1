import type { AggField, Command, CommandBody, Expr, Field, NamePattern, Query, SortKey } from '../ast.ts';
import { ExprParser } from './expr-parser.ts';
import { Lexer } from './lexer.ts';

/** Commands the grammar has that this engine does not run; named in the error. */
const UNSUPPORTED = new Set(['enrich', 'lookup', 'fork', 'set', 'change_point', 'sample', 'rerank', 'fuse', 'insist_', 'rrf', 'explain', 'show', 'metrics', 'ts', 'join', 'fuzzy']);

/**
 * Parse an ES|QL query into commands. Recursive descent over an on-demand
 * lexer; every error carries the offset (line and column) of the token at fault.
 * @throws QuerySyntaxError
 */
export function parseEsql(source: string): Query {
  const p = new CommandParser(new Lexer(source));
  return { source, commands: p.query() };
}

class CommandParser extends ExprParser {
  query(): Command[] {
    const commands: Command[] = [this.command(true)];
    while (this.acceptOp('|')) commands.push(this.command(false));
    if (this.peek().kind !== 'eof') throw this.unexpected("'|' or end of query");
    return commands;
  }

  private command(first: boolean): Command {
    const t = this.peek();
    if (t.kind !== 'ident') throw this.unexpected('a command');
    const word = t.text.toLowerCase();
    const source = word === 'from' || word === 'row';
    if (first !== source) {
      if (first) throw this.lx.error(`a query starts with FROM or ROW, found '${t.text}'`, t.start);
      if (source) throw this.lx.error(`${t.text.toUpperCase()} can only start a query`, t.start);
    }
    this.next();
    const start = t.start;
    const done = (c: CommandBody): Command => ({ ...c, start, end: this.lastEnd }) as Command;
    switch (word) {
      case 'from':
        return done({ command: 'from', ...this.fromBody() });
      case 'row':
        return done({ command: 'row', fields: this.fields() });
      case 'where':
        return done({ command: 'where', condition: this.boolean() });
      case 'eval':
        return done({ command: 'eval', fields: this.fields() });
      case 'stats':
        return done({ command: 'stats', inline: false, ...this.statsBody() });
      case 'inlinestats':
        return done({ command: 'stats', inline: true, ...this.statsBody() });
      case 'inline':
        this.expectKw('stats');
        return done({ command: 'stats', inline: true, ...this.statsBody() });
      case 'keep':
        return done({ command: 'keep', patterns: this.namePatterns() });
      case 'drop':
        return done({ command: 'drop', patterns: this.namePatterns() });
      case 'rename':
        return done({ command: 'rename', renames: this.renames() });
      case 'sort':
        return done({ command: 'sort', keys: this.sortKeys() });
      case 'limit': {
        const n = this.peek();
        if (n.kind !== 'integer') throw this.unexpected('an integer');
        this.next();
        return done({ command: 'limit', count: Number(n.text) });
      }
      case 'mv_expand':
        return done({ command: 'mv_expand', field: this.namePattern(false) });
      case 'dissect':
        return done({ command: 'dissect', ...this.dissectBody() });
      case 'grok':
        return done({ command: 'grok', ...this.grokBody() });
      case 'completion':
        return done({ command: 'completion', ...this.completionBody() });
      default:
        if (UNSUPPORTED.has(word)) throw this.lx.error(`command ${word.toUpperCase()} is not supported by the offline ES|QL engine`, t.start);
        throw this.lx.error(`unknown command '${t.text}'`, t.start);
    }
  }

  private fromBody(): { indices: string[]; metadata: string[] } {
    const indices: string[] = [];
    do indices.push(this.indexPattern()); while (this.acceptOp(','));
    const metadata: string[] = [];
    if (this.acceptKw('metadata')) do metadata.push(this.qualifiedName().name); while (this.acceptOp(','));
    return { indices, metadata };
  }
  /** An index pattern is raw text up to space, ',' or '|' (`logs-*`, `-excluded*`, `remote:logs`), or a quoted string. */
  private indexPattern(): string {
    const t = this.peek();
    if (t.kind === 'string') return this.next().text;
    const src = this.lx.src;
    const start = t.start;
    let end = start;
    while (end < src.length && !/[\s,|]/.test(src[end] as string) && !src.startsWith('//', end) && !src.startsWith('/*', end)) end++;
    if (end === start) throw this.unexpected('an index pattern');
    this.pos = end;
    return src.slice(start, end);
  }

  private fields(): Field[] {
    const out: Field[] = [];
    do out.push(this.field()); while (this.acceptOp(','));
    return out;
  }
  private field(): Field {
    const start = this.peek().start;
    const save = this.pos;
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'quoted') {
      const name = this.qualifiedName();
      if (this.isOp('=')) {
        this.next();
        const expr = this.boolean();
        return { name: name.name, expr, start, end: expr.end };
      }
      this.pos = save;
    }
    const expr = this.boolean();
    // A bare field keeps its name (backquotes are quoting, not part of it); other expressions are named by their text.
    return { name: expr.type === 'field' ? expr.name : this.text(expr.start, expr.end), expr, start, end: expr.end };
  }

  private statsBody(): { aggregates: AggField[]; groups: Field[] } {
    const aggregates: AggField[] = [];
    if (!this.isKw('by') && !this.isOp('|') && this.peek().kind !== 'eof')
      do {
        const f = this.field();
        if (this.acceptKw('where')) {
          const filter = this.boolean();
          aggregates.push({ ...f, filter, end: filter.end });
        } else aggregates.push(f);
      } while (this.acceptOp(','));
    const groups = this.acceptKw('by') ? this.fields() : [];
    return { aggregates, groups };
  }

  private namePatterns(): NamePattern[] {
    const out: NamePattern[] = [];
    do out.push(this.namePattern(true)); while (this.acceptOp(','));
    return out;
  }
  /** A column name, with `*` wildcards when allowed; backquoted parts keep their characters. */
  private namePattern(wildcards: boolean): NamePattern {
    const start = this.lx.skipSpace(this.pos);
    const src = this.lx.src;
    let i = start;
    let pattern = '';
    for (;;) {
      const c = src[i];
      if (c === '`') {
        this.pos = i;
        const q = this.next();
        pattern += q.text;
        i = q.end;
      } else if (c !== undefined && (/[A-Za-z0-9_@.]/.test(c) || (wildcards && c === '*'))) {
        pattern += c;
        i++;
      } else break;
    }
    if (pattern === '') {
      this.pos = start;
      throw this.unexpected(wildcards ? 'a column name or pattern' : 'a column name');
    }
    this.pos = i;
    return { pattern, start, end: i };
  }

  private renames(): { from: NamePattern; to: NamePattern }[] {
    const out: { from: NamePattern; to: NamePattern }[] = [];
    do {
      const a = this.namePattern(true);
      if (this.acceptOp('=')) out.push({ from: this.namePattern(true), to: a });
      else {
        this.expectKw('as');
        out.push({ from: a, to: this.namePattern(true) });
      }
    } while (this.acceptOp(','));
    return out;
  }

  private sortKeys(): SortKey[] {
    const out: SortKey[] = [];
    do {
      const expr = this.boolean();
      let descending = false;
      if (this.acceptKw('desc')) descending = true;
      else this.acceptKw('asc');
      let nullsFirst = descending; // Elasticsearch default: nulls last ascending, first descending
      if (this.acceptKw('nulls')) {
        if (this.acceptKw('first')) nullsFirst = true;
        else {
          this.expectKw('last');
          nullsFirst = false;
        }
      }
      out.push({ expr, descending, nullsFirst });
    } while (this.acceptOp(','));
    return out;
  }

  private patternString(): { text: string; at: number } {
    const t = this.peek();
    if (t.kind !== 'string') throw this.unexpected('a pattern string');
    this.next();
    return { text: t.text, at: t.start };
  }
  private dissectBody(): { input: Expr; pattern: string; patternAt: number; appendSeparator: string } {
    const input = this.primary();
    const p = this.patternString();
    let appendSeparator = '';
    while (this.peek().kind === 'ident' && !this.isOp('|')) {
      const opt = this.next();
      if (opt.text.toLowerCase() !== 'append_separator') throw this.lx.error(`invalid option for DISSECT: [${opt.text}]`, opt.start);
      this.expectOp('=');
      appendSeparator = this.patternString().text;
    }
    return { input, pattern: p.text, patternAt: p.at, appendSeparator };
  }
  private grokBody(): { input: Expr; patterns: string[]; patternAt: number } {
    const input = this.primary();
    const first = this.patternString();
    const patterns = [first.text];
    while (this.acceptOp(',')) patterns.push(this.patternString().text);
    return { input, patterns, patternAt: first.at };
  }
  private completionBody(): { target: string; prompt: Expr } {
    const save = this.pos;
    let target = 'completion';
    const t = this.peek();
    if (t.kind === 'ident' || t.kind === 'quoted') {
      const name = this.qualifiedName();
      if (this.acceptOp('=')) target = name.name;
      else this.pos = save;
    }
    const prompt = this.primary();
    if (this.acceptKw('with')) this.options();
    return { target, prompt };
  }
}
