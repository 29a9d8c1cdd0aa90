// The journey through Cohabit's web application, in Debian's headless Chromium driven by
// playwright-core, as a coordinator, two hosts and two students.
//
// 1. The coordinator registers a host on her behalf (the consent required), verifies her,
//    adds a room, publishes it and corrects its description; she registers a second host
//    and finds her with the list's filter and search; she registers a student on her behalf
//    (errors next to the fields) and, with the keyboard only, verifies a pending host from
//    the dashboard (the focus visible at each stop, then on the updated row, the counters
//    updated).
// 2. A student signs up on a phone, fills in her profile, is verified in place, applies
//    (errors next to the fields) and reads her suggestions with their reasons.
// 3. The coordinator reads the room's candidates with each score's breakdown (French, then
//    English) and proposes; she schedules the meeting and records the assisted host's
//    refusal on her behalf.
// 4. A host who signed up himself fills in his profile (large type by default); the
//    coordinator verifies him, adds his room with its shared spaces, proposes the student
//    and schedules the meeting from the dashboard; the host accepts with the keyboard only,
//    the student on her phone; the coordinator approves.
// 5. The contract drafted from the match (through events) holds the room's shared spaces;
//    its terms are adjusted (a contribution over the cap refused next to its field) and it
//    is sent; the host signs with the keyboard, the student on her phone: it is active. The
//    student reports a problem and corrects her phone number; the host reads his stay, its
//    PDF, how to report a problem, and corrects his phone number too.
// 6. The coordinator is refused a notice too short (the earliest date named), completes a
//    check-in, mediates and resolves the incident.
// 7. A second student's stay with the assisted host: rooms listed with filters, an
//    allocation run, its pair kept, run again and proposed; both answers recorded at the
//    meeting, approval, the contract sent and the host's paper signature recorded; the
//    student signs on her phone; later she leaves for an internship and the coordinator
//    records a notice that respects the notice period.
// 8. A student registered on her behalf (no account): the coordinator verifies her,
//    corrects her record, applies for her and withdraws the application at her request;
//    the assisted host's phone number is corrected; a host going to hospital is suspended
//    with why, then reinstated.
// 9. An open-ended stay for that student without an account, in a second room of the host
//    who has one (no end date on either side): proposed, both answers recorded at the
//    meeting, approved; the draft proposes an end date; its dates, evenings and hours are
//    changed and it is sent; the host sees it at each step (approved, to sign, signed) and
//    prefers paper; the coordinator records the host's paper signature and the student's in
//    person: it is active; she gives an email address and is invited; she follows the link
//    the platform emailed her (read from its local SMTP server's folder), creates her account
//    and finds her record and her stay on her own page.
//
// Every sign-in is typed with the keyboard only. On every page it reaches, in French and in
// English, axe-core runs (a serious or critical violation fails the run) and so does the
// keyboard sweep (keyboard.mjs: the focus visible at every Tab stop, in the document's
// order, every control reached). Screenshots go to COHABIT_E2E_SCREENSHOTS. run.sh starts the
// platform and sets COHABIT_E2E_URL; see there.
import { chromium } from 'playwright-core';
import { launchOptions, sweep } from './keyboard.mjs';
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run the journey with run.sh)`);
  return v;
}
const BASE = env('COHABIT_E2E_URL');
const SHOTS = env('COHABIT_E2E_SCREENSHOTS');
const PROFILE = env('COHABIT_E2E_PROFILE');
// Every audited page is also kept here, as a test artifact (not committed).
const ARTIFACTS = env('COHABIT_E2E_ARTIFACTS');
rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(ARTIFACTS, { recursive: true });
mkdirSync(SHOTS, { recursive: true });
rmSync(path.join(SHOTS, 'failure.png'), { force: true });

const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const password = 'e2e-password-123';
const stamp = Date.now();
const coordinator = { email: 'coordinator@demo.cohabit.test', password: 'coordinator-demo-password' };
const student = { email: `lea.${stamp}@example.org`, password };
const host = { email: `marcel.${stamp}@example.org`, password };
const student2 = { email: `ines.${stamp}@example.org`, password };
const camille = { email: `camille.${stamp}@example.org`, password };
// Where the platform's local SMTP server keeps each message (an .eml file), for the link an
// invitation emails; run.sh sets it.
const MAIL = env('COHABIT_E2E_MAIL');

// invitationLink waits for the invitation emailed to address and returns its sign-up link
// (quoted-printable undone: soft line breaks, =3D).
async function invitationLink(address, seconds = 60) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    let files = [];
    try { files = readdirSync(MAIL).filter((f) => f.endsWith('.eml')); } catch { /* not there yet */ }
    for (const f of files) {
      const raw = readFileSync(path.join(MAIL, f), 'utf8');
      if (!raw.includes(address)) continue;
      const text = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
      const m = text.match(/\/signup\?code=([A-Za-z0-9_-]+)/);
      if (m) return `${BASE}/signup?code=${m[1]}`;
    }
    if (Date.now() > end) throw new Error(`no invitation emailed to ${address}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function day(offset) {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toISOString().slice(0, 10);
}

const context = await chromium.launchPersistentContext(PROFILE, {
  ...launchOptions(['--lang=fr-FR']),
  // The browser's own widgets in French, as a French user's Chromium shows them (a date
  // input reads jj/mm/aaaa): run.sh installs chromium-l10n; on Linux Chromium takes its
  // language from LANGUAGE (--lang alone is ignored there). locale sets navigator.language
  // and Accept-Language.
  env: { ...process.env, LANGUAGE: 'fr_FR', LANG: 'fr_FR.UTF-8' },
  viewport: desktop,
  locale: 'fr-FR',
  timezoneId: 'Europe/Paris',
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(15000);

// Anything the browser complains about (a script blocked by the CSP, a missing file, a
// script error) fails the run. Documents answered 4xx on purpose (a form with errors) are
// not complaints.
const complaints = [];
page.on('pageerror', (e) => complaints.push(`${page.url()}: script error: ${e.message}`));
page.on('console', (m) => {
  if (m.type() !== 'error') return;
  if (/status of 40[013]/.test(m.text())) return;
  complaints.push(`${page.url()}: console: ${m.text()}`);
});

const audits = [];
let step = 0;
function say(msg) { console.log(`${String(++step).padStart(2, ' ')}. ${msg}`); }
function assert(cond, msg) { if (!cond) throw new Error(`assertion failed: ${msg} (at ${page.url()})`); }

async function lang() { return page.evaluate(() => document.documentElement.lang); }

// axe runs on the page as it is, with the WCAG 2.0–2.2 A and AA rules and the best practices.
async function audit(name) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  const l = await lang();
  const violations = res.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
  audits.push({ page: name, lang: l, url: page.url().replace(BASE, ''), violations });
  const file = `${String(audits.length).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '')}-${l}.png`;
  await page.screenshot({ path: path.join(ARTIFACTS, file), fullPage: true });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const note = violations.length === 0 ? 'none' : violations.map((v) => `${v.id} (${v.impact}, ${v.nodes})`).join(', ');
  const kbd = await keyboardSweep(`${name} [${l}]`);
  console.log(`      axe ${name} [${l}]: ${note}${serious.length ? '  <-- SERIOUS' : ''}; keyboard: ${kbd}`);
}

// The keyboard sweep's findings fail the run at the end, like a serious axe violation.
const keyboardProblems = [];
let keyboardStops = 0;
async function keyboardSweep(where) {
  const { stops, problems } = await sweep(page);
  keyboardStops += stops;
  for (const p of problems) keyboardProblems.push(`${where}: ${p}`);
  return problems.length ? `${problems.length} problems  <-- KEYBOARD` : `${stops} stops, focus visible on each`;
}

async function navigate(action) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

async function switchLang(to) {
  await navigate(() => page.getByRole('button', { name: to === 'en' ? 'English' : 'Français', exact: true }).click());
  assert((await lang()) === to, `page in ${to}`);
}

// check audits the page in its language, then in the other one, and comes back.
async function check(name) {
  const here = await lang();
  await audit(name);
  const other = here === 'fr' ? 'en' : 'fr';
  await switchLang(other);
  await audit(name);
  await switchLang(here);
}

async function shot(file, opts = {}) {
  await page.screenshot({ path: path.join(SHOTS, file), fullPage: true, ...opts });
  console.log(`      screenshot ${path.join(SHOTS, file)}`);
}

// focused describes the element with the focus, and whether it shows it.
const focused = () => page.evaluate(() => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  return {
    tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim().replace(/\s+/g, ' '),
    name: (el.textContent || '').trim().replace(/\s+/g, ' '),
    outline: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow && cs.boxShadow !== 'none'),
  };
});

