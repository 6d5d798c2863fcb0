import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, Logger, LogLevel } from '../../ports/logger.js';

export interface PowertoolsLoggerOptions {
  /** The `service` key of every line. */
  readonly serviceName: string;
  /**
   * The lowest level written. Left out, Powertools reads POWERTOOLS_LOG_LEVEL, then LOG_LEVEL, from
   * the environment (the stack sets LOG_LEVEL), and defaults to INFO.
   */
  readonly logLevel?: LogLevel;
  /** Keys every line carries (e.g. the function's code unit). */
  readonly keys?: LogAttributes;
}

/**
 * The Logger port on Powertools Logger: one JSON object per line with level, message, service,
 * timestamp, the keys given by `with` and the line's attributes. An Error among the attributes is
 * written with its name, message and stack (Powertools' serializer).
 */
export function powertoolsLogger(options: PowertoolsLoggerOptions): Logger {
  const logger = new PowertoolsLogger({ serviceName: options.serviceName, ...(options.logLevel ? { logLevel: options.logLevel } : {}) });
  return new KeyedLogger(logger, options.keys ?? {});
}

/** The keys of `scoped` work, for every Powertools logger of the process. */
const scopedKeys = new AsyncLocalStorage<LogAttributes>();

/** Keys are merged into each line rather than set on a shared instance, so that concurrent runs in one process keep their own. */
class KeyedLogger implements Logger {
  constructor(
    private readonly logger: PowertoolsLogger,
    private readonly keys: LogAttributes,
  ) {}

  debug(message: string, attributes?: LogAttributes): void {
    this.logger.debug(message, this.#attributes(attributes));
  }
  info(message: string, attributes?: LogAttributes): void {
    this.logger.info(message, this.#attributes(attributes));
  }
  warn(message: string, attributes?: LogAttributes): void {
    this.logger.warn(message, this.#attributes(attributes));
  }
  error(message: string, attributes?: LogAttributes): void {
    this.logger.error(message, this.#attributes(attributes));
  }
  with(keys: LogAttributes): Logger {
    return new KeyedLogger(this.logger, { ...this.keys, ...keys });
  }
  scoped<T>(keys: LogAttributes, work: () => Promise<T>): Promise<T> {
    return scopedKeys.run({ ...scopedKeys.getStore(), ...keys }, work);
  }

  #attributes(attributes: LogAttributes | undefined): LogAttributes {
    return { ...scopedKeys.getStore(), ...this.keys, ...attributes };
  }
}
