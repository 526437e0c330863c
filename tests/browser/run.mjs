// Browser checks, run by tests/api/browser.rs against a live service (see there for the set-up):
// the phone form at 390x844 (draft kept across a reload, a send that fails offline and succeeds
// when the connection returns, the accessibility audit), and the dashboard (sign in, read a
// breakdown, a programme year run from the pages alone). Screenshots go to SCREENSHOTS. Exits
// non-zero with a message on the first failure.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdirSync, readFileSync } from "node:fs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const { BASE_URL, EVENT_CODE, EVENT_ID, LATER_CODE, LATER_ID, RULED_CODE, ANALYST_TOKEN, ADMIN_TOKEN, SCREENSHOTS,
  PAST_ID, PAPER_FILE, PAPER_BROKEN_FILE } = process.env;
mkdirSync(SCREENSHOTS, { recursive: true });

// The audit injects axe-core, which the pages' Content-Security-Policy rightly refuses.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync"],
});

/** Fails on any serious or critical accessibility violation. */
async function audit(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`), [],
    `accessibility violations on ${what}`);
}

/** Waits for a form's answer to land on `pattern`, or fails with what the page says is wrong. */
async function landed(page, pattern) {
  await page.waitForURL(pattern, { timeout: 10000 }).catch(() => {});
  if (!pattern.test(page.url())) {
    const errors = await page.locator("[role=alert], p.error").allTextContents();
    throw new Error(`stayed on ${page.url()}: ${errors.join(" / ")}`);
  }
}

async function step(name, run) {
  try {
    await run();
    console.log(`ok   ${name}`);
  } catch (error) {
    console.error(`FAIL ${name}\n${error.stack || error}`);
    await browser.close();
    process.exit(1);
  }
}

const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, bypassCSP: true });
const form = await phone.newPage();
const formUrl = `${BASE_URL}/s/${EVENT_CODE}`;

await step("the phone form reads well at 390 and 360 px and passes the audit in Japanese and English", async () => {
  await form.goto(formUrl);
  assert.equal(await form.locator("h1").textContent(), "依存症フォーラム");
  for (const width of [390, 360]) {
    await form.setViewportSize({ width, height: 844 });
    const overflow = await form.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `at ${width}px the page scrolls sideways by ${overflow}px`);
  }
  // At 360 px: the event's questions first with their progress, the attributes last, genders in
  // two columns, the twelve occupations in the phone's own picker.
  const steps = await form.locator(".step").allTextContents();
  assert.deepEqual(steps.slice(0, 2), ["1 / 9", "2 / 9"]);
  const firstLegend = await form.locator("legend").first().textContent();
  assert.match(firstLegend, /満足度/);
  const aboutYou = await form.locator("#about-you").boundingBox();
  const satisfaction = await form.locator("#q-satisfaction").boundingBox();
  assert.ok(aboutYou.y > satisfaction.y, "the attributes come after the event's questions");
  const [left, right] = await Promise.all([0, 1].map((i) => form.locator("#q-gender .choice").nth(i).boundingBox()));
  assert.ok(Math.abs(left.y - right.y) < 2 && right.x > left.x, "genders side by side");
  assert.equal(await form.locator("#q-occupation-input option").count(), 13);
  await form.setViewportSize({ width: 390, height: 844 });
  // The whole form in about two phone screens (844 px each, the address bar aside).
  const height = await form.evaluate(() => document.documentElement.scrollHeight);
  console.log(`the phone form is ${height} px high at 390 px (${(height / 844).toFixed(2)} screens)`);
  await form.screenshot({ path: `${SCREENSHOTS}/phone-form.png`, fullPage: true });
  assert.ok(height <= 2.5 * 844, `the phone form is ${height} px high`);
  await audit(form, "the phone form (ja)");
  await form.goto(`${formUrl}?lang=en`);
  await audit(form, "the phone form (en)");
  await form.screenshot({ path: `${SCREENSHOTS}/phone-form-en.png`, fullPage: true });
});

await step("a draft survives a reload", async () => {
  await form.goto(formUrl);
  await form.locator('input[name="q.gender"][value="female"]').check();
  await form.locator('input[name="q.satisfaction"][value="4"]').check();
  await form.locator('input[name="q.heard_from"][value="sns"]').check();
  await form.locator('select[name="q.occupation"]').selectOption("other");
  await form.locator('textarea[name="q.opinion"]').fill("また参加したいです");
  const id = await form.locator('input[name="submission_id"]').inputValue();
  await form.reload();
  assert.ok(await form.locator('input[name="q.gender"][value="female"]').isChecked());
  assert.ok(await form.locator('input[name="q.satisfaction"][value="4"]').isChecked());
  assert.ok(await form.locator('input[name="q.heard_from"][value="sns"]').isChecked());
  assert.equal(await form.locator('select[name="q.occupation"]').inputValue(), "other");
  assert.equal(await form.locator('textarea[name="q.opinion"]').inputValue(), "また参加したいです");
  assert.equal(await form.locator('input[name="submission_id"]').inputValue(), id, "the same submission id");
  assert.match(await form.locator("#send-status").textContent(), /復元/);
});

await step("a send that fails offline is kept and resent once the connection returns", async () => {
  await phone.setOffline(true);
  await form.locator('button[type="submit"]').click();
  await form.locator("#send-status", { hasText: "通信が切れている" }).waitFor();
  assert.ok(form.url().startsWith(formUrl), "still on the form");
  await form.screenshot({ path: `${SCREENSHOTS}/phone-form-offline.png`, fullPage: true });
  await audit(form, "the phone form while offline");
  await phone.setOffline(false);
  await form.waitForURL(/\/thanks/, { timeout: 20000 });
  await audit(form, "the thank-you page");
  await form.goto(formUrl);
  assert.ok(!(await form.locator('input[name="q.gender"][value="female"]').isChecked()), "the draft was cleared");
});

await step("a send refused while the service is busy is kept and resent when the server says", async () => {
  await form.goto(formUrl);
  await form.locator('input[name="q.satisfaction"][value="3"]').check();
  let refused = 0;
  await form.route(formUrl, (route) => {
    if (route.request().method() === "POST" && refused === 0) {
      refused += 1;
      return route.fulfill({ status: 503, headers: { "Retry-After": "1" }, body: "busy" });
    }
    return route.continue();
  });
  await form.locator('button[type="submit"]').click();
  await form.locator("#send-status", { hasText: "混み合って" }).waitFor();
  await form.waitForURL(/\/thanks/, { timeout: 20000 });
  await form.unroute(formUrl);
  assert.equal(refused, 1);
});

await step("clear my answers removes them from the screen and from this phone", async () => {
  await form.goto(formUrl);
  await form.locator('input[name="q.gender"][value="female"]').check();
  await form.locator('textarea[name="q.opinion"]').fill("共有の端末です");
  await form.locator("#clear-answers").click();
  assert.ok(!(await form.locator('input[name="q.gender"][value="female"]').isChecked()));
  assert.equal(await form.locator('textarea[name="q.opinion"]').inputValue(), "");
  await form.reload();
  assert.ok(!(await form.locator('input[name="q.gender"][value="female"]').isChecked()), "nothing restored");
  assert.equal(await form.locator('textarea[name="q.opinion"]').inputValue(), "");
});

await step("a draft older than 12 hours is not restored", async () => {
  await form.goto(formUrl);
  await form.locator('input[name="q.gender"][value="male"]').check();
  await form.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("tsunagari-draft:"));
    const draft = JSON.parse(localStorage.getItem(key));
    draft.savedAt = Date.now() - 13 * 60 * 60 * 1000;
    localStorage.setItem(key, JSON.stringify(draft));
  });
  await form.reload();
  assert.ok(!(await form.locator('input[name="q.gender"][value="male"]').isChecked()), "an old draft is dropped");
  assert.equal(await form.evaluate(() => Object.keys(localStorage).length), 0);
});

await step("answers to fix come back with each problem by its question", async () => {
  await form.goto(formUrl);
  await form.locator('input[name="q.gender"][value="male"]').check();
  await form.locator('button[type="submit"]').click();
  await form.locator("#error-summary").waitFor();
  assert.ok(await form.locator('input[name="q.gender"][value="male"]').isChecked(), "answers kept");
  // Each link of the summary lands on its question.
  await form.locator('#error-summary a[href="#q-satisfaction"]').click();
  await form.waitForFunction(() => location.hash === "#q-satisfaction");
  const landed = await form.locator("#q-satisfaction").boundingBox();
  assert.ok(landed.y >= -1 && landed.y < 844, `the question is on screen (y = ${landed.y})`);
  await audit(form, "the form with errors");
});

await step("the agency that referred a person is found by typing part of its name", async () => {
  for (const [slug, name, kind] of [["city-hospital", "市立病院 精神科", "medical"], ["darc", "地域のダルク", "recovery_facility"], ["probation", "保護観察所", "probation"]]) {
    const put = await fetch(`${BASE_URL}/api/v1/agencies/${slug}`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${ANALYST_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: { ja: name }, kind }),
    });
    assert.equal(put.status, 201);
  }
  await form.goto(formUrl);
  const search = form.locator("#q-referred_by .choice-search");
  assert.ok(await search.isVisible(), "the search box is shown with JavaScript");
  await search.fill("ダルク");
  const visible = await form.locator("#q-referred_by .choice:visible").allTextContents();
  assert.deepEqual(visible.map((t) => t.trim()), ["地域のダルク（回復支援施設）"]);
  await form.locator('input[name="q.referred_by"][value="darc"]').check();
  await search.fill("");
  assert.equal(await form.locator("#q-referred_by .choice:visible").count(), 3);
  await audit(form, "the form with the agency list");
  await form.locator("#clear-answers").click();
});

await step("a question shows only once the answers it depends on make it apply", async () => {
  const page = await phone.newPage();
  await page.goto(`${BASE_URL}/s/${RULED_CODE}`);
  const block = page.locator(".conditional");
  const count = page.locator("input[name='q.sessions_attended']");
  assert.equal(await block.isHidden(), true, "hidden until it applies");
  for (const note of await page.locator(".when").all()) assert.equal(await note.isHidden(), true, "the no-script notes go with the script");
  await page.getByLabel("ぜひ参加したい").check();
  assert.equal(await block.isVisible(), true);
  await count.fill("3");
  const comments = page.locator("section.form-section");
  const comment = page.locator("textarea[name='q.opinion']");
  assert.equal(await comments.isVisible(), true, "a section whose rule holds shows");
  await page.getByLabel("今回で十分").check();
  assert.equal(await block.isHidden(), true);
  assert.equal(await count.isDisabled(), true, "a hidden answer is neither sent nor read by later rules");
  assert.equal(await comments.isHidden(), true, "the section goes with its rule");
  assert.equal(await comment.isDisabled(), true, "and so do its questions");
  await page.getByLabel("機会があれば").check();
  assert.equal(await count.inputValue(), "3", "shown again, the answer given is still there");
  await audit(page, "the phone form with skip logic");
  await page.close();
});

await step("a send to an event cancelled meanwhile shows the kind page, not an error", async () => {
  await form.goto(`${BASE_URL}/s/${LATER_CODE}`);
  await form.locator('input[name="q.satisfaction"][value="3"]').check();
  const cancelled = await fetch(`${BASE_URL}/api/v1/events/${LATER_ID}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${ANALYST_TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ cancelled: true }),
  });
  assert.equal(cancelled.status, 200);
  await form.locator('button[type="submit"]').click();
  await form.locator("h1", { hasText: "回復セミナー" }).waitFor();
  await form.locator("text=中止").first().waitFor();
  await audit(form, "the cancelled-event page");
});

