import { renderDiagnostic } from '../../core/diagnostics.ts';
import type { Alert } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { compileBareQuery, QUERY_LANGUAGES, type QueryLanguage } from '../../engines/bare-query.ts';
import { EQL_DEFAULT_SIZE } from '../../engines/eql/index.ts';
import { streamEvents, warnTo } from '../../events/read-events.ts';
import { StreamMatcher } from '../../runner/stream-match.ts';
import { EXIT, stringList, UsageError, type Command } from '../command.ts';
import { loadDetectors } from '../load-detectors.ts';
import { mappingWithFiles } from '../../mapping/configured.ts';

interface Hit {
  readonly alert: Alert;
  readonly title: string;
}

const usage = `Usage:
  rule-harness match --rules <file|dir> --events <file|dir> [--format json|text]
                     [--pipeline <name|file>]… [--mapping <file>]…
  rule-harness match --language eql|kuery|lucene --query '<text>' --events <file|dir> [--format json|text]
                     [--mapping <file>]… [--size n]
                     [--event-category-field f] [--timestamp-field f] [--tiebreaker-field f]

Evaluate rules (or one bare query) against events: a JSON array, JSON Lines,
concatenated JSON documents, or a Windows event log (.evtx); '-' reads standard
input; a folder reads every .evtx, .json, .jsonl and .ndjson file below it, in
path order, as one stream (event indices count across it; its recordings are
read ahead on a second thread). Events are read and evaluated as they arrive, so files of any size run in
bounded memory; rules over several events keep only the events they can use.

  --format json   one JSON object per alert per line:
                  {"rule": "<id>", "title": "...", "events": [<0-based indices>]}
  --format text   (default) a readable list of alerts per rule

  --pipeline      run Sigma rules as a processing pipeline maps them (repeatable;
                  several compose by priority): a built-in (ecs_windows, ecs_windows_old,
                  sysmon, windows-audit, windows-logsources) or a pySigma pipeline YAML
                  file. Rules it rejects are listed on stderr as not evaluable.
  --mapping <file> an Elasticsearch mapping (a {"properties"} document, an index
                  template body, a component template or a GET _mapping response)
                  layered over ECS; repeat for several. Elastic queries and rules are
                  typed by ECS (and harness.config.yml's elastic.mappings) without it.
  --size <n>      (EQL) the search API's size: at most n results, 10 by default;
                  a note on stderr says when results were cut.

EQL options, as in the Elasticsearch EQL search API:
  --event-category-field  default event.category
  --timestamp-field       default @timestamp
  --tiebreaker-field      none by default

Exit codes: 0 success (alerts or not), 2 bad input (file, line and reason on stderr).`;

function printJson(h: Hit, out: (t: string) => void): void {
  out(JSON.stringify({ rule: h.alert.rule, title: h.title, events: h.alert.events }));
}

/**
 * Alerts as they come: JSON lines are printed at once (a long run shows its alerts
 * while it reads); the text list groups alerts by rule, so it is printed at the end.
 */
class Hits {
  private readonly held: Hit[] = [];

  constructor(
    private readonly format: string,
    private readonly out: (t: string) => void,
  ) {}

  add(h: Hit): void {
    if (this.format === 'json') printJson(h, this.out);
    else this.held.push(h);
  }

  end(): void {
    if (this.format === 'text') printText(this.held, this.out);
  }
}

function printText(hits: readonly Hit[], out: (t: string) => void): void {
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

/** Every 2^18 events, on a terminal only: a long run says how far it has read (one line, rewritten). */
const PROGRESS_MASK = (1 << 18) - 1;

function progress(events: number): void {
  if (!process.stderr.isTTY) return;
  process.stderr.write(events < 0 ? '\r\x1b[K' : `\r${events.toLocaleString('en-US')} events read…`);
}

/** Each event with its 0-based position in the input, progress shown on a long run. */
function eachEvent(events: Iterable<Event>, visit: (event: Event, position: number) => void): void {
  let position = 0;
  for (const ev of events) {
    visit(ev, position++);
    if ((position & PROGRESS_MASK) === 0) progress(position);
  }
  progress(-1);
}

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
    pipeline: { type: 'string', multiple: true },
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
    const mappingFiles = stringList(values.mapping);
    const sizeText = str(values.size);
    if (sizeText !== undefined && !(/^\d+$/.test(sizeText) && Number(sizeText) > 0)) throw new UsageError(`--size must be a positive whole number, not '${sizeText}'`);
    if (sizeText !== undefined && language !== 'eql') throw new UsageError('--size applies to --language eql');
    const events = streamEvents(eventsFile, warnTo((t) => io.err(t)));
    const hits = new Hits(format, io.out);
    if (language) {
      if (!QUERY_LANGUAGES.includes(language as QueryLanguage)) throw new UsageError(`--language must be one of ${QUERY_LANGUAGES.join(', ')}, not '${language}'`);
      if (query === undefined) throw new UsageError(`--query is required with --language\n\n${usage}`);
      const eqlOptions = {
        ...(str(values['event-category-field']) ? { eventCategoryField: str(values['event-category-field'])! } : {}),
        ...(str(values['timestamp-field']) ? { timestampField: str(values['timestamp-field'])! } : {}),
        ...(str(values['tiebreaker-field']) ? { tiebreakerField: str(values['tiebreaker-field'])! } : {}),
      };
      const size = sizeText === undefined ? EQL_DEFAULT_SIZE : Number(sizeText);
      const stream = compileBareQuery(language as QueryLanguage, query, { ...eqlOptions, size }, mappingWithFiles(mappingFiles))();
      const hit = (evs: number[]): void => hits.add({ alert: { rule: 'query', events: evs }, title: query });
      eachEvent(events, (ev, position) => {
        for (const evs of stream.push(ev, position)) hit(evs);
      });
      const rest = stream.finish();
      for (const evs of rest.hits) hit(evs);
      if (rest.cut) io.err(`note: more than ${size} results were found; ${size} shown (--size raises the limit, as the EQL search API's size does)`);
      hits.end();
      return EXIT.ok;
    }
    const loaded = loadDetectors(rulesPath!, stringList(values.pipeline), mappingFiles);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    // A --pipeline file's own warnings (ignored postprocessing, finalizers) are shown too.
    for (const d of loaded.diagnostics.filter((x) => x.severity === 'error' || x.code.startsWith('pipeline/'))) io.err(renderDiagnostic(d, d.span ? loaded.texts.get(d.span.file) : undefined));
    for (const d of loaded.rejected) io.err(`not evaluable: ${d.span ? `${d.span.file}:${d.span.line}: ` : ''}${d.message}`);
    const matcher = new StreamMatcher(loaded.alerting);
    eachEvent(events, (ev, position) => {
      for (const h of matcher.push(ev, position)) hits.add({ alert: h.alert, title: h.detector.rule.title });
    });
    for (const h of matcher.finish()) hits.add({ alert: h.alert, title: h.detector.rule.title });
    hits.end();
    return errors.length > 0 ? EXIT.badInput : EXIT.ok;
  },
};
