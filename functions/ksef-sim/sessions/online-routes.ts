import type { SimContext } from '../context.js';
import { requireAccess, WRITE_PERMISSIONS } from '../auth/bearer.js';
import { PublicKeyUsage } from '../crypto/public-keys.js';
import { aesDecrypt, sha256Base64 } from '../crypto/symmetric.js';
import { badRequest } from '../http/api-error.js';
import { base64Field, jsonBody, requireField } from '../http/body.js';
import type { Router } from '../http/router.js';
import { json, noContent, type SimRequest } from '../http/types.js';
import { newReferenceNumber } from '../numbering/numbers.js';
import type { AuthOperation, SessionInvoice, SimSession } from '../state.js';
import { closedAt } from './session-status.js';

const SUPPORTED_FORMS = new Set(['FA (3)|1-0E|FA', 'FA (2)|1-0E|FA']);
const MAX_INVOICE_BYTES = 1_000_000;
const MAX_INVOICE_WITH_ATTACHMENT_BYTES = 3_000_000;
/** The synchronous refusals the `refuseInvoices` fault can answer with. */
const REFUSAL_CODES = { 21402: 'invalidSize', 21403: 'invalidHash', 21405: 'inputValidation' } as const;

export interface EncryptionInfo {
  encryptedSymmetricKey?: string;
  initializationVector?: string;
  publicKeyId?: string | null;
}

/** Unwraps the session's AES-256 key (RSA-OAEP-SHA256) and checks the IV. */
export function openEncryption(ctx: SimContext, encryption: EncryptionInfo | undefined): { key: Buffer; iv: Buffer } {
  const info = requireField(encryption, 'encryption');
  const wrapped = base64Field(requireField(info.encryptedSymmetricKey, 'encryption.encryptedSymmetricKey'), 'encryption.encryptedSymmetricKey');
  const iv = base64Field(requireField(info.initializationVector, 'encryption.initializationVector'), 'encryption.initializationVector');
  if (iv.length !== 16) throw badRequest('inputValidation', "Pole 'encryption.initializationVector' musi mieć 16 bajtów.");
  const key = ctx.keys.decrypt(PublicKeyUsage.symmetricKeyEncryption, wrapped, info.publicKeyId, ctx.clock.now());
  if (!key || key.length !== 32) throw badRequest('inputValidation', 'Nie udało się odszyfrować klucza symetrycznego (wymagany AES-256 zaszyfrowany RSA-OAEP SHA-256).');
  return { key, iv };
}

export function checkFormCode(formCode: { systemCode?: string; schemaVersion?: string; value?: string } | undefined) {
  const code = requireField(formCode, 'formCode');
  if (!SUPPORTED_FORMS.has(`${code.systemCode}|${code.schemaVersion}|${code.value}`)) {
    throw badRequest('inputValidation', 'Wskazany kod formularza nie jest wspierany.');
  }
  return { systemCode: code.systemCode as string, schemaVersion: code.schemaVersion as string, value: code.value as string };
}

export function findSession(ctx: SimContext, operation: AuthOperation, reference: string | undefined, kind?: SimSession['kind']): SimSession {
  const session = ctx.state.sessions.get(reference ?? '');
  if (!session || session.context.value !== operation.context.value || (kind && session.kind !== kind)) throw badRequest('noSession');
  return session;
}

/**
 * A new session of `kind`, opened with the caller's encryption, in the state and ready for invoices;
 * `batch` gives the batch part of it from the session's opening time.
 */
export function openSession(
  ctx: SimContext,
  operation: AuthOperation,
  init: { readonly kind: SimSession['kind']; readonly formCode: SimSession['formCode']; readonly encryption: EncryptionInfo | undefined; readonly offlineMode: boolean; readonly batch: (now: Date) => SimSession['batch'] },
): SimSession {
  const { key, iv } = openEncryption(ctx, init.encryption);
  const now = ctx.clock.now();
  const session: SimSession = {
    kind: init.kind,
    referenceNumber: newReferenceNumber(init.kind === 'Online' ? 'SO' : 'SB', now),
    context: operation.context,
    authReference: operation.referenceNumber,
    formCode: init.formCode,
    key,
    iv,
    dateCreated: now,
    validUntil: new Date(now.getTime() + ctx.options.sessionTtlMs),
    offlineMode: init.offlineMode,
    invoices: [],
    invoicesByReference: new Map(),
    invoicesByKsefNumber: new Map(),
    dateUpdated: now,
    closedAt: null,
    failure: null,
    upoReferenceNumbers: [],
    batch: init.batch(now),
    work: Promise.resolve(),
  };
  ctx.state.sessions.set(session.referenceNumber, session);
  return session;
}

export function registerOnlineSessionRoutes(router: Router, ctx: SimContext): void {
  router.add('POST', '/sessions/online', (req) => {
    const operation = requireAccess(ctx, req, WRITE_PERMISSIONS);
    const body = jsonBody<{ formCode?: SimSession['formCode']; encryption?: EncryptionInfo }>(req);
    const formCode = checkFormCode(body.formCode);
    const session = openSession(ctx, operation, { kind: 'Online', formCode, encryption: body.encryption, offlineMode: false, batch: () => null });
    return json(201, { referenceNumber: session.referenceNumber, validUntil: session.validUntil.toISOString() });
  });

  router.add('POST', '/sessions/online/{referenceNumber}/invoices', (req) => sendInvoice(ctx, req));

  router.add('POST', '/sessions/online/{referenceNumber}/close', (req) => {
    const operation = requireAccess(ctx, req, WRITE_PERMISSIONS);
    const session = findSession(ctx, operation, req.params.referenceNumber, 'Online');
    if (closedAt(ctx, session) || session.failure) throw badRequest('sessionState', 'Sesja jest już zamknięta.');
    const now = ctx.clock.now();
    session.closedAt = now;
    session.dateUpdated = now;
    const fault = ctx.faults.take('failSessions');
    if (fault) session.failure = { code: fault.code ?? 500, description: fault.description ?? `Nieznany błąd (${fault.code ?? 500})` };
    return noContent();
  });
}

