// Batch progress: poll the JSON endpoint and update the table (textContent only, never HTML).
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
  function update(data) {
    data.documents.forEach(function (d) {
      var row = document.getElementById("doc-" + d.id);
      if (!row) { return; }
      var status = set(row, "status", d.status);
      if (status) { status.className = "status status-" + d.status; }
      set(row, "pages", d.pages_done + "/" + (d.page_count || "?"));
      set(row, "error", d.error);
      var bar = row.querySelector('[data-field="bar"]');
      if (bar) { bar.max = d.page_count || 1; bar.value = d.pages_done; }
    });
    var bar = document.getElementById("batch-bar");
    if (bar) { bar.value = data.fraction; }
    return data.finished;
  }
  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        if (update(data)) { document.getElementById("progress-note").textContent = "All documents are finished."; }
        else { window.setTimeout(poll, 3000); }
      })
      .catch(function () { document.getElementById("progress-note").textContent = "Progress updates stopped; reload the page."; });
  }
  window.setTimeout(poll, 1500);
})();
