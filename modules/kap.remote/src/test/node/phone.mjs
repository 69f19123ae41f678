// A phone for BrowserTest: headless Debian chromium at 390x844, driven by playwright-core.
// Usage: node phone.mjs <pairing-url> <screenshot-dir>
// Talks to the Java test by lines: prints "paired", "ready", "seen <request-id>", "approved", "done";
// reads "denied <subject>" and "finish" from stdin.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as readline from 'node:readline';

const [url, shots] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const lines = readline.createInterface({ input: process.stdin });
const pending = [];
const waiters = [];
lines.on('line', (l) => { const w = waiters.shift(); if (w) w(l); else pending.push(l); });
const next = () => new Promise((resolve) => { const l = pending.shift(); if (l !== undefined) resolve(l); else waiters.push(resolve); });
const say = (s) => process.stdout.write(s + '\n');

// a fresh profile each run (playwright passes it to chromium as --user-data-dir)
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'kap-chromium-')), {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme: 'light',
  userAgent: 'Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156 Mobile Safari/537.36',
});
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => say('pageerror ' + e.message));
  page.on('dialog', (d) => d.accept());
  await page.goto(url);
  await page.waitForSelector('nav.tabs:not([hidden]) [data-tab="approvals"]', { timeout: 15000 });
  if (await page.isVisible('#unpaired')) throw new Error('not paired: ' + await page.textContent('#pair-error'));
  if (page.url().includes('#pair=')) throw new Error('the pairing code stayed in the address bar');
  say('paired');
  await page.waitForSelector('#live.on', { timeout: 15000 });
  await page.click('[data-tab="approvals"]');
  say('ready');

  const subject = (await next()).replace(/^denied /, '');
  const card = page.locator('[data-subject="' + subject + '"]');
  await card.waitFor({ timeout: 15000 });
  say('seen ' + await card.getAttribute('data-request-id'));
  await page.screenshot({ path: join(shots, 'approvals-request-light.png') });
  await card.locator('[data-action="minutes"][data-minutes="5"]').click();
  await page.waitForSelector('#decided li', { timeout: 15000 });
  const decided = await page.textContent('#decided');
  if (!decided.includes('approved for 5 min')) throw new Error('decided list says: ' + decided);
  say('approved');

  await next(); // the Java side has repeated the request through the sidecar
  for (const theme of ['light', 'dark']) {
    await page.click('#settings-button');
    await page.click('[data-theme-choice="' + theme + '"]');
    await page.click('#settings-button');
    await page.click('[data-tab="status"]');
    await page.waitForSelector('#capsules .capsule');
    await page.screenshot({ path: join(shots, 'status-' + theme + '.png') });
    await page.click('[data-tab="logs"]');
    await page.click('[data-filter="denied"]');
    await page.waitForSelector('#log li[data-verdict="deny"]');
    await page.screenshot({ path: join(shots, 'logs-denied-' + theme + '.png') });
    await page.click('[data-filter="all"]');
    await page.click('[data-tab="agent"]');
    await page.waitForSelector('#sessions li[data-session]');
    await page.click('#sessions li[data-session]');
    await page.waitForSelector('#timeline li');
    await page.screenshot({ path: join(shots, 'agent-' + theme + '.png') });
    await page.click('#agent-back');
    await page.click('[data-tab="approvals"]');
    await page.screenshot({ path: join(shots, 'approvals-' + theme + '.png') });
  }
  await page.click('#settings-button');
  await page.click('#font-larger');
  await page.click('#font-larger');
  const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  if (size !== '18px') throw new Error('font size setting gave ' + size);
  await page.screenshot({ path: join(shots, 'settings-dark.png') });
  say('done');
} catch (e) {
  say('error ' + String(e && e.message || e).split('\n')[0]);
  process.exitCode = 1;
} finally {
  await context.close();
}