// tabTo presses Tab until want(the focused element) holds; the focus must show at every stop.
let stops = 0;
async function tabTo(want, what) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    stops++;
    const f = await focused();
    assert(f.outline, `focus visible on ${f.tag}#${f.id} “${f.text}”`);
    if (want(f)) return f;
  }
  throw new Error(`${what}: not reached with Tab`);
}

// login signs in with the keyboard only: Tab to the e-mail field, type, Tab, type, Enter.
async function login(who) {
  await page.goto(`${BASE}/login`);
  await tabTo((x) => x.id === 'f-email', 'the e-mail field');
  await page.keyboard.type(who.email);
  await page.keyboard.press('Tab');
  assert((await focused()).id === 'f-password', 'Tab goes from the e-mail to the password');
  await page.keyboard.type(who.password);
  await navigate(() => page.keyboard.press('Enter'));
}

// The desk's pages (SPEC §6). verifyAllSeenInPerson verifies, as seen in person, every
// document of the page not verified yet.
async function verifyAllSeenInPerson() {
  for (let i = 0; i < 20; i++) {
    const open = page.locator('li.document summary', { hasText: /^(Valider|Verify) — / });
    if (await open.count() === 0) return;
    await open.first().click();
    await page.locator('li.document details[open] input[name=seenInPerson]').check();
    await navigate(() => page.locator('li.document details[open]').getByRole('button', { name: /Marquer comme vérifiée|Mark as verified/ }).click());
    await flash(/La pièce est vérifiée.|The document is verified./);
  }
  throw new Error('documents left to verify');
}

// partyPages are the coordinator's pages of the host and the student of the match the page
// shows.
async function partyPages() {
  const host = await page.locator('dl a[href^="/coordinator/hosts/"]').first().getAttribute('href');
  const student = await page.locator('dl a[href^="/coordinator/students/"]').first().getAttribute('href');
  return [`${BASE}${host}`, `${BASE}${student}`];
}

// verifyDocuments verifies, on their pages, every document the desk asks of the parties of the
// match the page shows, as seen in person (SPEC §6: no approval before), and comes back. The
// desk creates them from the registrations' events: a moment after.
async function verifyDocuments() {
  const matchURL = page.url();
  for (const url of await partyPages()) {
    await reloadUntil(url, () => page.locator('li.document'), `the documents at ${url}`);
    await verifyAllSeenInPerson();
  }
  await page.goto(matchURL);
}

// collectDocuments is verifyDocuments with the whole of the desk's checklist, audited: on the
// host's page a small PDF uploaded for the home insurance (a file input, as a phone's camera
// fills it), rejected with a reason, uploaded again and verified with its expiry date; the
// rest verified as seen in person; then a note on the match, in its timeline.
async function collectDocuments() {
  const matchURL = page.url();
  const [hostURL, studentURL] = await partyPages();
  await reloadUntil(hostURL, () => page.locator('li.document'), 'the host’s documents');
  await page.getByRole('heading', { level: 2, name: 'Pièces' }).waitFor();
  await check('host (documents to collect)');
  const pdf = { name: 'assurance.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') };
  await page.getByLabel('Choisir le fichier ou prendre une photo — Assurance habitation').setInputFiles(pdf);
  await navigate(() => page.getByRole('button', { name: 'Envoyer — Assurance habitation' }).click());
  await flash('La pièce est reçue.');
  await page.getByRole('link', { name: 'Télécharger — Assurance habitation' }).waitFor();
  await page.locator('summary', { hasText: 'Refuser — Assurance habitation' }).click();
  await page.locator('li.document details[open]').getByLabel('Raison, dite à la personne').fill('La page avec les dates de validité manque.');
  await navigate(() => page.getByRole('button', { name: 'Refuser cette pièce' }).click());
  await flash('La pièce est refusée');
  await page.getByText('La page avec les dates de validité manque.').waitFor();
  await check('host (document rejected)');
  await page.getByLabel('Envoyer un nouveau fichier ou une photo — Assurance habitation').setInputFiles(pdf);
  await navigate(() => page.getByRole('button', { name: 'Envoyer — Assurance habitation' }).click());
  await flash('La pièce est reçue.');
  await page.locator('summary', { hasText: 'Valider — Assurance habitation' }).click();
  await page.locator('li.document details[open] input[name=expiryDate]').fill(day(365));
  await navigate(() => page.locator('li.document details[open]').getByRole('button', { name: 'Marquer comme vérifiée' }).click());
  await flash('La pièce est vérifiée.');
  await verifyAllSeenInPerson();
  await check('host (documents verified)');
  await reloadUntil(studentURL, () => page.locator('li.document'), 'the student’s documents');
  await verifyAllSeenInPerson();
  await check('student (documents verified)');
  await page.goto(matchURL);
  await page.getByLabel('Nouvelle note').fill('Rencontre chaleureuse : Léa passera les dimanches avec Marcel.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la note' }).click());
  await flash('La note est enregistrée.');
  await page.locator('ol.timeline li', { hasText: 'Rencontre chaleureuse' }).waitFor();
  await check('match (note and timeline)');
}

async function logout() {
  await navigate(() => page.getByRole('button', { name: /Se déconnecter|Sign out/ }).click());
  assert(page.url().endsWith('/login'), 'back on the login page');
}

async function flash(text) {
  const f = page.locator('#flash');
  await f.getByText(text).waitFor();
}

// reloadUntil reloads url until locator shows: the matching pool follows events, a moment
// after the change that feeds it.
async function reloadUntil(url, locator, what, seconds = 60) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    await page.goto(url);
    if (await locator().count() > 0) return;
    if (Date.now() > end) throw new Error(`${what} did not show within ${seconds}s at ${url}`);
    await page.waitForTimeout(1000);
  }
}

