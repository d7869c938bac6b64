/**
 * The sync server token. It lives only in SecretStorage (never in settings, logs or the sidecar's database);
 * OFFLINE_SYNC_TOKEN seeds it for demos and E2E runs when SecretStorage has none.
 */
import type * as vscode from 'vscode';

export const TokenEnv = 'OFFLINE_SYNC_TOKEN';
const SecretKey = 'offlineSync.token';
/** Set by Sign Out so the environment token does not silently sign the user back in. */
const SignedOutKey = 'offlineSync.signedOut';

export class Credentials {
    constructor(
        private readonly secrets: vscode.SecretStorage,
        private readonly globalState: vscode.Memento,
        private readonly env: NodeJS.ProcessEnv,
    ) {}

    async token(): Promise<string | undefined> {
        const stored = await this.secrets.get(SecretKey);
        if (stored) {
            return stored;
        }
        if (this.globalState.get<boolean>(SignedOutKey) === true) {
            return undefined;
        }
        const fromEnv = this.env[TokenEnv]?.trim();
        return fromEnv ? fromEnv : undefined;
    }

    async signIn(token: string): Promise<void> {
        await this.secrets.store(SecretKey, token);
        await this.globalState.update(SignedOutKey, undefined);
    }

    async signOut(): Promise<void> {
        await this.secrets.delete(SecretKey);
        await this.globalState.update(SignedOutKey, true);
    }
}
