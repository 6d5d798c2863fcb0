import { DateTime } from 'luxon';
import { CODE_UNITS, type CodeUnitId } from './catalogue.js';
import { BUSINESS_TIME_ZONE, type Language, type RunTrigger } from './job-queue-entry.js';

/*
 * The failure and recovery e-mails, in Polish and English: a subject, a plain-text body and a
 * simple HTML body in which everything that came from outside (error text, stack, description) is
 * escaped. Times are shown in Europe/Warsaw local time and in UTC.
 */

export interface EmailEnvironment {
  /** e.g. `prod`, `test`, `local`; shown in the subject so that a TEST mail is never taken for PROD. */
  readonly environmentName: string;
  /** Base URL of the management API, e.g. `https://abc.execute-api.eu-central-1.amazonaws.com`. */
  readonly apiBaseUrl: string;
}

export interface FailureEmailFacts {
  readonly kind: 'failure';
  readonly codeUnit: CodeUnitId;
  /** The entry's description. */
  readonly description: string;
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly attempt: number;
  readonly maxAttempts: number;
  /** UTC ISO-8601. */
  readonly failedAt: string;
  readonly errorMessage: string;
  readonly errorStack: string | null;
  /** Whether the entry restarts by itself after a final failure (the entry's setting). */
  readonly autoRestart: boolean;
  /** When the automatic restart runs the queue again (UTC ISO-8601); null = no restart scheduled. */
  readonly restartAt: string | null;
  /** UTC ISO-8601 of the first failure of the streak. */
  readonly failingSince: string;
  readonly consecutiveFailures: number;
  /** Final failures since the previous failure e-mail that were not mailed (interval). */
  readonly unmailedFailures: number;
  readonly intervalMinutes: number;
}

export interface RecoveryEmailFacts {
  readonly kind: 'recovery';
  readonly codeUnit: CodeUnitId;
  readonly description: string;
  readonly runId: string;
  readonly trigger: RunTrigger;
  /** UTC ISO-8601 of the successful run's end. */
  readonly recoveredAt: string;
  readonly failingSince: string | null;
  readonly failedRuns: number;
  /** UTC ISO-8601; null when no further run is scheduled. */
  readonly nextRunAt: string | null;
}

export type EmailFacts = FailureEmailFacts | RecoveryEmailFacts;

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Long error texts are cut so that a mail stays readable; the run log keeps the whole text. */
export const MAX_ERROR_MESSAGE_CHARS = 2_000;
export const MAX_STACK_CHARS = 10_000;

const PRODUCT = 'KSeF Job Queues';

export function renderEmail(facts: EmailFacts, language: Language, environment: EmailEnvironment): RenderedEmail {
  return facts.kind === 'failure' ? renderFailure(facts, language, environment) : renderRecovery(facts, language, environment);
}

/** The API calls that show an entry; also used by the notify use case for its log. */
export function entryLinks(apiBaseUrl: string, codeUnit: CodeUnitId) {
  const queue = `${apiBaseUrl.replace(/\/+$/, '')}/queues/${encodeURIComponent(codeUnit)}`;
  return { entry: queue, runs: `${queue}/runs`, status: `${queue}/status` } as const;
}

type Row = readonly [label: string, value: string];

interface Layout {
  readonly subject: string;
  readonly lead: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly links: { readonly heading: string; readonly calls: readonly string[]; readonly auth: string };
  readonly stack: { readonly heading: string; readonly body: string } | null;
}

