// Browser journeys: playwright-core drives Debian's Chromium (headless) against the built UI served
// by the mock server under a base href. Measures opening a 10,000-node workflow and the frame
// times of panning and zooming it. Prints "N passed, N failed". Run: npm run e2e (after build).

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startMockServer } from './mockServer.mjs';
import { runResourceJourneys } from './resourceJourneys.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dist = fileURLToPath(new URL('../dist', import.meta.url));
// Screenshots of the last page of each journey, kept as test artifacts (git-ignored).
const shots = fileURLToPath(new URL('../test-results/screenshots', import.meta.url));

if (!existsSync(CHROMIUM)) {
  console.log(`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  process.exit(0);
}

rmSync(shots, { recursive: true, force: true });
const server = await startMockServer({ dist });
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let passed = 0;
let failed = 0;
const measurements = [];

async function journey(name, body, { allowConsoleErrors = false } = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await body(page);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`, fullPage: true });
    // `allowConsoleErrors`: true allows any, a RegExp only the matching ones (e.g. an expected 400).
    const unexpected = allowConsoleErrors === true ? [] : errors.filter((e) => !(allowConsoleErrors instanceof RegExp && allowConsoleErrors.test(e)));
    assert.deepEqual(unexpected, [], 'no console errors');
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e instanceof Error ? e.message : e}`);
  } finally {
    await page.close();
  }
}

await journey('the list under a base href links to a workflow whose graph and node panel open', async (page) => {
  await page.goto(`${origin}/argo/workflows/argo`);
  await page.getByRole('link', { name: 'hello' }).click();
  await page.waitForURL(`${origin}/argo/workflows/argo/hello`);
  const canvas = page.getByRole('img', { name: /Workflow graph with 6 nodes/ });
  await canvas.waitFor();
  await page.getByRole('searchbox', { name: 'Search nodes' }).fill('task-3');
  await page.getByRole('searchbox', { name: 'Search nodes' }).press('Enter');
  await page.getByRole('complementary', { name: 'Node task-3' }).waitFor();
  assert.match(page.url(), /node=hello-3/);
});

await journey("a node's events and artifacts open from a shared URL; dark mode follows the picker", async (page) => {
  await page.goto(`${origin}/argo/workflows/argo/hello?node=hello-3&panel=events`);
  const panel = page.getByRole('complementary', { name: 'Node task-3' });
  await panel.getByRole('cell', { name: 'Started container main' }).waitFor();
  await panel.getByRole('tab', { name: 'Artifacts (1)' }).click();
  await panel.getByRole('link', { name: 'report' }).click();
  assert.match(page.url(), /panel=artifacts&artifact=report/);
  const download = panel.getByRole('link', { name: 'Download' });
  await page.waitForFunction(() => document.querySelector('a.disabled')?.getAttribute('title')?.includes('does not serve'));
  assert.equal(await download.getAttribute('href'), null);
  await page.getByLabel('Theme').selectOption('dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(background, 'rgb(18, 24, 29)');
});

await journey('a 401 sends the user to login, remembering the page', async (page) => {
  await page.goto(`${origin}/argo/workflows/locked`);
  await page.waitForURL(/\/argo\/login\?redirect=/);
  assert.match(decodeURIComponent(page.url()), /redirect=\/workflows\/locked/);
  await page.getByLabel('Token').fill('Bearer x');
}, { allowConsoleErrors: true });

await journey('the version page shows the server version', async (page) => {
  await page.goto(`${origin}/argo/version`);
  await page.getByText('v0.0.0-mock').waitFor();
});

await journey('a 10,000-node workflow opens, pans and zooms (open time and frame gaps measured against 2 s / 100 ms)', async (page) => {
  await page.goto(`${origin}/argo/version`);
  await page.getByText('v0.0.0-mock').waitFor();
  const started = Date.now();
  await page.evaluate(() => { window.history.pushState(null, '', 'workflows/argo/huge'); window.dispatchEvent(new PopStateEvent('popstate')); });
  await page.getByRole('img', { name: /Workflow graph with 10001 nodes/ }).waitFor();
  await page.waitForFunction(() => (window.__argoGraphFrameTimes ?? []).length > 0);
  const openMs = Date.now() - started;
  measurements.push(`open 10,000-node workflow (fetch + layout + first paint): ${openMs} ms`);
  await page.evaluate(() => {
    window.__argoGraphFrameTimes.length = 0;
    window.__rafGaps = [];
    let last = performance.now();
    const tick = (t) => { window.__rafGaps.push(t - last); last = t; if (window.__rafGaps.length < 100000) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const box = await page.getByRole('img', { name: /Workflow graph/ }).boundingBox();
  assert.ok(box, 'canvas has a box');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  // Zoom from the overview into labelled detail, pan there, then zoom back out through every level.
  for (let i = 0; i < 25; i++) { await page.mouse.move(cx, cy); await page.mouse.wheel(0, -200); }
  await page.mouse.down();
  for (let i = 0; i < 40; i++) await page.mouse.move(cx - i * 10, cy - i * 5);
  await page.mouse.up();
  for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 200);
  await page.waitForTimeout(300);
  const { paints, gaps } = await page.evaluate(() => ({ paints: [...window.__argoGraphFrameTimes], gaps: window.__rafGaps.slice(1) }));
  const maxPaint = Math.max(...paints);
  const maxGap = Math.max(...gaps);
  measurements.push(`pan/zoom: ${paints.length} paints, slowest paint ${maxPaint.toFixed(1)} ms; ${gaps.length} animation frames, longest frame gap ${maxGap.toFixed(1)} ms`);
  // Reported against the targets, not asserted: timings on a shared machine are not a test result.
  measurements.push(`targets: open under 2 s ${openMs < 2000 ? 'met' : 'MISSED'}; no frame over 100 ms ${maxGap < 100 ? 'met' : 'MISSED'}`);
});

await journey('a 5,000-item loop opens as one group and expands on Enter from the search', async (page) => {
  await page.goto(`${origin}/argo/workflows/argo/loops`);
  await page.getByRole('img', { name: /Workflow graph with 4 nodes/ }).waitFor();
  const search = page.getByRole('searchbox', { name: 'Search nodes' });
  await search.fill('5000 items');
  const started = Date.now();
  await search.press('Enter');
  await page.getByRole('img', { name: /Workflow graph with 5003 nodes/ }).waitFor();
  measurements.push(`expand a 5,000-item loop group (layout + paint): ${Date.now() - started} ms`);
  await page.getByRole('button', { name: 'Collapse loops' }).click();
  await page.getByRole('img', { name: /Workflow graph with 4 nodes/ }).waitFor();
});

await runResourceJourneys({ journey, origin });

await browser.close();
server.close();
for (const m of measurements) console.log(`measured: ${m}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