const started = Date.now();
try {
  // ---------------------------------------------------------------- visitor
  say('landing page and sign-in');
  await page.goto(BASE + '/');
  assert((await lang()) === 'fr', 'French by default');
  await check('landing');
  await page.goto(`${BASE}/login`);
  await check('login');
  await page.getByLabel('Adresse e-mail').fill(coordinator.email);
  await page.getByLabel('Mot de passe').fill('not the password');
  await navigate(() => page.getByRole('button', { name: 'Se connecter' }).click());
  await page.getByText('L’adresse e-mail ou le mot de passe est incorrect.').first().waitFor();
  await audit('login refused');

  // ---------------------------------------------------------------- coordinator
  say('coordinator signs in: the dashboard');
  await login(coordinator);
  assert(page.url().endsWith('/coordinator'), 'the coordinator lands on her dashboard');
  await check('dashboard (empty)');

  say('registers a host on her behalf: the consent is required');
  await navigate(() => page.getByRole('link', { name: 'Hôtes et chambres' }).click());
  await check('hosts');
  await navigate(() => page.getByRole('link', { name: 'Inscrire un hôte pour son compte' }).click());
  await check('register a host');
  await page.getByLabel('Nom et prénom').fill('Jeanne Martin');
  await page.getByLabel('Date de naissance').fill('1946-03-12');
  await page.getByLabel('Téléphone').fill('06 12 34 56 78');
  await page.getByLabel('Numéro et rue').fill('12 rue Victor Hugo');
  await page.getByLabel('Code postal').fill('69002');
  await page.getByLabel('Commune').fill('Lyon');
  await page.getByLabel('Langues parlées').fill('fr, it');
  await page.getByLabel('Compagnie').check();
  await page.getByLabel('Repas partagés').check();
  await page.getByLabel('Heures de services par semaine').fill('4');
  await page.getByLabel('Soirées de présence par semaine').fill('3');
  await page.getByLabel('Rythme de vie').selectOption('RHYTHM_EARLY');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer l’hôte' }).click());
  const consentError = page.locator('#f-consentRecorded-error');
  assert(await consentError.isVisible(), 'the consent error shows next to the box');
  assert((await page.locator('#f-consentRecorded').getAttribute('aria-invalid')) === 'true', 'the box is marked invalid');
  await audit('register a host, with errors');
  await page.getByLabel('J’ai recueilli le consentement de la personne').check();
  await navigate(() => page.getByRole('button', { name: 'Enregistrer l’hôte' }).click());
  await flash('L’hôte est inscrit.');
  assert(/\/coordinator\/hosts\/[0-9a-f-]{36}$/.test(page.url()), 'on the new host’s page');
  const assistedHostURL = page.url();
  await check('host (pending)');

  say('verifies her, adds a room and publishes it');
  await navigate(() => page.getByRole('button', { name: 'Vérifier cet hôte' }).click());
  await flash('L’hôte est vérifié.');
  await page.getByLabel('Titre').fill('Chambre calme près des quais');
  await page.getByLabel('Surface en m²').fill('12');
  await page.getByLabel('Participation mensuelle en euros').fill('150');
  await page.getByLabel('Disponible à partir du').fill(day(30));
  await navigate(() => page.getByRole('button', { name: 'Ajouter la chambre' }).click());
  await flash('La chambre est ajoutée');
  await navigate(() => page.getByRole('button', { name: /^Publier/ }).click());
  await flash('La chambre est publiée.');
  await check('host (verified, room published)');
  await navigate(() => page.getByRole('link', { name: 'Modifier — Chambre calme près des quais' }).click());
  assert((await page.getByLabel('Participation mensuelle en euros').inputValue()) === '150', 'the room form comes filled');
  await check('room, edit');
  await page.getByLabel('Description').fill('Au calme, sur cour, à deux pas des quais et du tram.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la chambre' }).click());
  await flash('La chambre est enregistrée.');
  const candidatesLink = page.getByRole('link', { name: /Voir les candidats/ });
  const assistedCandidatesURL = BASE + (await candidatesLink.getAttribute('href'));

  say('registers a second host, to be verified after her home visit');
  await page.goto(`${BASE}/coordinator/hosts/new`);
  await page.getByLabel('Nom et prénom').fill('Odette Roux');
  await page.getByLabel('Date de naissance').fill('1941-07-21');
  await page.getByLabel('Téléphone').fill('04 72 00 33 44');
  await page.getByLabel('Numéro et rue').fill('8 place Bellecour');
  await page.getByLabel('Code postal').fill('69002');
  await page.getByLabel('Commune').fill('Lyon');
  await page.getByLabel('Compagnie').check();
  await page.getByLabel('J’ai recueilli le consentement de la personne').check();
  await navigate(() => page.getByRole('button', { name: 'Enregistrer l’hôte' }).click());
  await flash('L’hôte est inscrit.');
  await page.goto(`${BASE}/coordinator/hosts?status=HOST_STATUS_PENDING_VERIFICATION`);
  await page.getByRole('link', { name: 'Odette Roux' }).waitFor();
  await check('hosts (filtered)');
  await page.goto(`${BASE}/coordinator/hosts`);
  await page.getByRole('searchbox', { name: 'Rechercher' }).fill('roux');
  await navigate(() => page.getByRole('button', { name: 'Filtrer', exact: true }).click());
  await page.getByRole('link', { name: 'Odette Roux' }).waitFor();
  assert(await page.getByRole('link', { name: 'Jeanne Martin' }).count() === 0, 'the search keeps only the host it names');
  await audit('hosts (searched)');

  say('registers a student on her behalf, with her agreement: errors next to the fields');
  await navigate(() => page.getByRole('link', { name: 'Étudiants', exact: true }).click());
  await navigate(() => page.getByRole('link', { name: 'Inscrire un étudiant pour son compte' }).click());
  await page.getByText('Vous le faites avec son accord').waitFor();
  await check('register a student');
  await page.getByLabel('Établissement').fill('Université Jean Moulin Lyon 3');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer l’étudiant' }).click());
  for (const f of ['displayName', 'studyCity']) {
    assert(await page.locator(`#f-${f}-error`).isVisible(), `the ${f} error shows next to its input`);
    assert((await page.locator(`#f-${f}`).getAttribute('aria-invalid')) === 'true', `#f-${f} is marked invalid`);
  }
  await audit('register a student, with errors');
  await page.getByLabel('Nom et prénom').fill('Camille Durand');
  await page.getByLabel('Date de naissance').fill('2004-02-17');
  await page.getByLabel('Téléphone').fill('07 61 22 33 44');
  await page.getByLabel('Ville du lieu d’études').fill('Lyon');
  await page.getByLabel('Compagnie').check();
  await page.getByLabel('Sa motivation').fill('Elle aime la compagnie et cherche un logement calme.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer l’étudiant' }).click());
  await flash('L’étudiant est inscrit.');
  await page.getByRole('cell', { name: 'Camille Durand', exact: true }).waitFor();

  say('keyboard only: skip link, Tab to a pending host on the dashboard, Space verifies her in place');
  // No clicks: Tab, Enter and Space. Every control that takes the focus shows it (an outline).
  await page.goto(`${BASE}/coordinator`);
  stops = 0;
  let f = await tabTo((x) => x.tag === 'A' && x.name.includes('Aller au contenu'), 'the skip link');
  await page.keyboard.press('Enter');
  assert((await focused()).id === 'main', 'Enter on the skip link moves the focus to the content');
  f = await tabTo((x) => x.tag === 'BUTTON' && x.name.includes('Vérifier Odette Roux'), 'Odette Roux’s verify button');
  const verifyURL = page.url();
  const waiting = () => page.locator('#dash-cards .count').first().innerText();
  const waitingBefore = Number(await waiting());
  await page.keyboard.press('Space');
  await flash('L’hôte est vérifié.');
  await page.waitForFunction((n) => Number(document.querySelector('#dash-cards .count').innerText) === n, waitingBefore - 1);
  assert(page.url() === verifyURL, 'no page change: htmx swapped the pending lists');
  await page.waitForFunction(() => document.activeElement && document.activeElement.id.startsWith('verify-host-') && document.activeElement.tagName === 'SPAN');
  f = await focused();
  assert(f.name.includes('Vérifié') && f.name.includes('Odette Roux'), `the focus is on her row’s new status (${f.name})`);
  assert(f.outline, 'the focus on the updated status is visible');
  f = await tabTo((x) => x.tag === 'BUTTON' || x.tag === 'A', 'the next action');
  assert(f.name.includes('Camille Durand') || f.tag === 'A', `Tab goes on to the next action (${f.name})`);
  console.log(`      keyboard: ${stops} Tab stops, the focus visible on each, then on the updated status`);
  await audit('dashboard (after verifying with the keyboard)');
  await logout();

  // ---------------------------------------------------------------- student (phone)
  say('a student signs up on her phone and fills in her profile');
  await page.setViewportSize(phone);
  await page.goto(`${BASE}/signup`);
  await check('sign up');
  await page.getByLabel('Étudiant ou jeune, je cherche une chambre').check();
  await page.getByLabel('Adresse e-mail').fill(student.email);
  await page.getByLabel('Mot de passe').fill(student.password);
  await navigate(() => page.getByRole('button', { name: 'Créer mon compte' }).click());
  assert(page.url().endsWith('/student'), 'the student lands on her page');
  await check('student home (no profile)');
  await navigate(() => page.getByRole('link', { name: 'Remplir mon profil' }).click());
  await check('student profile');
  await page.getByLabel('Nom et prénom').fill('Léa Bernard');
  await page.getByLabel('Date de naissance').fill('2004-05-02');
  await page.getByLabel('Téléphone').fill('07 11 22 33 44');
  await page.getByLabel('Établissement').fill('Université Lumière Lyon 2');
  await page.getByLabel('Ville du lieu d’études').fill('Villeurbanne');
  await page.getByLabel('Distance maximale en km').fill('10');
  await page.getByLabel('Langues parlées').fill('fr, en');
  await page.getByLabel('Compagnie').check();
  await page.getByLabel('Aide au numérique').check();
  await page.getByLabel('Heures de services par semaine').fill('4');
  await page.getByLabel('Soirées de présence par semaine').fill('3');
  await page.getByLabel('Rythme de vie').selectOption('RHYTHM_FLEXIBLE');
  await page.getByLabel('Votre motivation').fill('Étudiante en lettres, j’aime cuisiner et discuter.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer mon profil' }).click());
  await flash('Votre profil est enregistré.');
  await check('student home (pending)');
  await logout();

  // ---------------------------------------------------------------- coordinator
  say('the coordinator verifies the student from the list (htmx, in place)');
  await page.setViewportSize(desktop);
  await login(coordinator);
  await reloadUntil(`${BASE}/coordinator/students`, () => page.getByRole('button', { name: 'Vérifier Léa Bernard' }), 'the student');
  await check('students');
  const before = page.url();
  await page.getByRole('button', { name: 'Vérifier Léa Bernard' }).click();
  await flash('L’étudiant est vérifié.');
  assert(page.url() === before, 'no page change: htmx swapped the table');
  await page.locator('#students-table').getByText('Vérifié').first().waitFor();
  await audit('students (after verifying in place)');
  await logout();

  // ---------------------------------------------------------------- student (phone)
  say('the student applies and reads her suggestions');
  await page.setViewportSize(phone);
  await login(student);
  await navigate(() => page.getByRole('link', { name: 'Déposer ma demande' }).click());
  await check('apply');
  await page.getByLabel('Budget mensuel en euros').fill('deux cents');
  await navigate(() => page.getByRole('button', { name: 'Envoyer ma demande' }).click());
  assert(await page.locator('#f-budget-error').isVisible(), 'the budget error shows next to the field');
  await audit('apply, with errors');
  await page.getByLabel('Budget mensuel en euros').fill('200');
  await page.getByLabel('Date d’arrivée souhaitée').fill(day(45));
  await page.getByLabel('Date de départ prévue').fill(day(320));
  await navigate(() => page.getByRole('button', { name: 'Envoyer ma demande' }).click());
  await flash('Votre demande est enregistrée.');
  await reloadUntil(`${BASE}/student/suggestions`, () => page.getByRole('heading', { name: /Chambre calme près des quais/ }), 'the suggestion');
  await check('suggestions (phone)');
  await page.getByText('Pourquoi cette chambre ?').first().click();
  await audit('suggestions (phone, reasons open)');
  await shot('student-phone.png');
  await logout();

  // ---------------------------------------------------------------- coordinator
  say('the coordinator reads the room’s candidates, in French then English');
  await page.setViewportSize(desktop);
  await login(coordinator);
  await reloadUntil(assistedCandidatesURL, () => page.getByRole('heading', { name: /Léa Bernard/ }), 'the candidate');
  await page.getByRole('rowheader', { name: 'Trajet' }).first().waitFor();
  await check('candidates');
  await shot('candidates-breakdown.png');
  await switchLang('en');
  await page.getByRole('rowheader', { name: 'Commute' }).first().waitFor();
  assert(await page.getByRole('button', { name: /Propose this room/ }).count() === 1, 'the propose button, in English');
  await shot('candidates-breakdown-en.png');
  await page.goto(`${BASE}/coordinator`);
  await audit('dashboard (English)');
  await switchLang('fr');

  say('proposes the assisted host’s room too; after the meeting, records her refusal on her behalf');
  await page.goto(assistedCandidatesURL);
  await navigate(() => page.getByRole('button', { name: /Proposer cette chambre/ }).click());
  await flash('La proposition est enregistrée.');
  await page.goto(`${BASE}/coordinator/matches?status=MATCH_STATUS_PROPOSED`);
  await navigate(() => page.getByRole('link', { name: 'Jeanne Martin et Léa Bernard' }).click());
  await check('match (proposed)');
  await page.getByLabel('Date de la rencontre').fill(`${day(2)}T10:30`);
  await navigate(() => page.getByRole('button', { name: 'Planifier' }).click());
  await flash('La rencontre est planifiée.');
  await page.getByRole('button', { name: 'Jeanne Martin accepte' }).waitFor();
  await check('match (meeting scheduled)');
  await page.locator('summary', { hasText: 'Jeanne Martin refuse' }).click();
  await page.getByLabel(/Pourquoi Jeanne Martin refuse/).fill('Elle part vivre chez sa fille cet hiver.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer le refus de Jeanne Martin' }).click());
  await flash('Le refus est enregistré.');
  await page.getByText('Elle part vivre chez sa fille cet hiver.').waitFor();
  await check('match (declined on her behalf)');
  await logout();

  // ---------------------------------------------------------------- host
  say('a host signs up herself: her home page is in large type');
  await page.goto(`${BASE}/signup?role=host`);
  await page.getByLabel('Hôte, je propose une chambre').check();
  await page.getByLabel('Adresse e-mail').fill(host.email);
  await page.getByLabel('Mot de passe').fill(host.password);
  await navigate(() => page.getByRole('button', { name: 'Créer mon compte' }).click());
  assert(page.url().endsWith('/host'), 'the host lands on her page');
  assert(await page.evaluate(() => document.documentElement.classList.contains('text-large')), 'large type by default');
  assert(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize) === '22px', 'the root font size is 137.5%');
  await check('host home (no profile)');
  await navigate(() => page.getByRole('link', { name: 'Remplir mon profil' }).click());
  await check('host profile');
  await page.getByLabel('Nom et prénom').fill('Marcel Blanc');
  await page.getByLabel('Date de naissance').fill('1944-09-30');
  await page.getByLabel('Téléphone').fill('04 78 00 11 22');
  await page.getByLabel('Numéro et rue').fill('5 rue de la République');
  await page.getByLabel('Code postal').fill('69001');
  await page.getByLabel('Commune').fill('Lyon');
  await page.getByLabel('Compagnie').check();
  await page.getByLabel('Aide au numérique').check();
  await page.getByLabel('Heures de services par semaine').fill('3');
  await page.getByLabel('Soirées de présence par semaine').fill('2');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer mon profil' }).click());
  await flash('Votre profil est enregistré.');
  await audit('host home (pending)');
  await logout();

  say('the coordinator verifies him, adds and publishes his room, proposes the student');
  await login(coordinator);
  await check('dashboard (waiting)');
  await navigate(() => page.getByRole('link', { name: 'Hôtes et chambres' }).click());
  await reloadUntil(`${BASE}/coordinator/hosts`, () => page.getByRole('link', { name: 'Marcel Blanc' }), 'the host');
  await navigate(() => page.getByRole('link', { name: 'Marcel Blanc' }).click());
  await navigate(() => page.getByRole('button', { name: 'Vérifier cet hôte' }).click());
  await flash('L’hôte est vérifié.');
  await page.getByLabel('Titre').fill('Chambre lumineuse, vue sur la Saône');
  await page.getByLabel('Surface en m²').fill('14');
  await page.getByLabel('Pièces partagées avec l’hôte').fill('cuisine, salon');
  await page.getByLabel('Participation mensuelle en euros').fill('120');
  await page.getByLabel('Disponible à partir du').fill(day(30));
  await navigate(() => page.getByRole('button', { name: 'Ajouter la chambre' }).click());
  await navigate(() => page.getByRole('button', { name: /^Publier/ }).click());
  await flash('La chambre est publiée.');
  const marcelCandidates = BASE + (await page.getByRole('link', { name: /Voir les candidats/ }).getAttribute('href'));
  await reloadUntil(marcelCandidates, () => page.getByRole('heading', { name: /Léa Bernard/ }), 'the candidate');
  await navigate(() => page.getByRole('button', { name: /Proposer cette chambre/ }).click());
  await flash('La proposition est enregistrée.');
  await audit('candidates (proposed)');
  await page.goto(`${BASE}/coordinator`);
  await check('dashboard (proposal waiting)');

  say('schedules the meeting from the dashboard: the parties answer after it');
  await page.getByLabel(/Date de la rencontre.*Marcel Blanc/).fill(`${day(3)}T15:00`);
  await navigate(() => page.getByRole('button', { name: /Planifier.*Marcel Blanc/ }).click());
  await flash('La rencontre est planifiée.');
  await page.locator('#matches ~ div').getByText('Rencontre prévue').first().waitFor();
  await check('dashboard (meeting scheduled)');
  await shot('coordinator-dashboard.png');
  await logout();

  say('the host sees the proposal in large type and accepts');
  await login(host);
  await page.getByRole('heading', { name: 'Léa Bernard' }).waitFor();
  await check('host home (proposal)');
  await shot('host-home-large-type.png');
  // With the keyboard only, as a senior who does not use a mouse.
  await tabTo((x) => x.tag === 'BUTTON' && x.name === 'J’accepte', 'the host’s accept button');
  await navigate(() => page.keyboard.press('Enter'));
  await flash('Votre accord est enregistré.');
  await page.getByText('Vous avez accepté.').waitFor();
  await audit('host home (accepted)');
  await logout();

  say('the student accepts on her phone');
  await page.setViewportSize(phone);
  await login(student);
  await page.getByRole('heading', { name: 'Chez Marcel Blanc' }).waitFor();
  await check('student home (proposal)');
  await shot('student-home-phone.png');
  await navigate(() => page.getByRole('button', { name: 'J’accepte' }).click());
  await flash('Votre accord est enregistré.');
  await audit('student home (accepted)');
  await logout();

  say('the coordinator reads her programme’s figures for 2026–2027: numbers, charts by month beside their tables, CSV');
  await page.setViewportSize(desktop);
  await login(coordinator);
  await navigate(() => page.getByRole('link', { name: 'Chiffres', exact: true }).click());
  await page.getByLabel('Du', { exact: true }).fill('2026-01-01');
  await page.getByLabel('Au', { exact: true }).fill('2027-12-31');
  await navigate(() => page.getByRole('button', { name: 'Afficher' }).click());
  // The figures follow the services' events: a moment after the last change. No stay has
  // started yet at this point of the journey: the registrations' chart has bars.
  await reloadUntil(`${BASE}/coordinator/figures?from=2026-01-01&to=2027-12-31`, () => page.locator('svg rect:has(title)'), 'bars in the charts');
  await page.getByRole('img', { name: 'Cohabitations commencées et terminées, par mois' }).waitFor();
  await page.getByRole('img', { name: 'Hôtes et jeunes inscrits, par mois' }).waitFor();
  await page.getByRole('table', { name: 'Cohabitations en cours à la fin de chaque mois' }).waitFor();
  await check('figures');
  await shot('figures.png');
  const csv = await page.request.get(`${BASE}/coordinator/figures.csv?from=2026-01-01&to=2027-12-31`);
  assert(csv.status() === 200 && (await csv.text()).startsWith('programmeId,name,from,to,month'), 'the figures as CSV');
  await logout();

  say('the network’s administrator sees every programme’s figures side by side, no one named');
  await login({ email: 'admin@demo.cohabit.test', password: 'admin-demo-password' });
  await navigate(() => page.getByRole('link', { name: 'Chiffres du réseau' }).click());
  await page.getByRole('columnheader', { name: 'Réseau entier' }).waitFor();
  assert(!(await page.content()).includes('Marcel'), 'no person on the network page');
  await check('network figures');
  await shot('network-figures.png');
  await logout();

  // ---------------------------------------------------------------- coordinator
  say('the coordinator finds the accepted match in the list and approves it');
  await page.setViewportSize(desktop);
  await login(coordinator);
  await navigate(() => page.getByRole('link', { name: 'Mises en relation' }).click());
  await check('matches');
  await page.getByLabel('État').selectOption('MATCH_STATUS_ACCEPTED');
  await navigate(() => page.getByRole('button', { name: 'Filtrer' }).click());
  await check('matches (accepted)');
  await navigate(() => page.getByRole('link', { name: 'Marcel Blanc et Léa Bernard' }).click());
  await page.getByRole('heading', { level: 1, name: 'Marcel Blanc et Léa Bernard' }).waitFor();
  await check('match (accepted)');
  await collectDocuments();
  await navigate(() => page.getByRole('button', { name: 'Approuver la mise en relation' }).click());
  await flash('La mise en relation est approuvée');
  await check('match (approved)');

  say('the coordinator’s agenda: overdue, today, this week; a new address for her phone’s calendar');
  await navigate(() => page.getByRole('link', { name: 'Agenda', exact: true }).click());
  await page.getByRole('heading', { level: 1, name: 'Agenda' }).waitFor();
  await check('agenda');
  await navigate(() => page.getByRole('button', { name: 'Obtenir une nouvelle adresse de calendrier' }).click());
  const feedURL = await page.getByLabel('Adresse du calendrier').inputValue();
  assert(/^http:\/\/.+\/v1\/agenda\/feeds\/.+\.ics$/.test(feedURL), `a calendar address: ${feedURL}`);
  await page.getByText('L’ancienne adresse ne fonctionne plus.').waitFor();
  await audit('agenda (new calendar address)');
  const feed = await page.request.get(feedURL);
  assert(feed.status() === 200 && (await feed.text()).startsWith('BEGIN:VCALENDAR'), 'the calendar at its address');

  say('the contract is drafted from the approved match: she adjusts its terms and sends it');
  await reloadUntil(`${BASE}/coordinator/contracts?status=CONTRACT_STATUS_DRAFT`, () => page.getByRole('link', { name: 'Marcel Blanc et Léa Bernard' }), 'the drafted contract');
  await check('contracts (drafts)');
  await navigate(() => page.getByRole('link', { name: 'Marcel Blanc et Léa Bernard' }).click());
  const contractURL = page.url();
  assert((await page.getByLabel('Espaces partagés').inputValue()) === 'cuisine, salon', 'the draft holds the room’s shared spaces');
  await check('contract (draft)');
  await page.getByLabel('Espaces partagés').fill('cuisine, salon, jardin');
  await page.getByLabel('Règles de la maison').fill('Calme après 22 h. Les visites se préviennent la veille.');
  await page.getByLabel('État des lieux d’entrée').fill('Chambre : lit, bureau, armoire, en bon état. Salle d’eau partagée : propre.');
  await page.getByLabel('Participation mensuelle en euros').fill('9999');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer les conditions' }).click());
  assert(await page.locator('#f-contribution-error').isVisible(), 'the cap error shows next to the contribution');
  assert((await page.locator('#f-contribution').getAttribute('aria-invalid')) === 'true', 'the contribution is marked invalid');
  await audit('contract, with errors');
  await page.getByLabel('Participation mensuelle en euros').fill('120');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer les conditions' }).click());
  await flash('Les conditions sont enregistrées.');
  await page.getByText('cuisine, salon, jardin').first().waitFor();
  await navigate(() => page.getByRole('button', { name: 'Envoyer pour signature' }).click());
  await flash('La convention est prête à signer.');
  await check('contract (awaiting signatures)');
  await logout();

  // ---------------------------------------------------------------- host, then student (phone)
  say('the host signs his contract from his home, in large type');
  await login(host);
  await page.getByRole('heading', { name: /Léa Bernard/ }).first().waitFor();
  await check('host home (contract to sign)');
  await tabTo((x) => x.tag === 'BUTTON' && x.name === 'Je signe la convention', 'the host’s sign button');
  await navigate(() => page.keyboard.press('Enter'));
  await flash('Votre signature est enregistrée.');
  // His contract stays on his home, waiting for the student's signature.
  await page.getByText('Vous avez signé. La convention prend effet quand Léa Bernard aura signé aussi.').waitFor();
  await audit('host home (signed)');
  await logout();

  say('the student signs on her phone: the contract is active; she reports a problem');
  await page.setViewportSize(phone);
  await login(student);
  await page.getByRole('heading', { name: 'Ma chambre et ma convention' }).waitFor();
  await page.getByText('Votre convention est prête.').waitFor();
  await check('student home (contract to sign)');
  await navigate(() => page.getByRole('button', { name: 'Je signe la convention' }).click());
  await flash('Votre signature est enregistrée.');
  await page.getByText(/La convention est signée par vous deux|Vous habitez chez Marcel Blanc/).first().waitFor();
  await check('student home (contract active)');
  await navigate(() => page.getByRole('link', { name: 'Signaler un problème' }).click());
  await check('report a problem (phone)');
  await page.getByLabel('Un problème qui dure').check();
  await navigate(() => page.getByRole('button', { name: 'Envoyer à l’association' }).click());
  assert(await page.locator('#f-description-error').isVisible(), 'the description error shows next to the field');
  await audit('report a problem, with errors');
  await page.getByLabel('De quoi s’agit-il ?').selectOption('NOISE');
  await page.getByLabel('Racontez ce qui se passe').fill('Des travaux chez le voisin toutes les nuits depuis une semaine.');
  await navigate(() => page.getByRole('button', { name: 'Envoyer à l’association' }).click());
  await flash('Votre signalement est enregistré');
  await audit('student home (problem reported)');
  await navigate(() => page.getByRole('link', { name: 'Modifier mon profil' }).click());
  assert((await page.getByLabel('Téléphone').inputValue()) === '07 11 22 33 44', 'her profile form comes filled');
  await check('my profile (phone)');
  await page.getByLabel('Téléphone').fill('07 11 22 33 55');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer mon profil' }).click());
  await flash('Votre profil est enregistré.');
  await logout();
  await page.setViewportSize(desktop);

  say('the host’s home shows the stay under way, its PDF, and how to report a problem');
  await login(host);
  await page.getByRole('heading', { name: 'Léa Bernard' }).waitFor();
  await page.getByText(/Léa Bernard arrive le|Léa Bernard habite chez vous/).waitFor();
  await page.getByRole('link', { name: 'Lire ou imprimer la convention (PDF)' }).waitFor();
  await check('host home (contract running)');
  await navigate(() => page.getByRole('link', { name: 'Signaler un problème' }).click());
  await page.getByText('Pendant le séjour de Léa Bernard chez vous.').waitFor();
  await check('report a problem (host)');
  await navigate(() => page.getByRole('link', { name: 'Retour à mon espace' }).click());
  await navigate(() => page.getByRole('link', { name: 'Modifier ma fiche' }).click());
  assert((await page.getByLabel('Téléphone').inputValue()) === '04 78 00 11 22', 'his details come filled');
  await check('my details (host)');
  await page.getByLabel('Téléphone').fill('04 78 00 11 33');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer ma fiche' }).click());
  await flash('Votre fiche est enregistrée.');
  await logout();

  // ---------------------------------------------------------------- coordinator
  say('the coordinator reads the active contract; a notice too short is refused with the earliest date');
  await login(coordinator);
  await page.goto(contractURL);
  await page.getByText('En cours').first().waitFor();
  await check('contract (active)');
  await page.locator('#f-reason').fill('Stage à l’étranger');
  await page.locator('#f-effectiveDate').fill(day(2));
  await navigate(() => page.getByRole('button', { name: 'Donner le préavis' }).click());
  assert(await page.locator('#f-effectiveDate-error').isVisible(), 'the notice error shows next to the date');
  assert(/la date la plus proche possible est le/.test(await page.locator('#f-effectiveDate-error').innerText()), 'the earliest date is named');
  await check('contract, notice too short');

  say('completes a check-in: method, wellbeing 1–5, notes');
  await navigate(() => page.getByRole('link', { name: 'Suivis' }).click());
  await check('check-ins');
  await navigate(() => page.getByRole('link', { name: /Faire le point.*Marcel Blanc/ }).first().click());
  await check('check-in');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer le suivi' }).click());
  assert(await page.locator('#f-hostWellbeing-error').isVisible(), 'the wellbeing error shows next to the group');
  await audit('check-in, with errors');
  await page.getByLabel('Visite').check();
  await page.locator('#f-hostWellbeing-4').check();
  await page.locator('#f-studentWellbeing-5').check();
  await page.getByLabel('Notes').fill('Tout se passe bien ; le bruit des travaux voisins gêne Léa la nuit.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer le suivi' }).click());
  await flash('Le suivi est enregistré.');
  await audit('check-ins (after completing one)');

  say('the incident: mediation, then resolved');
  await navigate(() => page.getByRole('link', { name: 'Incidents', exact: true }).click());
  await page.getByText('Des travaux chez le voisin').first().waitFor();
  await check('incidents');
  await navigate(() => page.getByRole('button', { name: /^Commencer une médiation/ }).first().click());
  await flash('La médiation est commencée.');
  await page.locator('summary', { hasText: 'Clore l’incident' }).first().click();
  await page.getByLabel('Comment l’incident a été résolu').first().fill('Appel au voisin : les travaux de nuit sont arrêtés.');
  await navigate(() => page.getByRole('button', { name: 'Clore l’incident', exact: true }).first().click());
  await flash('L’incident est clos.');
  await page.goto(`${BASE}/coordinator/incidents?status=INCIDENT_STATUS_RESOLVED`);
  await page.getByText('les travaux de nuit sont arrêtés').first().waitFor();
  await check('incidents (resolved)');
  await logout();

  // ---------------------------------------------------------------- the assisted host's stay
  say('a second student signs up, is verified and applies');
  await page.setViewportSize(phone);
  await page.goto(`${BASE}/signup`);
  await page.getByLabel('Étudiant ou jeune, je cherche une chambre').check();
  await page.getByLabel('Adresse e-mail').fill(student2.email);
  await page.getByLabel('Mot de passe').fill(student2.password);
  await navigate(() => page.getByRole('button', { name: 'Créer mon compte' }).click());
  await navigate(() => page.getByRole('link', { name: 'Remplir mon profil' }).click());
  await page.getByLabel('Nom et prénom').fill('Inès Moreau');
  await page.getByLabel('Date de naissance').fill('2003-10-14');
  await page.getByLabel('Téléphone').fill('07 55 66 77 88');
  await page.getByLabel('Établissement').fill('Université Lumière Lyon 2');
  await page.getByLabel('Ville du lieu d’études').fill('Lyon');
  await page.getByLabel('Distance maximale en km').fill('10');
  await page.getByLabel('Langues parlées').fill('fr, it');
  await page.getByLabel('Compagnie').check();
  await page.getByLabel('Repas partagés').check();
  await page.getByLabel('Heures de services par semaine').fill('4');
  await page.getByLabel('Soirées de présence par semaine').fill('3');
  await page.getByLabel('Votre motivation').fill('J’aime la cuisine italienne et les longues discussions.');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer mon profil' }).click());
  await flash('Votre profil est enregistré.');
  await logout();
  await page.setViewportSize(desktop);
  await login(coordinator);
  await reloadUntil(`${BASE}/coordinator/students`, () => page.getByRole('button', { name: 'Vérifier Inès Moreau' }), 'the second student');
  await page.getByRole('button', { name: 'Vérifier Inès Moreau' }).click();
  await flash('L’étudiant est vérifié.');
  await logout();
  await page.setViewportSize(phone);
  await login(student2);
  await navigate(() => page.getByRole('link', { name: 'Déposer ma demande' }).click());
  await page.getByLabel('Budget mensuel en euros').fill('200');
  await page.getByLabel('Date d’arrivée souhaitée').fill(day(45));
  await page.getByLabel('Date de départ prévue').fill(day(320));
  await navigate(() => page.getByRole('button', { name: 'Envoyer ma demande' }).click());
  await flash('Votre demande est enregistrée.');
  await logout();

  say('the coordinator lists the programme’s rooms, filtered by town, state and contribution');
  await page.setViewportSize(desktop);
  await login(coordinator);
  await reloadUntil(assistedCandidatesURL, () => page.getByRole('button', { name: 'Proposer cette chambre — Inès Moreau' }), 'the second candidate');
  await navigate(() => page.getByRole('link', { name: 'Chambres', exact: true }).click());
  await check('rooms');
  await page.getByLabel('Ville', { exact: true }).fill('Lyon');
  await page.getByLabel('État', { exact: true }).selectOption('ROOM_STATUS_PUBLISHED');
  await page.getByLabel(/Participation au plus/).fill('200');
  await navigate(() => page.getByRole('button', { name: 'Filtrer', exact: true }).click());
  assert(page.url().includes('city=Lyon') && page.url().includes('status=ROOM_STATUS_PUBLISHED'), 'the filters are in the address');
  await page.getByRole('link', { name: 'Voir les candidats — Chambre calme près des quais' }).waitFor();
  await check('rooms (filtered)');

  say('runs an allocation, keeps its pair, runs it again, and proposes the pair');
  await navigate(() => page.getByRole('link', { name: 'Attributions', exact: true }).click());
  await check('allocations');
  await navigate(() => page.getByRole('button', { name: 'Lancer une attribution' }).click());
  await flash('L’attribution est calculée.');
  const keep = () => page.getByLabel('Garder cette paire — Chambre calme près des quais et Inès Moreau');
  await keep().waitFor();
  await check('allocation');
  await shot('allocation.png');
  await keep().check();
  await navigate(() => page.getByRole('button', { name: 'Relancer en gardant les paires cochées' }).click());
  await flash('L’attribution est calculée.');
  await page.getByText('gardée', { exact: true }).first().waitFor();
  assert(await keep().isChecked(), 'the kept pair stays ticked');
  await audit('allocation (run again, pair kept)');
  await page.getByLabel('Choisir — Chambre calme près des quais et Inès Moreau').check();
  await navigate(() => page.getByRole('button', { name: 'Proposer les paires choisies' }).click());
  await flash('Les paires choisies sont proposées');
  await page.getByRole('link', { name: 'Proposée' }).first().waitFor();
  await check('allocation (pair proposed)');

  say('records both yeses at the meeting, approves');
  await page.goto(`${BASE}/coordinator/matches`);
  await navigate(() => page.getByRole('link', { name: 'Jeanne Martin et Inès Moreau' }).click());
  await page.getByLabel('Date de la rencontre').fill(`${day(1)}T14:00`);
  await navigate(() => page.getByRole('button', { name: 'Planifier' }).click());
  await flash('La rencontre est planifiée.');
  await navigate(() => page.getByRole('button', { name: 'Jeanne Martin accepte' }).click());
  await flash('L’accord est enregistré.');
  await page.getByText('(réponse enregistrée par l’association)').first().waitFor();
  await audit('match (host answered on her behalf)');
  await navigate(() => page.getByRole('button', { name: 'Inès Moreau accepte' }).click());
  await flash('L’accord est enregistré.');
  await verifyDocuments();
  await navigate(() => page.getByRole('button', { name: 'Approuver la mise en relation' }).click());
  await flash('La mise en relation est approuvée');

  say('the contract drafted, sent; the coordinator records the assisted host’s paper signature');
  await reloadUntil(`${BASE}/coordinator/contracts?status=CONTRACT_STATUS_DRAFT`, () => page.getByRole('link', { name: 'Jeanne Martin et Inès Moreau' }), 'the second contract');
  await navigate(() => page.getByRole('link', { name: 'Jeanne Martin et Inès Moreau' }).click());
  const contract2URL = page.url();
  await navigate(() => page.getByRole('button', { name: 'Envoyer pour signature' }).click());
  await flash('La convention est prête à signer.');
  await check('contract (assisted host, to sign)');
  await page.getByLabel('L’hôte', { exact: true }).check();
  await page.getByLabel(/Sur papier/).check();
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la signature', exact: true }).click());
  await flash('La signature est enregistrée.');
  await page.getByText('(enregistrée par l’association)').waitFor();
  await check('contract (signed on paper on her behalf)');
  await logout();

  say('the second student signs on her phone: the contract is active');
  await page.setViewportSize(phone);
  await login(student2);
  await navigate(() => page.getByRole('button', { name: 'Je signe la convention' }).click());
  await flash('Votre signature est enregistrée.');
  await page.getByRole('link', { name: 'Signaler un problème' }).waitFor();
  await logout();
  await page.setViewportSize(desktop);
  await login(coordinator);
  await page.goto(contract2URL);
  await page.getByText('En cours').first().waitFor();
  await check('contract (assisted host, active)');
  await shot('contract.png');

  say('the student leaves for an internship: the coordinator records a notice that respects the notice period');
  await page.locator('#f-reason').fill('Stage de fin d’études à Milan');
  await page.locator('#f-effectiveDate').fill(day(120));
  await navigate(() => page.getByRole('button', { name: 'Donner le préavis' }).click());
  await flash('Le préavis est enregistré.');
  await page.getByText('Préavis donné').first().waitFor();
  await page.getByText('Stage de fin d’études à Milan').first().waitFor();
  await check('contract (notice given)');
  await page.goto(`${BASE}/coordinator/contracts?status=CONTRACT_STATUS_NOTICE_GIVEN`);
  await page.getByRole('link', { name: 'Jeanne Martin et Inès Moreau' }).waitFor();
  await check('contracts (notice given)');

  say('a student without an account: the coordinator verifies her, applies on her behalf, withdraws it at her request');
  await navigate(() => page.getByRole('link', { name: 'Étudiants', exact: true }).click());
  await navigate(() => page.getByRole('link', { name: 'Camille Durand' }).click());
  await page.getByText('sans compte').first().waitFor();
  await check('student (pending)');
  await navigate(() => page.getByRole('button', { name: 'Vérifier cet étudiant' }).click());
  await flash('L’étudiant est vérifié.');
  await navigate(() => page.getByRole('link', { name: /^Modifier la fiche/ }).click());
  assert((await page.getByLabel('Téléphone').inputValue()) === '07 61 22 33 44', 'the form comes filled from her record');
  await check('student, edit');
  await page.getByLabel('Téléphone').fill('07 61 22 33 99');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer les changements' }).click());
  await flash('La fiche est enregistrée.');
  await page.getByText('07 61 22 33 99').first().waitFor();
  await page.getByLabel('Budget mensuel en euros').fill('250');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la demande' }).click());
  assert(await page.locator('#f-moveInDate-error').isVisible(), 'the missing date shows next to its field');
  await audit('student, application with errors');
  await page.getByLabel('Date d’arrivée souhaitée').fill(day(60));
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la demande' }).click());
  await flash('La demande est enregistrée');
  await page.locator('#applications ~ .table-wrap').getByText('Envoyée').first().waitFor();
  await check('student (applied on her behalf)');
  await navigate(() => page.getByRole('button', { name: 'Retirer la demande' }).click());
  await flash('La demande est retirée.');
  await page.locator('#applications ~ .table-wrap').getByText('Retirée').first().waitFor();
  await audit('student (application withdrawn)');

  say('an open-ended stay for the student without an account: a second room of the host with an account, no end date');
  await page.goto(`${BASE}/coordinator/hosts?q=Marcel`);
  await navigate(() => page.getByRole('link', { name: 'Marcel Blanc', exact: true }).click());
  const marcelURL = page.url();
  await page.getByLabel('Titre').fill('Petite chambre sur jardin');
  await page.getByLabel('Surface en m²').fill('11');
  await page.getByLabel('Participation mensuelle en euros').fill('100');
  await page.getByLabel('Disponible à partir du').fill(day(30));
  await navigate(() => page.getByRole('button', { name: 'Ajouter la chambre' }).click());
  await navigate(() => page.getByRole('button', { name: /^Publier.*Petite chambre sur jardin/ }).click());
  await flash('La chambre est publiée.');
  const gardenCandidates = BASE + (await page.getByRole('link', { name: /Voir les candidats.*Petite chambre sur jardin/ }).getAttribute('href'));
  // She applies again, open-ended: no move-out date.
  await page.goto(`${BASE}/coordinator/students?q=Camille`);
  await navigate(() => page.getByRole('link', { name: 'Camille Durand' }).click());
  const camilleURL = page.url();
  await page.getByLabel('Budget mensuel en euros').fill('250');
  await page.getByLabel('Date d’arrivée souhaitée').fill(day(60));
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la demande' }).click());
  await flash('La demande est enregistrée');
  await reloadUntil(gardenCandidates, () => page.getByRole('heading', { name: /Camille Durand/ }), 'the student without an account as a candidate');
  await navigate(() => page.getByRole('button', { name: /Proposer cette chambre/ }).first().click());
  await flash('La proposition est enregistrée.');
  await page.goto(`${BASE}/coordinator/matches`);
  await navigate(() => page.getByRole('link', { name: 'Marcel Blanc et Camille Durand' }).click());
  await page.getByLabel('Date de la rencontre').fill(`${day(2)}T10:00`);
  await navigate(() => page.getByRole('button', { name: 'Planifier' }).click());
  await flash('La rencontre est planifiée.');
  await navigate(() => page.getByRole('button', { name: 'Marcel Blanc accepte' }).click());
  await flash('L’accord est enregistré.');
  await navigate(() => page.getByRole('button', { name: 'Camille Durand accepte' }).click());
  await flash('L’accord est enregistré.');
  await verifyDocuments();
  await navigate(() => page.getByRole('button', { name: 'Approuver la mise en relation' }).click());
  await flash('La mise en relation est approuvée');
  await logout();

  say('the host with an account sees his second stay approved, then its draft');
  await login(host);
  await page.getByText('La mise en relation avec Camille Durand est validée.').or(page.getByText('L’association prépare votre convention avec Camille Durand')).first().waitFor();
  await audit('host home (second stay approved)');
  await logout();

  say('the draft has an end date although nobody gave one; its dates and presence are changed, then it is sent');
  await login(coordinator);
  await reloadUntil(`${BASE}/coordinator/contracts?status=CONTRACT_STATUS_DRAFT`, () => page.getByRole('link', { name: 'Marcel Blanc et Camille Durand' }), 'the open-ended draft');
  await navigate(() => page.getByRole('link', { name: 'Marcel Blanc et Camille Durand' }).click());
  const contract3URL = page.url();
  assert((await page.getByLabel('Fin de la convention').inputValue()) !== '', 'the draft proposes an end date');
  await check('contract (open-ended draft)');
  await page.getByLabel('Début du séjour').fill(day(70));
  await page.getByLabel('Fin de la convention').fill(day(70 + 180));
  await page.getByLabel('Soirées de présence par semaine').fill('3');
  await page.getByLabel('Heures de services par semaine').fill('2');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer les conditions' }).click());
  await flash('Les conditions sont enregistrées.');
  assert((await page.getByLabel('Début du séjour').inputValue()) === day(70), 'the new start date is kept');
  assert((await page.getByLabel('Soirées de présence par semaine').inputValue()) === '3', 'the new evenings are kept');
  await navigate(() => page.getByRole('button', { name: 'Envoyer pour signature' }).click());
  await flash('La convention est prête à signer.');
  await logout();

  say('the host with an account sees the contract to sign, and prefers paper');
  await login(host);
  await page.getByText('Votre convention est prête.').waitFor();
  await page.getByText('Votre coordinatrice peut l’imprimer et enregistrer votre signature.').first().waitFor();
  await audit('host home (second contract to sign)');
  await logout();

  say('the coordinator records the host’s paper signature and the student’s in person: the contract is active');
  await login(coordinator);
  await page.goto(contract3URL);
  await page.getByLabel('L’hôte', { exact: true }).check();
  await page.getByLabel(/Sur papier/).check();
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la signature', exact: true }).click());
  await flash('La signature est enregistrée.');
  await check('contract (host with an account signed on paper)');
  await page.getByLabel('L’étudiant', { exact: true }).check();
  await page.getByLabel(/En personne/).check();
  await navigate(() => page.getByRole('button', { name: 'Enregistrer la signature', exact: true }).click());
  await flash('La signature est enregistrée.');
  await page.getByText('En cours').first().waitFor();
  await check('contract (student without an account signed in person: active)');
  // She gives an email address, and is invited to create her account.
  await page.goto(camilleURL);
  await navigate(() => page.getByRole('link', { name: /^Modifier la fiche/ }).click());
  await page.getByLabel('Adresse e-mail').fill(camille.email);
  await navigate(() => page.getByRole('button', { name: 'Enregistrer les changements' }).click());
  await flash('La fiche est enregistrée.');
  await page.getByRole('heading', { name: 'Inviter à créer son compte' }).waitFor();
  await navigate(() => page.getByRole('button', { name: 'Créer l’invitation' }).click());
  await flash('L’invitation est créée');
  await logout();

  say('the host sees his second stay signed, with its arrival date');
  await login(host);
  await page.getByText('La convention est signée par vous deux. Camille Durand arrive le').waitFor();
  await audit('host home (second stay signed)');
  await logout();

  say('the student without an account follows her invitation’s link: her account claims her record and shows her stay');
  const link = await invitationLink(camille.email);
  await page.setViewportSize(phone);
  await page.goto(link);
  await page.getByText('Vous êtes invité·e par votre association').waitFor();
  await check('sign-up from an invitation (phone)');
  await page.getByLabel('Adresse e-mail').fill(camille.email);
  await page.getByLabel('Mot de passe').fill(camille.password);
  await navigate(() => page.getByRole('button', { name: /Créer mon compte/ }).click());
  await reloadUntil(`${BASE}/student`, () => page.getByText('Vous arrivez chez Marcel Blanc le'), 'her stay on her own page');
  await check('student home (claimed record, stay signed)');
  await logout();
  await page.setViewportSize(desktop);
  await login(coordinator);

  say('the assisted host calls with a new number: the coordinator corrects her record');
  await page.goto(assistedHostURL);
  await navigate(() => page.getByRole('link', { name: /^Modifier la fiche/ }).click());
  assert((await page.getByLabel('Téléphone').inputValue()) === '06 12 34 56 78', 'the form comes filled from her record');
  await check('host, edit');
  await page.getByLabel('Téléphone').fill('04 72 10 20 30');
  await navigate(() => page.getByRole('button', { name: 'Enregistrer les changements' }).click());
  await flash('La fiche est enregistrée.');
  await page.getByText('04 72 10 20 30').first().waitFor();

  say('a host goes to hospital: the coordinator suspends her with why, then reinstates her');
  await page.goto(`${BASE}/coordinator/hosts?q=Odette`);
  await navigate(() => page.getByRole('link', { name: 'Odette Roux', exact: true }).click());
  await page.locator('summary', { hasText: 'Suspendre cet hôte' }).click();
  await page.getByLabel('Pourquoi ?').fill('Hospitalisée pour deux mois.');
  await navigate(() => page.getByRole('button', { name: 'Suspendre', exact: true }).click());
  await flash('L’hôte est suspendu.');
  await check('host (suspended)');
  await navigate(() => page.getByRole('button', { name: 'Rétablir cet hôte' }).click());
  await flash('L’hôte est rétabli.');
  await logout();
} catch (e) {
  try { await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true }); } catch { /* the page may be gone */ }
  console.error(`\nFAILED at step ${step}: ${e.stack || e}`);
  console.error(`(failure screenshot: ${path.join(SHOTS, 'failure.png')})`);
  await context.close();
  process.exit(1);
}
await context.close();