function renderFailure(facts: FailureEmailFacts, language: Language, env: EmailEnvironment): RenderedEmail {
  const t = TEXTS[language];
  const name = CODE_UNITS[facts.codeUnit].displayName;
  const links = entryLinks(env.apiBaseUrl, facts.codeUnit);
  const finalBeforeMax = facts.attempt < facts.maxAttempts;
  const rows: Row[] = [
    [t.queue, `${name} (${facts.codeUnit})`],
    [t.description, facts.description],
    [t.environment, env.environmentName],
    [t.error, truncate(facts.errorMessage, MAX_ERROR_MESSAGE_CHARS, t.truncated)],
    [t.attempt, t.attemptOf(facts.attempt, facts.maxAttempts, finalBeforeMax)],
    [t.failedAt, formatInstant(facts.failedAt, language)],
    [t.run, `${facts.runId} (${t.trigger[facts.trigger]})`],
    [t.restart, restartText(facts, language)],
    [t.failingSince, `${formatInstant(facts.failingSince, language)} · ${t.failuresInRow(facts.consecutiveFailures)}`],
  ];
  const notes = facts.unmailedFailures > 0 ? [t.unmailed(facts.unmailedFailures, facts.intervalMinutes)] : [];
  const calls = [`GET ${links.entry}`, `GET ${links.runs}`];
  if (!facts.autoRestart || facts.restartAt === null) calls.push(`POST ${links.status}  {"status":"Ready"}`);
  return compose(language, {
    subject: `[${PRODUCT} · ${oneLine(env.environmentName)}] ${t.failureSubject}: ${name} (${facts.codeUnit})`,
    lead: t.failureLead(name, facts.codeUnit, env.environmentName),
    rows,
    notes: [...notes, t.intervalNote(facts.intervalMinutes)],
    links: { heading: t.howToLook, calls, auth: t.auth },
    stack: { heading: t.stack, body: truncate(facts.errorStack ?? t.noStack, MAX_STACK_CHARS, t.truncated) },
  });
}

function renderRecovery(facts: RecoveryEmailFacts, language: Language, env: EmailEnvironment): RenderedEmail {
  const t = TEXTS[language];
  const name = CODE_UNITS[facts.codeUnit].displayName;
  const links = entryLinks(env.apiBaseUrl, facts.codeUnit);
  const rows: Row[] = [
    [t.queue, `${name} (${facts.codeUnit})`],
    [t.description, facts.description],
    [t.environment, env.environmentName],
    [t.recoveredAt, formatInstant(facts.recoveredAt, language)],
    [t.run, `${facts.runId} (${t.trigger[facts.trigger]})`],
    [t.failingSince, facts.failingSince === null ? '—' : `${formatInstant(facts.failingSince, language)} · ${t.failuresInRow(facts.failedRuns)}`],
    [t.nextRun, facts.nextRunAt === null ? t.noNextRun : formatInstant(facts.nextRunAt, language)],
  ];
  return compose(language, {
    subject: `[${PRODUCT} · ${oneLine(env.environmentName)}] ${t.recoverySubject}: ${name} (${facts.codeUnit})`,
    lead: t.recoveryLead(name, facts.codeUnit, env.environmentName),
    rows,
    notes: [],
    links: { heading: t.howToLook, calls: [`GET ${links.entry}`, `GET ${links.runs}`], auth: t.auth },
    stack: null,
  });
}

function restartText(facts: FailureEmailFacts, language: Language): string {
  const t = TEXTS[language];
  if (!facts.autoRestart) return t.restartOff;
  if (facts.restartAt === null) return t.restartNoSlot;
  return t.restartAt(formatInstant(facts.restartAt, language));
}

