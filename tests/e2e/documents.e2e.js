'use strict';
// End-to-end: the documents workspace (offline-sync://) in code-server, against the real sidecar and server.
// A note is read and edited with the server down, across a reload of the editor; it reaches the server once; a server
// edit to another line merges, one to the same line shows the conflict diff. Screenshots under test-results/e2e/.
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const w = require('./lib/workbench');

const WS = 'e2e-docs';
const NOTE = 'notes/meeting.md';
const BASE = '# Meeting\nAgenda: budget\nOwner: Ann\nNext: Friday\n';
let browser;
let page;
let shot = 50;

function scenario(name, fn, { timeout = 240000 } = {}) {
    const n = String(++shot).padStart(2, '0');
    test(name, { timeout }, async () => {
        try {
            await fn(n);
        } catch (e) {
            await w.screenshot(page, `${n}-documents-FAIL`).catch(() => {});
            console.log(`# ${name}: status ${JSON.stringify(await w.readStatus(page).catch(() => null))}`);
            throw e;
        }
    });
}

/** The workspace file of a window with the e2e folder and the documents of workspace e2e-docs. */
function workspaceFile() {
    const file = path.join(w.env.workspace, 'documents.code-workspace');
    fs.writeFileSync(file, JSON.stringify({
        folders: [{ path: '.' }, { name: 'Offline Documents', uri: `offline-sync://${WS}/` }],
        // code-server saves after a delay by default; these scenarios save when they say so.
        settings: { 'offlineSync.workspaceId': WS, 'files.autoSave': 'off' },
    }, null, 2));
    return file;
}

const serverNote = () => w.admin('GET', `/admin/entities/${WS}/${NOTE}`);
const serverWrite = (content) => w.admin('POST', '/admin/entities', { workspaceId: WS, entityId: NOTE, payload: { content, encoding: 'utf-8' } });
const healthy = () => w.faults({ unavailable: false, failRate: 0, forbidden: false, latencyMs: 0 });

/** Opens the note from the explorer (Offline Documents → notes → meeting.md). */
async function openNote(p) {
    await p.keyboard.press('Control+Shift+E');
    await w.expand(p, 'Offline Documents', 1);
    // No refresh: the folder listed before the first pull ended must show what it pulled by itself.
    await w.explorerRow(p, 'notes', 2).waitFor({ state: 'visible', timeout: 60000 });
    await w.expand(p, 'notes', 2);
    const file = w.explorerRow(p, 'meeting.md', 3);
    await file.waitFor({ state: 'visible' });
    await file.click();
    await p.locator('.tabs-container .tab', { hasText: /meeting/ }).first().waitFor({ state: 'visible' });
    await editorText(p);
}

