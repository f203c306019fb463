// Loaded with plotly.js, before any figure is drawn. The Content-Security-Policy refuses
// style attributes (markup injected into a page cannot style itself), and plotly.js sets
// a few with setAttribute("style", …), e.g. on a heatmap's image. The same declarations
// set through the CSSOM are allowed, and only our own scripts run here, so this sends
// them that way.
(function () {
  "use strict";
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() === "style" && this.style) {
      this.style.cssText = String(value);
      return;
    }
    return setAttribute.apply(this, arguments);
  };
})();
