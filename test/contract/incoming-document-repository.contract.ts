import { beforeEach, describe, expect, it } from 'vitest';
import type { IncomingDocumentRepository } from '../../functions/ports/incoming-document-repository.js';
import { makeIncoming } from '../helpers/document-factory.js';

export type IncomingDocumentRepositoryFactory = () => Promise<IncomingDocumentRepository>;

const ksefNumber = (n: number) => `1111111111-20260203-0100001AF6${String(n).padStart(2, '0')}-AF`;

/** The IncomingDocumentRepository contract; every adapter must pass it unchanged. */
export function incomingDocumentRepositoryContract(adapterName: string, makeRepository: IncomingDocumentRepositoryFactory): void {
  describe(`IncomingDocumentRepository contract: ${adapterName}`, () => {
    let repo: IncomingDocumentRepository;

    beforeEach(async () => {
      repo = await makeRepository();
    });

    it('an added purchase invoice reads back by its KSeF number', async () => {
      // Prepare
      const doc = makeIncoming(ksefNumber(1));
      // Act
      const result = await repo.add(doc);
      // Assess
      expect(result).toEqual({ document: doc, added: true });
      expect(await repo.get(ksefNumber(1))).toEqual(doc);
      expect(await repo.get(ksefNumber(2))).toBeUndefined();
    });

    it('adding a KSeF number again adds nothing and keeps the first copy', async () => {
      // Prepare
      const first = makeIncoming(ksefNumber(1));
      await repo.add(first);
      // Act
      const again = await repo.add({ ...first, receivedAt: '2026-02-04T00:00:00.000Z' });
      const concurrent = await Promise.all([repo.add(makeIncoming(ksefNumber(2))), repo.add(makeIncoming(ksefNumber(2)))]);
      // Assess
      expect(again).toEqual({ document: first, added: false });
      expect(concurrent.filter((r) => r.added)).toHaveLength(1);
      expect((await repo.list({ limit: 10 })).items).toHaveLength(2);
    });

    it('purchase invoices are listed by issue date in pages and filtered by date', async () => {
      // Prepare
      await repo.add(makeIncoming(ksefNumber(1), { issueDate: '2026-02-03' }));
      await repo.add(makeIncoming(ksefNumber(2), { issueDate: '2026-02-01' }));
      await repo.add(makeIncoming(ksefNumber(3), { issueDate: '2026-02-02' }));
      // Act
      const first = await repo.list({ limit: 2 });
      const second = await repo.list({ limit: 2, cursor: first.nextCursor });
      const ranged = await repo.list({ limit: 10, issuedTo: '2026-02-02' });
      // Assess
      expect([...first.items, ...second.items].map((d) => d.ksefNumber)).toEqual([ksefNumber(2), ksefNumber(3), ksefNumber(1)]);
      expect(second.nextCursor).toBeNull();
      expect(ranged.items.map((d) => d.ksefNumber)).toEqual([ksefNumber(2), ksefNumber(3)]);
    });
  });
}
