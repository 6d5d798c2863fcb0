import { warsawIso } from '../numbering/numbers.js';
import type { AuthOperation, SimSession, StoredInvoice } from '../state.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const UPO_PAGE_SIZE = 10_000;

/** A UPO v4-3 `Potwierdzenie` for one invoice or one page of a session (valid against upo-v4-3.xsd). */
export function buildUpoXml(
  session: SimSession,
  auth: AuthOperation | undefined,
  documents: readonly { readonly stored: StoredInvoice; readonly ordinal: number }[],
  page?: { readonly number: number; readonly pages: number; readonly total: number },
): string {
  const context = session.context;
  const idTag = context.type === 'Nip' ? 'Nip' : context.type === 'InternalId' ? 'IdWewnetrzny' : context.type === 'NipVatUe' ? 'IdZlozonyVatUE' : 'IdDostawcyUslugPeppol';
  const authLine = auth?.tokenReference
    ? `<NumerReferencyjnyTokenaKSeF>${auth.tokenReference}</NumerReferencyjnyTokenaKSeF>`
    : `<SkrotDokumentuUwierzytelniajacego>${auth?.authDocumentHash ?? 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='}</SkrotDokumentuUwierzytelniajacego>`;
  const description = page
    ? `\n\t<OpisPotwierdzenia>\n\t\t<Strona>${page.number}</Strona>\n\t\t<LiczbaStron>${page.pages}</LiczbaStron>\n\t\t<ZakresDokumentowOd>${documents[0]?.ordinal ?? 0}</ZakresDokumentowOd>\n\t\t<ZakresDokumentowDo>${documents[documents.length - 1]?.ordinal ?? 0}</ZakresDokumentowDo>\n\t\t<CalkowitaLiczbaDokumentow>${page.total}</CalkowitaLiczbaDokumentow>\n\t</OpisPotwierdzenia>`
    : '';
  const docs = documents
    .map(
      ({ stored }) => `
	<Dokument>
		<NipSprzedawcy>${stored.facts.sellerNip}</NipSprzedawcy>
		<NumerKSeFDokumentu>${stored.ksefNumber}</NumerKSeFDokumentu>
		<NumerFaktury>${esc(stored.facts.invoiceNumber)}</NumerFaktury>
		<DataWystawieniaFaktury>${stored.facts.issueDate}</DataWystawieniaFaktury>
		<DataPrzeslaniaDokumentu>${warsawIso(stored.invoicingDate)}</DataPrzeslaniaDokumentu>
		<DataNadaniaNumeruKSeF>${warsawIso(stored.acquisitionDate)}</DataNadaniaNumeruKSeF>
		<SkrotDokumentu>${stored.invoiceHash}</SkrotDokumentu>
		<TrybWysylki>${stored.invoicingMode}</TrybWysylki>
	</Dokument>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<Potwierdzenie xmlns="http://upo.schematy.mf.gov.pl/KSeF/v4-3">
	<NazwaPodmiotuPrzyjmujacego>Ministerstwo Finansów</NazwaPodmiotuPrzyjmujacego>
	<NumerReferencyjnySesji>${session.referenceNumber}</NumerReferencyjnySesji>
	<Uwierzytelnienie>
		<IdKontekstu>
			<${idTag}>${esc(context.value)}</${idTag}>
		</IdKontekstu>
		${authLine}
	</Uwierzytelnienie>${description}
	<NazwaStrukturyLogicznej>Schemat_FA(3)_v1-0E.xsd</NazwaStrukturyLogicznej>
	<KodFormularza>${esc(session.formCode.systemCode)}</KodFormularza>${docs}
</Potwierdzenie>`;
}
