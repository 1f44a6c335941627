// Door scanner: the camera reads the ticket's QR code with BarcodeDetector where the
// browser has it, otherwise sends frames to the server, which decodes them (zxing-cpp).
const box = document.querySelector("[data-scanner]");
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const resultBox = document.querySelector("[data-result]");
const payForm = document.querySelector("[data-pay]");
const PAUSE_MS = 2500;
let busyUntil = 0;

function show(result) {
  resultBox.hidden = false;
  resultBox.className = `scan-result outcome-${result.outcome}`;
  resultBox.querySelector("[data-message]").textContent = result.message;
  const who = [result.name, result.code, result.course].filter(Boolean).join(" · ");
  resultBox.querySelector("[data-who]").textContent = who;
  payForm.hidden = result.outcome !== "unpaid";
  payForm.querySelector("[data-pay-code]").value = result.code || "";
  if (navigator.vibrate) navigator.vibrate(result.outcome === "valid" ? 80 : [60, 60, 60]);
}

async function post(url, body, type) {
  const response = await fetch(url, {
    method: "POST", body, credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf, "Content-Type": type },
  });
  if (!response.ok) throw new Error(`scan failed: ${response.status}`);
  return response.json();
}

const checkCode = (code) => post("/api/v1/checkins", JSON.stringify({ code }), "application/json");

async function scanWithDetector(video, detector) {
  const codes = await detector.detect(video);
  if (codes.length) show(await checkCode(codes[0].rawValue));
  return codes.length > 0;
}

async function scanOnServer(video, canvas) {
  const scale = Math.min(1, 800 / video.videoWidth);
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
  const result = await post("/api/v1/checkins/frame", blob, "image/jpeg");
  if (result.outcome !== "no_code") show(result);
  return result.outcome !== "no_code";
}

async function start() {
  if (!box || !navigator.mediaDevices?.getUserMedia) return;
  const video = box.querySelector("video");
  const canvas = box.querySelector("canvas");
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" }, audio: false,
    });
  } catch {
    return; // no camera or refused: manual entry stays
  }
  box.hidden = false;
  await video.play();
  const detector = "BarcodeDetector" in window
    ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
  const tick = async () => {
    if (Date.now() >= busyUntil && video.readyState >= 2) {
      try {
        const found = detector ? await scanWithDetector(video, detector)
          : await scanOnServer(video, canvas);
        if (found) busyUntil = Date.now() + PAUSE_MS;
      } catch {
        busyUntil = Date.now() + PAUSE_MS;
      }
    }
    setTimeout(tick, detector ? 250 : 600);
  };
  tick();
}

start();
