// The search page of `procsearch serve` as a person uses it, in Debian's
// headless Chromium: typing, suggestions with the keyboard, highlights, the
// query in the URL, "did you mean", and page text that looks like markup.
//
// Run by `make test-browser`, which sets PROCSEARCH_BIN, PROCSEARCH_ROOT,
// PROCSEARCH_TMP and PROCSEARCH_OUT (where search.png is saved).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(process.env.PROCSEARCH_ROOT || '.');
const BIN = resolve(process.env.PROCSEARCH_BIN || join(ROOT, 'build/procsearch'));
const TMP = resolve(process.env.PROCSEARCH_TMP || join(ROOT, 'build/tmp'));
const OUT = resolve(process.env.PROCSEARCH_OUT || join(ROOT, 'build/test-output'));
const TOP_ID = '000_b14b9e5059026b7a'; // the lumbar discography page

const XSS_PAGE = [
  'Excision of a test lesion; zanzibarite <script>alert(1)</script>',
  'CPT4 code',
  'Name of the Procedure: "><img src=x onerror=alert(1)> Zanzibarite Removal',
  'Summary',
  'The zanzibarite lesion is removed. <script>alert(1)</script> and "><img src=x onerror=alert(1)> are only text here.',
  '',
].join('\n');

let server;
let serverExit;
let base;
let context;
const problems = []; // console errors (CSP violations among them), page errors, dialogs

before(async () => {
  mkdirSync(TMP, { recursive: true });
  mkdirSync(OUT, { recursive: true });
  const dir = mkdtempSync(join(TMP, 'browser-'));
  const pages = join(dir, 'pages');
  mkdirSync(pages);
  writeFileSync(join(pages, 'xss-01.txt'), XSS_PAGE);
  const db = join(dir, 'db');
  execFileSync(BIN, ['index', '--quiet', '--db', db, join(ROOT, 'corpus/dev/docs'), pages], { stdio: 'inherit' });

  server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  serverExit = new Promise((done) => server.on('exit', (code, signal) => done({ code, signal })));
  base = await new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`server did not start: ${seen}`)), 10000);
    server.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (m) { clearTimeout(timer); done(m[1]); }
    });
    server.on('exit', () => fail(new Error(`server exited: ${seen}`)));
  });

  context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1000, height: 900 },
  });
});

after(async () => {
  if (context) await context.close();
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    const { code } = await serverExit;
    assert.equal(code, 0, 'serve exits 0 on SIGTERM');
  }
});

async function openPage(path = '/') {
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('dialog', async (dialog) => { problems.push(`dialog: ${dialog.message()}`); await dialog.dismiss(); });
  await page.goto(base + path);
  return page;
}

async function typeQuery(page, text) {
  const box = page.locator('#q');
  await box.fill('');
  await box.pressSequentially(text, { delay: 40 });
}

// The id of the first result once the results are for query.
async function firstResultFor(page, query) {
  await page.waitForFunction(
    (q) => document.getElementById('status').textContent.includes(`“${q}”`)
      && document.querySelector('#results > li'),
    query, { timeout: 10000 });
  return page.locator('#results > li').first().getAttribute('data-id');
}

test('typing a query shows ranked, highlighted results and keeps the query in the URL', async () => {
  const page = await openPage();
  await typeQuery(page, 'lumbar discogram');
  assert.equal(await firstResultFor(page, 'lumbar discogram'), TOP_ID);
  const marks = await page.locator('#results > li').first().locator('mark').allTextContents();
  assert.ok(marks.some((m) => /lumbar|discogra/i.test(m)), `highlights: ${JSON.stringify(marks)}`);
  const section = await page.locator('#results > li .section-name').first().textContent();
  assert.match(section, /\w+: $/, 'the matched section is named');
  await page.waitForFunction(() => location.search === '?q=lumbar%20discogram');
  // The combobox is labelled and wired to its list.
  const box = page.locator('#q');
  assert.equal(await box.getAttribute('role'), 'combobox');
  assert.equal(await box.getAttribute('aria-controls'), 'suggestions');
  assert.equal(await page.locator('label[for="q"]').count(), 1);
  assert.equal(await page.locator('#suggestions').getAttribute('role'), 'listbox');
  await page.keyboard.press('Escape');
  await page.screenshot({ path: join(OUT, 'search.png'), fullPage: false });
  await page.close();
});

