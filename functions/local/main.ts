import { ConfigurationError, listenFailureMessage, readLocalConfig, type LocalConfig } from '../wiring/local-config.js';
import { KsefSettingsError } from '../wiring/ksef.js';
import { NotificationConfigError } from '../wiring/notification-config.js';
import type { LocalKsef } from '../wiring/ksef-local.js';
import { startLocalRuntime } from '../wiring/local.js';

/*
 * `npm start`: the whole system in one process on this machine — embedded DynamoDB, the Scheduler
 * emulator, the code units, the watchdog and the management API on localhost.
 */

/** Read once main has it, so that a failure to start can name the variable behind a busy port. */
let config: LocalConfig | undefined;

/** Lambda runs Node 22; local mode also runs on Node 20 (past its end of life), with one line saying so. */
const LAMBDA_NODE_MAJOR = 22;

async function main(): Promise<void> {
  // The banner's Node line says what the AWS SDK's own multi-line warning would say at every start.
  const oldNode = Number(process.versions.node.split('.')[0]) < LAMBDA_NODE_MAJOR;
  if (oldNode) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  config = readLocalConfig();
  const runtime = await startLocalRuntime(config);
  const url = runtime.apiUrl;
  const auth = `-H "Authorization: Bearer ${config.apiToken}"`;

  console.log(
    [
      '',
      'KSeF Job Queues is running in local mode.',
      '',
      `  Management API   ${url}    (OpenAPI: ${url}/openapi.json)`,
      `  API token        ${config.apiToken}${config.apiTokenGenerated ? '    (generated; set API_TOKEN to choose one)' : ''}`,
      `  E-mail outbox    ${runtime.outbox.webUrl}    (failure and recovery e-mails; set OUTBOX_PORT to move it)`,
      `  Data directory   ${config.dataDir}`,
      `  Company NIP      ${config.companyNip}${config.companyNipDefaulted ? '    (a test NIP; set KSEF_NIP to your company\'s)' : ''}`,
      `  KSeF             ${ksefLine(runtime.ksef)}`,
      `  Node             ${process.version}${oldNode ? `    (past its end of life: local mode runs on it, the Lambda functions run Node ${LAMBDA_NODE_MAJOR}; upgrade when you can)` : ''}`,
      '',
      'Try:',
      `  curl -s ${auth} ${url}/queues`,
      `  curl -s ${auth} -X POST ${url}/queues/send-documents`,
      `  curl -s ${auth} -X POST ${url}/queues/send-documents/status -H 'Content-Type: application/json' -d '{"status":"Ready"}'`,
      `  curl -s ${auth} -X POST ${url}/queues/send-documents/run`,
      `  curl -s ${auth} ${url}/queues/send-documents/runs`,
      `  curl -s ${auth} ${url}/notifications/log`,
      `  curl -s ${auth} -X POST ${url}/documents -H 'Content-Type: application/xml' --data-binary @invoice.xml`,
      `  curl -s ${auth} ${url}/documents`,
      ...(runtime.ksef.simulator
        ? [`  curl -s -X POST ${runtime.ksef.simulator.origin}/_sim/incoming-invoices -H 'Content-Type: application/json' -d '{"buyerNip":"${runtime.ksef.settings.nip}","sellerNip":"7778889998"}'    (a purchase invoice for incoming-documents)`]
        : []),
      `  curl -s ${auth} -X PUT ${url}/notifications/recipients/oncall@example.com -H 'Content-Type: application/json' -d '{"language":"en"}'`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (waiting for running jobs to finish)…`);
    await runtime.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Where the code units send: the built-in simulator, or the KSeF environment KSEF_ENV names. */
function ksefLine(ksef: LocalKsef): string {
  if (ksef.simulator) return `${ksef.url}    (the built-in KSeF simulator, token login for the company NIP; KSEF_ENV=TEST|DEMO|PROD for the real KSeF)`;
  return `${ksef.url}    (KSEF_ENV=${ksef.settings.target})`;
}

/** One clear line for what an admin can fix (configuration, a busy port); the stack only for a defect. */
main().catch((error: unknown) => {
  const cannotListen = config === undefined ? null : listenFailureMessage(error, config);
  if (cannotListen !== null) console.error(cannotListen);
  else if (error instanceof ConfigurationError || error instanceof KsefSettingsError || error instanceof NotificationConfigError) console.error(error.message);
  else console.error('Local mode failed to start:', error);
  process.exit(1);
});
