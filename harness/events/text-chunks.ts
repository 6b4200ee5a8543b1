import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const BLOCK = 1 << 20;

/**
 * A file's text in blocks of about 1 MiB, decoded as UTF-8 across block edges
 * (standard input, `-`, is read whole: it cannot be read by position).
 */
export function* textChunks(file: string): Generator<string> {
  if (file === '-') {
    yield readFileSync(0, 'utf8');
    return;
  }
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(BLOCK);
  const decoder = new StringDecoder('utf8');
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, BLOCK, null);
      if (n === 0) break;
      const text = decoder.write(buffer.subarray(0, n));
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}
