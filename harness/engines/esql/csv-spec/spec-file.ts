/** One test of a csv-spec file. */
export interface SpecTest {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly capabilities: readonly string[];
  readonly query: string;
  readonly warnings: readonly string[];
  readonly warningRegexes: readonly string[];
  readonly ignoreOrder: boolean;
  /** Header cells `name:type`; undefined when the test expects an error. */
  readonly header: readonly { name: string; type: string }[];
  readonly rows: readonly string[][];
}

/**
 * Read a csv-spec file with the state machine of its README: name, directives,
 * query up to a line ending in `;` (not `\;`), then warnings/header/rows up to
 * a line starting with `;`.
 */
export function parseSpecFile(file: string, text: string): SpecTest[] {
  const lines = text.split(/\r?\n/);
  const tests: SpecTest[] = [];
  let i = 0;
  const isComment = (l: string): boolean => l.trim().startsWith('//') || l.trim().startsWith('#');
  while (i < lines.length) {
    const raw = lines[i] as string;
    if (raw.trim() === '' || isComment(raw)) {
      i++;
      continue;
    }
    const name = raw.trim();
    const line = i + 1;
    i++;
    const capabilities: string[] = [];
    const query: string[] = [];
    for (; i < lines.length; i++) {
      const l = lines[i] as string;
      const t = l.trim();
      if (query.length === 0 && t.startsWith('required_capability:')) {
        capabilities.push(t.slice('required_capability:'.length).trim());
        continue;
      }
      if (query.length === 0 && (/^(skip_flattened_rewrite|request_stored):/.test(t) || t === '')) continue;
      if ((t.startsWith('//') && query.length === 0) || t.startsWith('#')) continue;
      const end = t.endsWith(';') && !t.endsWith('\\;');
      query.push(end ? l.slice(0, l.lastIndexOf(';')) : l);
      if (end) {
        i++;
        break;
      }
    }
    const warnings: string[] = [];
    const warningRegexes: string[] = [];
    let ignoreOrder = false;
    let header: { name: string; type: string }[] = [];
    const rows: string[][] = [];
    for (; i < lines.length; i++) {
      const l = lines[i] as string;
      const t = l.trim();
      if (t.startsWith(';')) {
        i++;
        break;
      }
      if (t === '' || isComment(l)) continue;
      if (t.startsWith('warning:')) warnings.push(t.slice('warning:'.length));
      else if (t.startsWith('warningRegex:')) warningRegexes.push(t.slice('warningRegex:'.length));
      else if (t.startsWith('ignoreOrder:')) ignoreOrder = t.endsWith('true');
      else if (header.length === 0)
        header = splitCells(l).map((h) => {
          const at = h.lastIndexOf(':');
          return { name: h.slice(0, at).trim(), type: h.slice(at + 1).trim() };
        });
      else rows.push(splitCells(l).map((c) => c.trim()));
    }
    tests.push({ file, name, line, capabilities, query: query.join('\n').replace(/\\;/g, ';'), warnings, warningRegexes, ignoreOrder, header, rows });
  }
  return tests;
}

/** Split a result line on `|` outside brackets and quotes. */
function splitCells(line: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '[') depth++;
    else if (!quoted && c === ']') depth--;
    if (c === '|' && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}
