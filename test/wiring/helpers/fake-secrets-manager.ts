import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/*
 * A minimal Secrets Manager-compatible server (none is installable here): GetSecretValue over the
 * service's JSON 1.1 protocol, with ResourceNotFoundException for an unknown secret, as documented.
 */

export interface FakeSecretsManager {
  /** e.g. `http://127.0.0.1:45123`, for a client's `endpoint` or AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  readonly endpoint: string;
  readonly secrets: Map<string, string>;
  /** SecretIds of every GetSecretValue call, in order. */
  readonly reads: string[];
  createClient(): SecretsManagerClient;
  close(): Promise<void>;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, string>();
  const reads: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') return send(400, { __type: 'InvalidRequestException', message: 'Only GetSecretValue is served.' });
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId: string };
      reads.push(SecretId);
      const secret = secrets.get(SecretId);
      if (secret === undefined) return send(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      return send(200, { ARN: SecretId, Name: SecretId.split(':').at(-1), SecretString: secret, VersionId: 'v1', VersionStages: ['AWSCURRENT'], CreatedDate: 0 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    secrets,
    reads,
    createClient: () => new SecretsManagerClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
