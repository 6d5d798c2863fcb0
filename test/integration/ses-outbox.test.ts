import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '../../functions/adapters/aws/ses-mailer.js';
import { clearOutbox, readOutbox, startLocalOutbox, type LocalOutbox } from '../../functions/adapters/local/local-outbox.js';
import { renderEmail } from '../../functions/domain/email-templates.js';
import { MailDeliveryError } from '../../functions/ports/mailer.js';
import { rejection } from '../helpers/rejection.js';

let outbox: LocalOutbox;

beforeAll(async () => {
  outbox = await startLocalOutbox();
});

afterAll(async () => {
  await outbox?.close();
});

beforeEach(async () => {
  await clearOutbox(outbox.endpoint);
});

describe('SesMailer against the local SES outbox', () => {
  it('a Polish failure e-mail sent through SES arrives in the outbox with its subject, recipients and both bodies', async () => {
    // Prepare
    const mailer = new SesMailer(outbox.createClient(), { configurationSetName: 'ksef-job-queues' });
    const rendered = renderEmail(
      {
        kind: 'failure',
        codeUnit: 'process-sessions',
        description: 'Polls KSeF sessions and records KSeF numbers or rejections.',
        runId: '20260302T080000000Z-0000abcd',
        trigger: 'schedule',
        attempt: 3,
        maxAttempts: 3,
        failedAt: '2026-03-02T08:00:05.000Z',
        errorMessage: 'Sesja wygasła <21405>',
        errorStack: 'Error: Sesja wygasła\n    at poll (process-sessions.ts:42:7)',
        autoRestart: true,
        restartAt: '2026-03-03T08:00:00.000Z',
        failingSince: '2026-03-02T08:00:05.000Z',
        consecutiveFailures: 1,
        unmailedFailures: 0,
        intervalMinutes: 60,
      },
      'pl',
      { environmentName: 'local', apiBaseUrl: 'http://127.0.0.1:3000' },
    );
    // Act
    const sent = await mailer.send({ from: 'ksef-jobs@example.com', to: ['dyzur@example.com', 'szef@example.com'], ...rendered });
    // Assess
    const mails = await readOutbox(outbox.endpoint);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.messageId).toBe(sent.messageId);
    expect(mail?.from).toBe('ksef-jobs@example.com');
    expect(mail?.destination.to).toEqual(['dyzur@example.com', 'szef@example.com']);
    expect(mail?.subject).toBe('[KSeF Job Queues · local] Błąd kolejki: Process Session (Interactive Sessions) (process-sessions)');
    expect(mail?.body.text).toContain('Sesja wygasła <21405>');
    expect(mail?.body.text).toContain('GET http://127.0.0.1:3000/queues/process-sessions/runs');
    expect(mail?.body.html).toContain('Sesja wygasła &lt;21405&gt;');
  });

  it('the outbox has a web page where a person can read the mail', async () => {
    // Act
    const response = await fetch(outbox.webUrl);
    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it('a message SES refuses becomes a MailDeliveryError that is not retryable', async () => {
    // Prepare
    const mailer = new SesMailer(outbox.createClient());
    // Act
    const refusal = await rejection(mailer.send({ from: '', to: ['dyzur@example.com'], subject: 'x', text: 'x', html: '<p>x</p>' }));
    // Assess
    expect(refusal).toBeInstanceOf(MailDeliveryError);
    expect((refusal as MailDeliveryError).retryable).toBe(false);
    expect((refusal as MailDeliveryError).message).toMatch(/^SES SendEmail failed \(.+ 400: /);
    expect(await readOutbox(outbox.endpoint)).toEqual([]);
  });

  it('a message without recipients is refused before it reaches SES', async () => {
    // Prepare
    const mailer = new SesMailer(outbox.createClient());
    // Act
    const refusal = await rejection(mailer.send({ from: 'a@example.com', to: [], subject: 'x', text: 'x', html: 'x' }));
    // Assess
    expect(refusal).toBeInstanceOf(MailDeliveryError);
    expect((refusal as MailDeliveryError).retryable).toBe(false);
  });

  it('an unreachable mail service is a retryable MailDeliveryError', async () => {
    // Prepare: an outbox that was started and stopped leaves a port nobody listens on
    const gone = await startLocalOutbox();
    await gone.close();
    const client = new SESv2Client({ endpoint: gone.endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    const mailer = new SesMailer(client);
    // Act
    const refusal = await rejection(mailer.send({ from: 'a@example.com', to: ['b@example.com'], subject: 'x', text: 'x', html: 'x' }));
    // Assess
    expect(refusal).toBeInstanceOf(MailDeliveryError);
    expect((refusal as MailDeliveryError).retryable).toBe(true);
  });
});