const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
const dashboard = await desk.newPage();

await step("an analyst signs in and reads a breakdown", async () => {
  await dashboard.goto(`${BASE_URL}/dashboard/login`);
  await audit(dashboard, "the sign-in page");
  await dashboard.locator("#token").fill(ANALYST_TOKEN);
  await dashboard.locator('button[type="submit"]').click();
  await dashboard.waitForURL(/\/dashboard\/events/);
  await audit(dashboard, "the events page");
  await dashboard.goto(`${BASE_URL}/dashboard/breakdown?form=forum&question=satisfaction&by=gender`);
  const women = dashboard.locator("tbody tr", { hasText: "女性" });
  assert.equal(await women.count(), 1);
  assert.match(await dashboard.locator("p.test").textContent(), /回答者 4 人.*近似は使えません.*モンテカルロ法/);
  assert.equal(await dashboard.locator("svg.stacked").count(), 1, "a scale is drawn as stacked bars");
  await dashboard.screenshot({ path: `${SCREENSHOTS}/breakdown.png`, fullPage: true });
  await audit(dashboard, "the breakdown page");
});

await step("a series is picked without writing iCalendar", async () => {
  await dashboard.goto(`${BASE_URL}/dashboard/events`);
  const series = dashboard.locator('form[action="/dashboard/series"]');
  await series.locator('select[name="kind"]').selectOption("study_session");
  await series.locator('input[name="title"]').fill("研修会");
  await series.locator('input[name="repeat"][value="monthly"]').check();
  await series.locator('select[name="weekday"]').selectOption("TU");
  for (const nth of ["nth2", "nth4"]) await series.locator(`input[name="${nth}"]`).uncheck();
  await series.locator('input[name="nth3"]').check();
  await series.locator('input[name="starts_on"]').fill("2026-04-01");
  await series.locator('input[name="ends_on"]').fill("2026-06-30");
  await series.locator('button[type="submit"]').click();
  await dashboard.waitForURL(/saved=series/);
  const events = await (await fetch(`${BASE_URL}/api/v1/events?kind=study_session`, {
    headers: { Authorization: `Bearer ${ANALYST_TOKEN}` },
  })).json();
  assert.deepEqual(events.events.map((e) => e.held_on), ["2026-04-21", "2026-05-19", "2026-06-16"]);
  await audit(dashboard, "the events page with the series picker");
  await dashboard.goto(`${BASE_URL}/dashboard/events/${LATER_ID}`);
  await dashboard.getByLabel("1人目の名前").fill("松本 先生");
  await dashboard.locator("#edit-speaker_type_0").selectOption("leading_expert");
  await dashboard.getByLabel("謝金").fill("50000");
  await audit(dashboard, "the event editor");
  await dashboard.getByRole("button", { name: "保存する" }).click();
  await dashboard.waitForURL(/saved=edited/);
  await dashboard.goto(`${BASE_URL}/dashboard/events/${LATER_ID}/delete`);
  await audit(dashboard, "the deletion's confirmation");
  await dashboard.goto(`${BASE_URL}/dashboard/events/${EVENT_ID}/paper`);
  await audit(dashboard, "paper entry");
  await dashboard.goto(`${BASE_URL}/dashboard/events/${LATER_ID}/paper`);
  await audit(dashboard, "paper entry refused for a cancelled event");
});