// ---------------------------------------------------------------- summary
const serious = audits.flatMap((a) => a.violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => `${a.page} [${a.lang}] ${v.id} (${v.impact}): ${v.help} — ${v.targets.join(' | ')}`));
const other = audits.flatMap((a) => a.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical'));
writeFileSync(path.join(SHOTS, 'axe-report.json'), JSON.stringify(audits, null, 2) + '\n');
console.log(`\naxe-core: ${audits.length} page audits (${audits.filter((a) => a.lang === 'fr').length} French, ${audits.filter((a) => a.lang === 'en').length} English); serious or critical: ${serious.length}; moderate or minor: ${other.length}`);
console.log(`journey: ${((Date.now() - started) / 1000).toFixed(1)}s in the browser`);
console.log(`keyboard: ${keyboardStops} Tab stops over ${audits.length} pages; problems: ${keyboardProblems.length}`);
let failed = false;
if (keyboardProblems.length) {
  console.error('\nKeyboard problems:\n  ' + keyboardProblems.join('\n  '));
  failed = true;
}
if (serious.length) {
  console.error('\nSerious or critical accessibility violations:\n  ' + serious.join('\n  '));
  failed = true;
}
if (complaints.length) {
  console.error('\nThe browser complained:\n  ' + complaints.join('\n  '));
  failed = true;
}
process.exit(failed ? 1 : 0);
