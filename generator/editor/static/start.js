/* Starts Decap CMS with panelsite's generated configuration and registers the previews. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("panelsite-config").textContent);
  var preview = JSON.parse(document.getElementById("panelsite-preview").textContent);
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;

  function pageUrl(base, collection, slug) {
    var path = preview.paths[collection];
    if (path === undefined) {
      return null;
    }
    return base + path.replace("{slug}", encodeURIComponent(slug || ""));
  }

  function previewFor(collection) {
    return createClass({
      render: function () {
        var slug = this.props.entry.get("slug");
        var isNew = this.props.entry.get("newRecord");
        var standard = pageUrl(preview.standard, collection, slug);
        var young = pageUrl(preview.young, collection, slug);
        var body = [h("h1", { key: "h" }, "Preview")];
        if (isNew) {
          body.push(h("p", { key: "n" }, "Save this record first; then its page can be previewed."));
        } else if (standard) {
          body.push(
            h("p", { key: "p" }, "See this page as the site shows it, while panelsite serve runs:"),
            h("ul", { key: "l" }, [
              h("li", { key: "s" }, h("a", { href: standard, target: "_blank", rel: "noopener" }, "Standard edition")),
              h("li", { key: "y" }, h("a", { href: young, target: "_blank", rel: "noopener" }, "Young people's edition")),
            ]),
            h("p", { key: "c" }, "Start the previews in a terminal: panelsite serve, and panelsite serve --edition young --dev-addr 127.0.0.1:8001")
          );
        } else {
          body.push(h("p", { key: "x" }, "This record has no page of its own; it is used on other pages."));
        }
        return h("main", { className: "panelsite-preview" }, body);
      },
    });
  }

  config.load_config_file = false; // the configuration is on this page: no config.yml request
  CMS.init({ config: config });
  Object.keys(preview.paths).forEach(function (collection) {
    CMS.registerPreviewTemplate(collection, previewFor(collection));
  });
})();
