import { compileRegex } from '../../common/regex.ts';
import { singleValued } from '../compile/failure.ts';
import { fromValues, isString, type Scalar, type Value } from '../types.ts';
import { scalarToString } from '../values.ts';
import { checkArgs, fail, scalar } from './define.ts';
import type { CallSite, FunctionEntry } from './registry.ts';
import type { Evaluator } from '../compile/scope.ts';
import { jsonExtract } from './json-extract.ts';

/** Result type of a string function: text in → text out where Elasticsearch keeps it, else keyword. */
const str = 'keyword' as const;
const codePoints = (s: string): string[] => [...s];
const WS = /^[\s]+|[\s]+$/g;

/** SUBSTRING/LEFT/RIGHT/LOCATE count Unicode code points, 1-based for start positions. */
function substring(s: string, start: number, length?: number): string {
  const cps = codePoints(s);
  let from = start > 0 ? start - 1 : start < 0 ? Math.max(0, cps.length + start) : 0;
  from = Math.min(from, cps.length);
  const to = length === undefined ? cps.length : Math.min(cps.length, from + Math.max(0, length));
  return cps.slice(from, to).join('');
}

/** REPLACE uses Java regex; `$1` group references are the same in JS. */
export function javaRegex(pattern: string): RegExp {
  let flags = 'gu';
  let body = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline) {
    body = body.slice(inline[0].length);
    if (inline[1]?.includes('i')) flags += 'i';
    if (inline[1]?.includes('s')) flags += 's';
    if (inline[1]?.includes('m')) flags += 'm';
  }
  // Java's possessive quantifiers (`\w++`) have no JS form; the greedy form matches the same text in these patterns.
  body = body.replace(/(?<!\\)([*+?}])\+/g, '$1');
  compileRegex(body); // refuses catastrophic shapes before the native engine runs them
  try {
    return new RegExp(body, flags);
  } catch {
    return new RegExp(body, flags.replace('u', '')); // Java accepts identity escapes such as \_ that Unicode mode refuses
  }
}

