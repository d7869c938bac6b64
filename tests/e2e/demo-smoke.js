'use strict';
// `npm run demo -- --smoke`: the running demo shows the extension's status bar item and, with no refresh, the seeded
// notes under Offline Documents (a note opens with its text); a sample operation queued through the command palette
// reaches the demo server. Prints one line per step with its time.
const w = require('./lib/workbench');

(async () => {
    const t0 = Date.now();
    const step = (what) => console.log(`demo smoke: ${what} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    const browser = await w.launch();
    let page;
    try {
        page = await w.openWorkbench(browser);
        const s = await w.readStatus(page);
        step(`status bar item: ${JSON.stringify(s.label)}`);
        await w.waitStatus(page, (x) => /Synced/.test(x.text) || x.icons.includes('cloud-upload'), 60000, 'online');
        await page.keyboard.press('Control+Shift+E');
        await w.expand(page, 'Offline Documents', 1);
        await w.expand(page, 'notes', 2);
        await w.explorerRow(page, 'meeting.md', 3).click();
        await w.poll(async () => /Meeting/.test(await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText().catch(() => '')),
            30000, 'the note open with its text');
        step('Offline Documents → notes/meeting.md open');
        const before = await w.stats();
        await w.runCommand(page, 'Offline Sync: Queue Sample Operations');
        await w.answerInput(page, 1);
        await w.poll(async () => (await w.stats()).applied > before.applied, 60000, 'the server applied the sample operation');
        await w.waitStatus(page, (x) => /Synced/.test(x.text), 30000, 'Synced');
        step('a sample operation synced');
        await w.screenshot(page, 'demo-smoke');
        await browser.close();
    } catch (e) {
        if (page) await w.screenshot(page, 'demo-smoke-FAIL').catch(() => {});
        await browser.close();
        console.error('demo smoke FAILED:', e.message);
        process.exit(1);
    }
})();
