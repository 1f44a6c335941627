// The chat widget: no framework, every text from the server's catalogs (data-labels),
// messages shown as plain text. The device token stays in this browser only.
const root = document.querySelector("[data-chat]");
const KEY = "coachdesk.chat.token";

if (root) {
  const L = JSON.parse(root.dataset.labels);
  const link = root.dataset.link || "";
  const state = { token: localStorage.getItem(KEY), me: null, current: null, socket: null, timer: null };
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter(Boolean));
    return node;
  };
  const button = el("button", { type: "button", className: "chat-button" });
  button.innerHTML = '<svg aria-hidden="true" width="28" height="28" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/></svg>';
  button.setAttribute("aria-label", L.open);
  button.setAttribute("aria-expanded", "false");
  const panel = el("section", { className: "chat-panel", hidden: true });
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", L.title);
  root.append(button, panel);

  const api = async (path, body) => {
    const response = await fetch(`/api/v1/chat/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Content-Type": "application/json", ...(state.token ? { "X-Chat-Token": state.token } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(data.error?.message || L.error), { status: response.status });
    return data;
  };

  function frame(...content) {
    const menuButton = el("button", { type: "button", textContent: "⋯" });
    menuButton.setAttribute("aria-label", L.menu);
    const close = el("button", { type: "button", textContent: "✕" });
    close.setAttribute("aria-label", L.close);
    close.addEventListener("click", () => toggle(false));
    const menu = el("div", { className: "chat-menu", hidden: true });
    if (state.me) {
      const notMe = el("button", { type: "button", textContent: L.not_me });
      notMe.addEventListener("click", forget);
      const wipe = el("button", { type: "button", textContent: L.delete });
      wipe.addEventListener("click", deleteHistory);
      menu.append(notMe, wipe);
      if (!state.me.verified) {
        const prove = el("button", { type: "button", textContent: L.prove });
        prove.addEventListener("click", askCode);
        menu.prepend(prove);
      }
    }
    menuButton.addEventListener("click", () => { menu.hidden = !menu.hidden; });
    panel.replaceChildren(el("header", { className: "chat-head" }, el("strong", { textContent: L.title }),
      state.me ? menuButton : null, close), menu, ...content);
  }

  function field(name, label, type = "text") {
    const input = el("input", { name, type, autocomplete: type === "email" ? "email" : type === "tel" ? "tel" : "given-name" });
    return el("label", {}, label, input);
  }

  function introForm(error = "") {
    const form = el("form", {},
      el("p", { className: "chat-note", textContent: L.intro }),
      field("name", L.name), field("email", L.email, "email"), field("phone", L.phone, "tel"),
      el("label", { className: "chat-check" }, el("input", { type: "checkbox", name: "accept" }), L.accept),
      el("label", { className: "chat-check" }, el("input", { type: "checkbox", name: "news" }), L.news),
      error ? el("p", { className: "chat-error", textContent: error, role: "alert" }) : null,
      el("button", { type: "submit", className: "btn btn-primary", textContent: L.start }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      try {
        const me = await api("start", { name: data.get("name"), email: data.get("email"),
          phone: data.get("phone"), accept: data.get("accept") === "on", news: data.get("news") === "on", link });
        state.token = me.token;
        localStorage.setItem(KEY, me.token);
        show(me);
      } catch (error) {
        introForm(error.message);
      }
    });
    frame(el("div", { className: "chat-body" }, form));
    form.querySelector("input").focus();
  }

  function bubble(message) {
    const mine = message.author === "visitor" && message.name === state.me?.name;
    const who = mine ? L.you : message.author === "assistant" ? L.assistant
      : message.author === "coach" ? L.coach : message.name;
    const node = el("div", { className: `chat-msg${mine ? " mine" : ""}` },
      el("small", { textContent: who }), el("span", { textContent: message.body }));
    node.dataset.id = message.id;
    return node;
  }

  function verifyBox() {
    const form = el("form", {}, el("p", { className: "chat-note", textContent: L.verify }),
      el("label", {}, L.code, el("input", { name: "code", inputMode: "numeric", autocomplete: "one-time-code" })),
      el("button", { type: "submit", className: "btn", textContent: L.check }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        show(await api("verify", { code: new FormData(form).get("code") }));
      } catch (error) {
        form.append(el("p", { className: "chat-error", textContent: error.message, role: "alert" }));
      }
    });
    return form;
  }

  function show(me) {
    state.me = me;
    const threads = me.conversations;
    const preferred = link ? "community" : "";  // opened from a group's link: the group first
    state.current = threads.find((c) => c.id === state.current?.id)
      || threads.find((c) => (preferred ? c.mode === preferred : c.mode !== "community"))
      || threads[0] || null;
    const body = el("div", { className: "chat-body" });
    body.setAttribute("aria-live", "polite");
    if (threads.length > 1) {
      const tabs = el("div", { className: "chat-tabs" });
      for (const thread of threads) {
        const tab = el("button", { type: "button", className: `btn btn-small${thread === state.current ? " btn-primary" : ""}`,
          textContent: thread.title || L.coach });
        tab.addEventListener("click", () => { state.current = thread; show(me); });
        tabs.append(tab);
      }
      body.append(tabs);
    }
    if (!me.verified && me.code_sent) body.append(verifyBox());
    if (me.conversations.some((c) => c.messages.length) || me.verified) {
      body.append(el("p", { className: "chat-note", textContent: L.welcome_back.replace("%(name)s", me.name) }));
    }
    for (const message of state.current?.messages || []) body.append(bubble(message));
    if (state.current?.mode === "community") {
      const privately = el("button", { type: "button", className: "btn btn-small", textContent: L.private });
      privately.addEventListener("click", async () => {
        const thread = await api("private", {});
        state.current = thread;
        show(await api("me"));
      });
      body.append(privately);
    }
    const text = el("textarea", { name: "body", rows: 1, maxLength: 2000, placeholder: L.placeholder });
    text.setAttribute("aria-label", L.placeholder);
    const form = el("form", { className: "chat-send" }, text, el("button", { type: "submit", className: "btn btn-primary", textContent: L.send }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = text.value.trim();
      if (!value) return;
      try {
        const posted = await api("messages", { body: value, conversation_id: state.current?.id });
        text.value = "";
        for (const message of posted) add(message);
      } catch (error) {
        body.append(el("p", { className: "chat-error", textContent: error.message, role: "alert" }));
      }
    });
    text.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    frame(body, form);
    body.scrollTop = body.scrollHeight;
    text.focus();
    listen();
  }

  function add(message) {
    const body = panel.querySelector(".chat-body");
    if (!body || body.querySelector(`[data-id="${message.id}"]`)) return;
    const thread = state.me?.conversations.find((c) => c.id === message.conversation_id);
    if (thread && !thread.messages.some((m) => m.id === message.id)) thread.messages.push(message);
    if (message.conversation_id !== state.current?.id) return;
    body.append(bubble(message));
    body.scrollTop = body.scrollHeight;
  }

  function listen() {
    if (state.socket || !state.token) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/chat?token=${encodeURIComponent(state.token)}`);
    state.socket = socket;
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "message") add(data);
    });
    socket.addEventListener("close", () => {
      state.socket = null;
      clearInterval(state.timer);
      state.timer = setInterval(async () => {  // fallback: ask now and then
        try { for (const c of (await api("me")).conversations) c.messages.forEach(add); } catch { /* later */ }
      }, 8000);
    });
  }

  async function askCode() {  // an unproved device proves its address to join its history
    try {
      const sent = await api("code", {});
      const me = await api("me");
      show(me);
      if (!sent.sent) panel.querySelector(".chat-body").append(el("p", { className: "chat-error", textContent: L.no_code, role: "alert" }));
    } catch (error) {
      panel.querySelector(".chat-body")?.append(el("p", { className: "chat-error", textContent: error.message, role: "alert" }));
    }
  }

  async function forget() {
    try { await api("forget", {}); } catch { /* the token is dropped anyway */ }
    localStorage.removeItem(KEY);
    Object.assign(state, { token: null, me: null, current: null });
    state.socket?.close();
    introForm();
  }

  async function deleteHistory() {
    if (!window.confirm(L.delete_confirm)) return;
    await api("delete-history", {});
    show(await api("me"));
  }

  async function toggle(open) {
    panel.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (!open) { button.focus(); return; }
    if (!state.token) { introForm(); return; }
    try {
      show(await api("me"));
    } catch {
      localStorage.removeItem(KEY);
      state.token = null;
      introForm();
    }
  }

  button.addEventListener("click", () => toggle(panel.hidden));
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") toggle(false); });
  if (root.hasAttribute("data-open")) toggle(true);
}
