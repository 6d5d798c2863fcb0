import type { Clock } from '../../ports/clock.js';
import type { XmllintXsdValidator, XsdResult } from '../../adapters/xml/xmllint-xsd-validator.js';
import { readFormCode, readInvoiceFacts } from '../invoices/fa3-facts.js';
import { newKsefNumber, warsawDay } from '../numbering/numbers.js';
import type { FaultInjector } from '../faults/faults.js';
import type { ResolvedOptions } from '../options.js';
import { duplicateKey, type InvoiceFacts, type InvoiceResult, type SessionInvoice, type SimSession, type SimState, type StatusInfo } from '../state.js';
import { INVOICE_STATUS } from './invoice-status.js';

interface Job {
  readonly session: SimSession;
  readonly invoice: SessionInvoice;
  readonly xml: Buffer;
  /** Taken from an injected `cancelInvoices` fault when the invoice arrived: how it ends. */
  readonly cancelled: StatusInfo | null;
}

const MAX_BATCH = 1000;

/**
 * Checks received invoices in the background, in the order they arrived: XML rules, the FA(3)
 * XSD (validated in batches), the form code, the issue date, attachments, duplicates; then gives
 * the KSeF number. The duplicate rule needs arrival order, so one batch is decided at a time.
 */
export class InvoiceProcessor {
  private readonly queue: Job[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly state: SimState,
    private readonly clock: Clock,
    private readonly validator: XmllintXsdValidator,
    private readonly options: ResolvedOptions,
    private readonly faults: FaultInjector,
  ) {}

  submit(session: SimSession, invoice: SessionInvoice, xml: Buffer): void {
    this.queue.push({ session, invoice, xml, cancelled: this.cancelFault() });
    if (!this.draining) this.draining = this.drain().finally(() => (this.draining = null));
  }

