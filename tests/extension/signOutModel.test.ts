import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    deleteChoice,
    ExportChoice,
    KeepChoice,
    signedOutMessage,
    signOutPlan,
    signOutQuestion,
    unsyncedCount,
} from '../../extension/src/viewModel/signOutModel';
import { counts } from './support/fixtures';

describe('sign-out model', () => {
    it('counts what has not reached the server: pending, syncing, failed and conflicting', () => {
        assert.equal(unsyncedCount(counts({ pending: 2, syncing: 1, failed: 3, conflict: 4, succeeded: 100 })), 10);
        assert.equal(unsyncedCount(undefined), 0);
    });

    it('asks only when set to ask and something has not synced', () => {
        assert.equal(signOutQuestion('ask', 0, 'alice'), undefined);
        assert.equal(signOutQuestion('keep', 5, 'alice'), undefined);
        assert.equal(signOutQuestion('clear', 5, 'alice'), undefined);
        const question = signOutQuestion('ask', 1234, 'alice');
        assert.equal(question?.message, 'Sign out? 1,234 operations of alice have not synced yet.');
        assert.match(question?.detail ?? '', /until alice signs in again/);
        assert.match(question?.detail ?? '', /another account signed in here never sees or sends them/);
        assert.deepEqual(question?.choices, [KeepChoice, ExportChoice, 'Delete 1,234 operations']);
        assert.equal(signOutQuestion('ask', 1, null)?.message, 'Sign out? 1 operation of this account has not synced yet.');
    });

    it('turns the answer or the setting into a plan; a dismissed question signs nobody out', () => {
        assert.deepEqual(signOutPlan('ask', 3, KeepChoice, true), { clearData: false, exportFirst: false });
        assert.deepEqual(signOutPlan('ask', 3, ExportChoice, true), { clearData: true, exportFirst: true });
        assert.deepEqual(signOutPlan('ask', 3, deleteChoice(3), true), { clearData: true, exportFirst: false });
        assert.equal(signOutPlan('ask', 3, undefined, true), undefined);
        assert.deepEqual(signOutPlan('ask', 0, undefined, false), { clearData: false, exportFirst: false });
        assert.deepEqual(signOutPlan('keep', 3, undefined, false), { clearData: false, exportFirst: false });
        assert.deepEqual(signOutPlan('clear', 3, undefined, false), { clearData: true, exportFirst: false });
    });

    it('says what was kept or deleted', () => {
        assert.equal(signedOutMessage(null, 'alice'), 'Signed out. The queue and documents of alice stay on this machine for its next sign-in.');
        assert.equal(
            signedOutMessage({ operations: 1, documents: 2500, fileBytesBefore: 10, fileBytesAfter: 5 }, 'alice'),
            'Signed out. Deleted 1 operation and 2,500 cached documents from this machine.',
        );
    });
});
