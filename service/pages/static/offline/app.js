/* The capture page's queue: every record is kept on the phone (IndexedDB) with its
   idempotency key from the moment it is captured, and sent, in the order captured, when
   the network is there. A record the service refuses is kept, with the reason, for
   correction; a record whose answer was lost is sent again with the same key and is
   recorded once. */
"use strict";

const STORE = "ban-ghi";
const offered = JSON.parse(document.getElementById("du-lieu").textContent);
const queue = document.getElementById("hang-doi");
const network = document.getElementById("mang");
const KIND_WORDS = { receipt: "Phiếu thu", payment: "Phiếu chi", stage: "Giai đoạn nhà" };
let sending = false;

function openStore() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open("sovang-ngoai-tuyen", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function inStore(mode, work) {
  const db = await openStore();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

const all = async () =>
  ((await inStore("readonly", (s) => s.getAll())) || []).sort((a, b) => a.seq - b.seq);
const save = (record) => inStore("readwrite", (s) => s.put(record));
const forget = (key) => inStore("readwrite", (s) => s.delete(key));

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${two(now.getDate())}/${two(now.getMonth() + 1)}/${now.getFullYear()}`;
}

function fillForms() {
  const named = {
    funds: offered.funds.map((f) => [f.id, f.name]),
    houses: offered.houses.map((h) => [h.id, `Nhà duyệt ${h.approved_on.split("-").reverse().join("/")} (${offered.stages[h.stage] || "đã duyệt"})`]),
    categories: Object.entries(offered.categories),
    stages: Object.entries(offered.stages),
  };
  for (const select of document.querySelectorAll("select[data-options]")) {
    for (const [value, text] of named[select.dataset.options]) {
      select.add(new Option(text, value));
    }
  }
  for (const input of document.querySelectorAll("input[data-today]")) input.value = today();
}

function describe(record) {
  const body = record.body;
  if (record.kind === "stage") {
    return `${KIND_WORDS.stage}: ${offered.stages[body.stage] || body.stage}, ngày ${body.on}`;
  }
  const fund = (offered.funds.find((f) => f.id === body.fund_id) || {}).name || "";
  const who = body.donor_name ? ` · ${body.donor_name}` : "";
  return `${KIND_WORDS[record.kind]}: ${body.amount} đồng, ngày ${body.occurred_on} · ${fund}${who}`;
}

function stateText(record) {
  if (record.state === "recorded") {
    const slip = record.answer.slip_ref ? ` · số ${record.answer.slip_ref}` : "";
    const pending = record.answer.status === "pending" ? " · chờ người duyệt" : "";
    return `Đã vào sổ (vị trí ${record.answer.position})${slip}${pending}`;
  }
  if (record.state === "refused") return `Bị từ chối: ${record.problem}`;
  return "Chờ đồng bộ";
}

/* Each render reads the records, builds the whole list, then puts it in place at once,
   after the render asked before it: the list is never seen empty or half built while the
   records are read, and an older reading never replaces a newer one. */
let rendered = Promise.resolve();

function render() {
  rendered = rendered.then(draw, draw);
  return rendered;
}

async function draw() {
  const items = [];
  for (const record of await all()) {
    const item = document.createElement("li");
    item.dataset.state = record.state;
    item.dataset.kind = record.kind;
    const what = document.createElement("span");
    what.textContent = describe(record);
    const state = document.createElement("strong");
    state.className = "trang-thai";
    state.textContent = ` — ${stateText(record)}`;
    item.append(what, state);
    if (record.kind === "receipt" && record.state === "recorded" && record.answer.slip_url) {
      const link = document.createElement("a");
      link.href = record.answer.slip_url;
      link.textContent = " In phiếu thu";
      item.append(link);
    } else if (record.kind === "receipt" && record.state !== "refused") {
      item.append(button("In phiếu tạm", () => showSlip(record)));
    }
    if (record.state === "refused") item.append(button("Sửa", () => correct(record)));
    items.push(item);
  }
  queue.replaceChildren(...items);
}

function button(text, action) {
  const made = document.createElement("button");
  made.type = "button";
  made.textContent = text;
  made.addEventListener("click", action);
  return made;
}

function showSlip(record) {
  const body = record.body;
  const slip = document.getElementById("phieu-tam");
  document.getElementById("phieu-so").textContent = "chờ đồng bộ";
  document.getElementById("phieu-quy").textContent =
    (offered.funds.find((f) => f.id === body.fund_id) || {}).name || "";
  document.getElementById("phieu-ten").textContent = body.donor_name || "Ẩn danh";
  document.getElementById("phieu-tien").textContent = body.amount;
  document.getElementById("phieu-ngay").textContent = body.occurred_on;
  document.getElementById("phieu-noi-dung").textContent = body.note || "";
  slip.hidden = false;
  slip.scrollIntoView();
}

async function correct(record) {
  const form = document.getElementById(`form-${record.kind}`);
  for (const [name, value] of Object.entries(record.body)) {
    if (form.elements[name]) form.elements[name].value = value;
  }
  await forget(record.key);
  await render();
  const field = record.field && form.elements[record.field];
  (field || form.elements[0]).focus();
}

async function capture(event) {
  event.preventDefault();
  const form = event.target;
  const body = Object.fromEntries(new FormData(form).entries());
  const record = {
    key: newKey(),
    seq: Date.now() + Math.random(),
    kind: form.dataset.kind,
    body: { kind: form.dataset.kind, ...body },
    state: "queued",
  };
  /* The form is emptied now, as it is read, not once the record is kept: what is typed
     for the next record while the phone is still keeping this one must stay typed. */
  const typed = [...form.querySelectorAll("input:not([data-today])")];
  typed.forEach((input) => (input.value = ""));
  try {
    await save(record);
  } catch (error) {
    for (const input of typed) if (!input.value) input.value = body[input.name] || "";
    network.textContent = "Không lưu được bản ghi trên máy này: hãy bấm Ghi lại.";
    return;
  }
  await render();
  send();
}

async function freshToken() {
  const answer = await fetch("phien", { credentials: "same-origin", cache: "no-store" });
  const type = answer.headers.get("Content-Type") || "";
  if (answer.redirected || !type.includes("json")) throw new Error("login");
  return (await answer.json()).csrf_token;
}

async function send() {
  if (sending || !navigator.onLine) return;
  sending = true;
  try {
    const waiting = (await all()).filter((r) => r.state === "queued");
    if (!waiting.length) return;
    const token = await freshToken();
    for (const record of waiting) {
      const answer = await fetch("gui", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "X-CSRFToken": token,
          "Idempotency-Key": record.key,
        },
        body: JSON.stringify(record.body),
      });
      const type = answer.headers.get("Content-Type") || "";
      if (answer.ok) {
        record.state = "recorded";
        record.answer = await answer.json();
      } else if (
        /* A refusal of the record itself; not a token the session no longer knows (400,
           a new one is asked for at the next sending), too many requests, or an answer
           that asks to try again later (Retry-After). */
        type.includes("problem+json") &&
        answer.status < 500 &&
        ![400, 429].includes(answer.status) &&
        !answer.headers.get("Retry-After")
      ) {
        const problem = await answer.json();
        record.state = "refused";
        record.problem = problem.detail;
        record.field = Object.keys(problem.errors || {})[0] || problem.field || null;
      } else {
        throw new Error(`status ${answer.status}`);
      }
      await save(record);
      await render();
    }
    network.textContent = "Đã gửi hết các bản ghi chờ đồng bộ.";
  } catch (error) {
    network.textContent =
      String(error.message) === "login"
        ? "Phiên đăng nhập đã hết: hãy đăng nhập lại, các bản ghi vẫn được giữ trên máy."
        : "Chưa gửi được (mạng chập chờn); sẽ gửi lại khi có mạng. Các bản ghi vẫn được giữ.";
  } finally {
    sending = false;
  }
}

function showNetwork() {
  network.textContent = navigator.onLine
    ? "Đang có mạng: bản ghi được gửi ngay."
    : "Đang mất mạng: bản ghi được giữ trên máy và sẽ gửi khi có mạng.";
}

document.getElementById("gui-ngay").addEventListener("click", send);
document.getElementById("dong-phieu").addEventListener("click", () => {
  document.getElementById("phieu-tam").hidden = true;
});
for (const form of document.querySelectorAll("form[data-kind]")) {
  form.addEventListener("submit", capture);
}
window.addEventListener("online", () => { showNetwork(); send(); });
window.addEventListener("offline", showNetwork);
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js", { scope: "./" });
}
fillForms();
showNetwork();
render().then(send);
setInterval(send, 20000);
