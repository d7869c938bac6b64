/** Assertions that say which rule broke and show the answer that broke it. */
import assert from 'node:assert/strict';
import { Answer, ChangeRow, describe } from './http';

/** A whole-request error answer: the status and the documented `{code, message}` body. */
export function expectError(answer: Answer, status: number, code: string, what: string): void {
    const body = answer.json as { code?: unknown; message?: unknown } | undefined;
    if (answer.status !== status || body?.code !== code || typeof body.message !== 'string') {
        throw new Error(`${what}: expected ${status} {"code":"${code}","message":…}, got ${describe(answer)}`);
    }
}

export function expectStatus(answer: Answer, status: number, what: string): void {
    if (answer.status !== status) {
        throw new Error(`${what}: expected ${status}, got ${describe(answer)}`);
    }
}

/** `Retry-After` in delta form: a whole number of seconds. */
export function expectRetryAfter(answer: Answer, seconds: number | undefined, what: string): void {
    const value = answer.headers.get('retry-after');
    if (value === null || !/^\d+$/.test(value) || (seconds !== undefined && Number(value) !== seconds)) {
        throw new Error(`${what}: expected Retry-After: ${seconds ?? '<whole seconds>'}, got ${value === null ? 'none' : `'${value}'`}`);
    }
}

export function equal<T>(actual: T, expected: T, what: string): void {
    assert.deepStrictEqual(actual, expected, what);
}

export function ok(condition: unknown, what: string): asserts condition {
    if (!condition) {
        throw new Error(what);
    }
}

/** The documented members of a feed row (clients ignore unknown ones); `payload` must be present, `null` for deletes. */
export function rowOf(row: ChangeRow, what: string): ChangeRow {
    ok('payload' in row, `${what}: a change row must carry payload (present and null for deletes): ${JSON.stringify(row)}`);
    return { entityId: row.entityId, type: row.type, version: row.version, payload: row.payload, deleted: row.deleted };
}

const canonical = /^(0|[1-9][0-9]*)$/;

/** The cursor's documented form: the decimal string of a non-negative integer without leading zeros. */
export function cursorValue(cursor: unknown, what: string): bigint {
    ok(typeof cursor === 'string' && canonical.test(cursor), `${what}: cursor ${JSON.stringify(cursor)} is not a canonical non-negative decimal`);
    return BigInt(cursor);
}
