import { describe, expect, it } from 'vitest';
import { incomingDocumentsFactory } from '../../functions/code-units/factories.js';
import { createCodeUnits } from '../../functions/code-units/registry.js';
import { CODE_UNIT_IDS } from '../../functions/domain/catalogue.js';
import { MemoryKsefSessionRepository } from '../../functions/adapters/memory/memory-ksef-session-repository.js';
import { ManualClock } from '../../functions/ksef-sim/clock.js';
import { awsCodeUnit } from '../../functions/wiring/aws-code-units.js';
import { DocumentsConfigError } from '../../functions/wiring/aws-env.js';
import { DeferredKsefGateway } from '../../functions/wiring/ksef.js';
import { memoryStores, runContext } from '../code-units/inbound/helpers/inbound-world.js';

describe('the code-unit registry and its AWS wiring', () => {
  it('builds the five code units of the catalogue, each under its own id and none a placeholder', async () => {
    // Prepare
    const ksef = new DeferredKsefGateway('5265877635', () => Promise.reject(new Error('KSeF is not reachable from this test')));
    const units = createCodeUnits({ ...memoryStores(), ksef, sessions: new MemoryKsefSessionRepository() });
    // Act
    const ledgers = units['update-ledgers'].run(runContext('update-ledgers', new ManualClock()));
    // Assess
    expect(Object.keys(units).sort()).toEqual([...CODE_UNIT_IDS].sort());
    expect(Object.entries(units).every(([id, unit]) => unit.id === id)).toBe(true);
    // A placeholder would succeed without asking KSeF; the real one reconciles with it.
    await expect(ledgers).rejects.toThrow('KSeF is not reachable from this test');
  });

  it('on AWS a code unit whose function lacks DOCUMENTS_BUCKET fails its run naming the variable', async () => {
    // Prepare
    const arn = 'arn:aws:lambda:eu-central-1:123456789012:function:x';
    const unit = awsCodeUnit(incomingDocumentsFactory, {
      env: {
      TABLE_NAME: 'jobs',
      SCHEDULE_GROUP_NAME: 'ksef',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
      SCHEDULE_DLQ_ARN: 'arn:aws:sqs:eu-central-1:123456789012:dlq',
      CODE_UNIT_FUNCTION_ARNS: JSON.stringify(Object.fromEntries(CODE_UNIT_IDS.map((id) => [id, arn]))),
      KSEF_NIP: '5265877635',
      KSEF_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ksef-AbCdEf',
      },
    });
    // Act
    const run = unit.run(runContext('incoming-documents', new ManualClock()));
    // Assess
    expect(unit.id).toBe('incoming-documents');
    await expect(run).rejects.toBeInstanceOf(DocumentsConfigError);
    await expect(run).rejects.toThrow('DOCUMENTS_BUCKET is required when KSEF_NIP is set.');
  });
});
