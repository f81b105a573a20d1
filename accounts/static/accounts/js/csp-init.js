/*
 * Starts the Wagtail admin widgets that Wagtail itself starts with inline <script> tags
 * (date/time choosers, InlinePanel, MultipleChooserPanel, and the page, image, document,
 * snippet and task choosers), so the admin runs under
 * Content-Security-Policy script-src 'self'. The overridden templates in
 * accounts/templates/wagtailadmin/ leave a hidden marker with the same arguments instead:
 *   <span hidden data-csp-init="initDateChooser" data-csp-target="id_x" data-csp-options="{...}">
 * Markers are run in document order on DOMContentLoaded (inner panels before outer ones, as
 * the inline scripts ran), and again whenever the admin inserts new markup (InlinePanel "Add").
 */
(function () {
  "use strict";

  var SELECTOR = "[data-csp-init]";
  var WIDGETS = ["initDateChooser", "initDateTimeChooser", "initTimeChooser"];
  var PANELS = ["InlinePanel", "MultipleChooserPanel"];
  // Chooser widgets (accounts/csp_widgets.py): new Constructor(target, options).
  var CHOOSERS = ["Chooser", "PageChooser", "ImageChooser", "DocumentChooser", "SnippetChooser"];
  var FUNCTIONS = ["createTaskChooser"];

  function run(marker) {
    if (marker.dataset.cspDone) {
      return;
    }
    marker.dataset.cspDone = "true";
    var name = marker.dataset.cspInit;
    var options = JSON.parse(marker.dataset.cspOptions || "{}");
    if (WIDGETS.indexOf(name) !== -1 && typeof window[name] === "function") {
      window[name](marker.dataset.cspTarget, options);
    } else if (PANELS.indexOf(name) !== -1 && typeof window[name] === "function") {
      new window[name](options);
    } else if (CHOOSERS.indexOf(name) !== -1 && typeof window[name] === "function") {
      new window[name](marker.dataset.cspTarget, options);
    } else if (FUNCTIONS.indexOf(name) !== -1 && typeof window[name] === "function") {
      window[name](marker.dataset.cspTarget);
    } else if (window.console) {
      window.console.error("csp-init: cannot start " + name);
    }
  }

  function scan(node) {
    if (node.nodeType !== 1) {
      return;
    }
    if (node.matches(SELECTOR)) {
      run(node);
    }
    node.querySelectorAll(SELECTOR).forEach(run);
  }

  // jquery.Jcrop (the focal point chooser on the image edit screen) probes touch support by
  // setting ontouchstart/ontouchmove/ontouchend attributes on a scratch <div>: three inline event
  // handlers that script-src 'self' refuses. Give it the same answer without the attributes.
  // Jcrop starts on jQuery's ready, after this (see the capturing listener below).
  function quietJcrop() {
    var jcrop = window.jQuery && window.jQuery.Jcrop;
    if (jcrop && jcrop.defaults && typeof jcrop.defaults.touchSupport !== "boolean") {
      var probe = document.createElement("div");
      jcrop.defaults.touchSupport =
        "ontouchstart" in probe && "ontouchmove" in probe && "ontouchend" in probe;
    }
  }

  function start() {
    quietJcrop();
    scan(document.documentElement);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(scan);
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
  }

  // Run before Wagtail's Stimulus controllers connect (they also wait for DOMContentLoaded, on
  // document): the inline scripts ran before them, and a chooser started after its dropdown
  // moved the "Choose another" button away would never see that button. A capturing listener
  // on window runs before any listener on document.
  if (document.readyState === "loading") {
    window.addEventListener("DOMContentLoaded", start, { capture: true, once: true });
  } else {
    start();
  }
})();