  /** Resolves when every invoice submitted so far has a result. */
  async settle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // Let the request that submitted the invoice answer before the heavy work starts.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      const texts = batch.map((job) => job.xml.toString('utf8'));
      let verdicts: readonly XsdResult[];
      try {
        verdicts = await this.validator.validateMany('fa3', texts);
      } catch (error) {
        verdicts = batch.map(() => ({ valid: false, errors: [{ line: null, message: `Walidacja XSD nie powiodła się: ${(error as Error).message}` }] }));
      }
      batch.forEach((job, i) => this.decide(job, texts[i] as string, verdicts[i] as XsdResult));
    }
  }

  private decide(job: Job, text: string, verdict: XsdResult): void {
    const { session, invoice } = job;
    const now = this.clock.now();
    const visibleAt = new Date(Math.max(now.getTime(), invoice.invoicingDate.getTime() + this.options.delays.processingMs));
    invoice.visibleAt = visibleAt;
    if (session.failure) {
      invoice.result = reject(INVOICE_STATUS.sessionFailed, null, null);
      return;
    }
    if (job.cancelled) {
      // Cancelled before any check: no KSeF number and no duplicate key, so a resend is a new invoice.
      invoice.result = reject(job.cancelled, null, null);
      return;
    }
    const problem = xmlRuleProblem(job.xml);
    if (problem) {
      invoice.result = reject({ ...INVOICE_STATUS.fileVerification, details: [problem] }, null, null);
      return;
    }
    if (!verdict.valid) {
      const details = verdict.errors.map((e) => (e.line ? `Linia ${e.line}: ${e.message}` : e.message));
      invoice.result = reject({ ...INVOICE_STATUS.fileVerification, details: ['Dokument nie jest zgodny ze schemą (xsd).', ...details] }, null, null);
      return;
    }
    let facts: InvoiceFacts;
    try {
      facts = readInvoiceFacts(text);
    } catch (error) {
      invoice.result = reject({ ...INVOICE_STATUS.fileVerification, details: [(error as Error).message] }, null, null);
      return;
    }
    const formCode = readFormCode(text);
    if (!formCode || formCode.systemCode !== session.formCode.systemCode || formCode.schemaVersion !== session.formCode.schemaVersion) {
      invoice.result = reject(
        { ...INVOICE_STATUS.fileVerification, details: [`Kod formularza faktury (${formCode?.systemCode ?? '?'}) nie odpowiada kodowi formularza sesji (${session.formCode.systemCode}).`] },
        facts.invoiceNumber,
        null,
      );
      return;
    }
    const receivedDay = warsawDay(invoice.invoicingDate);
    if (facts.issueDate > receivedDay) {
      invoice.result = reject({ ...INVOICE_STATUS.semantic, details: [`Data wystawienia faktury (P_1 = ${facts.issueDate}) jest późniejsza niż data przyjęcia (${receivedDay}).`] }, facts.invoiceNumber, null);
      return;
    }
    if (facts.hasAttachment && session.kind === 'Online' && !invoice.hashOfCorrectedInvoice) {
      invoice.result = reject({ ...INVOICE_STATUS.attachmentNotAllowed, details: ['Faktury z załącznikiem można wysyłać tylko w sesji wsadowej.'] }, facts.invoiceNumber, null);
      return;
    }
    // Automatic offline marking: an invoice issued on an earlier day than it reached KSeF.
    const invoicingMode = invoice.offlineMode || facts.issueDate < receivedDay ? 'Offline' : 'Online';
    const original = this.state.invoicesByDuplicateKey.get(duplicateKey(facts));
    if (original) {
      invoice.result = reject(
        {
          ...INVOICE_STATUS.duplicate,
          details: [`Duplikat faktury. Faktura o numerze KSeF: ${original.ksefNumber} została już prawidłowo przesłana do systemu w sesji: ${original.sessionReferenceNumber ?? '-'}`],
          extensions: { originalSessionReferenceNumber: original.sessionReferenceNumber, originalKsefNumber: original.ksefNumber },
        },
        facts.invoiceNumber,
        invoicingMode,
      );
      return;
    }
    const acquisitionDate = visibleAt;
    const stored = {
      ksefNumber: newKsefNumber(facts.sellerNip, acquisitionDate),
      xml: job.xml,
      invoiceHash: invoice.invoiceHash,
      facts,
      formCode: session.formCode,
      invoicingDate: invoice.invoicingDate,
      acquisitionDate,
      permanentStorageDate: new Date(acquisitionDate.getTime() + this.options.delays.permanentStorageMs),
      invoicingMode,
      hashOfCorrectedInvoice: invoice.hashOfCorrectedInvoice,
      sessionReferenceNumber: session.referenceNumber,
    } as const;
    this.state.storeInvoice(stored);
    session.invoicesByKsefNumber.set(stored.ksefNumber, invoice);
    invoice.result = { kind: 'accepted', stored };
  }

  /** The status an injected `cancelInvoices` fault ends the next invoice with, if one is armed. */
  private cancelFault(): StatusInfo | null {
    const fault = this.faults.take('cancelInvoices');
    if (!fault) return null;
    const base = fault.code === 405 ? INVOICE_STATUS.sessionFailed : INVOICE_STATUS.cancelledBySystem;
    return { ...base, description: fault.description ?? base.description };
  }
}

function reject(status: StatusInfo, invoiceNumber: string | null, invoicingMode: 'Online' | 'Offline' | null): InvoiceResult {
  return { kind: 'rejected', status, invoiceNumber, invoicingMode };
}

/** KSeF's XML rules beyond the XSD: UTF-8 without BOM, no other declared encoding, no processing instructions. */
function xmlRuleProblem(xml: Buffer): string | null {
  if (xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf) return 'Plik zawiera znacznik BOM; wymagane jest kodowanie UTF-8 bez BOM.';
  const head = xml.subarray(0, 200).toString('latin1');
  const declared = /^<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(head)?.[1];
  if (declared && declared.toLowerCase() !== 'utf-8') return `Deklarowane kodowanie ${declared} jest niedozwolone; wymagane UTF-8.`;
  const body = xml.toString('utf8').replace(/^<\?xml[^>]*\?>/, '');
  if (/<\?(?!xml\b)[^>]*\?>/.test(body)) return 'Dokument zawiera instrukcje przetwarzania, które są niedozwolone.';
  return null;
}
