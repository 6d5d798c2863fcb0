import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogAttributes, Logger } from '../../functions/ports/logger.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

const scopedKeys = new AsyncLocalStorage<LogAttributes>();

/** The Logger port for tests: keeps every line (with the keys of `with` and `scoped`) for assertions, writes nothing. */
export class RecordingLogger implements Logger {
  constructor(
    readonly lines: LogLine[] = [],
    private readonly keys: LogAttributes = {},
  ) {}

  debug(message: string, attributes?: LogAttributes): void {
    this.#push('debug', message, attributes);
  }
  info(message: string, attributes?: LogAttributes): void {
    this.#push('info', message, attributes);
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.#push('warn', message, attributes);
  }
  error(message: string, attributes?: LogAttributes): void {
    this.#push('error', message, attributes);
  }
  with(keys: LogAttributes): Logger {
    return new RecordingLogger(this.lines, { ...this.keys, ...keys });
  }
  scoped<T>(keys: LogAttributes, work: () => Promise<T>): Promise<T> {
    return scopedKeys.run({ ...scopedKeys.getStore(), ...keys }, work);
  }

  #push(level: LogLine['level'], message: string, attributes: LogAttributes = {}): void {
    this.lines.push({ level, message, attributes: { ...scopedKeys.getStore(), ...this.keys, ...attributes } });
  }
}
