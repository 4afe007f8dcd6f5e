// Review page behaviour: span actions over fetch (CSRF header), keyboard shortcuts, selection → new span.
// No inline handlers anywhere: the CSP forbids them, and document text must never become code.
"use strict";
(function () {
  const KINDS = ["reference", "date", "amount", "unit", "person"];
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  const textPane = document.getElementById("doc-text");
  if (!textPane) return;
  const documentId = textPane.dataset.document;
  const items = Array.from(document.querySelectorAll(".items .item"));
  const message = document.getElementById("message");
  let current = -1;
  let selection = null;

  function say(text) { if (message) message.textContent = text; }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return response.json();
  }

  function focusItem(index) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((el) => el.classList.remove("current"));
    document.querySelectorAll("mark.current").forEach((el) => el.classList.remove("current"));
    const row = items[current];
    row.classList.add("current");
    row.scrollIntoView({block: "nearest"});
    const mark = document.getElementById(row.dataset.item);
    if (mark) { mark.classList.add("current"); mark.scrollIntoView({block: "center"}); }
  }

  function setStatus(row, status) {
    row.className = row.className.replace(/\bst-\S+/g, "").trim() + " st-" + status;
    const label = row.querySelector(".status");
    if (label) label.textContent = status;
    const mark = document.getElementById(row.dataset.item);
    if (mark) mark.className = mark.className.replace(/\bst-\S+/g, "").trim() + " st-" + status;
  }

  async function judge(row, action, extra) {
    if (row.dataset.type === "finding") {
      const button = row.querySelector("button." + action);
      if (button) button.click();
      return;
    }
    try {
      const state = await post("/api/mentions/" + row.dataset.id, Object.assign({action: action}, extra || {}));
      setStatus(row, state.status);
      if (action === "relabel") { window.location.reload(); return; }
      say(action + "ed: " + (state.text || ""));
      focusItem(current + 1);
    } catch (err) { say("error: " + err.message); }
  }

  items.forEach((row, index) => {
    row.addEventListener("click", (event) => {
      if (event.target.closest("select, input, button, form")) return;
      focusItem(index);
    });
    if (row.dataset.type !== "mention") return;
    row.querySelector("button.accept").addEventListener("click", () => { current = index; judge(row, "accept"); });
    row.querySelector("button.reject").addEventListener("click", () => { current = index; judge(row, "reject"); });
    const relabel = row.querySelector("select.relabel");
    relabel.addEventListener("change", () => { current = index; judge(row, "relabel", {kind: relabel.value}); });
    const value = row.querySelector("input.value-input");
    row.querySelector("button.save-value").addEventListener("click", () => {
      current = index; judge(row, "relabel", {kind: relabel.value, value: value.value});
    });
  });

  textPane.addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-item]");
    if (!mark || !window.getSelection().isCollapsed) return;
    const index = items.findIndex((row) => row.dataset.item === mark.dataset.item);
    if (index >= 0) focusItem(index);
  });

  // Offsets are counted in code points, as Python counts them, from the start of the text pane.
  function selectionOffsets() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return null;
    const range = sel.getRangeAt(0);
    if (!textPane.contains(range.startContainer) || !textPane.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.setStart(textPane, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const start = Array.from(before.toString()).length;
    const text = range.toString();
    return {start: start, end: start + Array.from(text).length, text: text};
  }

  const addButton = document.getElementById("add-button");
  const addKind = document.getElementById("add-kind");
  const addValue = document.getElementById("add-value");
  const info = document.getElementById("selection-info");

  document.addEventListener("selectionchange", () => {
    const offsets = selectionOffsets();
    if (offsets && offsets.text.trim()) {
      selection = offsets;
      info.textContent = "«" + offsets.text + "» [" + offsets.start + "–" + offsets.end + "]";
      addButton.disabled = false;
    }
  });

  async function addSpan(kind) {
    if (!selection) { say("select text first"); return; }
    try {
      await post("/api/documents/" + documentId + "/mentions",
                 {kind: kind, start: selection.start, end: selection.end, value: addValue.value});
      window.location.reload();
    } catch (err) { say("error: " + err.message); }
  }
  addButton.addEventListener("click", () => addSpan(addKind.value));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, select, textarea")) return;
    const key = event.key;
    if (key >= "1" && key <= "5" && selection) { event.preventDefault(); addSpan(KINDS[Number(key) - 1]); return; }
    if (key === "j") { event.preventDefault(); focusItem(current + 1); return; }
    if (key === "k") { event.preventDefault(); focusItem(current - 1); return; }
    if (current < 0 && (key === "a" || key === "r" || key === "e")) focusItem(0);
    const row = items[current];
    if (!row) return;
    if (key === "a") { event.preventDefault(); judge(row, "accept"); }
    else if (key === "r") { event.preventDefault(); judge(row, "reject"); }
    else if (key === "e") {
      event.preventDefault();
      const control = row.querySelector("select");
      if (control) control.focus();
    }
  });

  const hash = window.location.hash.slice(1);
  const start = items.findIndex((row) => row.dataset.item === hash);
  focusItem(start >= 0 ? start : 0);
})();
