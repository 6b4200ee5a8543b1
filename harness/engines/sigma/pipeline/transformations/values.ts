/**
 * Value transformations (pySigma `transformations/values.py`): replace_string,
 * map_string, regex, set_value, convert_type, case, hashes_fields. String
 * transformations see only plain Sigma strings (not expansions such as
 * windash or base64offset alternatives, as in pySigma).
 */
import { text } from '../../../common/pattern.ts';
import type { ParsedItem } from '../../detection-item.ts';
import { mergeText, parseSigmaString, type SigmaString } from '../../sigma-string.ts';
import type { SigmaValue } from '../../values.ts';
import { PipelineRejection, type Transformation } from '../model.ts';
import type { Params } from '../params.ts';
import { pythonEscape, pythonReplacement } from '../python-regex.ts';
import { mapTextParts, sigmaText, sigmaTypeOf } from '../sigma-text.ts';
import { eachItem, valueTransformation } from '../walk.ts';

type Str = Extract<SigmaValue, { kind: 'string' }>;
const str = (s: SigmaString, cased = false): SigmaValue => ({ kind: 'string', s, cased });

/** Only plain strings (pySigma `StringValueTransformation`); `f` returns undefined to keep the value. */
const onStrings = (f: (v: Str) => SigmaValue | readonly SigmaValue[] | undefined) => (_field: string | null, v: SigmaValue) => (v.kind === 'string' ? f(v) : undefined);

/** Python's `str(int)`/`str(float)` for SigmaNumber → SigmaString. */
const pyNumber = (n: number): string => String(n);

function replaceString(p: Params): Transformation {
  const regex = p.str('regex');
  const replacement = pythonReplacement(p.str('replacement'));
  const skipSpecial = p.bool('skip_special', false);
  const interpretSpecial = p.bool('interpret_special', false);
  const re = p.regex('regex', regex, { global: true });
  const replace = (v: Str): SigmaValue => {
    if (skipSpecial) {
      // Plain parts only; with interpret_special, wildcards in the replacement become wildcards.
      const s = v.s.flatMap((t) => (t.kind !== 'text' ? [t] : interpretSpecial ? parseSigmaString(t.text.replace(re, replacement)) : [text(t.text.replace(re, replacement))]));
      return { ...v, s: mergeText(s) };
    }
    const replaced = sigmaText(v.s).replace(re, replacement);
    // pySigma doubles each backslash not before * or ?, so re-parsing keeps it literal.
    return { ...v, s: parseSigmaString(replaced.replace(/\\(?![*?])/g, '\\\\')) };
  };
  return valueTransformation((_f, v) => (v.kind === 'number' ? replace({ kind: 'string', s: parseSigmaString(pyNumber(v.value)), cased: false }) : v.kind === 'string' ? replace(v) : undefined), 'replace_string');
}

function regexOf(v: Str, method: 'plain' | 'ignore_case_flag' | 'ignore_case_brackets'): SigmaValue {
  if (v.s.length === 0) return v;
  let source = '';
  for (const t of v.s) {
    if (t.kind === 'star') source += '.*';
    else if (t.kind === 'one') source += '.';
    else if (method === 'ignore_case_brackets') source += [...t.text].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : pythonEscape(c))).join('');
    else source += pythonEscape(t.text);
  }
  return { kind: 're', source, flags: method === 'ignore_case_flag' ? 'i' : '' };
}

function hashesFields(p: Params): Transformation {
  const algos = p.strings('valid_hash_algos')!;
  const prefix = p.str('field_prefix', '');
  const dropAlgo = p.bool('drop_algo_prefix', false);
  const lengths: Record<number, string> = { 32: 'MD5', 40: 'SHA1', 64: 'SHA256', 128: 'SHA512' };
  return {
    apply(rule, run, guard) {
      eachItem(rule, run, guard, (item: ParsedItem) => {
        if (!item.values.every((v) => v.kind === 'string')) return undefined;
        const byField = new Map<string, string[]>();
        for (const v of item.values as Str[]) {
          const plain = sigmaText(v.s);
          const parts = plain.includes('|') ? plain.split('|') : plain.split('=');
          const [algo, hash] = parts.length === 2 ? [parts[0]!.replace(/^\*+/, '').toUpperCase(), parts[1]!] : [lengths[parts[0]!.length] ?? '', parts[0]!];
          if (!algos.includes(algo)) continue;
          const field = `${prefix}${dropAlgo ? '' : algo}`;
          byField.set(field, [...(byField.get(field) ?? []), hash]);
        }
        if (byField.size === 0) throw new PipelineRejection(`No valid hash algorithm found in Hashes field. Please use one of the following: ${algos.join(', ')}`, item.path);
        run.notes.push(`${item.key ?? 'keyword'} → ${[...byField.keys()].join(' | ')} (hashes_fields)`);
        const items = [...byField].filter(([f]) => f !== '').map(([f, hashes]): ParsedItem => {
          const values = hashes.map((h) => str(parseSigmaString(h)));
          return { ...item, field: f === 'keyword' ? null : f, key: f, modifiers: [], values, raw: hashes.length === 1 ? hashes[0] : hashes, listed: false, linking: 'or', negated: false };
        });
        return { kind: 'detection', items, linking: 'or', label: `${item.key ?? 'keyword'} (hashes)`, named: false, applied: [] };
      });
    },
  };
}

