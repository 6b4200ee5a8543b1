import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { parseKql } from './kql-parser.ts';
import type { QueryNode } from './query-ast.ts';

/** A compact print of the tree, to compare structure (not labels). */
function show(n: QueryNode): string {
  switch (n.kind) {
    case 'all':
      return 'ALL';
    case 'and':
    case 'or':
      return `${n.kind}(${n.children.map(show).join(', ')})`;
    case 'not':
      return `not(${show(n.child)})`;
    case 'term': {
      const f = n.field ? `${n.field.glob ? 'glob:' : ''}${n.field.name}` : '*text*';
      const v = n.value.kind === 'literal' ? (n.value.phrase ? `"${n.value.text}"` : `'${n.value.text}'`) : `~${n.value.pattern.map((t) => (t.kind === 'text' ? t.text : '*')).join('')}`;
      return `${f}=${v}`;
    }
    case 'range':
      return `${n.field.name} ${n.op} ${n.value}`;
    case 'exists':
      return `exists(${n.field.name})`;
    case 'nested':
      return `${n.path}{${show(n.query)}}`;
    default:
      return n.kind;
  }
}
const p = (q: string): string => show(parseKql(q));

function syntaxError(q: string): QuerySyntaxError {
  try {
    parseKql(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`expected a syntax error for ${q}`);
}

describe('KQL grammar', () => {
  it('parses field:value, quoted values and free text', () => {
    expect(p('process.name: cmd.exe')).toBe("process.name='cmd.exe'");
    expect(p('process.name:"cmd.exe"')).toBe('process.name="cmd.exe"');
    expect(p('"process.name": x')).toBe("process.name='x'");
    expect(p('hello world')).toBe("*text*='hello world'");
    expect(p('"hello"')).toBe('*text*="hello"');
  });

  it('keeps spaces inside unquoted values and trims the ends (§2)', () => {
    expect(p('process.name:   Google Chrome   ')).toBe("process.name='Google Chrome'");
    expect(p('f: a or')).toBe("f='a or'");
  });

  it('gives not > and > or precedence, keywords in any case', () => {
    expect(p('a:1 or b:2 and c:3')).toBe("or(a='1', and(b='2', c='3'))");
    expect(p('not a:1 and b:2')).toBe("and(not(a='1'), b='2')");
    expect(p('(a:1 or b:2) and c:3')).toBe("and(or(a='1', b='2'), c='3')");
    expect(p('a:1 OR b:2 AnD nOt c:3')).toBe("or(a='1', and(b='2', not(c='3')))");
  });

  it('expands value lists to per-value clauses (§6)', () => {
    expect(p('f:(a or b)')).toBe("or(f='a', f='b')");
    expect(p('f:((a or b) and not c)')).toBe("and(or(f='a', f='b'), not(f='c'))");
  });

  it('turns a lone * into exists, *:* and free-text * into match-all', () => {
    expect(p('f:*')).toBe('exists(f)');
    expect(p('*:*')).toBe('ALL');
    expect(p('*')).toBe('ALL');
    expect(p('')).toBe('ALL');
    expect(p('  ')).toBe('ALL');
  });

  it('parses wildcards in values and field names', () => {
    expect(p('f: *foo')).toBe('f=~*foo');
    expect(p('f: fo*o*')).toBe('f=~fo*o*');
    expect(p('process.*.name: x')).toBe("glob:process.*.name='x'");
    expect(p('f: "foo*"')).toBe('f="foo*"');
    expect(p('f: foo\\*')).toBe("f='foo*'");
    expect(p("f:'*'")).toBe("f=~'*'");
  });

  it('parses ranges, nested queries and exists', () => {
    expect(p('bytes >= 10 and bytes<20')).toBe('and(bytes gte 10, bytes lt 20)');
    expect(p('@timestamp <= "2024-01-01"')).toBe('@timestamp lte 2024-01-01');
    expect(p('items:{ name: a and role: admin }')).toBe("items{and(name='a', role='admin')}");
    expect(p('a:{ b:{ c: 1 } }')).toBe("a{b{c='1'}}");
  });

  it.each([
    ['f: a\\tb', 'a\tb'],
    ['f: a\\rb', 'a\rb'],
    ['f: a\\nb', 'a\nb'],
    ['f: a\\\\b', 'a\\b'],
    ['f: a\\(b\\)', 'a(b)'],
    ['f: a\\:b', 'a:b'],
    ['f: a\\<b\\>', 'a<b>'],
    ['f: a\\"b', 'a"b'],
    ['f: a\\{b\\}', 'a{b}'],
    ['f: \\u0041', 'A'],
    ['f: \\or', 'or'],
    ['f: \\AND', 'AND'],
    // `\n` is tried before `\not`: the escaped keyword `not` cannot be written (peggy rule order).
    ['f: x \\not y', 'x \not y'],
    ['f: x \\NOT y', 'x NOT y'],
    ['f: "C:\\Windows"', 'C:\\Windows'],
    ['f: "C:\\temp\\new"', 'C:\temp\new'],
    ['f: "say \\"hi\\""', 'say "hi"'],
    ['f: "a\\\\b"', 'a\\b'],
    ['f: "\\u0041"', 'A'],
  ])('escape %s → %j', (q, value) => {
    const n = parseKql(q);
    expect(n.kind === 'term' && n.value.kind === 'literal' ? n.value.text : undefined).toBe(value);
  });

  it.each([
    ['response:', 9, 'Expected "(", "{", value, whitespace but end of input found.'],
    ['response:200 or ', 16, 'Expected "(", NOT, field name, value but end of input found.'],
    ['response:(200 or )', 17, 'Expected "(", NOT, value but ")" found.'],
    ['response:200 and not ', 21, 'Expected "(", field name, value but end of input found.'],
    ['response:(200 and not )', 22, 'Expected "(", value but ")" found.'],
    ['foo:"ba ', 4, 'Expected "(", "{", value, whitespace but """ found.'],
    ['foo:"ba "r"', 9, 'Expected AND, OR, end of input but "r" found.'],
    ['foo:ba:r', 6, 'Expected AND, OR, end of input but ":" found.'],
    ['foo > ', 6, 'Expected literal, whitespace but end of input found.'],
    ['< 1000', 0, 'Expected "(", NOT, end of input, field name, value, whitespace but "<" found.'],
  ])('Kibana syntax error for %j at offset %d', (q, offset, message) => {
    const e = syntaxError(q);
    expect(e.offset).toBe(offset);
    expect(e.message.startsWith(message)).toBe(true);
  });

  it.each([
    ['a:1 b:2', 5],
    ['not not a:1', 4],
    ['not(a:1)', 3],
    ['a:1 or(b:2)', 6],
    ['file.path: C:\\Windows\\*', 12],
    ['message: cannot open', 12],
    ['f: null', 3],
    ['(a:1', 4],
    ['a:{ b: 1', 8],
  ])('%j is a syntax error at offset %d', (q, offset) => {
    expect(syntaxError(q).offset).toBe(offset);
  });

  it('treats Lucene-only syntax as plain characters (§1)', () => {
    expect(p('_exists_:f')).toBe("_exists_='f'");
    expect(p('f: a?c')).toBe("f='a?c'");
    expect(p('f: +a -b')).toBe("f='+a -b'");
    expect(p('f:[1 TO 2]')).toBe("f='[1 TO 2]'");
    expect(syntaxError('a:1 && b:2').offset).toBe(8);
  });
});
