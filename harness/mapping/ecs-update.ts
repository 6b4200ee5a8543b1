/**
 * `npm run ecs:update -- <ecs_flat.yml> [--version <ECS version>]`: regenerate
 * the shipped ECS table (data/ecs-fields.json) from ECS's generated field list.
 * The version defaults to the one named in a README.md beside the input (as
 * ../shared/ecs has it), else `unknown`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { buildEcsTable, printEcsTable } from './ecs-table.ts';

export const ECS_TABLE_FILE = join(dirname(fileURLToPath(import.meta.url)), 'data', 'ecs-fields.json');

function versionBeside(input: string): string | undefined {
  const readme = join(dirname(input), 'README.md');
  if (!existsSync(readme)) return undefined;
  return /version\s+([0-9][\w.-]*[\w])/i.exec(readFileSync(readme, 'utf8'))?.[1];
}

/** Write the table for `input` to `output`; returns the number of fields. */
export function updateEcsTable(input: string, output = ECS_TABLE_FILE, version?: string): number {
  const table = buildEcsTable(readFileSync(input, 'utf8'), version ?? versionBeside(input) ?? 'unknown');
  writeFileAtomic(output, printEcsTable(table));
  return Object.keys(table.fields).length;
}

function main(argv: readonly string[]): number {
  const input = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--version');
  const vi = argv.indexOf('--version');
  if (!input || argv.includes('--help')) {
    process.stderr.write('usage: npm run ecs:update -- <ecs_flat.yml> [--version <ECS version>]\n');
    return input ? 0 : 2;
  }
  try {
    const n = updateEcsTable(input, ECS_TABLE_FILE, vi >= 0 ? argv[vi + 1] : undefined);
    process.stdout.write(`wrote ${n} ECS fields to ${ECS_TABLE_FILE}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`${input}: ${(e as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