test('suggestions open as you type and work with the keyboard', async () => {
  const page = await openPage();
  const box = page.locator('#q');
  await typeQuery(page, 'lumbar disc');
  await page.waitForSelector('#suggestions:not([hidden]) [role="option"]');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  const first = await page.locator('#suggestion-0').textContent();
  assert.match(first, /^lumbar disc/);
  await page.screenshot({ path: join(OUT, 'suggest.png'), fullPage: false });

  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'suggestion-0');
  assert.equal(await page.locator('#suggestion-0').getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'suggestion-1');
  await page.keyboard.press('ArrowUp');
  assert.equal(await box.getAttribute('aria-activedescendant'), 'suggestion-0');

  await page.keyboard.press('Enter');
  assert.equal(await box.inputValue(), `${first} `);
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.ok(await page.locator('#suggestions').isHidden());
  await firstResultFor(page, `${first} `);
  await page.waitForFunction((q) => location.search === `?q=${encodeURIComponent(q)}`, `${first} `);

  await page.keyboard.type('i');
  await page.waitForSelector('#suggestions:not([hidden])');
  await page.keyboard.press('Escape');
  assert.ok(await page.locator('#suggestions').isHidden());
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  assert.equal(await box.getAttribute('aria-activedescendant'), null);
  await page.close();
});

test('picking a procedure from the suggestions opens its page', async () => {
  const page = await openPage();
  await typeQuery(page, 'lumbar disc');
  await page.waitForSelector('#suggestions:not([hidden]) li.procedure');
  const options = await page.locator('#suggestions [role="option"]').evaluateAll(
    (nodes) => nodes.map((n) => n.classList.contains('procedure')));
  const at = options.indexOf(true);
  for (let i = 0; i <= at; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#q').getAttribute('aria-activedescendant'), `suggestion-${at}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#results > li .page h3'));
  assert.equal(await page.locator('#results > li').count(), 1);
  assert.equal(await page.locator('#results > li').first().getAttribute('data-id'), TOP_ID);
  assert.equal(await page.locator('.result-title').getAttribute('aria-expanded'), 'true');
  await page.close();
});

test('a linked query loads its results, and "did you mean" is a link', async () => {
  const page = await openPage('/?q=lumbar%20discogrm');
  assert.equal(await page.locator('#q').inputValue(), 'lumbar discogrm');
  await firstResultFor(page, 'lumbar discogrm');
  const link = page.locator('#did-you-mean-link');
  await link.waitFor({ state: 'visible' });
  assert.equal(await link.textContent(), 'lumbar discogram');
  await link.click();
  assert.equal(await firstResultFor(page, 'lumbar discogram'), TOP_ID);
  assert.equal(await page.locator('#q').inputValue(), 'lumbar discogram');
  await page.waitForFunction(() => location.search === '?q=lumbar%20discogram');
  await page.close();
});

test('page text that looks like markup is shown as text and never runs', async () => {
  const page = await openPage();
  await typeQuery(page, 'zanzibarite');
  assert.equal(await firstResultFor(page, 'zanzibarite'), 'xss-01');
  await page.keyboard.press('Escape'); // the suggestions cover the results
  const item = page.locator('#results > li').first();
  assert.match(await item.locator('.result-title').textContent(), /"><img src=x onerror=alert\(1\)>/);
  assert.match(await item.textContent(), /<script>alert\(1\)<\/script>/);
  // The whole page, opened in place.
  await item.locator('.result-title').click();
  await page.waitForFunction(() => document.querySelector('#results > li .page h3'));
  assert.match(await item.locator('.page').textContent(), /<script>alert\(1\)<\/script>/);
  assert.equal(await page.locator('#results img, #results script, #suggestions img').count(), 0);
  await page.waitForTimeout(300); // an onerror would have fired by now
  await page.close();
});

test('nothing went wrong in the console', () => {
  assert.deepEqual(problems, []);
});
