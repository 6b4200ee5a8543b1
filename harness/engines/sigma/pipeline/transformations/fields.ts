/**
 * Field-name transformations (pySigma `transformations/fields.py` and
 * `FieldMappingTransformationBase`): mapping one field to one or several
 * (several become an OR of copies of the item), prefix mapping, prefixes and
 * suffixes; field references in values are mapped too, and keyword items
 * mapped to a field keep their substring meaning (`*value*`).
 */
import { STAR } from '../../../common/pattern.ts';
import type { ParsedItem } from '../../detection-item.ts';
import type { SigmaValue } from '../../values.ts';
import type { ItemGuard, RuleView, Run, Transformation } from '../model.ts';
import { PipelineConfigError } from '../model.ts';
import type { Params } from '../params.ts';
import { eachItem, withField, withValues, type ItemResult } from '../walk.ts';

/** A field name → its new name(s), or undefined when this transformation leaves it alone. */
type FieldMapper = (field: string | null) => string | readonly string[] | undefined;

function track(run: Run, src: string | null, dest: readonly string[], id: string): void {
  const set = run.fieldMappings.get(src) ?? new Set<string>();
  for (const d of dest) set.add(d);
  run.fieldMappings.set(src, set);
  if (src === null || (dest.length === 1 && dest[0] === src)) return;
  const ids = run.fieldApplied.get(src) ?? new Set<string>();
  ids.add(id);
  run.fieldApplied.delete(src);
  for (const d of dest) run.fieldApplied.set(d, new Set(ids));
}

const wrapKeyword = (v: SigmaValue): SigmaValue => {
  if (v.kind !== 'string') return v;
  let s = v.s;
  if (s[0]?.kind !== 'star') s = [STAR, ...s];
  if (s[s.length - 1]?.kind !== 'star') s = [...s, STAR];
  return { ...v, s };
};

/** pySigma `FieldMappingTransformationBase.apply_detection_item`. */
function mapItem(item: ParsedItem, map: FieldMapper, run: Run, guard: ItemGuard): ItemResult {
  let result: ParsedItem | undefined;
  let values = item.values;
  let refsMapped = false;
  if (values.some((v) => v.kind === 'fieldref' && guard.matchFieldRef(v.other, run))) {
    values = values.flatMap((v): SigmaValue[] => {
      if (v.kind !== 'fieldref' || !guard.matchFieldRef(v.other, run)) return [v];
      const m = map(v.other);
      if (m === undefined || !guard.matchField(v.other, run)) return [v];
      const dest = typeof m === 'string' ? [m] : [...m];
      track(run, v.other, dest, guard.id);
      refsMapped = true;
      return dest.map((other) => ({ ...v, other }));
    });
    // pySigma replaces the item once a field reference matched the guards, mapped or not.
    result = withValues(item, values);
  }
  const field = item.field;
  const mapping = map(field);
  if (mapping === undefined || !guard.matchField(field, run)) {
    if (refsMapped) run.notes.push(`field references in ${item.key ?? 'keyword'} mapped`);
    return result;
  }
  let base = result ?? item;
  if (field === null) base = withValues(base, base.values.map(wrapKeyword));
  const dest = typeof mapping === 'string' ? [mapping] : [...mapping];
  track(run, field, dest, guard.id);
  run.notes.push(`${field ?? 'keyword'} → ${dest.join(' | ')}`);
  if (typeof mapping === 'string') return withField(base, mapping);
  const copies = dest.map((f) => ({ ...withField(base, f), applied: [...base.applied, guard.id] }));
  return { kind: 'detection', items: copies, linking: 'or', label: `${item.key ?? 'keyword'} (mapped to ${dest.join(', ')})`, named: false, applied: [] };
}

/** The rule-level part: the rule's `fields` list, then every detection item. */
function fieldMapping(map: FieldMapper): Transformation {
  return {
    apply(rule: RuleView, run: Run, guard: ItemGuard) {
      rule.fields = rule.fields.flatMap((f) => {
        const m = map(f);
        if (m === undefined || !guard.matchField(f, run)) return [f];
        const dest = typeof m === 'string' ? [m] : [...m];
        track(run, f, dest, guard.id);
        return dest;
      });
      eachItem(rule, run, guard, (item) => mapItem(item, map, run, guard));
    },
  };
}

function mappingTable(p: Params): Map<string | null, string | readonly string[]> {
  const raw = p.map('mapping');
  const table = new Map<string | null, string | readonly string[]>();
  for (const [k, v] of Object.entries(raw)) {
    const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
    if (!ok) throw new PipelineConfigError(`${p.what}: mapping of '${k}' must be a field name or a list of field names`, [...p.path, 'mapping', k]);
    // A YAML `null:` key (js-yaml reads it as the string 'null') maps keywords, as pySigma's None key.
    table.set(k === 'null' || k === '~' ? null : k, v as string | string[]);
  }
  return table;
}

export const FIELD_TRANSFORMATIONS = {
  field_name_mapping: (p: Params): Transformation => {
    const table = mappingTable(p);
    return fieldMapping((f) => table.get(f));
  },
  field_name_prefix_mapping: (p: Params): Transformation => {
    const table = mappingTable(p);
    if (table.has(null)) p.fail('None is not a valid prefix');
    return fieldMapping((f) => {
      if (f === null) return undefined;
      for (const [src, dest] of table) {
        if (src !== null && f.startsWith(src)) return typeof dest === 'string' ? dest + f.slice(src.length) : dest.map((d) => d + f.slice(src.length));
      }
      return undefined;
    });
  },
  field_name_prefix: (p: Params): Transformation => {
    const prefix = p.str('prefix');
    return fieldMapping((f) => (f === null ? undefined : prefix + f));
  },
  field_name_suffix: (p: Params): Transformation => {
    const suffix = p.str('suffix');
    return fieldMapping((f) => (f === null ? undefined : f + suffix));
  },
  field_name_transform: (p: Params): Transformation =>
    p.fail("takes a Python function (transform_func), which a pipeline file cannot give; use field_name_mapping or field_name_prefix_mapping"),
  add_field: (p: Params): Transformation => {
    const fields = p.strings('field')!;
    return { apply: (rule, _run, guard) => void (rule.applied.add(guard.id), rule.fields.push(...fields)) };
  },
  remove_field: (p: Params): Transformation => {
    const fields = p.strings('field')!;
    return {
      apply: (rule, _run, guard) => {
        rule.applied.add(guard.id);
        // list.remove: the first occurrence of each, absent ones ignored.
        for (const f of fields) {
          const i = rule.fields.indexOf(f);
          if (i >= 0) rule.fields.splice(i, 1);
        }
      },
    };
  },
  set_field: (p: Params): Transformation => {
    const fields = p.strings('fields')!;
    return { apply: (rule, _run, guard) => void (rule.applied.add(guard.id), (rule.fields = [...fields])) };
  },
} as const;
