import type { Command } from '../ast.ts';

/** A command that parses but cannot run offline (it needs a service Elasticsearch would call). */
export class NotEvaluableError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'NotEvaluableError';
  }
}

/** COMPLETION sends a prompt to an inference endpoint (an LLM); there is no offline answer to check. */
export function completionReason(cmd: Command & { command: 'completion' }): NotEvaluableError {
  return new NotEvaluableError(`COMPLETION calls an inference endpoint (an LLM) and cannot be evaluated offline`, cmd.start);
}