await step("the indicators, downloads and opinions pages pass the audit", async () => {
  await dashboard.goto(`${BASE_URL}/dashboard/indicators`);
  assert.equal(await dashboard.locator("section.card svg").count(), 1, "a target-versus-actual chart");
  await audit(dashboard, "the indicators page");
  await dashboard.getByRole("link", { name: "指標の計画を作る" }).click();
  await audit(dashboard, "the plan editor");
  await dashboard.getByLabel("識別子").fill("forum-attendance");
  await dashboard.getByLabel("指標の名前", { exact: true }).fill("フォーラムへの参加");
  await dashboard.getByLabel("指標の名前（英語）").fill("Forum attendance");
  await dashboard.getByLabel("フォーラム").check();
  await dashboard.getByLabel("想定対象者数（人）").fill("1000");
  await dashboard.getByLabel("1行目の年度").selectOption("2025");
  await dashboard.getByLabel("1行目の目標").fill("300");
  await dashboard.getByRole("button", { name: "保存する" }).click();
  await dashboard.waitForURL(/saved=plan/);
  await dashboard.goto(`${BASE_URL}/dashboard/indicator-plans/forum-attendance/considerations/2025`);
  await dashboard.locator("#consideration-text").fill("目標に届いた。\n\n- 早めに周知した");
  await dashboard.getByRole("button", { name: "プレビュー" }).click();
  assert.equal(await dashboard.locator("section li").first().textContent(), "早めに周知した");
  await audit(dashboard, "the considerations editor");
  await dashboard.goto(`${BASE_URL}/dashboard/indicators`);
  await dashboard.screenshot({ path: `${SCREENSHOTS}/indicators.png`, fullPage: true });
  await dashboard.goto(`${BASE_URL}/dashboard/downloads`);
  await audit(dashboard, "the downloads page");
  await dashboard.goto(`${BASE_URL}/dashboard/opinions?form=forum&by=relation`);
  await audit(dashboard, "the opinions page");
  // Every term links to its uses in context; the dictionary page offers compounds to accept.
  await dashboard.locator("table th[scope=row] a").first().click();
  await dashboard.waitForURL(/\/dashboard\/kwic/);
  assert.ok(await dashboard.locator("table.kwic mark").count() > 0, "the term in its sentences");
  await audit(dashboard, "the keyword-in-context page");
  await dashboard.goto(`${BASE_URL}/dashboard/text-dictionary?form=forum`);
  await audit(dashboard, "the text dictionary page");
  await dashboard.goto(`${BASE_URL}/dashboard/network?form=forum&by=relation&min_comments=1`);
  await audit(dashboard, "the co-occurrence network");
  await dashboard.goto(`${BASE_URL}/dashboard/correspondence?form=forum&by=relation&min_comments=1`);
  await audit(dashboard, "the correspondence map");
});

