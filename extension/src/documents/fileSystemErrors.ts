/**
 * Sidecar errors as the FileSystemErrors VS Code understands: it shows "not found" and "unavailable" in its own
 * words and treats FileNotFound specially (orphaned editors, "create file?"), so the codes matter more than the text.
 */
import * as vscode from 'vscode';
import { ErrorCodes } from 'vscode-jsonrpc';
import { SidecarNotRunningError } from '../ctx';
import { SidecarErrorCodes } from '../protocol';

function codeOf(error: unknown): unknown {
    return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** 1001: no such document (or a local delete hides it). */
export function isNotFound(error: unknown): boolean {
    return codeOf(error) === SidecarErrorCodes.notFound;
}

export function toFileSystemError(error: unknown, uri: vscode.Uri): vscode.FileSystemError {
    if (error instanceof vscode.FileSystemError) {
        return error;
    }
    if (error instanceof SidecarNotRunningError) {
        return vscode.FileSystemError.Unavailable(error.message);
    }
    const message = messageOf(error);
    switch (codeOf(error)) {
        case SidecarErrorCodes.notFound:
            return vscode.FileSystemError.FileNotFound(uri);
        case SidecarErrorCodes.notAvailableOffline:
            return vscode.FileSystemError.Unavailable(/not available offline/i.test(message) ? message : `not available offline: ${message}`);
        case SidecarErrorCodes.payloadTooLarge:
            return vscode.FileSystemError.NoPermissions(`Offline Sync cannot store this document: ${message}`);
        case ErrorCodes.InvalidParams:
            // A path the sidecar refuses (`a//b`, `..`) cannot exist, and the message names what is wrong with it.
            return vscode.FileSystemError.FileNotFound(`${uri.toString()}: ${message}`);
        default:
            return new vscode.FileSystemError(message);
    }
}
