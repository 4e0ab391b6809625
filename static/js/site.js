// Progressive enhancement only: every page works without this file.
// Pages with a [data-print-label] element get a "Print" button (printing has its own style sheet).
document.querySelectorAll("[data-print-label]").forEach((holder) => {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button no-print";
  button.textContent = holder.dataset.printLabel;
  button.addEventListener("click", () => window.print());
  holder.append(button);
});
