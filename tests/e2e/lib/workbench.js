'use strict';
// Playwright helpers for driving a code-server workbench with the Offline Sidecar extension installed.
// Selectors were checked against code-server 4.139.1 (VS Code 1.139.1). Everything asserts what is on screen.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { chromium } = require('playwright-core');

const env = {
    csUrl: process.env.E2E_CS_URL,
    workspace: process.env.E2E_WORKSPACE,
    serverUrl: process.env.E2E_SERVER_URL,
    token: process.env.E2E_TOKEN,
    out: process.env.E2E_OUT || path.resolve(__dirname, '../../test-results/e2e'),
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};

const STATUS = '.part.statusbar .statusbar-item:has([aria-label^="Offline Sync"]), .part.statusbar .statusbar-item[aria-label^="Offline Sync"]';
const VIEW_TITLE = 'Sync Queue';     // views.offlineSync[0].name
const CONTAINER = 'Offline Sync';    // viewsContainers.activitybar[0].title

async function launch() {
    return chromium.launch({
        executablePath: env.chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
}

/** Opens the workspace in a new page and waits until the extension's status bar item left "starting". */
async function openWorkbench(browserOrContext, folder = env.workspace) {
    const page = await browserOrContext.newPage({ viewport: { width: 1400, height: 850 } });
    page.setDefaultTimeout(20000);
    const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
    await page.goto(`${env.csUrl}/?${kind}=${encodeURIComponent(folder)}`);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60000 });
    await waitStatus(page, (s) => s.label && !/starting/i.test(s.label), 90000, 'extension status bar item');
    return page;
}

/** The status bar item as seen: { text (innerText), label (aria-label), icons (codicon names) }. */
async function readStatus(page) {
    const item = page.locator(STATUS).first();
    if ((await item.count()) === 0) return { text: '', label: '', icons: [] };
    return item.evaluate((el) => {
        const labelled = el.matches('[aria-label]') ? el : el.querySelector('[aria-label]');
        const icons = [...el.querySelectorAll('.codicon')].map((i) =>
            [...i.classList].find((c) => c.startsWith('codicon-') && c !== 'codicon-modifier-spin')?.slice(8));
        return { text: el.innerText.trim(), label: labelled ? labelled.getAttribute('aria-label') : '', icons };
    });
}

/** Polls the status bar item until `pred(status)` holds; the failure message shows the last state seen. */
async function waitStatus(page, pred, timeout = 30000, what = 'status bar') {
    const until = Date.now() + timeout;
    let last;
    for (;;) {
        last = await readStatus(page).catch(() => ({ text: '', label: '', icons: [] }));
        if (pred(last)) return last;
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
        await page.waitForTimeout(250);
    }
}

async function poll(fn, timeout, what, interval = 300) {
    const until = Date.now() + timeout;
    let last;
    for (;;) {
        try {
            last = await fn();
            if (last) return last;
        } catch (e) {
            last = e.message;
        }
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, interval));
    }
}

/** Hovers the status bar item and returns the tooltip's text. */
async function statusTooltip(page) {
    // The mouse rests off the item first: VS Code opens a hover only after the pointer stops on its target.
    await page.mouse.move(700, 300);
    await page.waitForTimeout(300);
    await page.locator(STATUS).first().hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Offline Sync' }).last();
    await hover.waitFor({ state: 'visible', timeout: 10000 });
    const text = await hover.innerText();
    await page.mouse.move(700, 300);
    await page.keyboard.press('Escape');
    return text;
}

/** F1, type the command's title, pick it. */
async function runCommand(page, title) {
    await dismissQuickInput(page);
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill('>' + title);
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await page.keyboard.press('Enter');
}

/** Answers an input box (showInputBox) opened by a command; `value` undefined keeps the default. */
async function answerInput(page, value, expectPrompt) {
    const widget = page.locator('.quick-input-widget').first();
    await widget.waitFor({ state: 'visible' });
    if (expectPrompt) await widget.filter({ hasText: expectPrompt }).waitFor({ state: 'visible' });
    const input = widget.locator('input').first();
    if (value !== undefined) await input.fill(String(value));
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
}

/** Picks an item of an open quick pick by its label. */
async function pickItem(page, label) {
    const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
}

