/** Escapes text that comes from the sidecar or the server before it goes into a trusted MarkdownString. */
export function escapeMarkdown(text: string): string {
    return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

/** A `command:` link; arguments are JSON-encoded as VS Code expects. */
export function commandLink(label: string, command: string, args?: unknown): string {
    const query = args === undefined ? '' : `?${encodeURIComponent(JSON.stringify(args))}`;
    return `[${label}](command:${command}${query})`;
}
