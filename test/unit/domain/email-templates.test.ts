import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatInstant,
  MAX_STACK_CHARS,
  renderEmail,
  type FailureEmailFacts,
  type RecoveryEmailFacts,
} from '../../../functions/domain/email-templates.js';

const ENV = { environmentName: 'prod', apiBaseUrl: 'https://api.example.com/' };

function failure(overrides: Partial<FailureEmailFacts> = {}): FailureEmailFacts {
  return {
    kind: 'failure',
    codeUnit: 'send-documents',
    description: 'Sends pending sales invoices (FA(3) XML) to KSeF.',
    runId: '20260302T080000000Z-0000abcd',
    trigger: 'retry',
    attempt: 3,
    maxAttempts: 3,
    failedAt: '2026-03-02T08:00:05.000Z',
    errorMessage: 'KSeF answered 503 Service Unavailable',
    errorStack: 'Error: KSeF answered 503 Service Unavailable\n    at send (send-documents.ts:10:5)',
    autoRestart: true,
    restartAt: '2026-03-03T08:00:00.000Z',
    failingSince: '2026-03-02T08:00:05.000Z',
    consecutiveFailures: 1,
    unmailedFailures: 0,
    intervalMinutes: 60,
    ...overrides,
  };
}

function recovery(overrides: Partial<RecoveryEmailFacts> = {}): RecoveryEmailFacts {
  return {
    kind: 'recovery',
    codeUnit: 'process-upo',
    description: 'Downloads and stores the official receipts (UPO).',
    runId: '20260303T080000000Z-0000beef',
    trigger: 'schedule',
    recoveredAt: '2026-03-03T08:00:02.000Z',
    failingSince: '2026-03-02T08:00:05.000Z',
    failedRuns: 3,
    nextRunAt: '2026-03-04T08:00:00.000Z',
    ...overrides,
  };
}

