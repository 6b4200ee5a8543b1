/**
 * Reading a transformation's or condition's parameters from the pipeline YAML,
 * as pySigma's dataclass constructors do: unknown or missing parameters and
 * wrong types are errors located at the offending key.
 */
import type { DocPath } from '../../../core/located-error.ts';
import { PipelineConfigError } from './model.ts';
import { pythonRegex } from './python-regex.ts';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Params {
  private readonly used = new Set<string>();
  constructor(
    private readonly raw: Readonly<Record<string, unknown>>,
    readonly path: DocPath,
    /** What these are the parameters of, for messages: "transformation 'replace_string'". */
    readonly what: string,
    ignored: readonly string[] = [],
  ) {
    for (const k of ignored) this.used.add(k);
  }

  fail(message: string, key?: string): never {
    throw new PipelineConfigError(`${this.what}: ${message}`, key === undefined ? this.path : [...this.path, key], key !== undefined);
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.raw, key);
  }

  any(key: string): unknown {
    this.used.add(key);
    return this.raw[key];
  }

  required(key: string): unknown {
    if (!this.has(key)) this.fail(`missing parameter '${key}'`);
    return this.any(key);
  }

  str(key: string): string;
  str(key: string, fallback: string): string;
  str(key: string, fallback?: string): string {
    if (!this.has(key) && fallback !== undefined) return (this.used.add(key), fallback);
    const v = this.required(key);
    if (typeof v !== 'string') this.fail(`'${key}' must be a string`, key);
    return v;
  }

  optStr(key: string): string | null {
    const v = this.any(key);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.fail(`'${key}' must be a string`, key);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.any(key);
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(`'${key}' must be true or false`, key);
    return v;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const v = fallback !== undefined && !this.has(key) ? fallback : this.str(key);
    if (!(allowed as readonly string[]).includes(v)) this.fail(`'${key}' must be one of ${allowed.join(', ')} (got '${v}')`, key);
    return v as T;
  }

  /** A string or a list of strings, as a list. */
  strings(key: string, optional = false): string[] | null {
    const v = optional ? this.any(key) : this.required(key);
    if (v === undefined || v === null) return null;
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((x) => typeof x === 'string')) this.fail(`'${key}' must be a string or a list of strings`, key);
    return list as string[];
  }

  map(key: string, optional = false): Record<string, unknown> {
    const v = optional ? this.any(key) : this.required(key);
    if (v === undefined || v === null) return {};
    if (!isMap(v)) this.fail(`'${key}' must be a mapping`, key);
    return v;
  }

  /** A Python regular expression from parameter `key` (`source` is its value), compiled; an invalid one is a located error. */
  regex(key: string, source: string, opts: { anchored?: boolean; global?: boolean } = {}): RegExp {
    try {
      return pythonRegex(source, opts);
    } catch (e) {
      return this.fail(`regular expression '${source}' is invalid: ${(e as Error).message}`, key);
    }
  }

  /** pySigma passes the remaining keys to a dataclass: an unknown one is a TypeError. */
  done(): void {
    for (const k of Object.keys(this.raw)) if (!this.used.has(k)) this.fail(`unexpected parameter '${k}'`, k);
  }
}
