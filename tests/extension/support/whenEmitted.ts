import type { EventEmitter } from 'node:events';

/**
 * The first value `probe` gives: now, or right after `emitter` emits `event` and it then does. Rejects after `ms`
 * naming `what`: a wait on the thing that changes, not a poll.
 */
export function whenEmitted<T>(emitter: EventEmitter, event: string, what: string, probe: () => T | undefined, ms: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const look = (): void => {
            const value = probe();
            if (value !== undefined) {
                stop();
                resolve(value);
            }
        };
        const timer = setTimeout(() => {
            stop();
            reject(new Error(`timed out waiting for ${what}`));
        }, ms);
        const stop = (): void => {
            clearTimeout(timer);
            emitter.off(event, look);
        };
        emitter.on(event, look);
        look();
    });
}
