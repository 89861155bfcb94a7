// browse.js - open one HTML page in headless Chromium, as a person would, and
// report what happened, through the DevTools protocol over a pipe
// (--remote-debugging-pipe: JSON messages separated by NUL bytes on fds 3 and
// 4; no npm package needed).
//
// usage: node browse.js PAGE.html OUT.json [--screenshot FILE.png] [--width W --height H]
//                       [--clip CSS-SELECTOR] [--eval NAME=EXPRESSION]...
// --clip: the screenshot shows only the first element matching the selector.
// OUT.json: {"loaded": bool, "console_errors": [...], "requests": [...],
//            "eval": {NAME: value}, "screenshot": bool}
//   console_errors: uncaught exceptions, console.error/assert calls, and log
//     entries of level error (a Content-Security-Policy violation is one);
//   requests: every request the page made except the page itself.
// Exit status 0 when the page loaded and the report was written; the caller
// decides what counts as a failure (tests/report/run_report.sh).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
if (args.length < 2) {
  console.error('usage: node browse.js PAGE.html OUT.json [--screenshot F] [--eval NAME=EXPR]...');
  process.exit(2);
}
const page = 'file://' + path.resolve(args[0]);
const outPath = args[1];
let shot = null, clip = null, width = 1400, height = 1000;
const evals = [];
for (let i = 2; i < args.length; i++) {
  if (args[i] === '--screenshot') shot = args[++i];
  else if (args[i] === '--clip') clip = args[++i];
  else if (args[i] === '--width') width = +args[++i];
  else if (args[i] === '--height') height = +args[++i];
  else if (args[i] === '--eval') {
    const s = args[++i], k = s.indexOf('=');
    evals.push([s.slice(0, k), s.slice(k + 1)]);
  } else { console.error('browse.js: unknown argument ' + args[i]); process.exit(2); }
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-chromium-'));
const chromium = process.env.CHROMIUM || 'chromium';
const child = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--disable-default-apps', '--mute-audio',
  // networking off: nothing resolves, and any proxy use goes nowhere
  '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
  '--user-data-dir=' + profile, `--window-size=${width},${height}`,
  '--remote-debugging-pipe', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => { stderr += d; });

const result = { loaded: false, console_errors: [], requests: [], eval: {}, screenshot: false };
let nextId = 1;
const pending = new Map();
const listeners = [];
let buf = Buffer.alloc(0);
child.stdio[4].on('data', (chunk) => {
  buf = Buffer.concat([buf, chunk]);
  let z;
  while ((z = buf.indexOf(0)) >= 0) {
    const msg = JSON.parse(buf.slice(0, z).toString('utf8'));
    buf = buf.slice(z + 1);
    if (msg.id && pending.has(msg.id)) {
      const { resolve, reject } = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error)));
      else resolve(msg.result);
    } else if (msg.method) {
      for (const l of listeners) l(msg);
    }
  }
});
function send(method, params = {}, sessionId) {
  const id = nextId++;
  const m = { id, method, params };
  if (sessionId) m.sessionId = sessionId;
  child.stdio[3].write(JSON.stringify(m) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function waitFor(pred, ms) {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(null), ms);
    listeners.push((m) => { if (pred(m)) { clearTimeout(t); resolve(m); } });
  });
}

let exited = false;
child.on('exit', () => { exited = true; });
function finish(code) {
  fs.writeFileSync(outPath, JSON.stringify(result, null, 1));
  const cleanup = () => {
    try { fs.rmSync(profile, { recursive: true, force: true }); } catch (e) { /* left in the temporary directory */ }
    process.exit(code);
  };
  if (exited) cleanup();
  else {
    child.on('exit', cleanup);
    child.kill('SIGKILL');
  }
}
const timer = setTimeout(() => {
  result.console_errors.push('browse.js: timed out; chromium said: ' + stderr.slice(-2000));
  finish(1);
}, 60000);

(async () => {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    const p = m.params;
    if (m.method === 'Network.requestWillBeSent' && p.request.url !== page && !p.request.url.startsWith('about:'))
      result.requests.push(p.request.url);
    else if (m.method === 'Runtime.exceptionThrown')
      result.console_errors.push('exception: ' + (p.exceptionDetails.exception ? p.exceptionDetails.exception.description : p.exceptionDetails.text));
    else if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert'))
      result.console_errors.push('console.' + p.type + ': ' + p.args.map((a) => a.value !== undefined ? a.value : a.description).join(' '));
    else if (m.method === 'Log.entryAdded' && p.entry.level === 'error')
      result.console_errors.push('log (' + p.entry.source + '): ' + p.entry.text + (p.entry.url ? ' ' + p.entry.url : ''));
  });
  await send('Network.enable', {}, sessionId);
  await send('Runtime.enable', {}, sessionId);
  await send('Log.enable', {}, sessionId);
  await send('Page.enable', {}, sessionId);
  const loaded = waitFor((m) => m.sessionId === sessionId && m.method === 'Page.loadEventFired', 30000);
  await send('Page.navigate', { url: page }, sessionId);
  result.loaded = !!(await loaded);
  // let late errors and requests arrive
  await new Promise((r) => setTimeout(r, 500));
  for (const [name, expr] of evals) {
    const r = await send('Runtime.evaluate', { expression: expr, returnByValue: true }, sessionId);
    result.eval[name] = r.exceptionDetails ? { error: r.exceptionDetails.text } : r.result.value;
  }
  if (shot) {
    const params = { format: 'png' };
    if (clip) {
      const r = await send('Runtime.evaluate', {
        returnByValue: true,
        expression: `(() => { const e = document.querySelector(${JSON.stringify(clip)}); if (!e) return null;
                      const r = e.getBoundingClientRect(); return {x: r.left + scrollX, y: r.top + scrollY,
                      width: r.width, height: r.height}; })()`,
      }, sessionId);
      const box = r.result.value;
      if (!box) throw new Error('no element matches ' + clip);
      params.clip = { ...box, scale: 1 };
      params.captureBeyondViewport = true;
    }
    const r = await send('Page.captureScreenshot', params, sessionId);
    fs.writeFileSync(shot, Buffer.from(r.data, 'base64'));
    result.screenshot = true;
  }
  clearTimeout(timer);
  finish(result.loaded ? 0 : 1);
})().catch((e) => {
  result.console_errors.push('browse.js: ' + e.message + '; chromium said: ' + stderr.slice(-2000));
  finish(1);
});
