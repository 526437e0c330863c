// Progressive enhancement of the questionnaire (it works without this script):
// - keeps a draft on this phone while the person answers, restored if the page reloads within
//   12 hours, cleared once sent or by "clear my answers", so the next person on a shared tablet
//   never sees it;
// - sends in the background; if the connection drops, says so plainly, keeps the answers and
//   resends them by itself when the connection returns (or, when the service is busy or the
//   database briefly down, after the time the server asks for), with the same submission id, so
//   the server stores them once.
(function () {
  "use strict";
  var DRAFT_LIFETIME_MS = 12 * 60 * 60 * 1000;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKey(code) {
    return "tsunagari-draft:" + code;
  }

  // The thank-you page: whichever way the answers were sent, their draft goes.
  var sent = document.querySelector("[data-sent-survey]");
  if (sent) {
    var sentStore = storage();
    if (sentStore) sentStore.removeItem(draftKey(sent.getAttribute("data-sent-survey")));
    return;
  }

  var form = document.querySelector("form[data-survey]");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var key = draftKey(form.getAttribute("data-survey"));
  // A preview keeps no draft: nothing typed into it is an attendee's.
  var preview = form.hasAttribute("data-preview");
  function draftStore() { return preview ? null : storage(); }
  var status = document.getElementById("send-status");
  var button = form.querySelector("button[type=submit]");
  var ja = document.documentElement.lang !== "en";
  var messages = {
    sending: ja ? "送信しています…" : "Sending…",
    offline: ja
      ? "通信が切れているため、まだ送信できていません。回答はこの端末に保存してあります。通信が戻ると自動で送信しますので、このページを開いたままお待ちください。"
      : "You seem to be offline, so your answers have not been sent yet. They are saved on this phone and will be sent automatically when the connection returns. Please keep this page open.",
    busy: ja
      ? "ただいま混み合っているため、まだ送信できていません。回答はこの端末に保存してあります。少し後に自動で送信しますので、このページを開いたままお待ちください。"
      : "The service is busy, so your answers have not been sent yet. They are saved on this phone and will be sent again automatically in a moment. Please keep this page open.",
    failed: ja
      ? "申し訳ありません。こちらの側で問題が起きたため、送信できませんでした。回答はこの端末に保存してあります。時間をおいて、もう一度「送信する」を押してください。"
      : "We are sorry: something went wrong on our side, so your answers were not sent. They are saved on this phone. Please press Send again later.",
    restored: ja ? "前回の入力内容を復元しました。" : "Your earlier answers have been restored.",
    cleared: ja ? "入力内容を消去しました。" : "Your answers have been cleared."
  };
  var retryTimer = null;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "submit" && el.name !== "lang";
    });
  }

  function save() {
    var store = draftStore();
    if (!store) return;
    var data = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else {
        data[el.name] = [el.value];
      }
    });
    var draft = { savedAt: Date.now(), fields: data };
    try { store.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full or blocked */ }
  }

  function restore() {
    var store = draftStore();
    var raw = store && store.getItem(key);
    if (!raw) return false;
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { draft = null; }
    if (!draft || !draft.fields || !(Date.now() - draft.savedAt < DRAFT_LIFETIME_MS)) {
      clear();
      return false;
    }
    var data = draft.fields;
    fields().forEach(function (el) {
      var values = data[el.name];
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = !!values && values.indexOf(el.value) >= 0;
      } else if (values) {
        el.value = values[0];
      }
    });
    return true;
  }

  function clear() {
    var store = draftStore();
    if (store) store.removeItem(key);
  }

  function say(text) {
    if (!status) return;
    status.hidden = !text;
    status.textContent = text || "";
  }

  function send() {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    say(messages.sending);
    button.disabled = true;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok && response.url.indexOf("/thanks") >= 0) {
          clear();
          window.location.assign(response.url);
          return;
        }
        // Busy or briefly unavailable: keep the answers here and send again when told to.
        if (response.status === 503 || response.status === 429) {
          var wait = parseInt(response.headers.get("Retry-After"), 10);
          button.disabled = false;
          say(messages.busy);
          retryTimer = setTimeout(send, (wait > 0 ? Math.min(wait, 60) : 5) * 1000);
          return;
        }
        // A failure on the service's side: keep the answers, and leave the next send to the
        // person (sending again at once would fail again).
        if (response.status >= 500) {
          button.disabled = false;
          say(messages.failed);
          return;
        }
        // Answers to fix, or the event has closed: let the browser post the form itself so the
        // server's page (answers kept, each problem by its question) replaces this one.
        button.disabled = false;
        HTMLFormElement.prototype.submit.call(form);
      })
      .catch(function () {
        button.disabled = false;
        say(messages.offline);
        retryTimer = setTimeout(send, 5000);
      });
  }

  var clearButton = document.getElementById("clear-answers");
  if (clearButton) {
    clearButton.hidden = false;
    clearButton.addEventListener("click", function () {
      fields().forEach(function (el) {
        if (el.type === "radio" || el.type === "checkbox") el.checked = false;
        else if (el.type !== "hidden") el.value = "";
      });
      clear();
      applyRules();
      say(messages.cleared);
    });
  }

  // A long list (the agencies) narrows to the names containing what is typed.
  Array.prototype.forEach.call(form.querySelectorAll(".choice-search"), function (search) {
    search.hidden = false;
    var choices = search.parentNode.querySelectorAll(".choice");
    search.addEventListener("input", function () {
      var wanted = search.value.normalize("NFKC").trim().toLowerCase();
      Array.prototype.forEach.call(choices, function (choice) {
        var text = choice.textContent.normalize("NFKC").toLowerCase();
        choice.hidden = !!wanted && text.indexOf(wanted) < 0 && !choice.querySelector("input").checked;
      });
    });
  });

  // Skip logic: a question whose rule (data-relevant, the server's parsed rule) does not hold is
  // hidden and its inputs disabled, so it is neither sent nor read by later rules. Comparisons
  // follow XPath: with a number on either side, or for <, <=, >, >=, both sides are numbers
  // (unanswered is NaN); otherwise texts, unanswered being ''.
  var conditional = Array.prototype.map.call(form.querySelectorAll("[data-relevant]"), function (block) {
    var note = block.querySelector(".when");
    if (note) note.hidden = true;
    return { block: block, rule: JSON.parse(block.getAttribute("data-relevant")) };
  });

  function answerOf(question) {
    var values = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== "q." + question || el.disabled) return;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) values.push(el.value);
      } else if (el.value.trim() !== "") {
        values.push(el.value.trim());
      }
    });
    return values;
  }

  function operand(o) {
    if (o.kind === "answer") return { text: answerOf(o.question)[0] || "" };
    if (o.kind === "count_selected") return { number: answerOf(o.question).length };
    if (o.kind === "number") return { number: o.value };
    return { text: o.value };
  }

  function asNumber(value) {
    if ("number" in value) return value.number;
    return value.text === "" ? NaN : Number(value.text);
  }

  function holds(c) {
    if (c.op === "and") return c.all.every(holds);
    if (c.op === "or") return c.any.some(holds);
    if (c.op === "not") return !holds(c.condition);
    if (c.op === "selected") return answerOf(c.question).indexOf(c.value) >= 0;
    var left = operand(c.left), right = operand(c.right);
    var numeric = "number" in left || "number" in right || (c.cmp !== "eq" && c.cmp !== "ne");
    var a = numeric ? asNumber(left) : left.text, b = numeric ? asNumber(right) : right.text;
    if (c.cmp === "eq") return a === b;
    if (c.cmp === "ne") return a !== b;
    if (c.cmp === "lt") return a < b;
    if (c.cmp === "le") return a <= b;
    if (c.cmp === "gt") return a > b;
    return a >= b;
  }

  // In page order, so each rule reads earlier questions already shown or hidden.
  function applyRules() {
    conditional.forEach(function (item) {
      // A question inside a hidden section stays hidden whatever its own rule says.
      var outer = item.block.parentElement && item.block.parentElement.closest("[data-relevant]");
      var applies = !(outer && outer.hidden) && holds(item.rule);
      item.block.hidden = !applies;
      Array.prototype.forEach.call(item.block.querySelectorAll("input, select, textarea"), function (el) {
        el.disabled = !applies;
      });
    });
  }

  if (restore()) say(messages.restored);
  applyRules();
  form.addEventListener("input", applyRules);
  form.addEventListener("change", applyRules);
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    save();
    send();
  });
  window.addEventListener("online", function () {
    if (retryTimer) send();
  });
})();
