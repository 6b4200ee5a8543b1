/**
 * Progress of a long CLI run on stderr: a bar redrawn in place on a terminal,
 * and on anything else (CI logs, pipes) a plain line every tenth of the way,
 * so a log shows life without thousands of lines.
 */
export interface Progress {
  /** `done` items of the total so far; `label` says what is being worked on. */
  tick(done: number, label?: string): void;
  /** Clear the bar (a terminal) before the summary is printed. */
  finish(): void;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export function createProgress(what: string, total: number, stream: ProgressStream = process.stderr, now: () => number = Date.now): Progress {
  const start = now();
  const seconds = (): string => `${((now() - start) / 1000).toFixed(1)} s`;
  if (stream.isTTY) {
    let lastDraw = Number.NEGATIVE_INFINITY;
    return {
      tick(done, label = '') {
        const t = now();
        if (done < total && t - lastDraw < 100) return; // at most 10 redraws a second
        lastDraw = t;
        const width = 30;
        const filled = total ? Math.round((done / total) * width) : width;
        const head = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what} ${seconds()} `;
        const room = Math.max(0, (stream.columns ?? 100) - head.length - 1);
        stream.write(`\r\x1b[K${head}${label.length > room ? `…${label.slice(label.length - room + 1)}` : label}`);
      },
      finish() {
        stream.write('\r\x1b[K');
      },
    };
  }
  let nextStep = 1;
  return {
    tick(done) {
      if (total === 0 || done * 10 < nextStep * total) return;
      while (done * 10 >= nextStep * total) nextStep++;
      stream.write(`${what}: ${done}/${total} (${Math.floor((done / total) * 100)} %) ${seconds()}\n`);
    },
    finish() {},
  };
}
