import type { Clock } from '../ports/clock.js';
import type { XmllintXsdValidator } from '../adapters/xml/xmllint-xsd-validator.js';
import type { PublicKeyRing } from './crypto/public-keys.js';
import type { FaultInjector } from './faults/faults.js';
import type { ResolvedOptions } from './options.js';
import type { InvoiceProcessor } from './sessions/invoice-processor.js';
import type { SimState } from './state.js';

/** What every route module gets: the simulator's state and services. */
export interface SimContext {
  readonly state: SimState;
  readonly clock: Clock;
  readonly options: ResolvedOptions;
  readonly keys: PublicKeyRing;
  readonly faults: FaultInjector;
  readonly processor: InvoiceProcessor;
  readonly validator: XmllintXsdValidator;
  /** HMAC secret for tokens and pre-signed URLs. */
  readonly secret: Buffer;
  /** Permissions granted with `grantPermissions`: `contextNip|subjectId` → permissions. */
  readonly grants: Map<string, Set<string>>;
  readonly blockedContexts: Set<string>;
}

export const ALL_PERMISSIONS = ['InvoiceRead', 'InvoiceWrite', 'Introspection', 'CredentialsRead', 'CredentialsManage', 'SubunitManage', 'EnforcementOperations'] as const;
