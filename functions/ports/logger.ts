/** What a log line carries besides its message; an `error` value is written with its name, message and stack. */
export type LogAttributes = Readonly<Record<string, unknown>>;

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The one way the runtime writes its log: structured lines at four levels. On AWS and in local mode
 * alike it is Powertools Logger (functions/adapters/powertools), whose level LOG_LEVEL sets.
 */
export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /** A logger whose every line also carries `keys`, e.g. a run's codeUnit, runId, attempt and trigger. */
  with(keys: LogAttributes): Logger;
  /**
   * Runs `work` so that every line written meanwhile in its asynchronous context, by any logger of
   * the runtime, also carries `keys`: the lines of shared parts such as the KSeF client then say
   * which run they belong to, even when runs overlap in one process (local mode).
   */
  scoped<T>(keys: LogAttributes, work: () => Promise<T>): Promise<T>;
}
