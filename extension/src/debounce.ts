/** Trailing-edge debounce: bursts of sidecar notifications become one refresh. */
export interface Debounced<A extends unknown[]> {
    (...args: A): void;
    cancel(): void;
}

export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): Debounced<A> {
    let timer: NodeJS.Timeout | undefined;
    const debounced = (...args: A): void => {
        if (timer !== undefined) {
            clearTimeout(timer);
        }
        timer = setTimeout(() => {
            timer = undefined;
            fn(...args);
        }, ms);
    };
    debounced.cancel = (): void => {
        if (timer !== undefined) {
            clearTimeout(timer);
            timer = undefined;
        }
    };
    return debounced;
}
