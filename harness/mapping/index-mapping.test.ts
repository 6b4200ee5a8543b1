import { describe, expect, it } from 'vitest';
import { HarnessError } from '../core/diagnostics.ts';
import { dynamicMapping } from './dynamic.ts';
import { familyOf, fieldTypeOf } from './field-type.ts';
import { IndexMapping } from './index-mapping.ts';
import { parseMapping } from './load-mapping.ts';

const PROPS = {
  process: {
    properties: {
      name: { type: 'keyword', ignore_above: 1024, fields: { caseless: { type: 'keyword', normalizer: 'lowercase' }, text: { type: 'match_only_text' } } },
      pid: { type: 'long', null_value: -1 },
      start: { type: 'date', format: 'epoch_second' },
    },
  },
  'host.ip': { type: 'ip' },
  pname: { type: 'alias', path: 'process.name' },
  agent: { properties: { version: { type: 'version' } } },
  geo: { type: 'geo_point' },
};

describe('parseMapping: the three shapes of an Elasticsearch mapping document', () => {
  const shapes: Record<string, unknown> = {
    properties: { properties: PROPS },
    'index template body (mappings)': { mappings: { dynamic: true, properties: PROPS } },
    'component template': { template: { settings: {}, mappings: { properties: PROPS } }, version: 3 },
    'GET _mapping response': { 'logs-endpoint-default': { mappings: { properties: PROPS } } },
  };
  for (const [shape, doc] of Object.entries(shapes)) {
    it(`reads ${shape}`, () => {
      const m = parseMapping(JSON.stringify(doc), 'm.json');
      expect(m.field('process.pid')?.mapping).toMatchObject({ type: 'long', nullValue: -1 });
      expect(m.field('process')?.mapping.type).toBe('object');
      expect(m.field('host.ip')?.mapping.type).toBe('ip');
    });
  }

  it('keeps multi-fields, ignore_above, normalizer, date format and names the source', () => {
    const m = parseMapping(JSON.stringify({ properties: PROPS }), 'custom.json');
    expect(m.field('process.name')).toMatchObject({ via: 'field', source: 'custom.json', mapping: { type: 'keyword', ignoreAbove: 1024 } });
    expect(m.field('process.name.caseless')).toMatchObject({ via: 'multi-field', sourcePath: 'process.name', mapping: { normalizer: 'lowercase' } });
    expect(m.field('process.name.text')?.mapping.type).toBe('match_only_text');
    expect(m.field('process.start')?.mapping).toMatchObject({ type: 'date', format: 'epoch_second' });
    expect(m.field('agent.version')?.mapping.type).toBe('version');
    expect(m.field('geo')?.mapping).toMatchObject({ type: 'other', esType: 'geo_point' });
  });

  it('resolves an alias to its target, reading the target path', () => {
    const m = parseMapping(JSON.stringify({ properties: PROPS }), 'm.json');
    expect(m.field('pname')).toMatchObject({ via: 'alias', sourcePath: 'process.name', mapping: { type: 'keyword' } });
  });

  it('a template with no properties maps nothing', () => {
    expect(parseMapping('{"mappings": {"dynamic": "strict"}}', 'm.json').size).toBe(0);
  });

  it('names file, line and column of a malformed field', () => {
    const text = '{\n  "properties": {\n    "a": { "type": "keyword" },\n    "b": { "ignore_above": 10 }\n  }\n}';
    const err = (() => {
      try {
        parseMapping(text, 'bad.json');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(HarnessError);
    const d = (err as HarnessError).diagnostics[0];
    expect(d?.message).toContain("field 'b' has no \"type\"");
    expect(d?.span).toMatchObject({ file: 'bad.json', line: 4 });
  });

  it('reports invalid JSON at its line', () => {
    expect(() => parseMapping('{\n "properties": {,}\n}', 'x.json')).toThrow(/x\.json:2:\d+: error: invalid JSON/);
  });

  it('rejects a document that is not a mapping', () => {
    expect(() => parseMapping('{"settings": {}, "aliases": {}}', 'x.json')).toThrow(/no field mappings found/);
    expect(() => parseMapping('{"properties": {"a": {"type": "alias"}}}', 'x.json')).toThrow(/alias 'a' has no "path"/);
    expect(() => parseMapping('{"properties": {"a": {"type": "keyword", "ignore_above": "x"}}}', 'x.json')).toThrow(/"ignore_above" of 'a' must be a number/);
  });
});

describe('IndexMapping.over: a project mapping over ECS', () => {
  const ecs = IndexMapping.fromFields(
    [
      ['process.name', { type: 'keyword', esType: 'keyword', fields: { text: { type: 'match_only_text', esType: 'match_only_text', fields: {} } } }],
      ['source.ip', { type: 'ip', esType: 'ip', fields: {} }],
    ],
    'ECS test',
  );
  const own = parseMapping('{"properties": {"process": {"properties": {"name": {"type": "wildcard"}}}, "okta": {"properties": {"outcome": {"type": "keyword"}}}}}', 'okta.json');
  const merged = own.over(ecs);

  it('the later mapping wins field by field, the rest stays', () => {
    expect(merged.field('process.name')).toMatchObject({ source: 'okta.json', mapping: { type: 'wildcard' } });
    expect(merged.field('source.ip')?.source).toBe('ECS test');
    expect(merged.field('okta.outcome')?.source).toBe('okta.json');
    expect(merged.sources).toEqual(['ECS test', 'okta.json']);
  });

  it('a replaced field takes its multi-fields with it', () => {
    expect(ecs.field('process.name.text')).toBeDefined();
    expect(merged.field('process.name.text')).toBeUndefined();
  });

  it('falls back to the dynamic mapping of the value for unmapped fields', () => {
    expect(merged.resolve('okta.count', 3)).toMatchObject({ via: 'dynamic', source: 'dynamic', mapping: { type: 'long' } });
    expect(merged.resolve('okta.outcome', 3)?.mapping.type).toBe('keyword');
    expect(merged.resolve('nothing', null)).toBeUndefined();
    expect(merged.resolve('nothing')).toBeUndefined();
  });
});

describe('dynamicMapping: as ecs@mappings maps a first-seen value', () => {
  it.each([
    ['text', 'keyword'],
    [12, 'long'],
    [1.5, 'float'],
    [true, 'boolean'],
    [{ a: 1 }, 'object'],
    [[null, 7], 'long'],
  ] as const)('%j → %s', (v, t) => expect(dynamicMapping(v)?.type).toBe(t));
  it('strings get ignore_above 1024 (all_strings_to_keywords)', () => expect(dynamicMapping('x')?.ignoreAbove).toBe(1024));
  it('null and empty arrays map nothing', () => {
    expect(dynamicMapping(null)).toBeUndefined();
    expect(dynamicMapping([])).toBeUndefined();
  });
});

describe('field types', () => {
  it('unknown Elasticsearch types are `other`', () => expect(fieldTypeOf('dense_vector')).toBe('other'));
  it.each([
    ['wildcard', 'keyword'],
    ['match_only_text', 'text'],
    ['unsigned_long', 'integer'],
    ['scaled_float', 'decimal'],
    ['date_nanos', 'date'],
    ['nested', 'object'],
  ] as const)('%s is in family %s', (t, f) => expect(familyOf(t)).toBe(f));
});
