import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ecsMapping, ecsMappingFrom } from './ecs.ts';
import { buildEcsTable, printEcsTable, type EcsTable } from './ecs-table.ts';
import { ECS_TABLE_FILE, updateEcsTable } from './ecs-update.ts';
import { SHARED } from '../core/shared-dir.ts';

const SAMPLE = `'@timestamp':
  dashed_name: timestamp
  description: 'Date/time when the event originated.'
  flat_name: '@timestamp'
  level: core
  type: date
process.command_line:
  description: Full command line.
  flat_name: process.command_line
  multi_fields:
  - flat_name: process.command_line.text
    name: text
    type: match_only_text
  type: wildcard
agent.id:
  flat_name: agent.id
  ignore_above: 1024
  type: keyword
host.cpu.usage:
  flat_name: host.cpu.usage
  scaling_factor: 1000
  type: scaled_float
`;

describe('ECS table generator (npm run ecs:update)', () => {
  const table = buildEcsTable(SAMPLE, '9.9.9');

  it('keeps each field\'s mapping parameters and multi-fields, and drops documentation', () => {
    expect(table.source).toBe('ECS 9.9.9');
    expect(table.fields).toEqual({
      '@timestamp': { type: 'date' },
      'agent.id': { type: 'keyword', ignore_above: 1024 },
      'host.cpu.usage': { type: 'scaled_float', scaling_factor: 1000 },
      'process.command_line': { type: 'wildcard', fields: { text: { type: 'match_only_text' } } },
    });
  });

  it('carries the Apache-2.0 licence note', () => expect(table.licence).toMatch(/Apache License 2\.0/));

  it('prints one field per line, as JSON that reads back to the same table', () => {
    const text = printEcsTable(table);
    expect(JSON.parse(text)).toEqual(table);
    expect(text.split('\n').filter((l) => l.includes('"type"'))).toHaveLength(4);
  });

  it('the table reads back as a mapping with multi-fields', () => {
    const m = ecsMappingFrom(table);
    expect(m.field('process.command_line.text')).toMatchObject({ via: 'multi-field', sourcePath: 'process.command_line', source: 'ECS 9.9.9' });
    expect(m.field('host.cpu.usage')?.mapping.scalingFactor).toBe(1000);
  });

  it('writes the file, taking the version from a README beside the input', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecs-'));
    writeFileSync(join(dir, 'ecs_flat.yml'), SAMPLE);
    writeFileSync(join(dir, 'README.md'), 'copied at commit abc (version 1.2.3-dev), file ecs_flat.yml\n');
    expect(updateEcsTable(join(dir, 'ecs_flat.yml'), join(dir, 'out.json'))).toBe(4);
    expect((JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as EcsTable).source).toBe('ECS 1.2.3-dev');
  });

  it('rejects a field without a type, naming it', () => {
    expect(() => buildEcsTable('a.b:\n  flat_name: a.b\n', '1')).toThrow(/a\.b: no "type"/);
  });
});

describe('the shipped ECS table', () => {
  it('types the fields Elastic rules query', () => {
    const ecs = ecsMapping();
    expect(ecs.field('source.ip')?.mapping.type).toBe('ip');
    expect(ecs.field('process.pid')?.mapping.type).toBe('long');
    expect(ecs.field('process.command_line')?.mapping.type).toBe('wildcard');
    expect(ecs.field('process.name.text')?.mapping.type).toBe('match_only_text');
    expect(ecs.field('message')?.mapping.type).toBe('match_only_text');
    expect(ecs.field('@timestamp')?.mapping.type).toBe('date');
    expect(ecs.field('user.name')?.mapping.ignoreAbove).toBe(1024);
  });

  const flat = join(SHARED, 'ecs', 'ecs_flat.yml');
  it.skipIf(!existsSync(flat))('is what the generator writes from ../shared/ecs/ecs_flat.yml (needs ../shared)', () => {
    const shipped = readFileSync(ECS_TABLE_FILE, 'utf8');
    expect(printEcsTable(buildEcsTable(readFileSync(flat, 'utf8'), JSON.parse(shipped).source.replace(/^ECS /, '')))).toBe(shipped);
  });
});
