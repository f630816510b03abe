// Document viewer enhancements. The page works without this file: boxes are drawn by the server as
// SVG over the image. Here: keyboard shortcuts for hit navigation (n / p) and scrolling the first box
// into view. Text only ever goes through textContent (never innerHTML).
(function () {
  "use strict";

  function scrollToFirstBox() {
    var box = document.querySelector("#page-boxes .hit-box");
    var image = document.getElementById("page-image");
    if (!box || !image) { return; }
    box.classList.add("current");
    var svg = document.getElementById("page-boxes");
    var viewBox = svg.viewBox.baseVal;
    var scale = image.clientHeight / viewBox.height;
    var y = parseFloat(box.getAttribute("y")) * scale;
    var top = image.getBoundingClientRect().top + window.scrollY + y - window.innerHeight / 3;
    window.scrollTo({ top: Math.max(top, 0), behavior: "auto" });
  }

  function onKey(event) {
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.isContentEditable)) {
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var link = document.querySelector('a[data-key="' + event.key + '"]');
    if (link) { window.location.assign(link.href); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var image = document.getElementById("page-image");
    if (image && !image.complete) {
      image.addEventListener("load", scrollToFirstBox, { once: true });
    } else {
      scrollToFirstBox();
    }
    document.addEventListener("keydown", onKey);
  });
})();