export const STRINGS: readonly FunctionEntry[] = [
  {
    kind: 'scalar',
    names: ['CONCAT'],
    arity: [2, Infinity],
    compile: (site) => {
      checkArgs(site, ['string']);
      return { type: str, eval: singleValued(site.scope, site.node, site.args, (vs) => vs.map(String).join('')) };
    },
  },
  scalar(['LENGTH'], ['string'], [1, 1], 'integer', ([s]) => codePoints(String(s)).length),
  scalar(['BYTE_LENGTH'], ['string'], [1, 1], 'integer', ([s]) => Buffer.byteLength(String(s), 'utf8')),
  scalar(['BIT_LENGTH'], ['string'], [1, 1], 'integer', ([s]) => 8 * Buffer.byteLength(String(s), 'utf8')),
  scalar(['SUBSTRING'], ['string', 'integral', 'integral'], [2, 3], str, ([s, a, n]) => substring(String(s), a as number, n as number | undefined)),
  scalar(['LEFT'], ['string', 'integral'], [2, 2], str, ([s, n]) => codePoints(String(s)).slice(0, Math.max(0, n as number)).join('')),
  scalar(['RIGHT'], ['string', 'integral'], [2, 2], str, ([s, n]) => {
    const cps = codePoints(String(s));
    return (n as number) <= 0 ? '' : cps.slice(Math.max(0, cps.length - (n as number))).join('');
  }),
  scalar(['TO_LOWER'], ['string'], [1, 1], (a) => (a[0]?.type === 'text' ? 'text' : str), ([s]) => String(s).toLowerCase()),
  scalar(['TO_UPPER'], ['string'], [1, 1], (a) => (a[0]?.type === 'text' ? 'text' : str), ([s]) => String(s).toUpperCase()),
  scalar(['TRIM'], ['string'], [1, 1], str, ([s]) => String(s).replace(WS, '')),
  scalar(['LTRIM'], ['string'], [1, 1], str, ([s]) => String(s).replace(/^\s+/, '')),
  scalar(['RTRIM'], ['string'], [1, 1], str, ([s]) => String(s).replace(/\s+$/, '')),
  scalar(['STARTS_WITH'], ['string', 'string'], [2, 2], 'boolean', ([s, p]) => String(s).startsWith(String(p))),
  scalar(['ENDS_WITH'], ['string', 'string'], [2, 2], 'boolean', ([s, p]) => String(s).endsWith(String(p))),
  scalar(['CONTAINS'], ['string', 'string'], [2, 2], 'boolean', ([s, p]) => String(s).includes(String(p))),
  scalar(['LOCATE'], ['string', 'string', 'integral'], [2, 3], 'integer', ([s, sub, start]) => {
    const cps = codePoints(String(s));
    const from = Math.max(0, ((start as number | undefined) ?? 1) - 1);
    const idx = cps.join('').indexOf(String(sub), codePoints(cps.slice(0, from).join('')).join('').length);
    return idx < 0 ? 0 : codePoints(String(s).slice(0, idx)).length + 1;
  }),
  {
    kind: 'scalar',
    names: ['REPLACE'],
    arity: [3, 3],
    compile: (site) => {
      checkArgs(site, ['string']);
      const patArg = site.args[1];
      const fixed = patArg?.constant ? patArg.eval([]) : undefined;
      let cached: RegExp | undefined;
      try {
        cached = typeof fixed === 'string' ? javaRegex(fixed) : undefined;
      } catch (e) {
        throw site.scope.error(`invalid regular expression [${String(fixed)}] in [${site.scope.text(site.node)}]: ${(e as Error).message}`, site.node);
      }
      return {
        type: str,
        eval: singleValued(site.scope, site.node, site.args, ([s, p, r]) => {
          let re: RegExp;
          try {
            re = cached ?? javaRegex(String(p));
          } catch (e) {
            return fail(`java.util.regex.PatternSyntaxException: ${(e as Error).message}`);
          }
          re.lastIndex = 0;
          return String(s).replace(re, String(r).replace(/\\\$/g, '$$$$'));
        }),
      };
    },
  },
  {
    kind: 'scalar',
    names: ['SPLIT'],
    arity: [2, 2],
    compile: (site) => {
      checkArgs(site, ['string', 'string']);
      return {
        type: str,
        eval: singleValued(site.scope, site.node, site.args, ([s, d]) => {
          if (String(d).length !== 1 && Buffer.byteLength(String(d)) !== 1) return fail('java.lang.IllegalArgumentException: delimiter must be single byte for now');
          return fromValues(String(s).split(String(d)));
        }),
      };
    },
  },
  scalar(['SPACE'], ['integral'], [1, 1], str, ([n]) => {
    if ((n as number) < 0) return fail(`java.lang.IllegalArgumentException: Number parameter cannot be negative, found [${String(n)}]`);
    return ' '.repeat(n as number);
  }),
  scalar(['REPEAT'], ['string', 'integral'], [2, 2], str, ([s, n]) => {
    if ((n as number) < 0) return fail(`java.lang.IllegalArgumentException: Number parameter cannot be negative, found [${String(n)}]`);
    return String(s).repeat(n as number);
  }),
  scalar(['REVERSE'], ['string'], [1, 1], str, ([s]) => codePoints(String(s)).reverse().join('')),
  scalar(['URL_DECODE'], ['string'], [1, 1], str, ([s]) => {
    try {
      return decodeURIComponent(String(s).replace(/\+/g, ' '));
    } catch {
      return fail(`java.lang.IllegalArgumentException: URLDecoder: Illegal hex characters in escape (%) pattern`);
    }
  }),
  scalar(['URL_ENCODE'], ['string'], [1, 1], str, ([s]) => encodeURIComponent(String(s)).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)),
  scalar(['FROM_BASE64'], ['string'], [1, 1], str, ([s]) => Buffer.from(String(s), 'base64').toString('utf8')),
  scalar(['TO_BASE64'], ['string'], [1, 1], str, ([s]) => Buffer.from(String(s), 'utf8').toString('base64')),
  scalar(['JSON_EXTRACT'], ['string', 'string'], [2, 2], str, ([s, p]) => jsonExtract(String(s), String(p))),
  {
    kind: 'scalar',
    names: ['TO_STRING', 'TO_STR'],
    arity: [1, 1],
    compile: (site) => toStringLike(site, 'keyword'),
  },
  {
    kind: 'scalar',
    names: ['TO_TEXT'],
    arity: [1, 1],
    compile: (site) => toStringLike(site, 'text'),
  },
];

/** TO_STRING converts every value of a multi-value. */
function toStringLike(site: CallSite, type: 'keyword' | 'text'): Evaluator {
  const a = site.args[0];
  if (a === undefined) throw site.scope.error('missing argument', site.node);
  const from = a.type;
  const ev = a.eval;
  return {
    type,
    eval: (row: readonly Value[]): Value => {
      const v = ev(row);
      if (v === null) return null;
      if (Array.isArray(v)) return (v as Scalar[]).map((x) => (isString(from) ? String(x) : scalarToString(x, from)));
      return isString(from) ? String(v) : scalarToString(v as Scalar, from);
    },
  };
}
