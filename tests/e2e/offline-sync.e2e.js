'use strict';
// End-to-end scenarios: the installed VSIX, its real sidecar and the real reference server, in code-server.
// Started by scripts/e2e/run.sh (which provides E2E_* env); every assertion reads what is on screen, and every
// scenario saves a screenshot under test-results/e2e/ (a failing one saves NN-name-FAIL.png).
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const w = require('./lib/workbench');

const SAMPLE = 'Offline Sync: Queue Sample Operations';
let browser;
let page;
let shot = 0;

/** Runs a scenario body with screenshots: NN-name.png on success, NN-name-FAIL.png (and rethrow) on failure. */
function scenario(name, fn, { timeout = 150000, reset = true } = {}) {
    const n = String(++shot).padStart(2, '0');
    test(name, { timeout }, async () => {
        try {
            if (reset && n !== '01') await resetState(page);
            await fn();
            await w.screenshot(page, `${n}-${slug(name)}`);
        } catch (e) {
            for (const [i, p] of (browser?.contexts().flatMap((c) => c.pages()) ?? []).entries()) {
                await w.screenshot(p, `${n}-${slug(name)}-FAIL${i ? '-' + i : ''}`).catch(() => {});
            }
            const status = await w.readStatus(page).catch(() => null);
            const rows = await w.treeRows(page).catch(() => null);
            console.log(`# ${name}: status ${JSON.stringify(status)}; rows ${JSON.stringify(rows)}`);
            throw e;
        }
    });
}
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50);

/** Status predicates on { text, label, icons }. */
const isSynced = (s) => /Synced/.test(s.text) && s.icons.includes('check');
const waiting = (n) => (s) => new RegExp(`(^|\\D)${n}(\\D|$)`).test(s.text);

/** F1 → Queue Sample Operations → count in its input box (document.put.v1 on demo-1…demo-N). */
async function enqueueSample(p, count) {
    await w.runCommand(p, SAMPLE);
    await w.answerInput(p, count, 'How many');
}

/**
 * The same command with arguments, through a user keybinding that scripts/e2e/run.sh writes into keybindings.json
 * (the palette cannot pass arguments): `reject` = 1 × test.reject.v1 on reject-1 (the server always rejects it);
 * `conflict` = 2 × document.put.v1 on conflict-1/2 with expectedVersion 0 (only valid while the entity is absent).
 */
const sampleKeys = { reject: 'Control+Alt+Shift+F5', conflict: 'Control+Alt+Shift+F6' };
async function enqueueVariant(p, kind) {
    await w.dismissQuickInput(p);
    await p.locator('.part.editor').first().click({ position: { x: 400, y: 300 } });
    await p.keyboard.press(sampleKeys[kind]);
}

/** The Pending/Failed/Conflicts group row's count ('' when the group is absent). */
async function groupCount(p, name) {
    const rows = await w.treeRows(p);
    const g = rows.find((r) => r.level === 1 && r.label === name);
    return g ? g.description : '';
}

/** Every fault off (the server keeps requiring a token: its --token, or the one scenario 6 rotated to). */
const healthy = () => w.faults({ unavailable: false, failRate: 0, forbidden: false, latencyMs: 0, clockOffsetMs: 0 });
let currentToken = w.env.token;

/**
 * Makes each scenario start from "online, synced, empty queue", whatever the one before left behind (so one
 * failure does not cascade): faults off, Go Online, Sign In, Clear Queue, notifications cleared.
 */
async function resetState(p) {
    await healthy();
    await w.dismissQuickInput(p);
    let s = await w.readStatus(p);
    if (s.icons.includes('circle-slash')) await w.runCommand(p, 'Offline Sync: Go Online');
    if (s.icons.includes('key')) {
        await w.runCommand(p, 'Offline Sync: Sign In');
        await w.answerInput(p, currentToken);
    }
    s = await w.readStatus(p);
    if (!isSynced(s)) {
        await w.runCommand(p, 'Offline Sync: Clear Queue…');
        await w.answerDialog(p, /^(Clear|Discard) Queue$/, 5000);
    }
    await w.waitStatus(p, isSynced, 30000, 'Synced before the scenario');
    await w.runCommand(p, 'Notifications: Clear All Notifications');
}

