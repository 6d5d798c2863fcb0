import { readFileSync } from 'node:fs';

const TEMPLATE = readFileSync(new URL('../fixtures/invoice-template-fa-3.xml', import.meta.url), 'utf8');

/** The official FA(3) sample with its placeholders filled and issued today (Warsaw), so it is not marked offline. */
export function sampleInvoice(nip: string, number: number | string, issueDate = new Date()): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' }).format(issueDate);
  return TEMPLATE.replaceAll('#nip#', nip).replaceAll('#invoice_number#', String(number)).replace(/<P_1>[^<]*<\/P_1>/, `<P_1>${day}</P_1>`);
}
