// The "try it" form of an action page, when JavaScript is on: it sends the
// parameters as JSON, with the credential in its header, and shows the
// envelope that comes back. Without it the form still posts the parameters.
"use strict";
for (const form of document.querySelectorAll("form.try")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = form.querySelector(".try-result");
    const headers = { "Content-Type": "application/json" };
    const header = form.dataset.authHeader;
    if (header && form.elements.credential) {
      headers[header] = form.elements.credential.value;
    }
    out.hidden = false;
    out.textContent = "Calling…";
    try {
      const resp = await fetch(form.action, { method: "POST", headers, body: form.elements.params.value, credentials: "omit" });
      const text = await resp.text();
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch (e) {
        // not JSON: shown as it came
      }
      out.textContent = "HTTP " + resp.status + "\n" + shown;
    } catch (e) {
      out.textContent = "The call failed: " + e.message;
    }
  });
}
