import { encryptInvoice, generateSymmetricKey } from '../../functions/adapters/ksef/client/crypto/primitives.js';
import { XmllintXsdValidator } from '../../functions/adapters/xml/xmllint-xsd-validator.js';
import { makeInvoiceBatch } from '../helpers/fa3-invoice-factory.js';
import type { BenchLine } from './report.js';
import { timed } from './timing.js';

const TARGET = { op: '>=', value: 1000 } as const;

export interface ValidateEncryptOptions {
  /** Invoices per validator batch (what one send-documents run or a burst of submissions hands it). */
  readonly batchSize: number;
  readonly batches: number;
  /** Also measure the validator's default of two workers (skipped by the quick run). */
  readonly twoWorkers: boolean;
}

/**
 * Validate (FA(3) XSD, xmllint-wasm in warm workers) + encrypt (AES-256-CBC) + hash (SHA-256 of the
 * plain and the encrypted invoice): the per-invoice work before a send. Measured with one warm
 * worker (one core) and with the validator's default of two, after a warm-up batch that pays the
 * WebAssembly compile. The crypto is the client's own `encryptInvoice`.
 */
export async function measureValidateEncryptHash(options: ValidateEncryptOptions): Promise<BenchLine[]> {
  const invoices = makeInvoiceBatch(options.batchSize * options.batches, { prefix: 'FV/BENCH' });
  const total = invoices.length;
  const batches = Array.from({ length: options.batches }, (_, i) => invoices.slice(i * options.batchSize, (i + 1) * options.batchSize));
  const lines: BenchLine[] = [];
  const line = (name: string, perSecond: number, note: string, target = false): BenchLine => ({
    section: 'throughput',
    name,
    value: perSecond,
    unit: 'invoices/s',
    ...(target ? { target: TARGET } : {}),
    note,
  });

  const secret = generateSymmetricKey();
  for (const xml of invoices.slice(0, 200)) encryptInvoice(secret, xml);
  const crypto = await timed(() => {
    let bytes = 0;
    for (const xml of invoices) bytes += encryptInvoice(secret, xml).encryptedInvoiceSize;
    return bytes;
  });
  lines.push(line('encrypt + hash only', (total / crypto.wallMs) * 1000, `${((crypto.wallMs * 1000) / total).toFixed(1)} µs/invoice wall, ${((crypto.cpuMs * 1000) / total).toFixed(1)} µs CPU, ${Math.round(crypto.result / total)} B encrypted`));

  for (const concurrency of options.twoWorkers ? [1, 2] : [1]) {
    const validator = new XmllintXsdValidator({ concurrency, maxBatch: options.batchSize });
    try {
      await validator.validateMany('fa3', invoices.slice(0, Math.min(50, options.batchSize)));
      const validateOnly = await timed(async () => {
        for (const batch of batches) await validator.validateMany('fa3', batch);
      });
      const full = await timed(async () => {
        let valid = 0;
        for (const batch of batches) {
          const verdicts = await validator.validateMany('fa3', batch);
          for (let i = 0; i < batch.length; i++) {
            if (!verdicts[i]?.valid) continue;
            valid++;
            encryptInvoice(secret, batch[i] as string);
          }
        }
        return valid;
      });
      if (full.result !== total) throw new Error(`only ${full.result} of ${total} factory invoices validated`);
      const workers = `${concurrency} worker${concurrency > 1 ? 's' : ''}`;
      if (concurrency === 1) {
        lines.push(line(`validate only, ${workers}`, (total / validateOnly.wallMs) * 1000, `${((validateOnly.wallMs * 1000) / total).toFixed(0)} µs/invoice wall, batches of ${options.batchSize}`));
        lines.push(line(`validate + encrypt + hash, ${workers}, wall`, (total / full.wallMs) * 1000, `${total} invoices in ${options.batches} batches of ${options.batchSize}; wall clock on a loaded machine`, true));
        lines.push(line(`validate + encrypt + hash, ${workers}, CPU`, (total / full.cpuMs) * 1000, `invoices per CPU-second of the whole process (all threads): the one-core figure`, true));
      } else {
        // Batches one after the other keep one worker busy; two batches at once use both.
        const parallel = await timed(async () => {
          await Promise.all(
            batches.map(async (batch) => {
              const verdicts = await validator.validateMany('fa3', batch);
              batch.forEach((xml, i) => verdicts[i]?.valid && encryptInvoice(secret, xml));
            }),
          );
        });
        lines.push(line(`validate + encrypt + hash, ${workers}, wall`, (total / parallel.wallMs) * 1000, `batches submitted together, so both workers run`));
      }
    } finally {
      await validator.close();
    }
  }
  return lines;
}
