// Batch progress: poll the JSON endpoint and update the table (textContent only, never HTML).
// When the batch finishes while the page is open, it is reloaded once so that re-scan findings and
// retry buttons (which appear only on finished documents) are shown.
(function () {
  "use strict";
  var table = document.getElementById("batch-documents");
  if (!table) { return; }
  var url = table.getAttribute("data-progress-url");
  function set(row, field, text) {
    var el = row.querySelector('[data-field="' + field + '"]');
    if (el) { el.textContent = text; }
    return el;
  }
  function setId(id, text) {
    var el = document.getElementById(id);
    if (el) { el.textContent = text; }
  }
  function update(data) {
    data.documents.forEach(function (d) {
      var row = document.getElementById("doc-" + d.id);
      if (!row) { return; }
      var status = set(row, "status", d.status_label || d.status);
      if (status) { status.className = "status status-" + d.status; status.setAttribute("data-status", d.status); }
      set(row, "pages", d.pages || (d.pages_done + "/" + (d.page_count || "?")));
      set(row, "error", d.error);
      set(row, "wait", d.wait);
      var bar = row.querySelector('[data-field="bar"]');
      if (bar) { bar.max = d.page_count || 1; bar.value = d.pages_done; }
    });
    var bar = document.getElementById("batch-bar");
    if (bar) { bar.value = data.fraction; }
    setId("batch-summary", data.summary);
    setId("batch-review-count", data.review_pages_text || String(data.review_pages));
    return data.finished;
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        if (update(data)) { window.location.reload(); }
        else { window.setTimeout(poll, 3000); }
      })
      .catch(function () { setId("progress-note", table.getAttribute("data-stopped") || "Progress updates stopped; reload the page."); });
  }
  var note = document.getElementById("progress-note");
  if (note && note.getAttribute("data-finished") === "1") { return; }
  window.setTimeout(poll, 1500);
})();
