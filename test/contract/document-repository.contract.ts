import { beforeEach, describe, expect, it } from 'vitest';
import { moveToSending, type OutgoingDocument } from '../../functions/domain/documents.js';
import { ConflictError, ValidationError, VersionConflictError } from '../../functions/domain/errors.js';
import type { DocumentRepository } from '../../functions/ports/document-repository.js';
import { makeDocument } from '../helpers/document-factory.js';
import { rejection } from '../helpers/rejection.js';

export type DocumentRepositoryFactory = () => Promise<DocumentRepository>;

const toSending = (doc: OutgoingDocument) => moveToSending(doc, { at: '2026-02-02T09:00:00.000Z', by: 'send-documents', sessionReferenceNumber: 'S-1' });

/** The DocumentRepository contract; every adapter must pass it unchanged. */
export function documentRepositoryContract(adapterName: string, makeRepository: DocumentRepositoryFactory): void {
  describe(`DocumentRepository contract: ${adapterName}`, () => {
    let repo: DocumentRepository;

    beforeEach(async () => {
      repo = await makeRepository();
    });

    it('a created document can be read by id and by business key', async () => {
      // Prepare
      const doc = makeDocument({ id: 'doc-1' });
      // Act
      const result = await repo.create(doc);
      // Assess
      expect(result).toEqual({ document: doc, created: true });
      expect(await repo.get('doc-1')).toEqual(doc);
      expect(await repo.findByKey(doc.key)).toEqual(doc);
      expect(await repo.get('doc-2')).toBeUndefined();
      expect(await repo.findByKey({ ...doc.key, invoiceType: 'KOR' })).toBeUndefined();
    });

    it('the same business key with the same content returns the stored document instead of a second one', async () => {
      // Prepare
      const first = makeDocument({ id: 'doc-1' });
      await repo.create(first);
      // Act
      const again = await repo.create(makeDocument({ id: 'doc-2', at: '2026-02-02T09:00:00.000Z' }));
      // Assess
      expect(again).toEqual({ document: first, created: false });
      expect(await repo.get('doc-2')).toBeUndefined();
    });

    it('the same business key with different content is a conflict that carries the stored document', async () => {
      // Prepare
      const first = makeDocument({ id: 'doc-1', hash: Buffer.from('one').toString('base64') });
      await repo.create(first);
      // Act
      const error = await rejection(repo.create(makeDocument({ id: 'doc-2', hash: Buffer.from('two').toString('base64') })));
      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError<OutgoingDocument>).existing).toEqual(first);
    });

    it('invoice numbers that differ only after a # or in type are different keys', async () => {
      // Act
      const a = await repo.create(makeDocument({ id: 'a', fields: { invoiceNumber: 'FV#1' }, hash: 'YQ==' }));
      const b = await repo.create(makeDocument({ id: 'b', fields: { invoiceNumber: 'FV', sellerNip: '5265877635' }, hash: 'Yg==' }));
      const c = await repo.create(makeDocument({ id: 'c', fields: { invoiceNumber: 'FV#1', invoiceType: 'ZAL' }, hash: 'Yw==' }));
      // Assess
      expect([a.created, b.created, c.created]).toEqual([true, true, true]);
    });

    it('ten concurrent creates of one invoice leave one document, and all callers get it', async () => {
      // Act
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => repo.create(makeDocument({ id: `doc-${i}` }))));
      // Assess
      const ids = new Set(results.map((r) => r.document.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const page = await repo.list({ limit: 100 });
      expect(page.items).toHaveLength(1);
    });

    it('an update is conditional on the version and increments it', async () => {
      // Prepare
      const { document } = await repo.create(makeDocument());
      // Act
      const updated = await repo.update(toSending(document), 1);
      const stale = await rejection(repo.update(toSending(document), 1));
      // Assess
      expect(updated.version).toBe(2);
      expect(updated.status).toBe('Sending');
      expect(await repo.get(document.id)).toEqual(updated);
      expect(stale).toBeInstanceOf(VersionConflictError);
      expect((stale as VersionConflictError).actualVersion).toBe(2);
    });

    it('updating a document that does not exist is a version conflict', async () => {
      // Act
      const error = await rejection(repo.update(makeDocument({ id: 'ghost' }), 1));
      // Assess
      expect(error).toBeInstanceOf(VersionConflictError);
    });

    it('documents are listed by issue date, filtered by status and date range, in pages', async () => {
      // Prepare
      const dates = ['2026-02-03', '2026-02-01', '2026-02-02', '2026-02-01', '2026-02-05'];
      for (const [i, issueDate] of dates.entries()) {
        const { document } = await repo.create(makeDocument({ id: `d${i}`, fields: { invoiceNumber: `FV/${i}`, issueDate } }));
        if (i % 2 === 0) await repo.update(toSending(document), 1);
      }
      // Act
      const first = await repo.list({ limit: 2 });
      const second = await repo.list({ limit: 2, cursor: first.nextCursor });
      const third = await repo.list({ limit: 2, cursor: second.nextCursor });
      const sending = await repo.list({ status: 'Sending', limit: 10 });
      const ranged = await repo.list({ issuedFrom: '2026-02-02', issuedTo: '2026-02-03', limit: 10 });
      const pendingFrom = await repo.list({ status: 'Pending', issuedFrom: '2026-02-02', limit: 10 });
      // Assess
      expect([...first.items, ...second.items, ...third.items].map((d) => d.id)).toEqual(['d1', 'd3', 'd2', 'd0', 'd4']);
      expect(third.nextCursor).toBeNull();
      expect(sending.items.map((d) => d.id)).toEqual(['d2', 'd0', 'd4']);
      expect(sending.items.every((d) => d.status === 'Sending')).toBe(true);
      expect(ranged.items.map((d) => d.id)).toEqual(['d2', 'd0']);
      expect(pendingFrom.items.map((d) => d.id)).toEqual([]);
    });

    it('a page exactly at the end says there is no next page', async () => {
      // Prepare
      await repo.create(makeDocument({ id: 'only' }));
      // Act
      const page = await repo.list({ limit: 1 });
      // Assess
      expect(page.items).toHaveLength(1);
      expect(page.nextCursor).toBeNull();
    });

    it('a bad limit, date, or cursor is refused naming the parameter', async () => {
      // Act
      const errors = await Promise.all([
        rejection(repo.list({ limit: 0 })),
        rejection(repo.list({ limit: 10, issuedFrom: '2026-02-30' })),
        rejection(repo.list({ limit: 10, issuedFrom: '2026-02-03', issuedTo: '2026-02-01' })),
        rejection(repo.list({ limit: 10, cursor: 'not-a-cursor' })),
        rejection(repo.list({ limit: 10, cursor: Buffer.from(JSON.stringify({ s: 'ledger', k: '2026-02-01#x' })).toString('base64url') })),
      ]);
      // Assess
      expect(errors.every((e) => e instanceof ValidationError)).toBe(true);
      expect(errors.map((e) => (e as ValidationError).issues[0]?.field)).toEqual(['limit', 'from', 'from', 'cursor', 'cursor']);
    });

    it('a status summary counts the documents in that status and names the first in sending order', async () => {
      // Prepare
      const dates = ['2026-02-03', '2026-02-01', '2026-02-02'];
      for (const [i, issueDate] of dates.entries()) await repo.create(makeDocument({ id: `p${i}`, fields: { invoiceNumber: `FV/${i}`, issueDate } }));
      const moved = await repo.create(makeDocument({ id: 's0', fields: { invoiceNumber: 'FV/S', issueDate: '2026-01-15' } }));
      await repo.update(toSending(moved.document), moved.document.version);
      // Act
      const [pending, sending, accepted] = await Promise.all([repo.summarize('Pending'), repo.summarize('Sending'), repo.summarize('Accepted')]);
      // Assess
      expect({ count: pending.count, first: pending.first?.id }).toEqual({ count: 3, first: 'p1' });
      expect({ count: sending.count, first: sending.first?.id, status: sending.first?.status }).toEqual({ count: 1, first: 's0', status: 'Sending' });
      expect(accepted).toEqual({ count: 0, first: undefined });
    });
  });
}
