import { Faker, base as baseLocale, en, type Randomizer } from '@faker-js/faker';

/**
 * Realistic values for a field, by what its name says it holds (an IP, a
 * user, a path, a hash, a time…), and the catalogs of irrelevant fields
 * variants add: ECS names for Elastic rules, Windows / Sysmon names for Sigma.
 * Everything comes from a seeded faker, so output is a function of the seed.
 */
export type Dialect = 'ecs' | 'windows';

export function seededFaker(seed: number): Faker {
  const f = new Faker({ locale: [en, baseLocale] });
  f.seed(seed);
  return f;
}

/**
 * A small-state generator (SplitMix32 seeding a Mulberry32 stream): seeding is
 * O(1), where Faker's Mersenne Twister fills 624 words per seed — which was a
 * quarter of the variant checks' time, since every transform re-seeds.
 */
function quickRandomizer(): Randomizer {
  // Faker calls these unbound: closures over the state, not methods.
  let state = 0;
  return {
    next(): number {
      let t = (state = (state + 0x6d2b79f5) | 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
    seed(seed: number | number[]): void {
      let h = 0x9e3779b9;
      for (const x of Array.isArray(seed) ? seed : [seed]) {
        h = Math.imul(h ^ (x | 0), 0x85ebca6b);
        h ^= h >>> 13;
      }
      state = h;
    },
  };
}

let shared: Faker | undefined;

/**
 * A Faker seeded with `seed` without building one (a Faker's construction was
 * over half of the variant checks' time): one instance on a quickly seeded
 * generator, re-seeded per call. Deterministic per seed (not the same values
 * as `seededFaker`). Valid only until the next call — for code that draws from
 * it and lets go before anything else asks for one (a variant transform).
 */
export function reseededFaker(seed: number): Faker {
  shared ??= new Faker({ locale: [en, baseLocale], randomizer: quickRandomizer() });
  shared.seed(seed);
  return shared;
}

const WIN_DIRS = ['C:\\Windows\\System32\\', 'C:\\Windows\\', 'C:\\Program Files\\Common Files\\', 'C:\\ProgramData\\', 'C:\\Windows\\SysWOW64\\'];
const WIN_BINS = ['svchost.exe', 'explorer.exe', 'notepad.exe', 'conhost.exe', 'taskhostw.exe', 'RuntimeBroker.exe', 'SearchIndexer.exe', 'dllhost.exe'];
const NIX_BINS = ['/usr/bin/bash', '/usr/bin/python3', '/usr/sbin/sshd', '/usr/bin/curl', '/bin/ls', '/usr/lib/systemd/systemd'];

export type FieldKind = 'ip' | 'port' | 'user' | 'host' | 'domain' | 'path' | 'command' | 'md5' | 'sha1' | 'sha256' | 'pid' | 'time' | 'url' | 'email' | 'guid' | 'number' | 'text';

/** What a field holds, guessed from its name. */
export function fieldKind(field: string): FieldKind {
  const last = field.split('.').pop()!.toLowerCase();
  const f = field.toLowerCase();
  if (/(^|[._])(ip|ipaddress|address)$|ip$/.test(last) && !/zip|skip|ship|script|descrip/.test(last)) return 'ip';
  if (/port$/.test(last)) return 'port';
  if (/md5/.test(last)) return 'md5';
  if (/sha1/.test(last)) return 'sha1';
  if (/sha256|hashes|hash$/.test(last)) return 'sha256';
  if (/^(pid|ppid|processid|parentprocessid|threadid)$|\.pid$/.test(last) || /(process|parent)\.pid$/.test(f)) return 'pid';
  if (/commandline|command_line|^args$|cmdline/.test(last)) return 'command';
  if (/(^|_)(image|executable|path|filename|file_path|imageloaded|targetfilename|currentdirectory|working_directory)$|image$|path$|filename$/.test(last)) return 'path';
  if (/user|account|subjectusername|targetusername/.test(last) || /user\.(name|id)$/.test(f)) return 'user';
  if (/^(computer|hostname|workstation|workstationname|computername)$|host\.name$/.test(last) || /host\.(name|hostname)$/.test(f)) return 'host';
  if (/domain/.test(last)) return 'domain';
  if (/url|uri/.test(last)) return 'url';
  if (/email|mail/.test(last)) return 'email';
  if (/guid|uuid|entity_id|logonid|^id$/.test(last)) return 'guid';
  if (/time|timestamp|created|ingested|date/.test(last)) return 'time';
  if (/count|bytes|size|level|code|number/.test(last)) return 'number';
  return 'text';
}

/** A realistic value for a field name, in the dialect of the rule's events. */
export function realisticValue(f: Faker, field: string, dialect: Dialect): string | number {
  switch (fieldKind(field)) {
    case 'ip':
      return f.helpers.arrayElement([f.internet.ipv4(), f.internet.ipv4(), `10.${f.number.int(255)}.${f.number.int(255)}.${f.number.int({ min: 1, max: 254 })}`]);
    case 'port':
      return f.internet.port();
    case 'user':
      return dialect === 'windows' ? f.helpers.arrayElement([f.internet.username(), `CONTOSO\\${f.internet.username()}`]) : f.internet.username().toLowerCase();
    case 'host':
      return dialect === 'windows' ? `${f.helpers.arrayElement(['WS', 'SRV', 'LAPTOP'])}-${f.string.alphanumeric({ length: 5, casing: 'upper' })}` : `${f.word.noun().toLowerCase()}-${f.number.int({ min: 1, max: 40 })}`;
    case 'domain':
      return f.internet.domainName();
    case 'path':
      return dialect === 'windows' ? `${f.helpers.arrayElement(WIN_DIRS)}${f.helpers.arrayElement(WIN_BINS)}` : f.helpers.arrayElement([...NIX_BINS, f.system.filePath()]);
    case 'command':
      return dialect === 'windows' ? `"${f.helpers.arrayElement(WIN_DIRS)}${f.helpers.arrayElement(WIN_BINS)}" ${f.helpers.arrayElement(['/s', '-k netsvcs', '/background', ''])}`.trim() : `${f.helpers.arrayElement(NIX_BINS)} ${f.helpers.arrayElement(['-l', '--version', '-c true', ''])}`.trim();
    case 'md5':
      return f.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
    case 'sha1':
      return f.string.hexadecimal({ length: 40, casing: 'lower', prefix: '' });
    case 'sha256':
      return f.string.hexadecimal({ length: 64, casing: dialect === 'windows' ? 'upper' : 'lower', prefix: '' });
    case 'pid':
      return f.number.int({ min: 4, max: 65000 });
    case 'time':
      return f.date.between({ from: '2024-01-01T00:00:00Z', to: '2024-12-31T00:00:00Z' }).toISOString();
    case 'url':
      return f.internet.url();
    case 'email':
      return f.internet.email();
    case 'guid':
      return dialect === 'windows' ? `{${f.string.uuid().toUpperCase()}}` : f.string.uuid();
    case 'number':
      return f.number.int({ min: 0, max: 5000 });
    case 'text':
      return f.helpers.arrayElement([f.word.noun(), f.lorem.words(2), f.system.commonFileName()]);
  }
}

/** A realistic replacement for an existing value: same JSON type, realistic content. */
export function replacementFor(f: Faker, field: string, current: unknown, dialect: Dialect): unknown {
  if (typeof current === 'number') return Number.isInteger(current) ? f.number.int({ min: 0, max: Math.max(10, Math.abs(current) * 2) }) : f.number.float({ min: 0, max: 1000, fractionDigits: 2 });
  if (typeof current === 'boolean') return f.datatype.boolean();
  if (typeof current === 'string') {
    const v = realisticValue(f, field, dialect);
    return typeof v === 'string' ? v : String(v);
  }
  return undefined;
}

/** Irrelevant fields a variant may add, per dialect (only those the logic does not read are used). */
export const NOISE_FIELDS: Readonly<Record<Dialect, readonly string[]>> = {
  ecs: [
    'host.hostname', 'host.os.version', 'host.id', 'agent.id', 'agent.version', 'ecs.version', 'user.domain', 'user.id',
    'process.pid', 'process.entity_id', 'process.parent.pid', 'process.hash.sha256', 'process.hash.md5', 'source.port',
    'destination.port', 'observer.hostname', 'cloud.region', 'data_stream.namespace', 'labels.env', 'event.id', 'event.sequence_note',
    'related.hosts', 'organization.name', 'service.name', 'trace.id', 'log.level', 'tags_note',
  ],
  windows: [
    'Computer', 'ProcessId', 'ThreadID', 'LogonGuid', 'LogonId', 'TerminalSessionId', 'Hashes', 'Company', 'Product',
    'Description', 'FileVersion', 'ParentProcessGuid', 'ProcessGuid', 'RecordNumber', 'Keywords', 'Opcode', 'Task', 'Version',
    'ExecutionProcessID', 'ExecutionThreadID', 'SourceName', 'Level_Note',
  ],
};

/** Realistic values for the noise catalogs that the name heuristics do not cover. */
export function noiseValue(f: Faker, field: string, dialect: Dialect): unknown {
  switch (field) {
    case 'host.os.version':
      return f.helpers.arrayElement(['10.0', '22.04', '14.4', '2022']);
    case 'agent.version':
    case 'ecs.version':
    case 'FileVersion':
    case 'Version':
      return f.system.semver();
    case 'cloud.region':
      return f.helpers.arrayElement(['us-east-1', 'eu-west-1', 'ap-southeast-2']);
    case 'data_stream.namespace':
    case 'labels.env':
      return f.helpers.arrayElement(['default', 'prod', 'staging']);
    case 'log.level':
    case 'Level_Note':
      return f.helpers.arrayElement(['info', 'notice', 'debug']);
    case 'related.hosts':
      return [realisticValue(f, 'host.name', dialect)];
    case 'organization.name':
    case 'Company':
      return f.company.name();
    case 'Product':
    case 'service.name':
      return f.commerce.productName();
    case 'Description':
      return f.lorem.sentence({ min: 2, max: 5 });
    case 'Keywords':
      return f.helpers.arrayElement(['0x8000000000000000', '0x8020000000000000']);
    case 'Opcode':
    case 'Task':
    case 'RecordNumber':
    case 'TerminalSessionId':
      return f.number.int({ min: 0, max: 90000 });
    case 'SourceName':
      return f.helpers.arrayElement(['Microsoft-Windows-Sysmon', 'Microsoft-Windows-Security-Auditing']);
    case 'Hashes':
      return `SHA256=${f.string.hexadecimal({ length: 64, casing: 'upper', prefix: '' })}`;
    case 'event.sequence_note':
    case 'tags_note':
      return f.lorem.word();
    default:
      return realisticValue(f, field, dialect);
  }
}
