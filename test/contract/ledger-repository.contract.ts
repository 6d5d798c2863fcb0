import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/domain/errors.js';
import type { LedgerRepository } from '../../functions/ports/ledger-repository.js';
import { makeLedgerRow } from '../helpers/document-factory.js';

export type LedgerRepositoryFactory = () => Promise<LedgerRepository>;

const ksefNumber = (n: number) => `5265877635-20260202-0100001AF6${String(n).padStart(2, '0')}-AF`;

/** The LedgerRepository contract; every adapter must pass it unchanged. */
export function ledgerRepositoryContract(adapterName: string, makeRepository: LedgerRepositoryFactory): void {
  describe(`LedgerRepository contract: ${adapterName}`, () => {
    let repo: LedgerRepository;

    beforeEach(async () => {
      repo = await makeRepository();
    });

    it('a row is stored per KSeF number and a later put replaces it whole', async () => {
      // Prepare
      await repo.put(makeLedgerRow(ksefNumber(1)));
      // Act
      const replaced = makeLedgerRow(ksefNumber(1), { upoPresent: true, flags: ['MissingInKsef'], updatedAt: '2026-02-03T00:00:00.000Z' });
      await repo.put(replaced);
      // Assess
      expect(await repo.get(ksefNumber(1))).toEqual(replaced);
      expect((await repo.list({ limit: 10 })).items).toEqual([replaced]);
      expect(await repo.get(ksefNumber(2))).toBeUndefined();
    });

    it('rows of both directions are listed together by issue date, in pages', async () => {
      // Prepare
      await repo.put(makeLedgerRow(ksefNumber(1), { issueDate: '2026-02-05' }));
      await repo.put(makeLedgerRow(ksefNumber(2), { issueDate: '2026-02-01', direction: 'Incoming', status: 'Received' }));
      await repo.put(makeLedgerRow(ksefNumber(3), { issueDate: '2026-02-03' }));
      // Act
      const first = await repo.list({ limit: 1 });
      const rest = await repo.list({ limit: 5, cursor: first.nextCursor });
      const ranged = await repo.list({ limit: 5, issuedFrom: '2026-02-02', issuedTo: '2026-02-04' });
      // Assess
      expect([...first.items, ...rest.items].map((r) => r.ksefNumber)).toEqual([ksefNumber(2), ksefNumber(3), ksefNumber(1)]);
      expect(rest.nextCursor).toBeNull();
      expect(ranged.items.map((r) => r.ksefNumber)).toEqual([ksefNumber(3)]);
    });

    it('a cursor of another listing is refused', async () => {
      // Prepare
      const documentsCursor = Buffer.from(JSON.stringify({ s: 'documents', k: '2026-02-01#doc-1' })).toString('base64url');
      // Act
      const error = await repo.list({ limit: 5, cursor: documentsCursor }).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([{ field: 'cursor', reason: 'belongs to another listing' }]);
    });
  });
}