describe('e-mail templates', () => {
  it('an English failure e-mail names the queue, code unit, error, attempt, restart, next run, API calls and the stack', () => {
    // Act
    const mail = renderEmail(failure(), 'en', ENV);
    // Assess
    expect(mail.subject).toBe('[KSeF Job Queues · prod] Queue failed: Send to KSeF (Interactive Session) (send-documents)');
    expect(mail.text).toContain('The job queue "Send to KSeF (Interactive Session)" (code unit send-documents) failed in environment prod.');
    expect(mail.text).toContain('KSeF answered 503 Service Unavailable');
    expect(mail.text).toContain('3 of 3 (last attempt)');
    expect(mail.text).toContain('yes: the entry goes back to Ready and runs next at 2026-03-03 09:00:00 Europe/Warsaw (UTC+01:00) · 2026-03-03 08:00:00 UTC');
    expect(mail.text).toContain('GET https://api.example.com/queues/send-documents\n');
    expect(mail.text).toContain('GET https://api.example.com/queues/send-documents/runs\n');
    expect(mail.text).toContain('    at send (send-documents.ts:10:5)');
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toContain('GET https://api.example.com/queues/send-documents/runs');
  });

  it('a Polish failure e-mail is written in Polish with diacritics and Warsaw local time', () => {
    // Act
    const mail = renderEmail(failure({ consecutiveFailures: 3, unmailedFailures: 2 }), 'pl', ENV);
    // Assess
    expect(mail.subject).toBe('[KSeF Job Queues · prod] Błąd kolejki: Send to KSeF (Interactive Session) (send-documents)');
    expect(mail.text).toContain('Kolejka zadań „Send to KSeF (Interactive Session)” (jednostka kodu send-documents) zakończyła się błędem w środowisku prod.');
    expect(mail.text).toContain('3 z 3 (ostatnia próba)');
    expect(mail.text).toContain('tak: wpis wróci do stanu Ready, następne uruchomienie 03.03.2026 09:00:00 czasu polskiego (UTC+01:00)');
    expect(mail.text).toContain('3 nieudane przebiegi z rzędu');
    expect(mail.text).toContain('Od poprzedniej wiadomości wystąpiły jeszcze 2 błędy bez powiadomienia');
    expect(mail.text).toContain('Stos wywołań:');
    expect(mail.html).toContain('<html lang="pl">');
  });

  it('Polish counts use the right plural forms', () => {
    // Act
    const texts = [1, 2, 5, 12, 22].map((n) => renderEmail(failure({ consecutiveFailures: n, unmailedFailures: n }), 'pl', ENV).text);
    // Assess
    expect(texts[0]).toContain('1 nieudany przebieg z rzędu');
    expect(texts[0]).toContain('wystąpił jeszcze 1 błąd');
    expect(texts[1]).toContain('2 nieudane przebiegi');
    expect(texts[2]).toContain('5 nieudanych przebiegów');
    expect(texts[2]).toContain('wystąpiło jeszcze 5 błędów');
    expect(texts[3]).toContain('12 nieudanych przebiegów');
    expect(texts[4]).toContain('22 nieudane przebiegi');
  });

  it('without automatic restart the e-mail says the entry stays in Error and shows how to set it Ready', () => {
    // Act
    const en = renderEmail(failure({ autoRestart: false, restartAt: null }), 'en', ENV);
    const pl = renderEmail(failure({ autoRestart: false, restartAt: null }), 'pl', ENV);
    // Assess
    expect(en.text).toContain('off: the entry stays in Error until an admin sets it Ready');
    expect(en.text).toContain('POST https://api.example.com/queues/send-documents/status  {"status":"Ready"}');
    expect(pl.text).toContain('wyłączony: wpis pozostanie w stanie Error');
  });

  it('a final failure before the last attempt says that it was not retried', () => {
    // Act
    const mail = renderEmail(failure({ attempt: 1, maxAttempts: 3, trigger: 'schedule' }), 'en', ENV);
    // Assess
    expect(mail.text).toContain('1 of 3 (not retried: a retry cannot fix this error)');
  });

  it('error text and stack are escaped in the HTML body, and a line break cannot reach the subject', () => {
    // Prepare
    const hostile = failure({
      errorMessage: '<script>alert("x")</script> & more',
      errorStack: 'Error: <img src=x onerror=alert(1)>',
      description: "Tom's <b>queue</b>",
    });
    // Act
    const mail = renderEmail(hostile, 'en', { environmentName: 'prod\r\nBcc: evil@example.com', apiBaseUrl: 'http://localhost:3000' });
    // Assess
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>queue');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(mail.html).toContain('Tom&#39;s &lt;b&gt;queue&lt;/b&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('<script>alert("x")</script> & more');
  });

  it('a very long stack is cut with a note pointing to the run log', () => {
    // Act
    const mail = renderEmail(failure({ errorStack: 'x'.repeat(MAX_STACK_CHARS + 500) }), 'en', ENV);
    // Assess
    expect(mail.text).toContain('[cut; the run log has the full text]');
    expect(mail.text.length).toBeLessThan(MAX_STACK_CHARS + 3000);
  });

  it('a recovery e-mail names the queue, how long it failed and when it runs next, in both languages', () => {
    // Act
    const en = renderEmail(recovery(), 'en', ENV);
    const pl = renderEmail(recovery(), 'pl', ENV);
    // Assess
    expect(en.subject).toBe('[KSeF Job Queues · prod] Queue recovered: Process KSeF UPO (process-upo)');
    expect(en.text).toContain('runs successfully again');
    expect(en.text).toContain('3 failed runs in a row');
    expect(en.text).toContain('2026-03-04 09:00:00 Europe/Warsaw');
    expect(en.text).not.toContain('Stack trace');
    expect(pl.subject).toBe('[KSeF Job Queues · prod] Kolejka znów działa: Process KSeF UPO (process-upo)');
    expect(pl.text).toContain('znów działa poprawnie');
    expect(pl.text).toContain('3 nieudane przebiegi z rzędu');
  });

  it('times are shown in Warsaw summer time after the spring change and in UTC', () => {
    // Act & Assess
    expect(formatInstant('2026-03-29T01:30:00.000Z', 'en')).toBe('2026-03-29 03:30:00 Europe/Warsaw (UTC+02:00) · 2026-03-29 01:30:00 UTC');
    expect(formatInstant('2026-03-29T00:30:00.000Z', 'pl')).toBe('29.03.2026 01:30:00 czasu polskiego (UTC+01:00) · 2026-03-29 00:30:00 UTC');
  });

  it('escapeHtml escapes the five HTML-significant characters', () => {
    // Act & Assess
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