/**
 * Edits the user settings as a user would: Preferences: Open User Settings (JSON) (a modal editor), an edit on the line
 * of the opening brace (typed text never contains braces or line breaks, which the editor would auto-close or indent),
 * save; then the file on disk shows it. `add` puts `"key": value,` pairs after the brace; without it, what was put
 * there is taken away again.
 */
const userSettingsFile = () => path.join(process.env.E2E_USER_DATA ?? '', 'User', 'settings.json');
const userSettings = () => {
    try {
        return JSON.parse(fs.readFileSync(userSettingsFile(), 'utf8'));
    } catch {
        return undefined;
    }
};
async function editUserSettings(p, add) {
    await w.runCommand(p, 'Preferences: Open User Settings (JSON)');
    const lines = p.locator('.monaco-editor .view-lines', { hasText: 'offlineSync.serverUrl' }).first();
    await lines.waitFor({ state: 'visible' });
    await lines.click();
    await p.keyboard.press('Control+Home');
    await p.keyboard.press('ArrowRight');
    if (add) {
        await p.keyboard.insertText(Object.entries(add).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}, `).join(''));
    } else {
        await p.keyboard.press('Shift+End');
        await p.keyboard.press('Delete');
    }
    await p.keyboard.press('Control+S');
    await w.poll(() => {
        const saved = userSettings();
        return saved !== undefined && Object.keys(add ?? {}).every((key) => saved[key] === add[key])
            && (add !== undefined || !Object.keys(saved).some((key) => key.startsWith('offlineSync.storage.')));
    }, 15000, 'settings.json saved');
    // The modal editor's own close button (the command palette does not always open over it).
    await p.locator('.codicon-close:visible').last().click();
    await lines.waitFor({ state: 'hidden' });
}

/** The "Last synced …" line of the status tooltip. */
const lastSyncedLine = (tip) => (tip.match(/(Last synced: [^\n]*|Never synced)/) || [''])[0];

describe('Offline Sidecar in VS Code (code-server)', () => {
    before(async () => {
        assert.ok(w.env.csUrl && w.env.serverUrl, 'run through scripts/e2e/run.sh (E2E_* environment missing)');
        await healthy();
        browser = await w.launch();
        page = await w.openWorkbench(browser);
    });
    after(async () => {
        await browser?.close();
    });

    let tooltipBefore = '';

    scenario('1 server up: synced, empty queue shows welcome', async () => {
        const s = await w.waitStatus(page, isSynced, 60000, 'Synced');
        assert.match(s.label, /Offline Sync/);
        await w.openQueueView(page);
        await w.poll(() => w.welcomeText(page), 15000, 'queue welcome content');
        assert.equal(await w.viewBadge(page), '');
        const tip = await w.statusTooltip(page);
        console.log(`# tooltip: ${JSON.stringify(tip)}`);
        assert.match(tip, /Everything is synced/);
        assert.match(tip, new RegExp(`Server: ${w.env.serverUrl.replace(/[.]/g, '\\.')}`));
    });

    scenario('2 server down: 5 queued operations show offline, in Pending and on the badge', async () => {
        await w.faults({ unavailable: true });
        await enqueueSample(page, 5);
        const s = await w.waitStatus(page, (x) => waiting(5)(x) && x.icons.includes('debug-disconnect'), 60000, 'offline with 5');
        assert.match(s.label, /unreachable|offline/i);
        await w.openQueueView(page);
        await w.poll(async () => (await groupCount(page, 'Pending')) === '5', 15000, 'Pending 5');
        const rows = await w.settledChildren(page, 'Pending', 5);
        assert.deepEqual(rows.map((r) => r.description.split(' · ')[0]), ['demo-1', 'demo-2', 'demo-3', 'demo-4', 'demo-5']);
        await w.poll(async () => (await w.viewBadge(page)) === '5', 10000, 'badge 5');
        tooltipBefore = await w.statusTooltip(page);
        console.log(`# tooltip while offline: ${JSON.stringify(tooltipBefore)}`);
        assert.match(tooltipBefore, /Pending\W+5\b/);
    });

    scenario('3 server back: the queue drains and the status returns to synced', async () => {
        const before = await w.stats();
        await w.faults({ unavailable: false });
        await w.waitStatus(page, isSynced, 90000, 'Synced after the server came back');
        await w.poll(async () => (await groupCount(page, 'Pending')) === '' && (await w.welcomeText(page)), 15000, 'queue drained');
        assert.equal(await w.viewBadge(page), '');
        const after = await w.stats();
        assert.equal(after.applied - before.applied, 5, `server applied ${JSON.stringify({ before, after })}`);
        assert.equal(after.duplicates - before.duplicates, 0, 'no duplicates');
        const tip = await w.statusTooltip(page);
        console.log(`# tooltip after draining: ${JSON.stringify(tip)}`);
        assert.match(lastSyncedLine(tip), /^Last synced: just now/);
        assert.match(tip, /Pending\W+0\b/);
        // The line must have changed since the server went down (e.g. "Never synced" or an earlier time).
        assert.notEqual(lastSyncedLine(tip), lastSyncedLine(tooltipBefore), 'last-synced time updated');
    }, { reset: false }); // continues scenario 2's queue

    scenario('4 rejected operation: under Failed with its error; Retry, then Discard', async () => {
        const before = await w.stats();
        await enqueueVariant(page, 'reject');
        await w.openQueueView(page);
        await w.poll(async () => (await groupCount(page, 'Failed')) === '1', 60000, 'Failed 1');
        assert.equal((await w.stats()).rejected - before.rejected, 1, 'the server rejected it once');
        const [row] = await w.settledChildren(page, 'Failed', 1);
        assert.match(row.label, /test\.reject\.v1/);
        assert.match(row.description, /1 attempt/);
        const tip = await w.rowTooltip(page, await w.operationRow(page, 'Failed', 0), 'Last error');
        assert.match(tip, /Last error: .*rejected.*\(validation_failed\)/);
        await w.screenshot(page, '04a-failed-with-error');

        // Click on a quiet tree: a row being replaced hands the command no element (the extension then logs
        // "retry: no operation row was passed"). Only that logged case is clicked again; any other miss fails.
        const swallowed = () => (w.extensionLog().match(/retry: no operation row was passed/g) || []).length;
        for (let attempt = 1; ; attempt++) {
            await w.settledChildren(page, 'Failed', 1);
            const missedBefore = swallowed();
            const failedRow = await w.operationRow(page, 'Failed', 0);
            await failedRow.hover();
            await failedRow.locator('.action-label[aria-label^="Retry"]').first().waitFor({ state: 'visible' });
            if (attempt === 1) await w.screenshot(page, '04b-failed-with-actions');
            await w.clickInline(page, failedRow, 'Retry');
            // Whether the click reached the command shows only in the extension's log, which has no event to await;
            // the command logs within a few ms of the click, so 1.5 s is generous even on a loaded CI machine.
            await page.waitForTimeout(1500);
            if (swallowed() === missedBefore || attempt === 2) break;
            console.log('# the Retry click reached the command without its row (tree refreshing); clicking once more');
        }
        // Retry sends it again: the server rejects it a second time and it is back under Failed (a retry starts its attempt count afresh).
        await w.poll(async () => (await w.stats()).rejected - before.rejected === 2, 60000, 'the retry reached the server');
        await w.poll(async () => (await groupCount(page, 'Failed')) === '1', 30000, 'back under Failed');
        await w.settledChildren(page, 'Failed', 1);
        await w.poll(async () => (await groupCount(page, 'Failed')) === '1', 30000, 'back under Failed');
        await w.settledChildren(page, 'Failed', 1);

        await w.clickInline(page, await w.operationRow(page, 'Failed', 0), 'Discard');   // "Discard…" + modal
        await w.answerDialog(page, /^Discard$/);
        await w.poll(async () => (await groupCount(page, 'Failed')) === '', 15000, 'Failed group gone');
        await w.waitStatus(page, isSynced, 15000, 'Synced after discard');
    });

    scenario('5 conflicts: Take Server clears one, Keep Mine applies the other', async () => {
        // "Another client" creates conflict-1 and conflict-2 on the server; ours expect them absent (version 0).
        const ws = w.workspaceId();
        const theirs = { by: 'another client' };
        for (const entityId of ['conflict-1', 'conflict-2']) {
            await w.admin('POST', '/admin/entities', { workspaceId: ws, entityId, payload: theirs });
        }
        const before = await w.stats();
        await enqueueVariant(page, 'conflict');
        await w.openQueueView(page);
        await w.poll(async () => (await groupCount(page, 'Conflicts')) === '2', 60000, 'Conflicts 2');
        const s = await w.waitStatus(page, (x) => x.icons.includes('warning') && waiting(2)(x), 15000, 'status: 2 need attention');
        assert.match(s.label, /2 conflicts/);
        assert.equal((await w.stats()).conflicts - before.conflicts, 2, 'the server saw 2 conflicts');
        const rows = await w.settledChildren(page, 'Conflicts', 2);
        assert.deepEqual(rows.map((r) => r.description.split(' · ')[0]).sort(), ['conflict-1', 'conflict-2']);
        await w.screenshot(page, '05a-conflicts');

        const takeEntity = rows[0].description.split(' · ')[0];
        await w.clickInline(page, await w.operationRow(page, 'Conflicts', 0), 'Resolve Conflict');
        const diffTab = page.locator('.tabs-container .tab', { hasText: `${takeEntity}: Server` });
        await diffTab.first().waitFor({ state: 'visible', timeout: 15000 });
        await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible' });
        await page.waitForTimeout(1000); // for the screenshot only: Monaco fills both sides after the editor shows
        await w.screenshot(page, '05b-conflict-diff');
        await w.pickItem(page, 'Take Server');
        // The resolution closes the Compare editor (it would show "Operation … is not available" otherwise).
        await w.poll(async () => (await diffTab.count()) === 0, 15000, 'compare editor closed after Take Server');
        await w.poll(async () => (await groupCount(page, 'Conflicts')) === '1', 15000, 'Conflicts 1');
        const keepEntity = (await w.settledChildren(page, 'Conflicts', 1))[0].description.split(' · ')[0];
        assert.notEqual(keepEntity, takeEntity);

        await w.clickInline(page, await w.operationRow(page, 'Conflicts', 0), 'Resolve Conflict');
        await w.pickItem(page, 'Keep Mine');
        await w.poll(async () => (await groupCount(page, 'Conflicts')) === '', 60000, 'no conflicts');
        await w.waitStatus(page, isSynced, 30000, 'Synced');
        const entity = (id) => w.admin('GET', `/admin/entities/${encodeURIComponent(ws)}/${encodeURIComponent(id)}`);
        const kept = await entity(keepEntity);
        assert.match(JSON.stringify(kept.payload), /Demo document/, 'Keep Mine wrote the local payload');
        assert.equal(kept.version, 2);
        const taken = await entity(takeEntity);
        assert.deepEqual(taken.payload, theirs, 'Take Server left the server payload');
        assert.equal(taken.version, 1);
    });

    scenario('6 sign-in needed: status says so; Sign In with the new token resumes', async () => {
        const token = `rotated-${Date.now()}`;
        await w.faults({ requireToken: token });
        currentToken = token;
        await enqueueSample(page, 2);
        const s = await w.waitStatus(page, (x) => x.icons.includes('key'), 60000, 'sign-in required');
        assert.match(s.label, /Sign in/i);
        await w.runCommand(page, 'Offline Sync: Sign In');
        await w.answerInput(page, token);
        await w.waitStatus(page, isSynced, 60000, 'Synced after sign-in');
    });

    scenario('7 Work Offline: nothing is sent while on; sync resumes when off', async () => {
        await w.runCommand(page, 'Offline Sync: Work Offline');
        await w.waitStatus(page, (x) => x.icons.includes('circle-slash'), 15000, 'working offline');
        const before = await w.stats();
        await enqueueSample(page, 3);
        await w.waitStatus(page, (x) => waiting(3)(x) && x.icons.includes('circle-slash'), 15000, 'offline with 3');
        // "Nothing was sent" needs a window: an enqueue wakes the worker at once, so one ignoring Work Offline would
        // send within milliseconds of it; 5 s covers that on a loaded CI machine with room to spare.
        await page.waitForTimeout(5000);
        const during = await w.stats();
        assert.equal(during.commandRequests, before.commandRequests, 'no command request while working offline');
        assert.equal(during.applied, before.applied);
        await w.runCommand(page, 'Offline Sync: Go Online');
        await w.waitStatus(page, isSynced, 60000, 'Synced after going online');
        assert.equal((await w.stats()).applied - before.applied, 3);
    });

    scenario('8 two windows: same counts in both; the server sees no duplicates', async () => {
        const before = await w.stats();
        const context = await browser.newContext({ viewport: { width: 1400, height: 850 } });
        const page2 = await w.openWorkbench(context);
        // A new browser profile has no SecretStorage of its own: it starts with OFFLINE_SYNC_TOKEN, which scenario 6
        // rotated away, so the sidecar (asking whoami first) rightly wants sign-in. Signing in unconditionally keeps
        // the scenario independent of whether that 401 has arrived yet.
        await w.runCommand(page2, 'Offline Sync: Sign In');
        await w.answerInput(page2, currentToken);
        await w.waitStatus(page2, isSynced, 60000, 'second window synced');
        await w.faults({ unavailable: true });
        await enqueueSample(page, 4);
        for (const p of [page, page2]) {
            await w.waitStatus(p, waiting(4), 60000, '4 waiting in both windows');
            await w.openQueueView(p);
            await w.poll(async () => (await groupCount(p, 'Pending')) === '4', 15000, 'Pending 4');
        }
        await w.screenshot(page2, '08a-second-window');
        await w.faults({ unavailable: false });
        for (const p of [page, page2]) await w.waitStatus(p, isSynced, 90000, 'Synced in both windows');
        const after = await w.stats();
        assert.equal(after.applied - before.applied, 4);
        assert.equal(after.duplicates - before.duplicates, 0, 'no duplicate deliveries');
        await context.close();
    });

    scenario('9 access revoked: queued work is safe; the notification offers Export Queue', async () => {
        const exported = path.join(w.env.workspace, 'offline-sync-queue.json');
        fs.rmSync(exported, { force: true });
        await enqueueSample(page, 1);
        await w.waitStatus(page, isSynced, 60000, 'Synced before the revocation');
        const before = await w.stats();
        await w.faults({ forbidden: true });
        await enqueueSample(page, 3);
        const s = await w.waitStatus(page, (x) => x.icons.includes('lock') && waiting(3)(x), 60000, 'access revoked with 3 kept');
        assert.match(s.label, /Access revoked: queued work kept/);
        const toast = page.locator('.notification-toast', { hasText: /revoked/i }).first();
        await toast.waitFor({ state: 'visible', timeout: 30000 });
        const text = await toast.innerText();
        assert.match(text, /safe on this machine/);
        assert.match(text, /Show Queue/);
        assert.doesNotMatch(text, /Sign In/);
        await w.openQueueView(page);
        await w.poll(async () => (await groupCount(page, 'Pending')) === '3', 15000, 'Pending 3');
        assert.equal(await groupCount(page, 'Failed'), '', 'nothing failed or discarded');
        await w.screenshot(page, '09a-access-revoked-notification');
        // Export Queue… from the notification: code-server's save dialog is a quick input holding the default path.
        await toast.locator('.monaco-button', { hasText: /Export Queue/ }).first().click();
        const input = page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: 15000 });
        await w.poll(async () => /offline-sync-queue\.json$/.test(await input.inputValue()), 10000, 'the default export path');
        await page.keyboard.press('Enter');
        await w.poll(() => fs.existsSync(exported), 20000, 'the export file');
        const file = JSON.parse(fs.readFileSync(exported, 'utf8'));
        assert.equal(file.operations.length, 3, 'the export holds the 3 kept operations');
        const during = await w.stats();
        assert.equal(during.applied - before.applied, 0);
        await healthy();
        await w.waitStatus(page, isSynced, 90000, 'Synced once access is back (probe)');
        assert.equal((await w.stats()).applied - before.applied, 3);
    });

    scenario('10 low disk: the status bar warns and one notification offers Export Queue', async () => {
        // Honest way to make the real disk "low": a warning threshold as large as the disk itself, set the way a user
        // would (user settings.json, edited and saved in the editor). The critical threshold keeps its default, so
        // nothing is refused.
        const lowToasts = () => page.locator('.notifications-toasts .notification-toast', { hasText: 'Low disk space' });
        let failure;
        try {
            await editUserSettings(page, {
                'offlineSync.storage.lowSpaceWarningMB': 1048576,
                'offlineSync.storage.lowSpaceWarningPercent': 100,
            });
            const toast = lowToasts().first();
            await toast.waitFor({ state: 'visible', timeout: 30000 });
            assert.match(await toast.innerText(), /Low disk space: [\d.,]+ (KB|MB|GB|TB) free where Offline Sync keeps its queue/);
            const buttons = await toast.locator('.monaco-button').allInnerTexts();
            assert.deepEqual(buttons.map((b) => b.trim()), ['Export Queue', 'Open Settings']);

            const tip = await w.poll(async () => {
                const text = await w.statusTooltip(page);
                return /Low disk space/.test(text) && text;
            }, 30000, 'the status tooltip warns of low disk space');
            console.log(`# tooltip: ${JSON.stringify(tip)}`);
            assert.match(tip, /Low disk space: [\d.,]+ (KB|MB|GB|TB) free \(warning under [\d.,]+ (MB|GB|TB); new changes are refused under 50 MB\)/);
            assert.match(tip, /Export Queue/);
            assert.match((await w.readStatus(page)).label, /low disk space/);
            const item = page.locator('.part.statusbar .statusbar-item[aria-label^="Offline Sync"], .part.statusbar .statusbar-item:has([aria-label^="Offline Sync"])').first();
            assert.notEqual(await item.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)', 'the item is coloured');
            await w.screenshot(page, '10a-low-disk-warning');

            // More statuses while the disk stays low (operations queued offline, then synced) tell nothing new.
            await w.faults({ unavailable: true });
            await enqueueSample(page, 2);
            await w.waitStatus(page, waiting(2), 60000, '2 waiting');
            await w.faults({ unavailable: false });
            await w.waitStatus(page, isSynced, 60000, 'synced again');
            const center = await w.notificationCenter(page);
            assert.equal((center.match(/Low disk space/g) || []).length, 1, `one low-disk notification; center: ${center}`);
        } catch (e) {
            failure = e;
        }
        // The settings go back whatever happened; the first failure is the one reported.
        await w.hideNotificationCenter(page).catch(() => {});
        await editUserSettings(page).catch((e) => { failure ??= e; });
        if (failure) throw failure;
        // Settings back: the warning goes away by itself.
        await w.poll(async () => !/Low disk space/.test(await w.statusTooltip(page)), 30000, 'the warning gone with the settings');
    });

    scenario('11 clocks that lie: the server\'s clock two hours behind is told in the tooltip; work syncs in order regardless', async () => {
        const before = await w.stats();
        await w.faults({ clockOffsetMs: -2 * 3600 * 1000 });
        // The next answers' Date headers disagree with the estimate by far more than their second: it is corrected.
        await enqueueSample(page, 3);
        await w.waitStatus(page, isSynced, 60000, 'Synced with the server two hours behind');
        const tip = await w.poll(async () => {
            const text = await w.statusTooltip(page);
            return /Your clock is 2 h ahead of the server/.test(text) ? text : undefined;
        }, 30000, 'the skew in the tooltip');
        assert.match(lastSyncedLine(tip), /^Last synced: just now$/, "last synced is this machine's own measure, whatever the server's clock says");
        assert.equal((await w.stats()).applied - before.applied, 3);
    });
});
