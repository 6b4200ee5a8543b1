import { renderDiagnostic } from '../../core/diagnostics.ts';
import type { Alert } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { compileBareQuery, QUERY_LANGUAGES, type QueryLanguage } from '../../engines/bare-query.ts';
import { readEvents } from '../../events/read-events.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { loadDetectors } from '../load-detectors.ts';
import { mappingWithFiles } from '../../mapping/configured.ts';

interface Hit {
  readonly alert: Alert;
  readonly title: string;
}

const usage = `Usage:
  rule-harness match --rules <file|dir> --events <file> [--format json|text] [--mapping <file>]…
  rule-harness match --language eql|kuery|lucene --query '<text>' --events <file> [--format json|text]
                     [--mapping <file>]… [--size n]
                     [--event-category-field f] [--timestamp-field f] [--tiebreaker-field f]

Evaluate rules (or one bare query) against events: a JSON array or JSON Lines
file ('-' reads standard input).

  --format json   one JSON object per alert per line:
                  {"rule": "<id>", "title": "...", "events": [<0-based indices>]}
  --format text   (default) a readable list of alerts per rule

  --mapping <file> an Elasticsearch mapping (a {"properties"} document, an index
                  template body, a component template or a GET _mapping response)
                  layered over ECS; repeat for several. Elastic queries and rules are
                  typed by ECS (and harness.config.yml's elastic.mappings) without it.

EQL options, as in the Elasticsearch EQL search API:
  --event-category-field  default event.category
  --timestamp-field       default @timestamp
  --tiebreaker-field      none by default
  --size                  the most results returned, default 10 (stderr says when
                          more were found)

Exit codes: 0 success (alerts or not), 2 bad input (file, line and reason on stderr).`;

function print(hits: readonly Hit[], format: string, out: (t: string) => void): void {
  if (format === 'json') {
    for (const h of hits) out(JSON.stringify({ rule: h.alert.rule, title: h.title, events: h.alert.events }));
    return;
  }
  if (hits.length === 0) {
    out('no alerts');
    return;
  }
  const byRule = new Map<string, Hit[]>();
  for (const h of hits) byRule.set(h.alert.rule, [...(byRule.get(h.alert.rule) ?? []), h]);
  for (const [rule, hs] of byRule) {
    out(`${hs[0]!.title} [${rule}]: ${hs.length} alert${hs.length === 1 ? '' : 's'}`);
    for (const h of hs) out(`  events ${h.alert.events.join(', ')}`);
  }
}

/** The EQL search API's default `size`. */
const EQL_DEFAULT_SIZE = 10;

function str(v: string | boolean | (string | boolean)[] | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export const matchCommand: Command = {
  name: 'match',
  summary: 'evaluate rules or a bare EQL/KQL/Lucene query against an event file',
  usage,
  options: {
    rules: { type: 'string' },
    events: { type: 'string' },
    format: { type: 'string', default: 'text' },
    language: { type: 'string' },
    query: { type: 'string' },
    'event-category-field': { type: 'string' },
    'timestamp-field': { type: 'string' },
    'tiebreaker-field': { type: 'string' },
    mapping: { type: 'string', multiple: true },
    size: { type: 'string' },
  },
  run({ values }, io) {
    const format = str(values.format) ?? 'text';
    if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text, not '${format}'\n\n${usage}`);
    const eventsFile = str(values.events);
    if (!eventsFile) throw new UsageError(`--events is required\n\n${usage}`);
    const rulesPath = str(values.rules);
    const language = str(values.language);
    const query = str(values.query);
    if (!rulesPath === !language) throw new UsageError(`give either --rules or --language with --query\n\n${usage}`);
    const mappingFiles = Array.isArray(values.mapping) ? values.mapping.filter((x): x is string => typeof x === 'string') : [];
    const sizeText = str(values.size);
    if (sizeText !== undefined && !(/^\d+$/.test(sizeText) && Number(sizeText) > 0)) throw new UsageError(`--size must be a positive whole number, not '${sizeText}'`);
    if (sizeText !== undefined && language !== 'eql') throw new UsageError('--size applies to --language eql');
    const events: Event[] = readEvents(eventsFile);
    if (language) {
      if (!QUERY_LANGUAGES.includes(language as QueryLanguage)) throw new UsageError(`--language must be one of ${QUERY_LANGUAGES.join(', ')}, not '${language}'`);
      if (query === undefined) throw new UsageError(`--query is required with --language\n\n${usage}`);
      const eqlOptions = {
        ...(str(values['event-category-field']) ? { eventCategoryField: str(values['event-category-field'])! } : {}),
        ...(str(values['timestamp-field']) ? { timestampField: str(values['timestamp-field'])! } : {}),
        ...(str(values['tiebreaker-field']) ? { tiebreakerField: str(values['tiebreaker-field'])! } : {}),
      };
      const size = sizeText === undefined ? EQL_DEFAULT_SIZE : Number(sizeText);
      const run = compileBareQuery(language as QueryLanguage, query, { ...eqlOptions, size }, mappingWithFiles(mappingFiles));
      const { hits: found, cut } = run(events);
      if (cut) io.err(`note: more than ${size} results were found; ${size} shown (--size raises the limit, as the EQL search API's size does)`);
      print(found.map((evs) => ({ alert: { rule: 'query', events: evs }, title: query })), format, io.out);
      return EXIT.ok;
    }
    const loaded = loadDetectors(rulesPath!, mappingFiles);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) io.err(renderDiagnostic(d, d.span ? loaded.texts.get(d.span.file) : undefined));
    const hits: Hit[] = loaded.alerting.flatMap((d) => d.detect(events).map((alert) => ({ alert, title: d.rule.title })));
    print(hits, format, io.out);
    return errors.length > 0 ? EXIT.badInput : EXIT.ok;
  },
};
