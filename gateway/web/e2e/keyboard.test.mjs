// The keyboard sweep must catch what it is there to catch: run with `node --test` (run.sh
// does, before the journey). Each page below is set into a real headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { launchOptions, sweep } from './keyboard.mjs';

const style = `<style>
  :focus-visible { outline: 3px solid #1d4ed8; outline-offset: 2px; }
  .visually-hidden:not(:focus) { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
</style>`;

let browser;
let page;
before(async () => {
  browser = await chromium.launch(launchOptions());
  page = await browser.newPage();
});
after(async () => { await browser?.close(); });

async function run(body) {
  await page.setContent(`<!doctype html><html lang="en"><head><title>t</title>${style}</head><body>${body}</body></html>`);
  return sweep(page);
}

test('a page a keyboard user can use passes', async () => {
  const { stops, problems } = await run(`
    <a class="visually-hidden" href="#main">Skip to content</a>
    <main id="main" tabindex="-1">
      <a href="/a">A link</a>
      <form>
        <label>Name <input name="n"></label>
        <label>Arrival <input type="date" name="d"></label>
        <fieldset><legend>Rhythm</legend>
          <label><input type="radio" name="r" value="1"> early</label>
          <label><input type="radio" name="r" value="2"> late</label>
        </fieldset>
        <details><summary>Coordinates</summary><label>Latitude <input name="lat"></label></details>
        <p><span id="status" tabindex="-1">Verified</span></p>
        <button>Save</button>
      </form>
    </main>`);
  assert.deepEqual(problems, []);
  // skip link, link, name, date, one radio stop, summary, button
  assert.equal(stops, 7);
});

test('a focus that does not show is found', async () => {
  const { problems } = await run(`
    <style>#quiet:focus { outline: none; }</style>
    <button>Fine</button><button id="quiet">Silent</button>`);
  assert.deepEqual(problems, ['no visible focus on button#quiet “Silent”']);
});

test('a focus order against the document is found', async () => {
  const { problems } = await run(`
    <button id="first">First</button><button id="jumpy" tabindex="2">Jumps ahead</button>`);
  assert.ok(problems.includes("a positive tabindex takes button#jumpy out of the document's order"), problems.join('; '));
});

test('a control the mouse reaches and Tab does not is found', async () => {
  const { problems } = await run(`
    <a href="/ok">Reachable</a><a id="mouse" href="/only" tabindex="-1">Mouse only</a>`);
  assert.deepEqual(problems, ['never reached with Tab: a#mouse “Mouse only”']);
});

test('an opened details is swept inside', async () => {
  const { stops, problems } = await run(`
    <details open><summary>More</summary><button>Inside</button></details>`);
  assert.deepEqual(problems, []);
  assert.equal(stops, 2);
});
