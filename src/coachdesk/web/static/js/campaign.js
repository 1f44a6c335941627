// A campaign in Coach Mode: the preview follows the message as it is typed, and the report
// refreshes itself while the worker sends (told over the Coach Mode WebSocket).
const editor = document.querySelector("[data-campaign-editor]");
const who = document.querySelector("[data-preview-contact]");
const shown = {
  error: document.querySelector("[data-preview-error]"),
  subject: document.querySelector("[data-preview-subject]"),
  text: document.querySelector("[data-preview-text]"),
  whatsapp: document.querySelector("[data-preview-whatsapp]"),
};
let timer;

async function refreshPreview() {
  const data = new FormData(editor);
  data.set("contact", who ? who.value : "");
  const response = await fetch("/coach/campaigns/preview", { method: "POST", body: data });
  if (!response.ok) return;
  const preview = await response.json();
  if (shown.error) shown.error.textContent = preview.error;
  if (preview.error) return;
  if (shown.subject) shown.subject.textContent = preview.subject;
  if (shown.text) shown.text.textContent = preview.text;
  if (shown.whatsapp) shown.whatsapp.textContent = preview.whatsapp;
}

if (editor && shown.text) {
  editor.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 400);
  });
}

async function refreshReport(id) {
  const response = await fetch(`/coach/campaigns/${id}/progress`);
  const current = document.querySelector(`[data-report="${id}"]`);
  if (!response.ok || !current) return;
  const holder = document.createElement("div");
  holder.innerHTML = await response.text();
  const fresh = holder.querySelector(`[data-report="${id}"]`);
  if (fresh) current.replaceWith(fresh);
}

document.addEventListener("coach:event", (event) => {
  const detail = event.detail;
  if (detail.type !== "campaign") return;
  if (document.querySelector(`[data-report="${detail.campaign_id}"]`)) refreshReport(detail.campaign_id);
});

// Only the audience fields the chosen kind needs (all stay visible without JavaScript).
const kind = document.querySelector("#f-kind");
const NEEDS = {
  tags: ["tags"],
  booked_within: ["days"],
  pass_expiring: ["days"],
  contacts: ["people"],
  attended: ["course_id"],
  chat_link: ["link_id"],
};
function showAudienceFields() {
  const wanted = NEEDS[kind.value] || [];
  for (const name of ["tags", "days", "people", "course_id", "link_id"]) {
    const box = document.querySelector(`#f-${name}`)?.closest(".field");
    if (box) box.hidden = !wanted.includes(name);
  }
}
if (kind) {
  kind.addEventListener("change", showAudienceFields);
  showAudienceFields();
}
