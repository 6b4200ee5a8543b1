import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { configuredMappings } from './configured.ts';
import { IndexMapping } from './index-mapping.ts';
import { MappingSelector } from './index-patterns.ts';
import { parseMapping } from './load-mapping.ts';

const dir = mkdtempSync(join(tmpdir(), 'rh-map-'));
mkdirSync(join(dir, 'mappings'));
writeFileSync(join(dir, 'mappings', 'okta.json'), JSON.stringify({ properties: { user: { properties: { name: { type: 'wildcard' } } }, okta: { properties: { risk: { type: 'long' } } } } }));
writeFileSync(join(dir, 'mappings', 'endpoint.json'), JSON.stringify({ mappings: { properties: { user: { properties: { name: { type: 'keyword', fields: { caseless: { type: 'keyword', normalizer: 'lowercase' } } } } } } } }));
writeFileSync(join(dir, 'mappings', 'all.json'), JSON.stringify({ properties: { team: { type: 'keyword' } } }));
const configFile = join(dir, 'harness.config.yml');
writeFileSync(configFile, `elastic:\n  mappings:\n    'logs-okta*': [mappings/okta.json]\n    'logs-endpoint.events.*': mappings/endpoint.json\n    '*': [mappings/all.json]\n`);

describe('harness.config.yml elastic.mappings: index pattern → mapping files over ECS', () => {
  const selector = configuredMappings(loadConfig(configFile).elastic);

  it('an Okta rule and an Endpoint rule see different types for the same name', () => {
    const okta = selector.forIndices(['filebeat-*', 'logs-okta*']);
    const endpoint = selector.forIndices(['logs-endpoint.events.process-*']);
    expect(okta.field('user.name')).toMatchObject({ mapping: { type: 'wildcard' }, source: join(dir, 'mappings', 'okta.json') });
    expect(endpoint.field('user.name.caseless')?.mapping.normalizer).toBe('lowercase');
    expect(endpoint.field('okta.risk')).toBeUndefined();
  });

  it('`*` applies to every rule, also without index patterns; ECS stays underneath', () => {
    const none = selector.forIndices([]);
    expect(none.field('team')?.source).toBe(join(dir, 'mappings', 'all.json'));
    expect(none.field('user.name')?.source).toMatch(/^ECS /);
    expect(none.field('source.ip')?.mapping.type).toBe('ip');
  });

  it('rejects a malformed section, naming the config file', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'elastic:\n  mappings:\n    "logs-*": [1]\n');
    expect(() => loadConfig(bad)).toThrow(/bad\.yml:1:1: error: elastic\.mappings\['logs-\*'\] must be a list of mapping file paths/);
  });

  it('a missing mapping file is named', () => {
    expect(() => configuredMappings({ mappings: [{ pattern: '*', files: [join(dir, 'nope.json')] }] })).toThrow(/nope\.json:1:1: error: cannot read mapping file/);
  });
});

describe('MappingSelector', () => {
  const a = parseMapping('{"properties": {"x": {"type": "long"}}}', 'a.json');
  const b = parseMapping('{"properties": {"x": {"type": "keyword"}}}', 'b.json');
  const sel = new MappingSelector(IndexMapping.EMPTY, [
    { pattern: 'logs-*', mapping: a },
    { pattern: 'logs-okta*', mapping: b },
  ]);
  it('a configured pattern covers the rule patterns it matches; later entries win', () => {
    expect(sel.forIndices(['logs-okta*']).field('x')?.source).toBe('b.json');
    expect(sel.forIndices(['logs-windows*']).field('x')?.source).toBe('a.json');
    expect(sel.forIndices(['winlogbeat-*']).field('x')).toBeUndefined();
  });
  it('builds one mapping per distinct selection', () => {
    expect(sel.forIndices(['logs-a*'])).toBe(sel.forIndices(['logs-b*']));
  });
});
