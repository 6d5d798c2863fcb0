import { Worker } from 'node:worker_threads';
import { KsefJobError } from '../../domain/errors.js';
import { loadSchema, type LoadedSchema, type XsdSchemaName } from './xsd-schemas.js';

export interface XsdIssue {
  /** 1-based line in the validated document, when libxml2 reports one. */
  readonly line: number | null;
  readonly message: string;
}

export interface XsdResult {
  readonly valid: boolean;
  readonly errors: readonly XsdIssue[];
}

export class XsdValidatorError extends KsefJobError {}

export interface XmllintXsdValidatorOptions {
  /** Documents per xmllint run; a run costs a schema compile (~80 ms) plus ~0.5 ms per invoice. */
  readonly maxBatch?: number;
  /** Warm worker threads, i.e. xmllint runs at once. */
  readonly concurrency?: number;
  readonly schemasDir?: string;
}

interface RunResult {
  readonly id: number;
  readonly exitCode: number;
  readonly stderr: string;
}

const WORKER_URL = new URL('./xmllint-warm-worker.mjs', import.meta.url);

/** One worker thread that keeps the libxml2 WebAssembly module compiled between runs. */
class WarmXmllintWorker {
  private readonly worker = new Worker(WORKER_URL);
  private readonly waiting = new Map<number, { resolve: (r: RunResult) => void; reject: (e: unknown) => void }>();
  private nextId = 1;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (message: { kind?: string } & RunResult) => {
      if (message?.kind !== 'ksef-xmllint-result') return;
      this.waiting.get(message.id)?.resolve(message);
      this.waiting.delete(message.id);
    });
    this.worker.on('error', (error) => {
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    });
  }

  run(inputFiles: readonly { fileName: string; contents: string }[], args: readonly string[]): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise<RunResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'ksef-xmllint-run', id, inputFiles, args, initialMemory: INITIAL_MEMORY_PAGES, maxMemory: MAX_MEMORY_PAGES });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

interface Pending {
  readonly xml: string;
  readonly resolve: (result: XsdResult) => void;
  readonly reject: (error: unknown) => void;
}

const INITIAL_MEMORY_PAGES = 256; // 16 MiB
const MAX_MEMORY_PAGES = 16384; // 1 GiB of WebAssembly memory for large batches.

/**
 * XSD validation with libxml2 (xmllint-wasm). The package's own `validateXML` starts a worker and
 * compiles the WebAssembly on every call (~450 ms here); this validator keeps `concurrency` worker
 * threads with the module compiled, and coalesces concurrent `validate` calls into one xmllint run
 * over many documents, so the schema compile is paid once per batch, not once per invoice.
 */
export class XmllintXsdValidator {
  private readonly maxBatch: number;
  private readonly concurrency: number;
  private readonly schemasDir: string | undefined;
  private readonly schemas = new Map<XsdSchemaName, LoadedSchema>();
  private readonly queues = new Map<XsdSchemaName, Pending[]>();
  private readonly idle: WarmXmllintWorker[] = [];
  private workers = 0;
  private flushScheduled = false;
  private closed = false;

  constructor(options: XmllintXsdValidatorOptions = {}) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.concurrency = options.concurrency ?? 2;
    this.schemasDir = options.schemasDir;
  }

  /** Validates one document; calls made in the same tick share an xmllint run. */
  validate(schema: XsdSchemaName, xml: string): Promise<XsdResult> {
    if (this.closed) return Promise.reject(new XsdValidatorError('The validator is closed.'));
    return new Promise<XsdResult>((resolve, reject) => {
      const queue = this.queues.get(schema) ?? [];
      queue.push({ xml, resolve, reject });
      this.queues.set(schema, queue);
      this.scheduleFlush();
    });
  }

  validateMany(schema: XsdSchemaName, xmls: readonly string[]): Promise<XsdResult[]> {
    return Promise.all(xmls.map((xml) => this.validate(schema, xml)));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.pump();
    });
  }

  /** Stops the worker threads; pending validations still finish. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((w) => w.terminate()));
  }

  private takeWorker(): WarmXmllintWorker | undefined {
    const worker = this.idle.pop();
    if (worker) return worker;
    if (this.workers >= this.concurrency) return undefined;
    this.workers++;
    return new WarmXmllintWorker();
  }

  private pump(): void {
    for (const [schema, queue] of this.queues) {
      while (queue.length > 0) {
        const worker = this.takeWorker();
        if (!worker) return;
        const batch = queue.splice(0, this.maxBatch);
        void this.runBatch(worker, schema, batch).finally(() => {
          if (this.closed) {
            this.workers--;
            void worker.terminate();
          } else {
            this.idle.push(worker);
          }
          this.pump();
        });
      }
    }
  }

  private schema(name: XsdSchemaName): LoadedSchema {
    let loaded = this.schemas.get(name);
    if (!loaded) {
      loaded = loadSchema(name, this.schemasDir);
      this.schemas.set(name, loaded);
    }
    return loaded;
  }

  private async runBatch(worker: WarmXmllintWorker, schemaName: XsdSchemaName, batch: readonly Pending[]): Promise<void> {
    // libxml2 reports a document that is not well-formed as a parser error on its own lines and
    // goes on with the next document, so the batch is shared as it is.
    const wellFormed = batch.map((pending, i) => ({ pending, fileName: `doc_${i + 1}.xml` }));
    if (wellFormed.length === 0) return;
    try {
      const schema = this.schema(schemaName);
      const documents = wellFormed.map((d) => ({ fileName: d.fileName, contents: d.pending.xml }));
      const result = await worker.run(
        [...documents, { fileName: schema.fileName, contents: schema.contents }, ...schema.preload],
        ['--schema', schema.fileName, '--noout', ...documents.map((d) => d.fileName)],
      );
      if (![0, 1, 3, 4].includes(result.exitCode)) {
        throw new XsdValidatorError(`xmllint stopped with exit code ${result.exitCode}: ${result.stderr.slice(0, 500)}`);
      }
      const perFile = splitOutput(result.stderr, wellFormed.map((d) => d.fileName));
      for (const doc of wellFormed) {
        const outcome = perFile.get(doc.fileName);
        doc.pending.resolve(outcome ?? { valid: false, errors: [{ line: null, message: 'xmllint gave no verdict for the document.' }] });
      }
    } catch (error) {
      const failure = new XsdValidatorError(`XSD validation could not run: ${(error as Error).message}`, { cause: error });
      for (const doc of wellFormed) doc.pending.reject(failure);
    }
  }
}

/** Splits xmllint's stderr (`name:line: message`, `name validates`, `name fails to validate`) per document. */
function splitOutput(rawOutput: string, fileNames: readonly string[]): Map<string, XsdResult> {
  const errors = new Map<string, XsdIssue[]>(fileNames.map((f) => [f, []]));
  const validFiles = new Set<string>();
  for (const line of rawOutput.split('\n')) {
    if (line.endsWith(' validates')) {
      validFiles.add(line.slice(0, -' validates'.length));
      continue;
    }
    if (line.endsWith(' fails to validate')) continue;
    const match = /^([^:]+\.xml):(\d+): (.*)$/.exec(line);
    if (match) {
      errors.get(match[1] as string)?.push({ line: Number(match[2]), message: (match[3] as string).trim() });
    }
  }
  return new Map(
    fileNames.map((f) => {
      const issues = errors.get(f) ?? [];
      const valid = validFiles.has(f) && issues.length === 0;
      return [f, { valid, errors: valid ? [] : issues.length ? issues : [{ line: null, message: 'The document failed XSD validation.' }] }];
    }),
  );
}
