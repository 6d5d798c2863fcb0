import { ConfigurationError, readLocalConfig } from '../wiring/local-config.js';
import { startLocalRuntime } from '../wiring/local.js';

/*
 * `npm start`: the whole system in one process on this machine — embedded DynamoDB, the Scheduler
 * emulator, the code units, the watchdog and the management API on localhost.
 */

async function main(): Promise<void> {
  const config = readLocalConfig();
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

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error('Local mode failed to start:', error);
  process.exit(1);
});
