// The keyboard sweep: Tab through a whole page from its top, as a keyboard user does, and
// say what stands in her way. journey.mjs runs it on every page it audits;
// keyboard.test.mjs shows it catches what it must.
//
// A page passes when
// - every Tab stop shows the focus (an outline of 2px or more, or a box shadow);
// - the focus moves forward in the document's order (no positive tabindex, nothing placed
//   out of order), until it leaves the page or wraps to its top;
// - every control the mouse can reach is reached: links, buttons, fields, summaries and
//   anything given tabindex="0". A radio group counts once (Tab enters it, the arrows move
//   inside it). Content hidden in a closed <details> is reached once its summary opens it.
//   A native control taken out of the order with tabindex="-1" is a finding; a tabindex="-1"
//   on anything else is a target for programmatic focus (the main region, a status the
//   focus is moved to) and is not expected.

// launchOptions starts Debian's Chromium as this machine allows it: headless, no sandbox
// (we run as root in CI), and none of the background connections the closed network refuses.
export function launchOptions(extra = []) {
  return {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra],
  };
}

// sweep returns the number of Tab stops and the problems found, one line each.
export async function sweep(page) {
  const expected = await page.evaluate(() => {
    const native = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
    const sel = `${native}, [tabindex], [contenteditable]`;
    // checkVisibility is false inside a closed <details> too (its content is skipped, not
    // display:none, in today's Chromium).
    const all = [...document.querySelectorAll(sel)].filter((el) => !el.disabled &&
      (el.tabIndex >= 0 || el.matches(native)) &&
      el.checkVisibility({ visibilityProperty: true }) && !el.closest('[inert]'));
    const seen = new Set();
    const groups = [];
    for (const el of all) {
      if (el.type === 'radio' && el.name) {
        const group = all.filter((r) => r.type === 'radio' && r.name === el.name && r.form === el.form);
        if (seen.has(group[0])) continue;
        seen.add(group[0]);
        groups.push(group);
      } else {
        groups.push([el]);
      }
    }
    // Start above the first control, whatever had the focus before.
    const start = document.createElement('span');
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    window.__e2eKbd = { groups, start, prev: start, visited: new Set() };
    // A positive tabindex puts its element before every other, wherever it stands.
    const ahead = all.filter((el) => el.tabIndex > 0).map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}`);
    return { count: groups.length, ahead };
  });

  let stops = 0;
  const problems = expected.ahead.map((d) => `a positive tabindex takes ${d} out of the document's order`);
  for (let i = 0; i < expected.count * 3 + 20; i++) {
    await page.keyboard.press('Tab');
    const r = await page.evaluate(() => {
      const st = window.__e2eKbd;
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) return { done: true };
      if (el === st.prev) return { same: true }; // a date input's day, month and year
      if (st.visited.has(el)) return { done: true }; // wrapped around to the top
      const desc = `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} “${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 60)}”`;
      const backwards = st.prev !== st.start && (el.compareDocumentPosition(st.prev) & Node.DOCUMENT_POSITION_FOLLOWING);
      st.visited.add(el);
      st.prev = el;
      const cs = getComputedStyle(el);
      const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow !== '' && cs.boxShadow !== 'none');
      return { desc, visible, backwards: !!backwards };
    });
    if (r.done) break;
    if (r.same) continue;
    stops++;
    if (!r.visible) problems.push(`no visible focus on ${r.desc}`);
    if (r.backwards) problems.push(`the focus jumps back to ${r.desc}`);
  }
  const missed = await page.evaluate(() => {
    const st = window.__e2eKbd;
    st.start.remove();
    delete window.__e2eKbd;
    return st.groups.filter((g) => !g.some((el) => st.visited.has(el)))
      .map((g) => `${g[0].tagName.toLowerCase()}${g[0].id ? '#' + g[0].id : ''} “${(g[0].innerText || g[0].value || g[0].getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 60)}”`);
  });
  for (const m of missed) problems.push(`never reached with Tab: ${m}`);
  return { stops, problems };
}
