// Progressive enhancements of the public page. Everything works without this file.

// Three quick taps on the footer copyright open the coach login.
const door = document.querySelector("[data-coach-door]");
if (door) {
  let taps = [];
  door.addEventListener("click", () => {
    const now = Date.now();
    taps = taps.filter((t) => now - t < 1200).concat(now);
    if (taps.length >= 3) window.location.assign("/coach");
  });
}

// Hero video: muted autoplay, with a button to turn the sound on and off.
const button = document.querySelector("[data-unmute]");
const media = document.querySelector(".hero-media");
if (button && media) {
  const video = media.querySelector("video");
  const frame = media.querySelector("iframe");
  const kind = media.dataset.kind;
  let muted = true;
  const command = (on) => {
    if (video) { video.muted = !on; if (on) video.play().catch(() => {}); return; }
    if (!frame) return;
    const message = kind === "youtube"
      ? { event: "command", func: on ? "unMute" : "mute", args: [] }
      : { method: "setVolume", value: on ? 1 : 0 };
    frame.contentWindow.postMessage(JSON.stringify(message), "*");
  };
  button.hidden = false;
  button.addEventListener("click", () => {
    muted = !muted;
    command(!muted);
    button.setAttribute("aria-pressed", String(!muted));
    button.querySelector("[data-label-on]").hidden = !muted;
    button.querySelector("[data-label-off]").hidden = muted;
  });
}

// The "book the chosen sessions" button shows how many are ticked.
const pickForm = document.querySelector(".pick-form");
if (pickForm) {
  const count = pickForm.querySelector("[data-pick-count]");
  const refresh = () => {
    const n = pickForm.querySelectorAll("input[name=s]:checked").length;
    count.textContent = n ? `(${n})` : "";
  };
  pickForm.addEventListener("change", refresh);
  pickForm.addEventListener("submit", (event) => {
    if (!pickForm.querySelector("input[name=s]:checked")) {
      event.preventDefault();
      document.querySelector("#seances")?.scrollIntoView();
    }
  });
}

// The event poster: shown once per visit, closed with its button (works without JS too).
const poster = document.querySelector("[data-poster]");
if (poster) {
  if (sessionStorage.getItem("poster-seen") === poster.querySelector("img,video")?.src) poster.close();
  poster.addEventListener("close", () => {
    sessionStorage.setItem("poster-seen", poster.querySelector("img,video")?.src || "1");
  });
}

// The section the coach chose to open the page on (unless the address names one).
const start = document.querySelector("main[data-start]")?.dataset.start;
if (start && start !== "accueil" && !location.hash) {
  document.getElementById(start)?.scrollIntoView();
}

// The courses' music: one track at a time.
const tracks = document.querySelectorAll("[data-track]");
for (const track of tracks) {
  track.addEventListener("play", () => {
    for (const other of tracks) if (other !== track) other.pause();
  });
}
