import { describe, expect, test } from 'vitest';
import { compileGrok } from '../engines/esql/commands/grok.ts';
import { fillSlots, grokText } from './esql-grok-plant.ts';

const fail = (m: string) => new Error(m);

describe('GROK run backwards', () => {
  test('a slot the WHERE names a value for holds that value, escaped; other slots stay', () => {
    expect(fillSlots('modelId=(?<m>[^,}]+), (?<n>x(y)z)', (k) => (k === 'n' ? 'a.b' : undefined))).toBe('modelId=(?<m>[^,}]+), a\\.b');
    expect(fillSlots('%{INT:i}-%{DATA:d}', (k) => (k === 'd' ? 'q' : undefined))).toBe('%{INT:i}-q');
  });
  test('the sampled text is matched by the real pattern and carries the wanted value', () => {
    const pattern = 'functionName=arn:aws:lambda:[a-z0-9-]*:(?<acct>[0-9]{12}):(?<fn>\\w+)';
    const text = grokText(pattern, (k) => (k === 'fn' ? 'evil' : undefined), 1);
    expect(text).toBeDefined();
    expect(compileGrok(pattern, fail).re.test(text!)).toBe(true);
    expect(text!.endsWith(':evil')).toBe(true);
  });
});
