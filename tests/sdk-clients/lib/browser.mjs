// A browser SDK in headless Chromium, on a page served from an origin of its own, so that every call to Samlet is
// cross-origin (CORS preflights included), as on a customer's site.
import http from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const modules = new URL('../node_modules/', import.meta.url);
const assets = {
  '/analytics-next/bundles/': new URL('@segment/analytics-next/dist/umd/', modules),
  '/rudderstack/': new URL('@rudderstack/analytics-js/dist/npm/modern/bundled/umd/', modules),
};
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Opens `head` (script tags) in a page; `settled(n)` resolves once n POSTs to the Samlet server have answered 2xx
// and rejects on the first failed request or 4xx/5xx answer.
export async function openPage(apiUrl, head) {
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath} (apt-get install chromium, or set CHROMIUM)`);
  }
  const site = http.createServer(async (req, res) => {
    const path = new URL(req.url, 'http://site').pathname;
    if (path === '/') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return res.end(`<!doctype html><title>Samlet SDK test</title>${head}`);
    }
    const prefix = Object.keys(assets).find((p) => path.startsWith(p));
    try {
      const body = await readFile(new URL(path.slice(prefix.length), assets[prefix]));
      res.setHeader('content-type', 'text/javascript');
      res.end(body);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const api = new URL(apiUrl).origin;
  let answered = 0;
  let waiting = null;
  let failure = null;
  const settle = () => {
    if (waiting && failure) waiting.reject(failure);
    else if (waiting && answered >= waiting.count) waiting.resolve();
  };
  page.on('pageerror', (err) => { failure ??= err; settle(); });
  page.on('requestfailed', (r) => {
    if (r.url().startsWith(api)) failure ??= new Error(`${r.method()} ${r.url()} failed: ${r.failure()?.errorText}`);
    settle();
  });
  page.on('response', async (r) => {
    if (!r.url().startsWith(api) || r.request().method() !== 'POST') return;
    if (r.status() >= 400) failure ??= new Error(`${r.url()} answered ${r.status()}: ${await r.text().catch(() => '')}`);
    else answered++;
    settle();
  });
  await page.goto(`http://127.0.0.1:${site.address().port}/?utm_source=sdk-test`);
  return {
    page,
    settled: (count) => new Promise((resolve, reject) => { waiting = { count, resolve, reject }; settle(); }),
    close: async () => { await browser.close(); site.close(); },
  };
}
