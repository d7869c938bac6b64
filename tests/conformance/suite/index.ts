/** Every conformance check, in the order they run: cheap shape checks first, load and faults last. */
import { Check } from './check';
import { accessChecks } from './checks/access';
import { batchChecks } from './checks/batch';
import { blobChecks } from './checks/blobs';
import { commandChecks } from './checks/commands';
import { entityChecks } from './checks/entity';
import { feedChecks } from './checks/feed';
import { idempotencyChecks } from './checks/idempotency';

export const allChecks: readonly Check[] = [
    ...accessChecks,
    ...batchChecks,
    ...commandChecks,
    ...idempotencyChecks,
    ...feedChecks,
    ...entityChecks,
    ...blobChecks,
];