interface SendInvoiceRequest {
  invoiceHash?: string;
  invoiceSize?: number;
  encryptedInvoiceHash?: string;
  encryptedInvoiceSize?: number;
  encryptedInvoiceContent?: string;
  offlineMode?: boolean;
  hashOfCorrectedInvoice?: string | null;
}

function sendInvoice(ctx: SimContext, req: SimRequest) {
  const operation = requireAccess(ctx, req, WRITE_PERMISSIONS);
  const session = findSession(ctx, operation, req.params.referenceNumber, 'Online');
  if (closedAt(ctx, session) || session.failure) throw badRequest('sessionState', 'Sesja nie przyjmuje już faktur.');
  const body = jsonBody<SendInvoiceRequest>(req);
  const encrypted = base64Field(requireField(body.encryptedInvoiceContent, 'encryptedInvoiceContent'), 'encryptedInvoiceContent');
  const invoiceHash = requireField(body.invoiceHash, 'invoiceHash');
  const invoiceSize = requireField(body.invoiceSize, 'invoiceSize');
  const limit = ctx.state.maxInvoicesByContext.get(session.context.value) ?? ctx.options.maxInvoicesPerSession;
  if (session.invoices.length >= limit) throw badRequest('invoiceLimit', `Limit faktur w sesji wynosi ${limit}.`);
  if (encrypted.length !== body.encryptedInvoiceSize) throw badRequest('invalidSize', `Rozmiar zaszyfrowanej faktury wynosi ${encrypted.length} B, zadeklarowano ${body.encryptedInvoiceSize}.`);
  if (sha256Base64(encrypted) !== body.encryptedInvoiceHash) throw badRequest('invalidHash', 'Skrót zaszyfrowanej faktury nie zgadza się z zadeklarowanym.');
  let xml: Buffer;
  try {
    xml = aesDecrypt(session.key, session.iv, encrypted);
  } catch {
    xml = Buffer.alloc(0);
  }
  const decrypted = xml.length > 0;
  if (decrypted && xml.length !== invoiceSize) throw badRequest('invalidSize', `Rozmiar faktury wynosi ${xml.length} B, zadeklarowano ${invoiceSize}.`);
  if (decrypted && sha256Base64(xml) !== invoiceHash) throw badRequest('invalidHash', 'Skrót faktury nie zgadza się z zadeklarowanym.');
  if (xml.length > MAX_INVOICE_WITH_ATTACHMENT_BYTES) throw badRequest('invalidSize', `Faktura przekracza ${MAX_INVOICE_BYTES} B.`);
  if (body.hashOfCorrectedInvoice) checkTechnicalCorrection(ctx, body);
  const refusal = ctx.faults.take('refuseInvoices');
  if (refusal) throw badRequest(REFUSAL_CODES[refusal.code ?? 21405], ...(refusal.details ?? ['Symulowana odmowa przyjęcia faktury.']));
  const now = ctx.clock.now();
  const stuck = ctx.faults.take('stuckInvoices');
  const invoice: SessionInvoice = {
    ordinalNumber: session.invoices.length + 1,
    referenceNumber: newReferenceNumber('EE', now),
    sessionReferenceNumber: session.referenceNumber,
    invoiceHash,
    invoiceSize,
    invoiceFileName: null,
    invoicingDate: now,
    offlineMode: body.offlineMode === true,
    hashOfCorrectedInvoice: body.hashOfCorrectedInvoice ?? null,
    result: null,
    visibleAt: null,
    stuckPolls: stuck?.polls ?? 0,
    stuckUntil: stuck?.ms ? new Date(now.getTime() + stuck.ms) : null,
  };
  session.invoices.push(invoice);
  session.invoicesByReference.set(invoice.referenceNumber, invoice);
  session.dateUpdated = now;
  if (decrypted) {
    ctx.processor.submit(session, invoice, xml);
  } else {
    invoice.result = { kind: 'rejected', status: { code: 435, description: 'Błąd odszyfrowania pliku' }, invoiceNumber: null, invoicingMode: null };
    invoice.visibleAt = new Date(now.getTime() + ctx.options.delays.processingMs);
  }
  return json(202, { referenceNumber: invoice.referenceNumber });
}

/** A technical correction must be offline and correct an invoice that was rejected (once). */
function checkTechnicalCorrection(ctx: SimContext, body: SendInvoiceRequest): void {
  if (body.offlineMode !== true) throw badRequest('technicalCorrectionUnavailable', 'Korekta techniczna dotyczy wyłącznie faktur offline.');
  for (const session of ctx.state.sessions.values()) {
    for (const invoice of session.invoices) {
      if (invoice.hashOfCorrectedInvoice === body.hashOfCorrectedInvoice && invoice.result?.kind !== 'rejected') {
        throw badRequest('technicalCorrectionStatus', 'Faktura została już skorygowana.');
      }
    }
  }
}
