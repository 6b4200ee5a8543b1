import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildCatalog, loadAttackCatalog, parentOf, type Technique } from './catalog.ts';
import { mapRuleAttack, resolveTechnique } from './map-rule.ts';
import { SHARED } from '../core/shared-dir.ts';

const tech = (id: string, over: Partial<Technique> = {}): Technique => ({
  id,
  name: `name of ${id}`,
  tactics: ['execution'],
  platforms: ['Windows'],
  subtechnique: id.includes('.'),
  deprecated: false,
  revoked: false,
  url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}`,
  ...over,
});

const small = buildCatalog(
  {
    source: 'test',
    tactics: [
      { id: 'TA0002', name: 'Execution', shortname: 'execution' },
      { id: 'TA0009', name: 'Collection', shortname: 'collection' },
    ],
    techniques: [
      tech('T1059'),
      tech('T1059.001'),
      tech('T1059.003'),
      tech('T1059.099', { deprecated: true }),
      tech('T1086', { revoked: true }),
      tech('T1114', { tactics: ['collection'] }),
      tech('T1999', { revoked: true }),
      tech('T1026', { deprecated: true }),
    ],
    redirects: { T1086: 'T1059.001', T1000: 'T1086' },
  },
  'test',
);

describe('catalog', () => {
  test('sub-techniques are grouped under their parent, without retired ones', () => {
    expect(small.subtechniques.get('T1059')?.map((t) => t.id)).toEqual(['T1059.001', 'T1059.003']);
    expect(parentOf('T1059.001')).toBe('T1059');
    expect(parentOf('T1059')).toBeUndefined();
  });

  test('the shipped data has the 14 Enterprise tactics in matrix order and current techniques', () => {
    const c = loadAttackCatalog();
    expect(c.version).toBe('18.1');
    expect(c.tactics.map((t) => t.shortname).slice(0, 3)).toEqual(['reconnaissance', 'resource-development', 'initial-access']);
    expect(c.tactics.at(-1)?.shortname).toBe('impact');
    expect(c.techniquesById.get('T1059.001')?.name).toBe('PowerShell');
    expect(c.subtechniques.get('T1114')?.map((t) => t.id)).toEqual(['T1114.001', 'T1114.002', 'T1114.003']);
    expect(resolveTechnique(c, 'T1086')).toEqual({ kind: 'redirected', id: 'T1059.001', from: 'T1086' });
  });
});

describe('resolveTechnique', () => {
  test('every redirect leads to a current technique', () => {
    const c = loadAttackCatalog();
    const stuck = Object.keys(c.redirects).filter((id) => resolveTechnique(c, id).kind !== 'redirected');
    expect(stuck).toEqual([]);
  });

  test('current ids resolve to themselves, case-insensitively', () => {
    expect(resolveTechnique(small, 't1059.001')).toEqual({ kind: 'current', id: 'T1059.001' });
  });
  test('redirects are followed through chains', () => {
    expect(resolveTechnique(small, 'T1000')).toEqual({ kind: 'redirected', id: 'T1059.001', from: 'T1000' });
  });
  test('revoked without redirect, deprecated and unknown ids are reported as such', () => {
    expect(resolveTechnique(small, 'T1999').kind).toBe('revoked');
    expect(resolveTechnique(small, 'T1026').kind).toBe('deprecated');
    expect(resolveTechnique(small, 'T4242').kind).toBe('unknown');
  });
});

describe('mapRuleAttack', () => {
  test('counts current and redirected techniques, flags the rest, orders tactics as the matrix', () => {
    const m = mapRuleAttack(small, { techniques: ['T1114', 'T1086', 'T1026', 'T4242', 'T1999'], tactics: ['collection', 'credential_access'] });
    expect(m.techniques).toEqual(['T1059.001', 'T1114']);
    expect(m.tactics).toEqual(['execution', 'collection']);
    expect(m.findings.map((f) => [f.code, f.id])).toEqual([
      ['attack/redirected', 'T1086'],
      ['attack/deprecated', 'T1026'],
      ['attack/unknown-technique', 'T4242'],
      ['attack/revoked', 'T1999'],
      ['attack/unknown-tactic', 'credential_access'],
    ]);
    expect(m.findings[0]?.replacement).toBe('T1059.001');
  });
});

const sharedAttack = join(SHARED, 'attack');
describe.skipIf(!existsSync(sharedAttack))('shipped ATT&CK data (needs ../shared)', () => {
  test('is the copy of ../shared/attack the product was built from', () => {
    for (const name of ['enterprise-attack.json', 'technique-redirects.json']) {
      const shipped = readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
      expect(JSON.parse(shipped), name).toEqual(JSON.parse(readFileSync(resolve(sharedAttack, name), 'utf8')));
    }
  });
});
