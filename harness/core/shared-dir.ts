import { join } from 'node:path';

/**
 * ../shared beside the checkout (as in CI): corpora, conformance suites and bench data.
 * RULE_HARNESS_SHARED points elsewhere (a worktree without it). Only tests and the bench
 * read it; the product never needs it at run time.
 */
export const SHARED = process.env.RULE_HARNESS_SHARED ?? join(import.meta.dirname, '../../../shared');
