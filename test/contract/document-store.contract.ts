import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/domain/errors.js';
import { documentBlobKeys, type DocumentStore } from '../../functions/ports/document-store.js';

export type DocumentStoreFactory = () => Promise<DocumentStore>;

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (content: Uint8Array | undefined) => (content === undefined ? undefined : new TextDecoder().decode(content));

/** The DocumentStore contract; every adapter must pass it unchanged. */
export function documentStoreContract(adapterName: string, makeStore: DocumentStoreFactory): void {
  describe(`DocumentStore contract: ${adapterName}`, () => {
    let store: DocumentStore;

    beforeEach(async () => {
      store = await makeStore();
    });

    it('a stored blob reads back byte for byte, and a missing one reads as undefined', async () => {
      // Prepare
      const key = documentBlobKeys.outgoingXml('q83vEjRWeJA=');
      const xml = '<?xml version="1.0" encoding="UTF-8"?><Faktura>zażółć gęślą jaźń</Faktura>';
      // Act
      await store.put(key, bytes(xml));
      // Assess
      expect(text(await store.get(key))).toBe(xml);
      expect(await store.get(documentBlobKeys.invoiceUpo('5265877635-20260202-0100001AF629-AF'))).toBeUndefined();
    });

    it('putting the same bytes again is a no-op, so a retried step succeeds', async () => {
      // Prepare
      const key = documentBlobKeys.incomingXml('5265877635-20260202-0100001AF629-AF');
      await store.put(key, bytes('<a/>'));
      // Act
      await store.put(key, bytes('<a/>'));
      // Assess
      expect(text(await store.get(key))).toBe('<a/>');
    });

    it('different bytes at a taken key are refused and the first content stays', async () => {
      // Prepare
      const key = documentBlobKeys.sessionUpo('20260202-SO-0000000001-0000000001-01', 1);
      await store.put(key, bytes('<first/>'));
      // Act
      const error = await store.put(key, bytes('<second/>')).catch((e: unknown) => e);
      // Assess
      expect(error).toBeInstanceOf(ConflictError);
      expect(text(await store.get(key))).toBe('<first/>');
    });

    it('concurrent puts of the same blob all succeed and leave it intact', async () => {
      // Prepare
      const key = documentBlobKeys.invoiceUpo('5265877635-20260202-0100001AF629-AF');
      const content = bytes(`<Upo>${'x'.repeat(100_000)}</Upo>`);
      // Act
      await Promise.all(Array.from({ length: 8 }, () => store.put(key, content)));
      // Assess
      expect(text(await store.get(key))).toBe(text(content));
    });

    it('keys that could leave the store are refused before any I/O', async () => {
      // Act
      const errors = await Promise.all(
        ['../etc/passwd', 'outgoing/../../x.xml', '/outgoing/a.xml', 'outgoing/a.txt', 'other/a.xml', 'outgoing/.hidden.xml'].map((key) =>
          store.get(key).catch((e: unknown) => e),
        ),
      );
      const putError = await store.put('outgoing/../x.xml', bytes('<a/>')).catch((e: unknown) => e);
      // Assess
      expect(errors.every((e) => e instanceof RangeError)).toBe(true);
      expect(putError).toBeInstanceOf(RangeError);
    });
  });
}