/** The text of the active editor (Monaco's model, as the user sees it). */
async function editorText(p) {
    await p.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible' });
    return p.evaluate(() => {
        const lines = [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line')];
        return lines
            .map((l) => ({ top: parseFloat(l.style.top || '0'), text: l.innerText.replace(/\u00a0/g, ' ') }))
            .sort((a, b) => a.top - b.top)
            .map((l) => l.text)
            .join('\n');
    });
}

/** Replaces the whole editor content and saves: the edit is seen (the tab turns dirty) before the save, and saved after. */
async function replaceAndSave(p, text) {
    const dirty = p.locator('.tabs-container .tab.dirty', { hasText: /meeting/ });
    await p.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await p.keyboard.press('Control+A');
    await p.keyboard.press('Delete');
    await p.keyboard.insertText(text);
    await w.poll(async () => {
        const shown = (await editorText(p)).trim();
        if ((await dirty.count()) > 0 && shown === text.trim()) return true;
        throw new Error(`dirty tabs ${await dirty.count()}, editor ${JSON.stringify(shown)}`);
    }, 15000, 'the edit in the editor');
    await p.keyboard.press('Control+S');
    await w.poll(async () => (await dirty.count()) === 0, 15000, 'the note saved');
}

/** The decoration letter the explorer shows next to a file (VS Code draws it with a ::after content rule). */
async function explorerBadge(p, label, level) {
    const row = w.explorerRow(p, label, level);
    if ((await row.count()) === 0) return '';
    return row.evaluate((el) => {
        for (const node of el.querySelectorAll('*')) {
            const content = getComputedStyle(node, '::after').content;
            if (content && content !== 'none' && content !== 'normal' && content !== '""') return content.replace(/^"|"$/g, '');
        }
        return '';
    });
}

const isSynced = (s) => /Synced/.test(s.text);

describe('Offline documents in VS Code (code-server)', () => {
    before(async () => {
        assert.ok(w.env.csUrl && w.env.serverUrl, 'run through scripts/e2e/run.sh (E2E_* environment missing)');
        await healthy();
        await serverWrite(BASE);
        browser = await w.launch();
        page = await w.openWorkbench(browser, workspaceFile());
    });
    after(async () => {
        await healthy().catch(() => {});
        await browser?.close();
    });

    scenario('51 documents: a note edited offline across an editor reload reaches the server once, at base version + 1', async (n) => {
        const base = await serverNote();
        await w.waitStatus(page, isSynced, 60000, 'Synced');
        await openNote(page);
        assert.equal((await editorText(page)).trim(), BASE.trim());

        await w.faults({ unavailable: true });
        await replaceAndSave(page, BASE + 'edit one\n');
        await replaceAndSave(page, BASE + 'edit one\nedit two\n');
        await w.waitStatus(page, (s) => /(^|\D)1(\D|$)/.test(s.text), 30000, 'one operation waiting (two saves coalesced)');
        await w.poll(async () => (await explorerBadge(page, 'meeting.md', 3)) === 'P', 15000, 'the pending badge on the note');
        await w.screenshot(page, `${n}a-documents-pending-badge`);

        await page.reload();
        await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60000 });
        await w.waitStatus(page, (s) => /(^|\D)1(\D|$)/.test(s.text), 90000, 'still one waiting after the reload');
        if ((await page.locator('.tabs-container .tab', { hasText: /meeting/ }).count()) === 0) await openNote(page);
        await w.poll(async () => (await editorText(page)).includes('edit two'), 30000, 'the saved edits shown after the reload');
        await replaceAndSave(page, BASE + 'edit one\nedit two\nedit three\n');

        await w.faults({ unavailable: false });
        await w.waitStatus(page, isSynced, 90000, 'Synced once the server is back');
        const after = await serverNote();
        assert.equal(after.version, base.version + 1);
        assert.equal(after.payload.content, BASE + 'edit one\nedit two\nedit three\n');
        await w.poll(async () => (await explorerBadge(page, 'meeting.md', 3)) === '', 30000, 'no badge once synced');
        await w.screenshot(page, `${n}b-documents-synced`);
    });

    scenario('52 documents: a server edit to another line merges; one to the same line is a conflict shown as a diff', async (n) => {
        const start = (await serverNote()).payload.content;
        const mine = start.replace('Owner: Ann', 'Owner: Bob');
        await w.faults({ unavailable: true });
        await replaceAndSave(page, mine);
        await serverWrite(start.replace('Next: Friday', 'Next: Monday'));
        await w.faults({ unavailable: false });
        const merged = start.replace('Owner: Ann', 'Owner: Bob').replace('Next: Friday', 'Next: Monday');
        await w.poll(async () => (await serverNote()).payload.content === merged, 90000, 'the server holds both changes');
        await w.waitStatus(page, isSynced, 60000, 'Synced after the merge');
        await w.poll(async () => (await editorText(page)).includes('Next: Monday'), 60000, 'the merged text in the editor');
        assert.match(await editorText(page), /Owner: Bob/);
        await w.poll(async () => (await explorerBadge(page, 'meeting.md', 3)) === '', 30000, 'no badge once the merge synced');
        await w.screenshot(page, `${n}a-documents-merged`);

        await w.faults({ unavailable: true });
        await replaceAndSave(page, merged.replace('Owner: Bob', 'Owner: Carol'));
        await serverWrite(merged.replace('Owner: Bob', 'Owner: Dan'));
        await w.faults({ unavailable: false });
        await w.waitStatus(page, (s) => /conflict/.test(s.label), 90000, 'a conflict');
        await w.poll(async () => (await explorerBadge(page, 'meeting.md', 3)) === 'C', 30000, 'the conflict badge on the note');
        await w.screenshot(page, `${n}b-documents-conflict-badge`);

        await w.openQueueView(page);
        await w.settledChildren(page, 'Conflicts', 1);
        await w.clickInline(page, await w.operationRow(page, 'Conflicts', 0), 'Resolve Conflict');
        const diff = page.locator('.monaco-diff-editor').first();
        await diff.waitFor({ state: 'visible', timeout: 20000 });
        // Monaco draws spaces as no-break spaces.
        const diffText = async () => (await diff.innerText()).replace(/\u00a0/g, ' ');
        await w.poll(async () => /Owner: Dan/.test(await diffText()) && /Owner: Carol/.test(await diffText()), 20000,
            'the server text and mine side by side');
        await w.screenshot(page, `${n}c-documents-conflict-diff`);
        await w.pickItem(page, 'Keep Mine');
        await w.waitStatus(page, isSynced, 60000, 'Synced after Keep Mine');
        assert.match((await serverNote()).payload.content, /Owner: Carol/);
    });

    scenario('53 documents: the server moved on under unsaved edits: VS Code offers Compare / Overwrite on save', async (n) => {
        await w.waitStatus(page, isSynced, 60000, 'Synced');
        const start = (await serverNote()).payload.content;
        await page.locator('.tabs-container .tab', { hasText: /meeting/ }).first().click();
        await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+End');
        await page.keyboard.insertText('unsaved line\n');
        await serverWrite(start + 'written elsewhere\n');
        await w.runCommand(page, 'Offline Sync: Pull Documents');
        await w.poll(async () => (await serverNote()).version > 0, 5000, 'server note');
        await page.keyboard.press('Escape');
        await w.runCommand(page, 'Notifications: Clear All Notifications');
        await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+S');
        const toast = page.locator('.notification-toast', { hasText: /newer/i }).first();
        await toast.waitFor({ state: 'visible', timeout: 30000 });
        assert.match(await toast.innerText(), /Compare/);
        await w.screenshot(page, `${n}a-documents-file-is-newer`);
        await toast.locator('.monaco-button', { hasText: 'Overwrite' }).first().click();
        // The status may still say Synced from before the save reached the queue: the server's copy is the signal.
        const note = await w.poll(async () => {
            const current = await serverNote();
            return current.payload.content.endsWith('unsaved line\n') ? current : undefined;
        }, 60000, 'the overwrite on the server');
        await w.waitStatus(page, isSynced, 60000, 'Synced after Overwrite');
        assert.ok(!note.payload.content.includes('written elsewhere'), 'Overwrite keeps my version');
    });
});
