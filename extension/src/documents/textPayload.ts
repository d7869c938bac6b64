/**
 * A text document's payload, `{ "content": "<text>", "encoding": "utf-8" }`, and the bytes an editor reads and writes.
 * Pure. Mirrors the sidecar's DocumentPayload: an absent or null encoding means utf-8, any other payload is not text.
 */

export const DocumentPutType = 'document.put.v1';
export const DocumentDeleteType = 'document.delete.v1';

export interface TextPayload { content: string; encoding: 'utf-8' }

export function textPayload(content: string): TextPayload {
    return { content, encoding: 'utf-8' };
}

/** The text of a document payload; undefined for any other payload (shown as JSON, read-only). */
export function textOf(payload: unknown): string | undefined {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return undefined;
    }
    const { content, encoding } = payload as { content?: unknown; encoding?: unknown };
    if (typeof content !== 'string') {
        return undefined;
    }
    if (encoding !== undefined && encoding !== null && !(typeof encoding === 'string' && encoding.toLowerCase() === 'utf-8')) {
        return undefined;
    }
    return content;
}

/** What readFile shows: the text of a document, else the payload's JSON. */
export function bytesOf(payload: unknown): { bytes: Uint8Array; isText: boolean } {
    const text = textOf(payload);
    if (text !== undefined) {
        return { bytes: new TextEncoder().encode(text), isText: true };
    }
    return { bytes: new TextEncoder().encode(`${JSON.stringify(payload ?? null, null, 2)}\n`), isText: false };
}

/**
 * The text of bytes an editor saves; undefined when they are not UTF-8 text (invalid UTF-8, or a NUL, which text
 * never holds). A byte order mark is kept as U+FEFF so the file reads back byte for byte.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
    let text: string;
    try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
        return undefined;
    }
    return text.includes('\u0000') ? undefined : text;
}