async function dismissQuickInput(page) {
    if (await page.locator('.quick-input-widget').first().isVisible().catch(() => false)) {
        await page.keyboard.press('Escape');
    }
}

/** Opens the Offline Queue view (its activity bar container) unless it is already visible. */
async function openQueueView(page) {
    const pane = queuePane(page);
    if (await pane.isVisible().catch(() => false)) return pane;
    // Click the activity bar item itself (its badge would intercept a click on the inner link).
    const icon = page.locator('.activitybar .action-item', { has: page.locator(`a[aria-label^="${CONTAINER}"]`) }).first();
    await icon.click();
    await pane.waitFor({ state: 'visible' });
    return pane;
}

/** The view pane of the queue view (header + body). */
function queuePane(page) {
    return page.locator('.pane', { has: page.locator('.pane-header', { hasText: new RegExp(VIEW_TITLE, 'i') }) }).first();
}

/** Rows of the queue tree as { level, label, description, expanded }. */
async function treeRows(page) {
    const pane = queuePane(page);
    return pane.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => ({
        level: Number(r.getAttribute('aria-level') || 0),
        label: (r.querySelector('.label-name')?.textContent || r.querySelector('.monaco-highlighted-label')?.textContent || '').trim(),
        description: (r.querySelector('.label-description')?.textContent || '').trim(),
        expanded: r.getAttribute('aria-expanded'),
        text: r.innerText.trim(),
    })));
}

/** The group row (level 1) whose label is `name`, expanded. Returns the rows under it. */
async function groupChildren(page, name) {
    const pane = queuePane(page);
    const group = pane.locator('.monaco-list-row[aria-level="1"]', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
    await group.waitFor({ state: 'visible' });
    if ((await group.getAttribute('aria-expanded')) === 'false') await group.click();
    await poll(async () => (await group.getAttribute('aria-expanded')) === 'true', 5000, `${name} expanded`);
    const rows = await treeRows(page);
    const i = rows.findIndex((r) => r.level === 1 && r.label === name);
    const out = [];
    for (let j = i + 1; j < rows.length && rows[j].level > 1; j++) out.push(rows[j]);
    return out;
}

/**
 * The rows under group `name` once the tree has settled on `count` of them (two equal reads 500 ms apart):
 * a group's count updates before its children are re-fetched, and a click on a row that is being replaced
 * reaches the command without its tree element.
 */
async function settledChildren(page, name, count, timeout = 20000) {
    let previous = '';
    return poll(async () => {
        const rows = await groupChildren(page, name);
        const key = JSON.stringify(rows.map((r) => [r.label, r.description.split(' · ')[0]]));
        const ok = rows.length === count && key === previous;
        previous = key;
        if (!ok) await page.waitForTimeout(500);
        return ok ? rows : false;
    }, timeout, `${count} settled rows under ${name}`, 0);
}

/** Locator of the n-th operation row (level 2) under group `name`. */
async function operationRow(page, name, n = 0) {
    const pane = queuePane(page);
    const rows = pane.locator('.monaco-list-row');
    const all = await treeRows(page);
    const i = all.findIndex((r) => r.level === 1 && r.label === name);
    if (i < 0) throw new Error(`no ${name} group; rows: ${JSON.stringify(all)}`);
    return rows.nth(i + 1 + n);
}

/** Hovers a tree row's label (moving like a mouse does; one jump does not open it) and returns its tooltip. */
async function rowTooltip(page, row, mustContain) {
    const label = row.locator('.monaco-icon-label').first();
    const hover = page.locator('.monaco-hover', { hasText: mustContain }).last();
    return poll(async () => {
        await page.mouse.move(700, 300, { steps: 2 });
        await page.waitForTimeout(300);
        const bb = await label.boundingBox();
        await page.mouse.move(bb.x + 12, bb.y + bb.height / 2, { steps: 8 });
        await hover.waitFor({ state: 'visible', timeout: 4000 });
        const text = await hover.innerText();
        await page.mouse.move(700, 300, { steps: 2 });
        return text;
    }, 20000, `tooltip containing ${mustContain}`, 100);
}

/** Clicks an inline action (by its title) on a tree row. */
async function clickInline(page, row, title) {
    await row.hover();
    // aria-label is the command title ("Discard…", "Resolve Conflict…"), maybe followed by a keybinding.
    const action = row.locator(`.action-label[aria-label^="${title}"]`).first();
    await action.waitFor({ state: 'visible' });
    await action.click();
}

/** The extension's "Offline Sync" log as written so far (newest session under E2E_USER_DATA/logs), '' if none. */
function extensionLog() {
    const root = process.env.E2E_USER_DATA && path.join(process.env.E2E_USER_DATA, 'logs');
    const found = [];
    const walk = (d) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name === 'Offline Sync.log') found.push(p);
        }
    };
    try {
        walk(root);
    } catch {
        return '';
    }
    return found.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}

