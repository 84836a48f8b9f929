// The page of `bidilab explore` for XEP-0288 Example 3, in headless Chromium
// (Debian's, through playwright-core; never a downloaded browser): click
// through the topology's schedule, check the XML and the endpoint states at
// the XEP's key steps, step back, restore a path from the URL, jump to a
// witness, and take a screenshot. Run by run_explore_test.sh:
//   node explore_page_test.js NODE_DIR PAGE TOPOLOGY OUT_DIR
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const [nodeDir, pageFile, topologyFile, outDir] = process.argv.slice(2);
const { chromium } = require(path.join(nodeDir, 'node_modules', 'playwright-core'));

const started = Date.now();
let checks = 0;
function ok(cond, what) { assert.ok(cond, what); checks++; }
function eq(a, b, what) { assert.equal(a, b, what); checks++; }
function log(s) { console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${s}`); }

async function main() {
  const topology = JSON.parse(fs.readFileSync(topologyFile, 'utf8'));
  const schedule = topology.schedule;
  ok(schedule.length === 19, 'example 3 has a 19-step schedule');

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bidilab-explore-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const network = [], errors = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) network.push(r.url()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    const url = 'file://' + path.resolve(pageFile);
    await page.goto(url);
    log(`loaded ${url}`);

    const step = async () => Number(await page.getAttribute('body', 'data-step'));
    const state = async () => Number(await page.getAttribute('body', 'data-state'));
    const stepXml = () => page.textContent('#step-xml');
    const endState = (n, end) => page.textContent(`#connections .conn[data-n="${n}"] .end[data-end="${end}"] .state`);
    const flagsOn = (n, end) => page.$$eval(`#connections .conn[data-n="${n}"] .end[data-end="${end}"] .flag.on`,
                                            (fs) => fs.map((f) => f.textContent));
    const fifo = (n, dir) => page.$$eval(`#connections .conn[data-n="${n}"] .dir[data-dir="${dir}"] .fifo pre`,
                                         (ps) => ps.map((p) => p.textContent));
    const hashPath = async () => new URL(page.url()).hash;

    eq(await step(), 0, 'the page opens at the initial state');
    ok((await page.textContent('#step')).includes('nothing has moved yet'), 'the initial state says nothing moved');
    eq((await page.$$('#connections .conn')).length, 0, 'no connection at first');

    // --- the XEP's Example 3, by the topology's schedule --------------------------------------
    const xmls = [null];
    for (let i = 0; i < schedule.length; i++) {
      const buttons = page.locator('#actions button.action').filter({ has: page.locator('.desc', { hasText: new RegExp('^' + schedule[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$') }) });
      eq(await buttons.count(), 1, `step ${i + 1}: exactly one enabled action reads '${schedule[i]}'`);
      eq(await buttons.first().getAttribute('data-desc'), schedule[i], `step ${i + 1}: the button is '${schedule[i]}'`);
      await buttons.first().click();
      await page.waitForFunction((n) => document.body.dataset.step === String(n), i + 1);
      xmls.push(await stepXml());
      ok((await page.textContent('#step-caption')).includes(schedule[i]), `step ${i + 1}: the caption names the action`);
      if (i === 0) {
        ok((await page.textContent('#step-wrote')).startsWith('I1 → R1: <stream:stream'),
           'the last step shows what it wrote: the stream header capulet sends on I1 → R1');
        eq(await page.textContent('#step-then li'), 'capulet dials connection 1 for stanza #0 (DB-3)',
           'and what the router did then, with its rules');
        eq((await fifo(1, 'ir')).length, 1, 'after capulet submits, one element waits on I1 → R1');
        ok((await fifo(1, 'ir'))[0].startsWith('<stream:stream'), 'it is the stream header');
        eq(await endState(1, 'I'), 'AwaitingStreamOpen', 'I1 waits for the response header');
        eq(await endState(1, 'R'), 'AwaitingStreamOpen', 'R1 waits for the initial header');
      }
      if (i === 6) ok((await flagsOn(1, 'I')).includes('TLS'), 'after the handshake I1 shows TLS');
    }
    log(`clicked through the ${schedule.length} steps of the schedule`);

    // The XML at the key steps (numbered as in tests/golden/xep0288-example3.txt).
    ok(xmls[2].startsWith('<stream:stream') && xmls[2].includes("to='montague.lit'") && xmls[2].includes("from='capulet.lit'"),
       'step 2: the initial stream header to montague.lit');
    eq(xmls[2].includes(' id='), false, 'step 2: an initial header carries no id');
    ok(xmls[4].includes('<stream:features>') && xmls[4].includes("<bidi xmlns='urn:xmpp:features:bidi'/>") &&
       xmls[4].includes('urn:ietf:params:xml:ns:xmpp-tls'), 'step 4: features with starttls and bidi');
    ok(xmls[10].includes('<mechanism>EXTERNAL</mechanism>') && xmls[10].includes('urn:xmpp:features:bidi'),
       'step 10: features after TLS offer SASL EXTERNAL and bidi');
    eq(xmls[11], "<bidi xmlns='urn:xmpp:bidi'/>", 'step 11: <bidi/>');
    ok(xmls[12].startsWith("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"), 'step 12: SASL EXTERNAL auth');
    ok(xmls[13].startsWith('<success'), 'step 13: SASL success');
    const idOf = (x) => (/ id='([^']+)'/.exec(x) || [])[1];
    eq(idOf(xmls[9]), 'id-2', 'step 9: the stream after TLS has id-2');
    eq(idOf(xmls[15]), 'id-3', 'step 15: after SASL a NEW stream id, id-3');
    eq(xmls[16], '<stream:features/>', 'step 16: empty features');
    eq(xmls[17], "<iq from='juliet@capulet.lit/balcony' to='montague.lit' type='get' id='8dfc70af'><query xmlns='urn:xmpp:ping'/></iq>",
       "step 17: juliet's ping, as the XEP sends it");
    eq(xmls[19], "<iq from='montague.lit' to='juliet@capulet.lit/balcony' type='result' id='8dfc70af'><query xmlns='urn:xmpp:ping'/></iq>",
       'step 19: montague answers the ping over the bidi stream');
    ok((await page.textContent('#step-direction')).startsWith('R1 → I1'), 'step 19 goes R1 → I1');

    // The endpoints at the end.
    eq(await endState(1, 'I'), 'Established', 'I1 Established at the end');
    eq(await endState(1, 'R'), 'Established', 'R1 Established at the end');
    eq((await flagsOn(1, 'R')).join(' '), 'TLS bidi SASL', 'R1 has TLS, bidi and SASL');
    eq(await page.textContent('#connections .conn[data-n="1"] .end[data-end="R"] dd:nth-of-type(1)'), 'id-3',
       'R1 shows its stream id');
    const pairs = await page.$$eval('#connections .conn[data-n="1"] .dir[data-dir="ri"] .pairs li.ok', (ls) => ls.map((l) => l.textContent));
    ok(pairs.some((p) => p.startsWith('montague.lit → capulet.lit')), 'R1 → I1 authorizes montague.lit → capulet.lit (bidi)');
    const fates = await page.$$eval('#stanzas li strong', (ls) => ls.map((l) => l.textContent));
    eq(fates.join(' | '), 'delivered over connection 1 (I1 → R1) | delivered over connection 1 (R1 → I1, bidi)', 'both stanzas delivered');
    ok((await page.textContent('#end')).includes('final state'), 'a final state');
    eq((await page.$$('#properties tr.failing')).length, 0, 'no property fails here');
    eq(await page.getAttribute('#properties tr[data-prop="stanza-over-bidi"] td.rules abbr.rule', 'title').then((t) => t.startsWith('BIDI-5: ') && t.includes('«')), true,
       'a rule ID shows its sentence from spec/RULES.md');
    eq(await page.textContent('#properties tr[data-prop="stanza-over-bidi"] td.rules'), 'BIDI-5 BIDI-7 BIDI-13', 'the rule IDs read as before');
    eq(await page.textContent('#properties tr[data-prop="stanza-over-bidi"] td.here'), 'witnessed here', 'stanza-over-bidi is witnessed here');
    const finalHash = await hashPath();
    ok(/^#path=0(\.\d+){19}$/.test(finalHash), `the URL holds the path (${finalHash})`);
    const finalState = await state();
    const shot = path.join(outDir, 'explore-xep0288-example3.png');

    // --- step back, forward by URL, reload ----------------------------------------------------
    await page.click('#back');
    await page.waitForFunction(() => document.body.dataset.step === '18');
    eq(await stepXml(), xmls[18], 'step back shows step 18 again');
    eq(await hashPath(), finalHash.replace(/\.\d+$/, ''), 'step back drops the last index from the URL');
    await page.keyboard.press('Backspace');
    await page.waitForFunction(() => document.body.dataset.step === '17');
    eq(await stepXml(), xmls[17], 'Backspace steps back too');
    const hash17 = await hashPath();
    const state17 = await state();
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.step === '17');
    eq(await state(), state17, 'a reload restores the state from the URL');
    eq(await stepXml(), xmls[17], 'and the step it shows');
    eq(await hashPath(), hash17, 'and keeps the URL');
    const other = await context.newPage();
    await other.goto(url + finalHash);
    await other.waitForFunction(() => document.body.dataset.step === '19');
    eq(Number(await other.getAttribute('body', 'data-state')), finalState, 'the URL of the last step, opened anew, shows it');
    eq(await other.textContent('#step-xml'), xmls[19], 'with its XML');
    await other.close();
    log('stepped back, reloaded and reopened by URL');

    // --- a witness ---------------------------------------------------------------------------
    await page.click('#properties button.jump[data-prop="stanza-over-bidi"]');
    await page.waitForFunction(() => location.hash.includes('prop=stanza-over-bidi'));
    // The banner is drawn after the hash changes: wait for it (a loaded machine showed it empty).
    await page.waitForFunction(() => /step \d+ of \d+/.test(document.querySelector('#banner').textContent));
    const banner = await page.textContent('#banner');
    const m = /step (\d+) of (\d+)/.exec(banner);
    ok(m && m[1] === m[2], `the jump lands on the trace's last step (${banner})`);
    ok(banner.includes('witness of stanza-over-bidi'), 'the banner names the witness');
    eq(await page.textContent('#properties tr[data-prop="stanza-over-bidi"] td.here'), 'witnessed here', 'and it holds there');
    const n = Number(m[2]);
    eq(await step(), n, 'the path is the trace');
    ok((await page.textContent('#step-xml')).startsWith("<iq from='montague.lit'"), 'the witness ends with montague\'s stanza read');
    await page.click('#back');
    await page.waitForFunction((k) => document.body.dataset.step === String(k), n - 1);
    ok(!(await page.isHidden('#forward')), 'one step back on the trace, "next step on the trace" is offered');
    ok((await page.$$('#actions .mark.trace')).length === 1, 'and the trace\'s next action is marked');
    await page.click('#forward');
    await page.waitForFunction((k) => document.body.dataset.step === String(k), n);
    eq(await page.textContent('#properties tr[data-prop="stanza-over-bidi"] td.here'), 'witnessed here', 'forward again: witnessed');
    log(`jumped to the witness of stanza-over-bidi (${n} steps) and walked it`);

    // The screenshot: the XEP's example just after the SASL auth was sent (FIFOs full, flags half set).
    await page.goto(url + finalHash.split('.').slice(0, 13).join('.'));
    await page.waitForFunction(() => document.body.dataset.step === '12');
    eq(await stepXml(), xmls[12], 'step 12 by URL');
    await page.screenshot({ path: shot, fullPage: true });
    ok(fs.statSync(shot).size > 10000, 'the screenshot was written');
    console.log(`screenshot: ${shot}`);

    eq(network.length, 0, `the page loads nothing from the network (${network.join(', ')})`);
    eq(errors.length, 0, `no script errors (${errors.join('; ')})`);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  log(`explore page: ${checks} checks passed`);
}

main().catch((e) => {
  console.error(`explore page: FAILED after ${checks} checks: ${e.stack || e}`);
  process.exit(1);
});
