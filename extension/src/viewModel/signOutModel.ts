/**
 * What Sign Out asks and does with the account's data on this machine (`offlineSync.signOut.clearData`). Pure, so the
 * wording and the choices are tested without VS Code; the command only shows the question and sends the answer.
 */
import type { SignOutClearDataSetting } from '../config';
import type { ClearedData, QueueCounts } from '../protocol';

export const KeepChoice = 'Keep for Next Sign-In';
export const ExportChoice = 'Export, Then Delete…';

export interface SignOutQuestion { message: string; detail: string; choices: string[] }

/** What signing out does: keep or clear the data, export it first, or nothing at all (the user cancelled). */
export type SignOutPlan = { clearData: boolean; exportFirst: boolean } | undefined;

export function unsyncedCount(counts: QueueCounts | undefined): number {
    return counts ? counts.pending + counts.syncing + counts.failed + counts.conflict : 0;
}

function operations(n: number): string {
    return `${n.toLocaleString('en-US')} operation${n === 1 ? '' : 's'}`;
}

export function deleteChoice(unsynced: number): string {
    return `Delete ${operations(unsynced)}`;
}

/** The question, or undefined when there is nothing to decide (no unsynced work, or the setting decides). */
export function signOutQuestion(setting: SignOutClearDataSetting, unsynced: number, account: string | null): SignOutQuestion | undefined {
    if (setting !== 'ask' || unsynced === 0) {
        return undefined;
    }
    const who = account === null ? 'this account' : account;
    return {
        message: `Sign out? ${operations(unsynced)} of ${who} ${unsynced === 1 ? 'has' : 'have'} not synced yet.`,
        detail: `Keep ${unsynced === 1 ? 'it' : 'them'} on this machine until ${who} signs in again (another account signed in here never sees or sends ${unsynced === 1 ? 'it' : 'them'}), export ${unsynced === 1 ? 'it' : 'them'} to a file and delete the local copy, or delete ${unsynced === 1 ? 'it' : 'them'} now.`,
        choices: [KeepChoice, ExportChoice, deleteChoice(unsynced)],
    };
}

/** The plan for the answer given (undefined: the dialog was dismissed) or, with no question, for the setting. */
export function signOutPlan(setting: SignOutClearDataSetting, unsynced: number, answer: string | undefined, asked: boolean): SignOutPlan {
    if (!asked) {
        return { clearData: setting === 'clear', exportFirst: false };
    }
    if (answer === KeepChoice) {
        return { clearData: false, exportFirst: false };
    }
    if (answer === ExportChoice) {
        return { clearData: true, exportFirst: true };
    }
    if (answer === deleteChoice(unsynced)) {
        return { clearData: true, exportFirst: false };
    }
    return undefined;
}

/** Said once signed out. */
export function signedOutMessage(cleared: ClearedData | null, account: string | null): string {
    if (cleared === null) {
        return `Signed out. The queue and documents of ${account ?? 'this account'} stay on this machine for its next sign-in.`;
    }
    return `Signed out. Deleted ${operations(cleared.operations)} and ${cleared.documents.toLocaleString('en-US')} cached document${cleared.documents === 1 ? '' : 's'} from this machine.`;
}
