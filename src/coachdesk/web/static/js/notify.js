// Coach Mode, on every page: new conversations and messages arrive in real time
// (WebSocket /ws/coach): a toast, a badge on the Conversations tab, and the message itself
// when its conversation is open. Reconnects after a drop.
const badge = document.querySelector("[data-inbox-badge]");
const log = document.querySelector("[data-conversation]");
let unseen = 0;

function toast(text, url) {
  let box = document.querySelector(".toasts");
  if (!box) {
    box = document.createElement("div");
    box.className = "toasts";
    box.setAttribute("role", "status");
    document.body.append(box);
  }
  const item = document.createElement(url ? "a" : "p");
  item.className = "toast";
  item.textContent = text;
  if (url) item.href = url;
  box.append(item);
  setTimeout(() => item.remove(), 6000);
}

function bubble(event) {
  const item = document.createElement("li");
  item.className = `bubble from-${event.author}`;
  const who = document.createElement("span");
  who.className = "bubble-who";
  who.textContent = event.name;
  const text = document.createElement("span");
  text.className = "bubble-text";
  text.textContent = event.body;
  item.append(who, text);
  log.append(item);
  item.scrollIntoView({ block: "end" });
}

function connect(delay = 1000) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/coach`);
  socket.addEventListener("open", () => { document.documentElement.dataset.live = "on"; });
  socket.addEventListener("message", (message) => {
    const event = JSON.parse(message.data);
    document.dispatchEvent(new CustomEvent("coach:event", { detail: event }));
    if (event.type === "message" && log && String(event.conversation_id) === log.dataset.conversation) {
      bubble(event);
      return;
    }
    if (event.type === "notice") toast(`🔔 ${event.title} — ${event.body}`.slice(0, 140), event.url);
    if (event.type === "conversation") toast(`💬 ${event.name}`);
    if (event.type === "handover") toast(`🙋 ${event.name} : ${event.body.slice(0, 80)}`);
    if (event.type === "message" && event.author === "visitor") {
      unseen += 1;
      if (badge) { badge.hidden = false; badge.textContent = String(unseen); }
      if (event.alert) toast(`${event.name} : ${event.body.slice(0, 80)}`);
    }
  });
  socket.addEventListener("close", () => setTimeout(() => connect(Math.min(delay * 2, 30000)), delay));
}

connect();
