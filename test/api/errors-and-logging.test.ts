import { describe, expect, test } from 'vitest';
import { MemoryEntryRepository } from '../../functions/adapters/memory/memory-entry-repository.js';
import { StorageError } from '../../functions/domain/errors.js';
import { createApiTestClient } from '../helpers/api-test-client.js';

/** A repository whose reads fail as a defect would: with internals in the message. */
class BrokenEntryRepository extends MemoryEntryRepository {
  constructor(private readonly failure: Error) {
    super();
  }
  override async list(): Promise<never> {
    throw this.failure;
  }
  override async get(): Promise<never> {
    throw this.failure;
  }
}

describe('errors and logging of the management API', () => {
  test('an unexpected error is a 500 problem that leaks nothing, and its stack goes to the log', async () => {
    const failure = new TypeError('Cannot read properties of undefined (reading "secretTableName") at arn:aws:dynamodb:eu-central-1:123:table/x');
    const api = createApiTestClient({ entries: new BrokenEntryRepository(failure) });

    const response = await api.request('GET', '/queues');

    expect(response.status).toBe(500);
    expect(response.body).toEqual({
      type: 'https://ksef-job-queues.dev/problems/internal',
      title: 'Internal server error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged.',
      instance: '/queues',
    });
    expect(response.text).not.toMatch(/secretTableName|arn:aws|TypeError|at /);
    expect(api.logger.lines).toContainEqual(expect.objectContaining({ level: 'error', attributes: expect.objectContaining({ error: failure }) }));
  });

  test('a data store outage is a 503 with Retry-After', async () => {
    const api = createApiTestClient({ entries: new BrokenEntryRepository(new StorageError('ProvisionedThroughputExceededException')) });

    const response = await api.request('GET', '/queues/send-documents');

    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.text).not.toContain('ProvisionedThroughput');
  });

  test('on AWS a request without an IAM principal is refused with 401', async () => {
    const api = createApiTestClient();

    const response = await api.request('POST', '/queues/send-documents', { iamArn: null });

    expect(response.status).toBe(401);
    expect(response.body.type).toBe('https://ksef-job-queues.dev/problems/unauthenticated');
    expect(await api.deps.entries.get('send-documents')).toBeUndefined();
  });

  test('in local mode the local actor is recorded as the author of changes', async () => {
    const api = createApiTestClient({ localActor: 'local-admin' });

    const response = await api.request('POST', '/queues/send-documents', { iamArn: null });

    expect(response.status).toBe(201);
    expect(response.body.entry.updatedBy).toBe('local-admin');
  });

  test('the OpenAPI document is served without an identity', async () => {
    const api = createApiTestClient();

    const response = await api.request('GET', '/openapi.json', { iamArn: null });

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
  });

  test('each request writes one log line with method, route, status and duration, and never the body or headers', async () => {
    const api = createApiTestClient();
    await api.request('POST', '/queues/send-documents');
    api.logger.lines.length = 0;

    await api.request('PATCH', '/queues/send-documents', {
      headers: { 'if-match': '"1"', authorization: 'Bearer very-secret-token' },
      body: { description: 'secret-description-value' },
    });
    await api.request('GET', '/nowhere');

    expect(api.logger.lines.map((line) => line.attributes)).toEqual([
      expect.objectContaining({ method: 'PATCH', route: 'PATCH /queues/{codeUnit}', status: expect.any(Number), durationMs: expect.any(Number) }),
      expect.objectContaining({ method: 'GET', route: '(no route)', status: 404 }),
    ]);
    expect(JSON.stringify(api.logger.lines)).not.toMatch(/very-secret-token|secret-description-value/);
  });
});