function compose(language: Language, layout: Layout): RenderedEmail {
  const width = Math.max(...layout.rows.map(([label]) => label.length));
  const text = [
    layout.lead,
    '',
    ...layout.rows.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${indentFollowing(value, width + 2)}`),
    ...(layout.notes.length > 0 ? ['', ...layout.notes] : []),
    '',
    `${layout.links.heading}:`,
    ...layout.links.calls.map((call) => `  ${call}`),
    `(${layout.links.auth})`,
    ...(layout.stack ? ['', `${layout.stack.heading}:`, layout.stack.body] : []),
    '',
    '-- ',
    TEXTS[language].footer,
    '',
  ].join('\n');

  const html = [
    '<!DOCTYPE html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(layout.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">',
    `<p>${escapeHtml(layout.lead)}</p>`,
    '<table cellpadding="4" cellspacing="0" style="border-collapse:collapse">',
    ...layout.rows.map(
      ([label, value]) =>
        `<tr><th align="left" valign="top" style="border-bottom:1px solid #ddd">${escapeHtml(label)}</th>` +
        `<td style="border-bottom:1px solid #ddd;white-space:pre-wrap">${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    ...layout.notes.map((note) => `<p>${escapeHtml(note)}</p>`),
    `<p><strong>${escapeHtml(layout.links.heading)}:</strong></p>`,
    `<pre>${layout.links.calls.map(escapeHtml).join('\n')}</pre>`,
    `<p><small>${escapeHtml(layout.links.auth)}</small></p>`,
    ...(layout.stack
      ? [`<p><strong>${escapeHtml(layout.stack.heading)}:</strong></p>`, `<pre style="background:#f6f6f6;padding:8px">${escapeHtml(layout.stack.body)}</pre>`]
      : []),
    `<p><small>${escapeHtml(TEXTS[language].footer)}</small></p>`,
    '</body></html>',
    '',
  ].join('\n');

  return { subject: oneLine(layout.subject), text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ENTITIES[ch] ?? ch);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A header must be one line: a CR/LF in it would start a new header. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}

function indentFollowing(value: string, width: number): string {
  return value.replace(/\r?\n/g, `\n${' '.repeat(width)}`);
}

function truncate(value: string, max: number, marker: string): string {
  return value.length <= max ? value : `${value.slice(0, max)}… ${marker}`;
}

/** `2026-03-29 10:00:00 Europe/Warsaw (UTC+02:00) · 2026-03-29 08:00:00 UTC` */
export function formatInstant(isoUtc: string, language: Language): string {
  const utc = DateTime.fromISO(isoUtc, { zone: 'utc' });
  if (!utc.isValid) return isoUtc;
  const local = utc.setZone(BUSINESS_TIME_ZONE);
  const localText = language === 'pl' ? `${local.toFormat('dd.MM.yyyy HH:mm:ss')} czasu polskiego` : `${local.toFormat('yyyy-MM-dd HH:mm:ss')} ${BUSINESS_TIME_ZONE}`;
  return `${localText} (UTC${local.toFormat('ZZ')}) · ${utc.toFormat('yyyy-MM-dd HH:mm:ss')} UTC`;
}

interface Texts {
  readonly failureSubject: string;
  readonly recoverySubject: string;
  failureLead(name: string, codeUnit: string, environment: string): string;
  recoveryLead(name: string, codeUnit: string, environment: string): string;
  readonly queue: string;
  readonly description: string;
  readonly environment: string;
  readonly error: string;
  readonly attempt: string;
  attemptOf(attempt: number, max: number, finalBeforeMax: boolean): string;
  readonly failedAt: string;
  readonly recoveredAt: string;
  readonly run: string;
  readonly trigger: Readonly<Record<RunTrigger, string>>;
  readonly restart: string;
  readonly restartOff: string;
  readonly restartNoSlot: string;
  restartAt(when: string): string;
  readonly nextRun: string;
  readonly noNextRun: string;
  readonly failingSince: string;
  failuresInRow(count: number): string;
  unmailed(count: number, intervalMinutes: number): string;
  intervalNote(intervalMinutes: number): string;
  readonly howToLook: string;
  readonly auth: string;
  readonly stack: string;
  readonly noStack: string;
  readonly truncated: string;
  readonly footer: string;
}

/** Polish plural: 1 błąd, 2–4 błędy (but 12–14 błędów), 5+ błędów. */
function plPlural(count: number, one: string, few: string, many: string): string {
  if (count === 1) return one;
  const tens = count % 100;
  const units = count % 10;
  return units >= 2 && units <= 4 && (tens < 12 || tens > 14) ? few : many;
}

const TEXTS: Readonly<Record<Language, Texts>> = {
  en: {
    failureSubject: 'Queue failed',
    recoverySubject: 'Queue recovered',
    failureLead: (name, codeUnit, env) => `The job queue "${name}" (code unit ${codeUnit}) failed in environment ${env}. The entry is in Error.`,
    recoveryLead: (name, codeUnit, env) => `The job queue "${name}" (code unit ${codeUnit}) in environment ${env} runs successfully again.`,
    queue: 'Queue',
    description: 'Description',
    environment: 'Environment',
    error: 'Error',
    attempt: 'Attempt',
    attemptOf: (attempt, max, early) => `${attempt} of ${max}${early ? ' (not retried: a retry cannot fix this error)' : ' (last attempt)'}`,
    failedAt: 'Failed at',
    recoveredAt: 'Succeeded at',
    run: 'Run',
    trigger: { schedule: 'started by the schedule', retry: 'a retry', manual: 'started manually', restart: 'an automatic restart' },
    restart: 'Automatic restart',
    restartOff: 'off: the entry stays in Error until an admin sets it Ready',
    restartNoSlot: 'on, but no next run could be scheduled (the entry has expired or has no run slot left)',
    restartAt: (when) => `yes: the entry goes back to Ready and runs next at ${when}`,
    nextRun: 'Next run',
    noNextRun: 'none scheduled',
    failingSince: 'Failing since',
    failuresInRow: (count) => `${count} failed run${count === 1 ? '' : 's'} in a row`,
    unmailed: (count, minutes) =>
      `${count} further failure${count === 1 ? ' was' : 's were'} not e-mailed since the previous message (at most one failure e-mail per queue every ${minutes} minutes).`,
    intervalNote: (minutes) => `You get at most one failure e-mail for this queue every ${minutes} minutes, and one e-mail when it recovers.`,
    howToLook: 'Look at the entry and its run log through the management API',
    auth: 'On AWS the API requires IAM (SigV4) signed requests; in local mode send the bearer token printed at start.',
    stack: 'Stack trace',
    noStack: '(no stack trace was recorded)',
    truncated: '[cut; the run log has the full text]',
    footer: `${PRODUCT}: automatic message, please do not reply.`,
  },
  pl: {
    failureSubject: 'Błąd kolejki',
    recoverySubject: 'Kolejka znów działa',
    failureLead: (name, codeUnit, env) =>
      `Kolejka zadań „${name}” (jednostka kodu ${codeUnit}) zakończyła się błędem w środowisku ${env}. Wpis ma status Error.`,
    recoveryLead: (name, codeUnit, env) => `Kolejka zadań „${name}” (jednostka kodu ${codeUnit}) w środowisku ${env} znów działa poprawnie.`,
    queue: 'Kolejka',
    description: 'Opis',
    environment: 'Środowisko',
    error: 'Błąd',
    attempt: 'Próba',
    attemptOf: (attempt, max, early) => `${attempt} z ${max}${early ? ' (bez ponowień: ponowienie nie naprawi tego błędu)' : ' (ostatnia próba)'}`,
    failedAt: 'Czas błędu',
    recoveredAt: 'Czas udanego przebiegu',
    run: 'Przebieg',
    trigger: { schedule: 'uruchomiony przez harmonogram', retry: 'ponowienie', manual: 'uruchomiony ręcznie', restart: 'automatyczny restart' },
    restart: 'Automatyczny restart',
    restartOff: 'wyłączony: wpis pozostanie w stanie Error, dopóki administrator nie ustawi statusu Ready',
    restartNoSlot: 'włączony, ale nie można zaplanować kolejnego uruchomienia (wpis wygasł lub nie ma wolnego terminu)',
    restartAt: (when) => `tak: wpis wróci do stanu Ready, następne uruchomienie ${when}`,
    nextRun: 'Następne uruchomienie',
    noNextRun: 'nie zaplanowano',
    failingSince: 'Błędy od',
    failuresInRow: (count) => `${count} ${plPlural(count, 'nieudany przebieg', 'nieudane przebiegi', 'nieudanych przebiegów')} z rzędu`,
    unmailed: (count, minutes) =>
      `Od poprzedniej wiadomości ${plPlural(count, 'wystąpił', 'wystąpiły', 'wystąpiło')} jeszcze ${count} ${plPlural(count, 'błąd', 'błędy', 'błędów')} bez powiadomienia ` +
      `(najwyżej jedna wiadomość o błędzie na kolejkę co ${minutes} min).`,
    intervalNote: (minutes) => `Wiadomość o błędzie tej kolejki wysyłamy najwyżej raz na ${minutes} min, a po jej naprawie – jedną wiadomość o powrocie do działania.`,
    howToLook: 'Wpis i dziennik jego przebiegów można sprawdzić przez API zarządzania',
    auth: 'W AWS API wymaga żądań podpisanych IAM (SigV4); w trybie lokalnym należy podać token (bearer) wypisany przy starcie.',
    stack: 'Stos wywołań',
    noStack: '(nie zapisano stosu wywołań)',
    truncated: '[skrócono; pełny tekst jest w dzienniku przebiegów]',
    footer: `${PRODUCT}: wiadomość automatyczna, prosimy na nią nie odpowiadać.`,
  },
};