await step("the outreach and agencies pages pass the audit", async () => {
  for (const [held_on, format, headcount] of [["2026-04-09", "lecture", 14], ["2026-04-23", "free_talk", 6], ["2026-05-28", "free_talk", 8]]) {
    const created = await fetch(`${BASE_URL}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ANALYST_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "seminar", title: "回復セミナー", held_on, format, headcount }),
    });
    assert.equal(created.status, 201);
  }
  await dashboard.goto(`${BASE_URL}/dashboard/outreach?kind=seminar&by=format`);
  assert.match(await dashboard.locator(".finding").first().textContent(), /講演の回の参加者数は中央値14人/);
  assert.equal(await dashboard.locator("#trend ~ svg, section svg").count() >= 2, true, "the median chart and the trend");
  await audit(dashboard, "the outreach page");
  await dashboard.screenshot({ path: `${SCREENSHOTS}/outreach.png`, fullPage: true });
  await dashboard.goto(`${BASE_URL}/dashboard/agencies`);
  assert.equal(await dashboard.locator("tbody tr").count(), 3, "the agencies added earlier");
  await audit(dashboard, "the agencies page");
  await dashboard.goto(`${BASE_URL}/dashboard/waves`);
  await dashboard.getByLabel("調査の名前", { exact: true }).fill("第1回 関係機関調査");
  await dashboard.getByLabel("回答の受付開始日").fill("2026-06-01");
  await dashboard.getByLabel("回答の締切日").fill("2026-06-30");
  await dashboard.getByRole("button", { name: "作る" }).click();
  await dashboard.waitForURL(/saved=created/);
  await audit(dashboard, "the waves page");
});

await step("the forms page, a diff and a preview at 390 px pass the audit", async () => {
  await dashboard.goto(`${BASE_URL}/dashboard/forms`);
  assert.equal(await dashboard.locator("a[href='/api/v1/forms/seminar_with_rule/versions/1.xlsx']").count(), 1);
  await audit(dashboard, "the forms page");
  await dashboard.goto(`${BASE_URL}/dashboard/forms/seminar/diff?from=1&to=1`);
  await audit(dashboard, "a diff");
  const preview = await desk.newPage();
  await preview.setViewportSize({ width: 390, height: 844 });
  await preview.goto(`${BASE_URL}/dashboard/forms/seminar_with_rule/versions/1/preview`);
  assert.equal(await preview.locator("h1").textContent(), "回復セミナー アンケート");
  await audit(preview, "the preview");
  await preview.close();
  // In the dashboard, the preview is framed at a phone's width and behaves as the phone form.
  await dashboard.goto(`${BASE_URL}/dashboard/forms/seminar_with_rule/versions/1/phone`);
  const frame = dashboard.frameLocator("iframe.phone");
  assert.equal((await dashboard.locator("iframe.phone").boundingBox()).width, 390);
  assert.equal(await frame.locator(".conditional").isHidden(), true, "skip logic runs in the preview");
  await frame.getByLabel("ぜひ参加したい").check();
  assert.equal(await frame.locator(".conditional").isVisible(), true);
  assert.equal(await frame.locator("button[type=submit]").isDisabled(), true, "nothing is sent");
  await audit(dashboard, "the framed preview");
});

await step("the coding page and the printable evaluation report pass the audit", async () => {
  await dashboard.goto(`${BASE_URL}/dashboard/coding?codebook=starter&form=forum`);
  await audit(dashboard, "the coding page");
  await dashboard.goto(`${BASE_URL}/dashboard/codebooks/starter`);
  await audit(dashboard, "the codebook editor");
  await dashboard.goto(`${BASE_URL}/dashboard/indicators`);
  await dashboard.locator('button:has-text("報告書を開く")').click();
  await dashboard.waitForURL(/evaluation-report/);
  assert.match(await dashboard.locator("h1").textContent(), /効果検証/);
  await audit(dashboard, "the evaluation report");
  await dashboard.pdf({ path: `${SCREENSHOTS}/evaluation-report.pdf`, format: "A4" });
});

await step("the poster prints on A4", async () => {
  await dashboard.goto(`${BASE_URL}/events/${EVENT_ID}/poster`);
  await dashboard.emulateMedia({ media: "print" });
  await dashboard.setViewportSize({ width: 794, height: 1123 });
  await dashboard.screenshot({ path: `${SCREENSHOTS}/poster.png`, fullPage: true });
  assert.equal(await dashboard.locator("svg").count(), 1, "one QR code");
});

await step("a programme year is run from the dashboard alone", async () => {
  // No API call in this step: everything staff do goes through the pages.
  const office = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, acceptDownloads: true });
  const staff = await office.newPage();
  await staff.goto(`${BASE_URL}/dashboard/login`);
  await staff.locator("#token").fill(ANALYST_TOKEN);
  await staff.locator('button[type="submit"]').click();
  await staff.waitForURL(/\/dashboard\/events/);

  // A plan with its target, the reason for the indicator and the method's texts.
  await staff.goto(`${BASE_URL}/dashboard/indicators`);
  await staff.getByRole("link", { name: "指標の計画を作る" }).click();
  await staff.getByLabel("識別子").fill("walk-seminar");
  await staff.getByLabel("指標の名前", { exact: true }).fill("回復セミナーへの参加（通年）");
  await staff.getByLabel("指標の名前（英語）").fill("Seminar attendance");
  await staff.getByLabel("回復セミナー").check();
  await staff.getByLabel("想定対象者数（人）").fill("500");
  await staff.getByLabel("1行目の年度").selectOption("2026");
  await staff.getByLabel("1行目の目標").fill("40");
  await staff.getByLabel("成果指標設定理由").fill("回復セミナーに参加する人が増えることが、回復の支えにつながるため。");
  await staff.getByRole("button", { name: "保存する" }).click();
  await landed(staff, /saved=plan/);

  // A seminar series on the second and fourth Thursdays of September and October.
  await staff.goto(`${BASE_URL}/dashboard/events`);
  const series = staff.locator('form[action="/dashboard/series"]');
  await series.locator('select[name="kind"]').selectOption("seminar");
  await series.locator('input[name="title"]').fill("回復セミナー（通年）");
  await series.locator('input[name="repeat"][value="monthly"]').check();
  await series.locator('select[name="weekday"]').selectOption("TH");
  for (const nth of ["nth2", "nth4"]) await series.locator(`input[name="${nth}"]`).check();
  await series.locator('input[name="starts_on"]').fill("2026-09-01");
  await series.locator('input[name="ends_on"]').fill("2026-10-31");
  await series.locator('button[type="submit"]').click();
  await landed(staff, /saved=series/);
  await staff.goto(`${BASE_URL}/dashboard/events?fiscal_year=2026`);
  const row = (date) => staff.locator("tbody tr", { hasText: date }).filter({ hasText: "回復セミナー（通年）" });
  assert.equal(await staff.locator("tbody tr", { hasText: "回復セミナー（通年）" }).count(), 4);

  // One session is cancelled, with its reason.
  await row("2026-09-24").getByRole("link", { name: /を編集/ }).click();
  await staff.getByLabel("中止の理由").fill("台風の接近により中止");
  await staff.getByRole("button", { name: "中止にする" }).click();
  await landed(staff, /saved=cancelled/);
  assert.match(await row("2026-09-24").textContent(), /中止.*台風の接近により中止/s);

  // Another is held: headcount, a speaker, a cost and its publicity.
  await row("2026-09-10").getByRole("link", { name: /を編集/ }).click();
  await staff.getByLabel("参加者数（人）").fill("12");
  await staff.getByLabel("1人目の名前").fill("回復支援員 山田");
  await staff.locator("#edit-speaker_type_0").selectOption("lived_experience");
  await staff.getByLabel("謝金").fill("10000");
  await staff.getByRole("button", { name: "保存する" }).click();
  await landed(staff, /saved=edited/);
  await row("2026-09-10").getByRole("link", { name: /を編集/ }).click();
  await staff.getByLabel("媒体").selectOption("sns");
  await staff.getByLabel("送付日・掲載日").fill("2026-09-01");
  await staff.getByLabel("費用（円）").fill("0");
  await staff.getByRole("button", { name: "記録する" }).click();
  await landed(staff, /saved=publicity/);
  assert.equal(await staff.locator("#publicity tbody tr").count(), 1);

  // Paper: three questionnaires of a past session keyed in, then ten imported from the template.
  await staff.goto(`${BASE_URL}/dashboard/events/${PAST_ID}`);
  await staff.getByRole("link", { name: "1枚ずつ入力する" }).click();
  for (const satisfaction of ["5", "4", "3"]) {
    await staff.locator(`input[name="q.satisfaction"][value="${satisfaction}"]`).check();
    await staff.locator('button[type="submit"]').click();
    await landed(staff, /saved=1/);
  }
  await staff.goto(`${BASE_URL}/dashboard/events/${PAST_ID}`);
  const [download] = await Promise.all([
    staff.waitForEvent("download"),
    staff.getByRole("link", { name: "テンプレート（Excel）をダウンロード" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  await staff.locator("#paper-workbook").setInputFiles(PAPER_BROKEN_FILE);
  await staff.getByRole("button", { name: "取り込む" }).click();
  assert.match(await staff.locator("div[role=alert]").textContent(), /1件も保存していません/);
  await audit(staff, "a refused paper import");
  await staff.locator("#paper-workbook").setInputFiles(PAPER_FILE);
  await staff.getByRole("button", { name: "取り込む" }).click();
  await landed(staff, /imported=10/);
  assert.match(await staff.locator("p.notice").textContent(), /10 件を取り込みました/);
  await audit(staff, "the event page after an import");

  // An agency-survey wave, the year's considerations and a codebook.
  await staff.goto(`${BASE_URL}/dashboard/waves`);
  await staff.getByLabel("調査の名前", { exact: true }).fill("第2回 関係機関調査");
  await staff.getByLabel("回答の受付開始日").fill("2026-11-01");
  await staff.getByLabel("回答の締切日").fill("2026-11-30");
  await staff.getByRole("button", { name: "作る" }).click();
  await landed(staff, /saved=created/);
  await staff.goto(`${BASE_URL}/dashboard/indicator-plans/walk-seminar/considerations/2026`);
  await staff.locator("#consideration-text").fill("台風で1回中止したが、フリートークの回は参加が安定した。\n\n- SNSでの周知を続ける");
  await staff.getByRole("button", { name: "保存する" }).click();
  await landed(staff, /saved=1/);
  await staff.goto(`${BASE_URL}/dashboard/codebooks/new`);
  await audit(staff, "a new codebook");
  await staff.getByLabel("識別子", { exact: true }).fill("walk-2026");
  await staff.getByLabel("名前", { exact: true }).fill("通年セミナーの意見");
  await staff.getByLabel("テーマ名 1", { exact: true }).fill("フリートークがよかった");
  await staff.getByLabel("キーワード 1").fill("フリートーク、話せた");
  await staff.getByRole("button", { name: "新しい版として保存する" }).click();
  await landed(staff, /codebooks\?saved=1/);

  // The evaluation report shows what was entered.
  await staff.goto(`${BASE_URL}/dashboard/evaluation-report?from_fiscal_year=2026&to_fiscal_year=2026`);
  const report = await staff.locator("body").textContent();
  for (const expected of ["回復セミナーへの参加（通年）", "回復セミナーに参加する人が増える", "フリートークの回は参加が安定した", "SNSでの周知を続ける", "SNS"]) {
    assert.ok(report.includes(expected), `the report shows ${expected}`);
  }
  await staff.screenshot({ path: `${SCREENSHOTS}/walk-report.png`, fullPage: true });

  // The results report to file: the programme's profile, then the report from the year's records.
  await staff.goto(`${BASE_URL}/dashboard/indicators`);
  await staff.getByRole("link", { name: /成果報告書/ }).click();
  await audit(staff, "the results report page");
  await staff.getByLabel("事業実施団体名").fill("つながり市");
  await staff.getByLabel("事業名称").fill("薬物依存症者の地域支援事業");
  await staff.getByLabel("最終成果物").fill("啓発リーフレット\n支援者向け手引き");
  await staff.getByRole("button", { name: "保存する" }).click();
  await landed(staff, /programme\?saved=1/);
  await audit(staff, "the results report page, saved");
  await staff.getByLabel("最初の年度").selectOption("2026");
  await staff.getByLabel("最後の年度").selectOption("2026");
  await staff.getByRole("button", { name: "報告書を作る" }).click();
  await staff.waitForURL(/programme-report/);
  const filed = await staff.locator("body").textContent();
  for (const expected of ["薬物依存症者の地域支援事業成果報告書", "つながり市", "取組内容①", "【開催状況】", "支援者向け手引き", "SNSでの周知を続ける"]) {
    assert.ok(filed.includes(expected), `the results report shows ${expected}`);
  }
  await staff.pdf({ path: `${SCREENSHOTS}/results-report.pdf`, format: "A4" });
  await office.close();
});

await step("an administrator makes and revokes a token, and reads the audit log", async () => {
  const office = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const admin = await office.newPage();
  await admin.goto(`${BASE_URL}/dashboard/login`);
  await admin.locator("#token").fill(ADMIN_TOKEN);
  await admin.locator('button[type="submit"]').click();
  await admin.waitForURL(/\/dashboard\/events/);
  await admin.getByRole("link", { name: "トークン", exact: true }).click();
  await audit(admin, "the tokens page");
  await admin.getByLabel("名前").fill("研究班");
  await admin.getByLabel("役割").selectOption("researcher");
  await admin.getByRole("button", { name: "作る" }).click();
  const researcherToken = await admin.locator("#issued-token").inputValue();
  assert.match(researcherToken, /^tsu_/);
  await audit(admin, "the tokens page with a new token");
  // The researcher signs in with it to the pages of their own.
  const study = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const reader = await study.newPage();
  await reader.goto(`${BASE_URL}/dashboard/login`);
  await reader.locator("#token").fill(researcherToken);
  await reader.locator('button[type="submit"]').click();
  await reader.waitForURL(/\/research$/);
  await audit(reader, "the researchers' page");
  await reader.getByRole("navigation").getByRole("link", { name: "データの読み方" }).click();
  await audit(reader, "the guide to a release");
  await reader.goto(`${BASE_URL}/research/codebook/seminar`);
  await audit(reader, "a codebook");
  await study.close();
  await admin.getByRole("link", { name: "研究班のトークンを失効させる" }).click();
  await audit(admin, "the revocation's confirmation");
  await admin.getByRole("button", { name: "失効させる" }).click();
  await admin.waitForURL(/revoked=/);
  assert.match(await admin.locator("p.notice").textContent(), /失効させました/);
  await admin.goto(`${BASE_URL}/dashboard/audit-log`);
  await audit(admin, "the audit log");
  // The same pages in English, switched from the bar, and back.
  await admin.getByRole("link", { name: "English" }).click();
  await admin.waitForURL(/\/dashboard\/audit-log$/);
  assert.equal(await admin.locator("html").getAttribute("lang"), "en");
  await audit(admin, "the audit log in English");
  await admin.goto(`${BASE_URL}/dashboard/events`);
  assert.equal(await admin.getByRole("heading", { level: 1 }).first().textContent().then((t) => t.startsWith("Events")), true);
  await audit(admin, "the events page in English");
  await admin.getByRole("link", { name: "日本語" }).click();
  await admin.waitForURL(/\/dashboard\/events$/);
  assert.equal(await admin.locator("html").getAttribute("lang"), "ja");
  await office.close();
});

await browser.close();
