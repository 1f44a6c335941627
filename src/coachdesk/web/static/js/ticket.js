// Ticket enhancements: share the ticket picture with the Web Share API (falls back to the
// wa.me link), print, confirm before cancelling.
const share = document.querySelector("[data-share]");
if (share && navigator.canShare) {
  share.addEventListener("click", async (event) => {
    try {
      const response = await fetch(share.dataset.picture);
      const file = new File([await response.blob()], "billet.png", { type: "image/png" });
      if (!navigator.canShare({ files: [file] })) return;
      event.preventDefault();
      await navigator.share({ files: [file], text: share.dataset.url });
    } catch {
      /* the plain WhatsApp link does the job */
    }
  });
}
const print = document.querySelector("[data-print]");
if (print) {
  print.hidden = false;
  print.addEventListener("click", () => window.print());
}
document.addEventListener("submit", (event) => {
  const question = event.target.dataset?.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