export const VALUE_TRANSFORMATIONS = {
  replace_string: replaceString,
  map_string: (p: Params): Transformation => {
    const mapping = p.map('mapping');
    return valueTransformation(
      onStrings((v) => {
        const m = mapping[sigmaText(v.s)];
        if (typeof m === 'string') return str(parseSigmaString(m));
        if (Array.isArray(m)) return m.map((x) => str(parseSigmaString(String(x))));
        return undefined;
      }),
      'map_string',
    );
  },
  regex: (p: Params): Transformation => {
    const method = p.oneOf('method', ['plain', 'ignore_case_flag', 'ignore_case_brackets'] as const, 'ignore_case_brackets');
    return valueTransformation(onStrings((v) => regexOf(v, method)), 'regex');
  },
  set_value: (p: Params): Transformation => {
    const value = p.any('value');
    const force = p.has('force_type') ? p.oneOf('force_type', ['str', 'num'] as const) : null;
    let sv: SigmaValue;
    if (force === null) {
      if (!(value === null || value === undefined || ['string', 'number', 'boolean'].includes(typeof value))) p.fail(`unsupported value type for set_value`, 'value');
      sv = sigmaTypeOf(value);
    } else {
      if (!(typeof value === 'string' || typeof value === 'number')) p.fail(`force_type '${force}' is only allowed for string and numeric values`, 'force_type');
      if (force === 'str') sv = str(parseSigmaString(String(value)));
      else {
        const n = Number(value);
        if (String(value).trim() === '' || Number.isNaN(n)) p.fail(`value '${String(value)}' can't be converted to number`, 'value');
        sv = { kind: 'number', value: n };
      }
    }
    return valueTransformation(() => sv, 'set_value');
  },
  convert_type: (p: Params): Transformation => {
    const target = p.oneOf('target_type', ['str', 'num'] as const);
    const toStr = (v: SigmaValue): SigmaValue => (v.kind === 'string' || v.kind === 'null' ? v : v.kind === 'number' ? str(parseSigmaString(pyNumber(v.value))) : v.kind === 'boolean' ? str(parseSigmaString(v.value ? 'True' : 'False')) : v);
    const toNum = (v: SigmaValue): SigmaValue => {
      if (v.kind === 'null' || v.kind === 'number') return v;
      const text = v.kind === 'string' ? sigmaText(v.s) : v.kind === 'boolean' ? (v.value ? 'True' : 'False') : undefined;
      const n = text !== undefined && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(text) ? Number(text) : NaN;
      if (Number.isNaN(n)) throw new PipelineRejection(`Value '${text ?? v.kind}' can't be converted to number for convert_type`);
      return { kind: 'number', value: n };
    };
    const conv = target === 'str' ? toStr : toNum;
    return valueTransformation((_f, v) => {
      if (v.kind === 'null') return undefined;
      if (v.kind === 'expansion') return { kind: 'expansion', values: v.values.map(conv) };
      return conv(v);
    }, 'convert_type');
  },
  case: (p: Params): Transformation => {
    const method = p.oneOf('method', ['lower', 'upper', 'snake_case'] as const, 'lower');
    const f = method === 'lower' ? (t: string) => t.toLowerCase() : method === 'upper' ? (t: string) => t.toUpperCase() : (t: string) => t.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();
    return valueTransformation(onStrings((v) => ({ ...v, s: mapTextParts(v.s, f) })), 'case');
  },
  hashes_fields: hashesFields,
} as const;