/** The badge number on the Offline Sync activity bar icon ('' when none). */
async function viewBadge(page) {
    const item = page.locator('.activitybar .action-item', { has: page.locator(`a[aria-label^="${CONTAINER}"]`) }).first();
    const badge = item.locator('.badge .badge-content');
    if ((await badge.count()) === 0 || !(await badge.isVisible())) return '';
    return (await badge.innerText()).trim();
}

/** Welcome content (viewsWelcome) of the queue view, '' when not shown. */
async function welcomeText(page) {
    const w = queuePane(page).locator('.welcome-view-content');
    if ((await w.count()) === 0 || !(await w.first().isVisible())) return '';
    return (await w.first().innerText()).trim();
}

/** Opens the notification center and returns its text. */
async function notificationCenter(page) {
    await runCommand(page, 'Notifications: Show Notifications');
    const center = page.locator('.notifications-center');
    await center.waitFor({ state: 'visible' });
    return center.innerText();
}

async function hideNotificationCenter(page) {
    await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
    await page.keyboard.press('Escape');
}

/** Clicks a button (text or RegExp) of a modal dialog (showWarningMessage {modal: true}); false if none opened. */
async function answerDialog(page, button, timeout = 3000) {
    const dialog = page.locator('.monaco-dialog-box');
    try {
        await dialog.waitFor({ state: 'visible', timeout });
    } catch {
        return false;
    }
    try {
        await dialog.locator('.monaco-button', { hasText: button }).first().click({ timeout: 5000 });
    } catch (e) {
        const buttons = await dialog.locator('.monaco-button').allInnerTexts().catch(() => []);
        await page.keyboard.press('Escape');
        throw new Error(`dialog has no button ${button}; buttons: ${JSON.stringify(buttons)}`);
    }
    await dialog.waitFor({ state: 'hidden' });
    return true;
}

function shotPath(name) {
    fs.mkdirSync(env.out, { recursive: true });
    return path.join(env.out, `${name}.png`);
}

async function screenshot(page, name) {
    await page.screenshot({ path: shotPath(name) });
}

/** The extension's workspace id for a one-folder window (extension/src/workspaceId.ts: hash of the folder URIs). */
function workspaceId(folder = env.workspace) {
    const uri = 'file://' + folder.split('/').map(encodeURIComponent).join('/');
    return 'ws-' + crypto.createHash('sha256').update(`folders\n${uri}`, 'utf8').digest('hex').slice(0, 24);
}

// ---- the reference server's admin API ----------------------------------------------------------------------
async function admin(method, pathname, body) {
    const res = await fetch(env.serverUrl + pathname, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${pathname} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
}
const faults = (f) => admin('POST', '/admin/faults', f);
const stats = () => admin('GET', '/admin/stats');

/** An explorer row by its label (and tree level, 1 = a root folder). */
function explorerRow(p, label, level) {
    return p.locator(`.explorer-folders-view .monaco-list-row[aria-level="${level}"]`, { has: p.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
}

async function expand(p, label, level) {
    const row = explorerRow(p, label, level);
    await row.waitFor({ state: 'visible', timeout: 60000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    await poll(async () => (await row.getAttribute('aria-expanded')) === 'true', 10000, `${label} expanded`);
}

module.exports = {
    env, launch, openWorkbench, readStatus, waitStatus, poll, statusTooltip, runCommand, answerInput, pickItem,
    dismissQuickInput, openQueueView, rowTooltip, queuePane, treeRows, groupChildren, settledChildren, operationRow, clickInline, viewBadge,
    welcomeText, notificationCenter, explorerRow, expand, extensionLog, workspaceId, hideNotificationCenter, answerDialog, screenshot, admin, faults, stats,
};
