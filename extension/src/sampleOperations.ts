/**
 * "Queue Sample Operations": enqueues `document.put.v1` operations on entities demo-1…demo-N through the same
 * request an API caller uses. `entityPrefix` (default "demo") gives entities <prefix>-1…<prefix>-N. The demo and the E2E tests pass `{ count }` to skip the prompt.
 */
export interface SampleRequest {
    count: number;
    type?: string;
    entityPrefix?: string;
    /** Sent with every operation: 0 says "the entity must not exist yet", which makes conflicts on demand. */
    expectedVersion?: number;
}

export const DefaultSampleCount = 5;
export const MaxSampleCount = 10_000;

/** Accepts `{ count, type?, entityPrefix?, expectedVersion? }` (or a bare number) from a command argument. */
export function parseSampleRequest(arg: unknown): SampleRequest | undefined {
    if (typeof arg === 'number') {
        return validCount(arg) ? { count: arg } : undefined;
    }
    if (typeof arg !== 'object' || arg === null) {
        return undefined;
    }
    const { count, type, entityPrefix, expectedVersion } = arg as Record<string, unknown>;
    if (typeof count !== 'number' || !validCount(count)) {
        return undefined;
    }
    const request: SampleRequest = {
        count,
        type: typeof type === 'string' && type !== '' ? type : undefined,
        entityPrefix: typeof entityPrefix === 'string' && entityPrefix !== '' ? entityPrefix : undefined,
    };
    if (typeof expectedVersion === 'number' && Number.isInteger(expectedVersion) && expectedVersion >= 0) {
        request.expectedVersion = expectedVersion;
    }
    return request;
}

export function validCount(n: number): boolean {
    return Number.isInteger(n) && n >= 1 && n <= MaxSampleCount;
}

export function sampleOperations(request: SampleRequest, now: Date): { type: string; entityId: string; payload: unknown; expectedVersion?: number }[] {
    const type = request.type ?? 'document.put.v1';
    const prefix = request.entityPrefix ?? 'demo';
    return Array.from({ length: request.count }, (_, i) => {
        const n = i + 1;
        const op = {
            type,
            entityId: `${prefix}-${n}`,
            payload: { title: `Demo document ${n}`, body: `Written offline at ${now.toISOString()}`, editedAt: now.toISOString() },
        };
        return request.expectedVersion === undefined ? op : { ...op, expectedVersion: request.expectedVersion };
    });
}
